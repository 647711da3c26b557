/// Counts a transport's HTTP round trips and body bytes: what the sync costs
/// on the network (e.g. for an app's data-use screen, or a benchmark).
///
/// Bytes are body bytes, without HTTP headers: as sent and received on the
/// wire (compressed, when they were) and as encoded before compression.
public actor TransferMeter {
    /// What the meter has counted.
    public struct Totals: Sendable, Hashable {
        /// Requests that got an HTTP answer (any status).
        public var roundTrips = 0
        /// Request body bytes as sent.
        public var sentBytes = 0
        /// Request body bytes before compression.
        public var sentUncompressedBytes = 0
        /// Answer body bytes as received.
        public var receivedBytes = 0
        /// Answer body bytes after decompression.
        public var receivedUncompressedBytes = 0

        public init() {}
    }

    public private(set) var totals = Totals()

    public init() {}

    func record(sent: Int, sentUncompressed: Int, received: Int, receivedUncompressed: Int) {
        totals.roundTrips += 1
        totals.sentBytes += sent
        totals.sentUncompressedBytes += sentUncompressed
        totals.receivedBytes += received
        totals.receivedUncompressedBytes += receivedUncompressed
    }

    /// Starts counting again from zero.
    public func reset() {
        totals = Totals()
    }
}
