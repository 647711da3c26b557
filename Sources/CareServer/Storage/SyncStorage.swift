public import CareModel

/// Where the server keeps its log, its indexes and its reference data.
///
/// The rules (which operation is stored, who sees what) are not here: ingest
/// reads an ``IngestSnapshot``, lets ``IngestPlanner`` decide, and writes the
/// ``IngestPlan`` in the same transaction; pull runs a ``PullFilter``. A backend
/// (SQLite now, PostgreSQL later) only has to read and write faithfully.
///
/// The background jobs' tables (cursors, notification outbox, review queue)
/// are the refined protocols' part.
public protocol SyncStorage: JobCursorStore, NotificationStore, ReviewStore, WorkflowIndex {
    /// Reads what `batch` needs, asks `planner`, and writes the plan, in one
    /// transaction that is durable (committed and synced) before this returns.
    func ingest(_ batch: IngestBatch, planner: IngestPlanner) async throws -> IngestPlan

    /// The operations `filter` lets through, positioned after `cursor`, at most
    /// `limit` of them unless one position holds more (see ``PullPage``).
    func pull(_ filter: PullFilter, after cursor: UInt64, limit: Int) async throws -> PullPage

    /// The server log in sequence order, after `sequence`: for audits and tests.
    func logEntries(after sequence: UInt64, limit: Int) async throws -> [LogEntry]

    /// The log's last sequence (0 when it is empty). Operations commit in
    /// sequence order, so every position up to it is committed: a reader that
    /// stops there reads a log that was whole at one moment.
    func lastLogSequence() async throws -> UInt64

    /// The entries of `kinds` among the next `positions` log positions after
    /// `sequence`, in sequence order, and the last of those positions the log
    /// holds: what a follower that wants a few kinds reads, without reading or
    /// decoding the rest of the log, and still moving its cursor over it.
    func logEntries(after sequence: UInt64, positions: Int, kinds: [RecordKind]) async throws -> LogWindow

    /// Every stored chain-head signature (written by ``ingest(_:planner:)`` from
    /// ``IngestPlan/signatures``, keeping the first for a replica and counter),
    /// ordered by replica then counter: for audits.
    func chainSignatures() async throws -> [StoredChainSignature]

    /// Quarantined operations (written by ``ingest(_:planner:)`` from
    /// ``IngestPlan/quarantined``) with a row id above `id`, in id order, at most `limit`.
    func quarantineRows(after id: Int64, limit: Int) async throws -> [QuarantineRow]

    /// The server's own replica and key: the stored ones, or `candidate` stored
    /// now (with its worker and device rows) when there are none. The first
    /// instance to start on a database creates them; every other one, and every
    /// later start, reads the same.
    func serverIdentity(creatingIfAbsent candidate: StoredServerIdentity) async throws -> StoredServerIdentity

    /// The last stored operation of `replica` (its counter, hash and timestamp);
    /// nil when none is stored.
    func replicaHead(_ replica: ReplicaID) async throws -> ReplicaHead?

    /// Every stored operation on each of `records`, each record's in log
    /// order, read together; a record the server does not know is absent.
    func operations(on records: [RecordRef]) async throws -> [RecordRef: [Operation]]

    /// The device and worker a bearer token (by its SHA-256) stands for.
    func credential(tokenHash: [UInt8]) async throws -> DeviceCredential?

    /// Consumes an unused, unexpired enrolment code and records the device, atomically.
    /// Throws ``ServerError`` `invalid_enrolment_code` or `replica_taken`.
    func enrol(_ claim: EnrolmentClaim) async throws -> DeviceSummary

    /// Creates or replaces a worker.
    func saveWorker(_ worker: Worker) async throws
    func worker(_ id: WorkerID) async throws -> Worker?
    func workers() async throws -> [Worker]
    /// Creates or replaces a resident.
    func saveResident(_ resident: Resident) async throws
    func residents() async throws -> [Resident]
    /// Records a one-time enrolment code (by its SHA-256). Throws `unknown_worker`.
    func saveEnrolmentCode(hash: [UInt8], worker: WorkerID, createdAt: Int64, expiresAt: Int64) async throws
    func devices() async throws -> [DeviceSummary]
    /// The devices whose credential is not revoked, the server's own replica
    /// (``ServerIdentity/workerID``'s device) left out: the
    /// `caresync_devices_enrolled` gauge.
    func enrolledDeviceCount() async throws -> Int
    /// Marks a device revoked; its credential stops working at once. Throws `unknown_device`.
    func revokeDevice(_ device: DeviceID, at time: Int64) async throws -> DeviceSummary

    /// Row counts, table by table.
    func counts() async throws -> StorageCounts
    /// Throws unless the database answers.
    func checkReady() async throws
    /// Closes the database; later calls fail.
    func close() async throws
}

/// An enrolment as the server prepared it: the code to consume and the device to record.
public struct EnrolmentClaim: Sendable, Hashable {
    public var codeHash: [UInt8]
    public var device: DeviceID
    public var replica: ReplicaID
    public var publicKey: String
    public var tokenHash: [UInt8]
    public var enrolledAt: Int64
    public var expiresAt: Int64

    public init(
        codeHash: [UInt8], device: DeviceID, replica: ReplicaID, publicKey: String, tokenHash: [UInt8],
        enrolledAt: Int64, expiresAt: Int64
    ) {
        self.codeHash = codeHash
        self.device = device
        self.replica = replica
        self.publicKey = publicKey
        self.tokenHash = tokenHash
        self.enrolledAt = enrolledAt
        self.expiresAt = expiresAt
    }
}

/// One entry of the server log as stored.
/// Part of the log: the entries a reader asked for and the last position it covers.
public struct LogWindow: Sendable, Hashable {
    public var entries: [LogEntry]
    /// The last log position covered (the position read from when the log holds nothing after it).
    public var end: UInt64

    public init(entries: [LogEntry], end: UInt64) {
        self.entries = entries
        self.end = end
    }
}

public struct LogEntry: Sendable, Hashable {
    public var sequence: UInt64
    public var receivedAt: Int64
    /// The operation's replica-chain hash.
    public var hash: OperationHash
    /// The server-chain hash (see ``ServerLogChain``).
    public var serverHash: [UInt8]
    /// The operation's canonical encoding.
    public var body: [UInt8]

    public init(sequence: UInt64, receivedAt: Int64, hash: OperationHash, serverHash: [UInt8], body: [UInt8]) {
        self.sequence = sequence
        self.receivedAt = receivedAt
        self.hash = hash
        self.serverHash = serverHash
        self.body = body
    }
}
