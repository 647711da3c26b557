public import CareModel

/// The answer to `GET /v1/quarantine` (and `GET /v1/admin/quarantine`): a page
/// of quarantined operations, oldest first.
public struct QuarantineListing: Codable, Sendable, Hashable {
    /// One quarantined operation as listed.
    public struct Entry: Codable, Sendable, Hashable {
        /// The row id: pass the last one as `after` for the next page.
        public var id: Int64
        public var replica: ReplicaID
        public var counter: UInt64
        public var device: DeviceID
        public var worker: WorkerID
        public var record: RecordRef
        public var visit: RecordID?
        public var team: TeamID?
        /// The rejection's stable code and message.
        public var code: String
        public var message: String
        /// When the server received it, Unix ms.
        public var receivedAt: Int64
        /// The operation as pushed; absent from the admin listing (metadata only).
        public var operation: Operation?

        init(_ row: QuarantineRow, withContent: Bool) {
            let quarantined = row.operation
            id = row.id
            replica = quarantined.id.replica
            counter = quarantined.id.counter
            device = quarantined.device
            worker = quarantined.worker
            record = quarantined.record
            visit = quarantined.visit
            team = quarantined.team
            code = quarantined.code
            message = quarantined.message
            receivedAt = quarantined.receivedAt
            operation = withContent ? try? Operation(canonicalBytes: quarantined.body) : nil
        }
    }

    public var entries: [Entry]
    /// Pass as `after` for the next page.
    public var nextCursor: Int64
    public var hasMore: Bool
}
