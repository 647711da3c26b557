public import CareModel

/// What to write for one batch, decided by ``IngestPlanner``: the storage writes
/// exactly this, in the transaction it read the snapshot in.
public struct IngestPlan: Sendable {
    /// One answer per pushed operation, in the request's order.
    public var results: [OperationResult] = []
    /// New log entries, in sequence order.
    public var operations: [OperationRow] = []
    /// Index entries of records created by this batch.
    public var newRecords: [RecordEntry] = []
    /// Workers assigned to visits by this batch. A worker keeps the first grant
    /// of a visit (storage ignores later ones): access is never withdrawn, so
    /// evidence recorded before a reassignment still syncs.
    public var grants: [VisitGrant] = []
    /// The device's chain-head signature, when the operation it covers is stored
    /// (by this batch or before) and the chain ends at the signed head.
    public var signatures: [StoredChainSignature] = []
    /// The schedule index and report deadline rows to update (care workflows).
    public var workflowIndex = WorkflowIndexChanges()
    /// What the server's receipt states for each stored or duplicate result, in
    /// the results' order (signed by the caller, outside the transaction).
    public var receipts: [ReceiptEntry] = []
    /// The rejected operations, kept for review with their reason (see ``QuarantinedOperation``).
    public var quarantined: [QuarantinedOperation] = []

    public init() {}

    /// The number of operations newly stored.
    public var storedCount: Int { operations.count }
}

/// One stored operation, as the server log keeps it.
public struct OperationRow: Sendable, Hashable {
    public var sequence: UInt64
    public var id: Dot
    public var record: RecordRef
    public var author: WorkerID
    public var device: DeviceID
    /// Copied from the record's ``RecordEntry`` so that a pull filters without joins.
    public var visit: RecordID?
    public var team: TeamID?
    public var owner: WorkerID
    public var receivedAt: Int64
    public var hash: OperationHash
    public var serverHash: [UInt8]
    /// The canonical encoding: what was hashed, and what a pull sends back.
    public var body: [UInt8]

    public init(
        sequence: UInt64, id: Dot, record: RecordRef, author: WorkerID, device: DeviceID, visit: RecordID?,
        team: TeamID?, owner: WorkerID, receivedAt: Int64, hash: OperationHash, serverHash: [UInt8], body: [UInt8]
    ) {
        self.sequence = sequence
        self.id = id
        self.record = record
        self.author = author
        self.device = device
        self.visit = visit
        self.team = team
        self.owner = owner
        self.receivedAt = receivedAt
        self.hash = hash
        self.serverHash = serverHash
        self.body = body
    }
}

/// A worker gaining sight of a visit, at the log position of the operation that
/// assigned them. A pull delivers the visit's earlier history at that position.
public struct VisitGrant: Sendable, Hashable {
    public var visit: RecordID
    public var worker: WorkerID
    public var grantedAt: UInt64

    public init(visit: RecordID, worker: WorkerID, grantedAt: UInt64) {
        self.visit = visit
        self.worker = worker
        self.grantedAt = grantedAt
    }
}

extension VisitGrant {
    /// The visit and worker of a grant: one row of `visit_access`.
    struct Key: Hashable {
        var visit: RecordID
        var worker: WorkerID
    }

    var key: Key { Key(visit: visit, worker: worker) }
}
