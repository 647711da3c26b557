public import CareModel

/// What the server already holds that one batch's checks depend on, read in the
/// same transaction that will store the batch.
public struct IngestSnapshot: Sendable {
    /// A stored operation's replica-chain hash, log position and receive time.
    public struct StoredOperation: Sendable, Hashable {
        public var hash: OperationHash
        public var sequence: UInt64
        /// When the server stored it, Unix ms: what a receipt for a re-pushed operation states.
        public var receivedAt: Int64

        public init(hash: OperationHash, sequence: UInt64, receivedAt: Int64) {
            self.hash = hash
            self.sequence = sequence
            self.receivedAt = receivedAt
        }
    }

    /// The replica's last stored counter and its hash; nil when nothing is stored yet.
    public var replicaHead: (counter: UInt64, hash: OperationHash)?
    /// Stored operations of the replica by counter, for the counters the batch needs
    /// (see ``IngestBatch/storedCountersNeeded(lastStored:)``).
    public var stored: [UInt64: StoredOperation]
    /// The index entries of the records the batch touches or points at
    /// (see ``IngestBatch/referencedRecords``); absent ones are unknown.
    public var records: [RecordRef: RecordEntry]
    /// The visits, among those the batch concerns, that the pushing worker is or
    /// was ever assigned to.
    public var assignedVisits: Set<RecordID>
    /// The last entry of the server log.
    public var logHead: LogHead

    public init(
        replicaHead: (counter: UInt64, hash: OperationHash)?, stored: [UInt64: StoredOperation],
        records: [RecordRef: RecordEntry], assignedVisits: Set<RecordID>, logHead: LogHead
    ) {
        self.replicaHead = replicaHead
        self.stored = stored
        self.records = records
        self.assignedVisits = assignedVisits
        self.logHead = logHead
    }
}

/// The position and hash of the last operation in the server log.
public struct LogHead: Sendable, Hashable {
    public var sequence: UInt64
    public var serverHash: [UInt8]

    public init(sequence: UInt64, serverHash: [UInt8]) {
        self.sequence = sequence
        self.serverHash = serverHash
    }

    /// The empty log.
    public static let empty = LogHead(sequence: 0, serverHash: ServerLogChain.genesis)
}

/// The server's index entry for one record: what access decisions need, fixed
/// when the record is created (a visit's team and a note's visit never change).
public struct RecordEntry: Sendable, Hashable {
    public var ref: RecordRef
    /// For a visit, itself; for a note or missed call, its visit; nil for an abuse report.
    public var visit: RecordID?
    /// The team of the visit (of the note's or missed call's visit); nil for an abuse report.
    public var team: TeamID?
    /// The worker who created the record (an abuse report's reporter).
    public var owner: WorkerID
    /// The log sequence of the creating operation.
    public var createdAt: UInt64

    public init(ref: RecordRef, visit: RecordID?, team: TeamID?, owner: WorkerID, createdAt: UInt64) {
        self.ref = ref
        self.visit = visit
        self.team = team
        self.owner = owner
        self.createdAt = createdAt
    }
}
