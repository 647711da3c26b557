public import CareModel

/// What one worker may pull, derived from ``AccessPolicy`` and their roles: for
/// each record kind, whether they read all of it or only records they stand in
/// some relationship to. Storage backends turn it into their query.
public struct PullFilter: Sendable, Hashable {
    public var worker: WorkerID
    public var teams: [TeamID]
    /// The pulling device's own replica: its operations are not echoed back.
    public var excludedReplica: ReplicaID?
    /// Kinds the worker reads in full.
    public var everything: Set<RecordKind> = []
    /// Kinds read where the worker is (or was) assigned to the record's visit.
    public var byAssignment: Set<RecordKind> = []
    /// Kinds read where the record's visit belongs to one of the worker's teams.
    public var byTeam: Set<RecordKind> = []
    /// Kinds read where the worker created the record (an abuse report's reporter).
    public var byOwnership: Set<RecordKind> = []

    public init(policy: AccessPolicy = .standard, worker: Worker, excluding replica: ReplicaID?) {
        self.worker = worker.id
        self.teams = worker.teams
        self.excludedReplica = replica
        for role in worker.roles {
            for kind in RecordKind.all {
                switch policy.rules(for: role, kind).read {
                case .none: break
                case .all: everything.insert(kind)
                case .related(let relationship):
                    if relationship.contains(.assigned) { byAssignment.insert(kind) }
                    if relationship.contains(.team) { byTeam.insert(kind) }
                    if relationship.contains(.author) { byOwnership.insert(kind) }
                }
            }
        }
        byAssignment.subtract(everything)
        byTeam.subtract(everything)
        byOwnership.subtract(everything)
        if teams.isEmpty { byTeam = [] }
    }

    /// Whether the worker reads every operation.
    public var seesEverything: Bool { everything.count == RecordKind.all.count }

    /// Whether the worker reads nothing at all (an admin, or a worker with no role).
    public var seesNothing: Bool {
        everything.isEmpty && byAssignment.isEmpty && byTeam.isEmpty && byOwnership.isEmpty
    }
}
