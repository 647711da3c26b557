public import CareModel

/// Writes operations on the server's own replica (``ServerIdentity``), through
/// the same ingest as a device's push: the planner checks schema, chain and the
/// access policy for the worker the write is made as, and the storage stores it
/// durably with a log sequence, a server-chain link and the chain-head signature.
///
/// An actor, so one instance never races itself for the next counter. Several
/// instances on one database may: the loser's first operation then comes back
/// `conflicting_duplicate` (another operation holds its counter) and the writer
/// starts again from the new head.
public actor ServerReplicaWriter {
    public let identity: ServerIdentity
    private let storage: any SyncStorage
    private let planner: IngestPlanner
    private let clock: any WallClock
    /// Where stored writes go for the log followers.
    private let recentLog: RecentLog?
    /// How often a write starts again after another instance took its counter.
    /// Every lost race is another write's success, so the log always moves on;
    /// the bound only keeps one unlucky write from waiting forever.
    private let maximumAttempts = 16

    public init(
        identity: ServerIdentity, storage: any SyncStorage, planner: IngestPlanner, clock: any WallClock,
        recentLog: RecentLog? = nil
    ) {
        self.identity = identity
        self.storage = storage
        self.planner = planner
        self.clock = clock
        self.recentLog = recentLog
    }

    /// Writes `drafts`, in order, as `worker`: ``ServerIdentity/worker`` for the
    /// server's own decisions, or a person (a coordinator resolving a review
    /// item through the API) whose roles the policy then checks, as the
    /// operation's author. Each operation's context is its record's version as
    /// stored, so it supersedes what the server has seen.
    ///
    /// Returns one result per draft, as a push does. Throws `CareModelError` for
    /// a draft the model refuses outright (schema), with nothing stored.
    public func write(_ drafts: [OperationDraft], as worker: Worker) async throws -> [OperationResult] {
        guard !drafts.isEmpty else { return [] }
        var attempt = 1
        while true {
            let batch = try await batch(drafts, as: worker)
            let plan = try await storage.ingest(batch, planner: planner, addingTo: recentLog)
            let lostRace = plan.results.first?.error?.code == CareModelError.Code.conflictingDuplicate.rawValue
            if lostRace, attempt < maximumAttempts {
                attempt += 1
                // A short random pause, so that two instances do not stay in step.
                try await Task.sleep(for: .milliseconds(Int.random(in: 1...20)))
                continue
            }
            return plan.results
        }
    }

    /// The drafts as the next operations of the server's chain, signed.
    private func batch(_ drafts: [OperationDraft], as worker: Worker) async throws -> IngestBatch {
        // The records' histories first, the chain's head after: then any of the
        // server replica's own operations a context holds are at or below the head,
        // never the counter about to be written (another instance may write between).
        var contexts: [RecordRef: VersionVector] = [:]
        var latestSeen = HLCTimestamp(wallMillis: 0)
        for record in Set(drafts.map(\.record)) {
            var context = VersionVector()
            for operation in try await storage.operations(on: record) {
                context.include(operation.id)
                latestSeen = max(latestSeen, operation.timestamp)
            }
            contexts[record] = context
        }
        let head = try await storage.replicaHead(identity.replica)
        let now = clock.nowMillis()
        var replica = LocalReplica(
            replica: identity.replica, device: identity.device, author: worker.id, lastCounter: head?.counter ?? 0,
            head: head?.hash ?? .genesis, clock: HybridLogicalClock(latest: head?.timestamp ?? HLCTimestamp(wallMillis: 0)))
        replica.observe(latestSeen, physicalMillis: now)
        var operations: [Operation] = []
        for draft in drafts {
            let written = try replica.write(
                draft.record, draft.action, draft.changes, context: contexts[draft.record] ?? VersionVector(),
                physicalMillis: now)
            contexts[draft.record]?.include(written.operation.id)
            operations.append(written.operation)
        }
        let signature = identity.chainSigner.sign(
            replica: identity.replica, counter: replica.lastCounter, head: replica.head)
        return IngestBatch(
            replica: identity.replica, device: identity.device, worker: worker, operations: operations,
            head: replica.head, receivedAt: now, signature: signature)
    }
}
