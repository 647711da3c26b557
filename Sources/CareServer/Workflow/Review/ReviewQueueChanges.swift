public import CareModel

/// What the review indexer decided for one page of the log: items to open and
/// open items to resolve, stored together in one transaction
/// (``ReviewStore/apply(_:)``).
public struct ReviewQueueChanges: Sendable, Hashable {
    /// An open item settled by the log: by whom and where.
    public struct Resolution: Sendable, Hashable {
        public var id: String
        public var time: Int64
        public var worker: WorkerID?
        public var sequence: UInt64

        public init(id: String, time: Int64, worker: WorkerID?, sequence: UInt64) {
            self.id = id
            self.time = time
            self.worker = worker
            self.sequence = sequence
        }
    }

    /// Items to store as open (each skipped when it exists, or when its record
    /// already has an open item for the same reason).
    public var opened: [ReviewItem] = []
    /// Open items to mark resolved (an item resolved meanwhile is left as it is).
    public var resolved: [Resolution] = []

    public init(opened: [ReviewItem] = [], resolved: [Resolution] = []) {
        self.opened = opened
        self.resolved = resolved
    }

    public var isEmpty: Bool { opened.isEmpty && resolved.isEmpty }
}
