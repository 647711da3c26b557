import CareModel

/// Works out how a worker stands to the record an operation touches
/// (``Relationship``), from the server's record index and visit assignments.
///
/// The policy (``AccessPolicy``) then says what that relationship allows.
struct RelationshipResolver {
    let worker: Worker
    private let teams: Set<TeamID>

    /// A resolver for `worker`, made once per batch.
    init(worker: Worker) {
        self.worker = worker
        teams = Set(worker.teams)
    }

    /// The relationship, or a rejection when the operation points at a record the
    /// server does not hold (or re-creates one it does), given the record index
    /// entries and the worker's visit assignments as they stand before it.
    func relationship(
        for operation: Operation, records: [RecordRef: RecordEntry], assignedVisits: Set<RecordID>
    ) throws(CareModelError) -> Relationship {
        var relationship: Relationship = []
        if operation.action == .create {
            guard records[operation.record] == nil else {
                throw CareModelError(.recordExists, "this \(operation.record.kind) already exists")
            }
            relationship.insert(.author)
            switch operation.record.kind {
            case .visit:
                if let team = operation.value(of: Visit.Field.team)?.stringValue.flatMap(TeamID.init), teams.contains(team) {
                    relationship.insert(.team)
                }
                let assigned = operation.value(of: Visit.Field.assignedWorkers)?.listValue ?? []
                if assigned.contains(.string(worker.id.rawValue)) {
                    relationship.insert(.assigned)
                }
            case .visitNote, .missedCall:
                guard let visitRef = operation.createdVisitReference, let visit = records[visitRef] else {
                    throw CareModelError(
                        .unknownVisit, "the server holds no visit with this id", field: VisitNote.Field.visit)
                }
                relationship.formUnion(visitRelationship(visit: visitRef.id, team: visit.team, assignedVisits: assignedVisits))
            default:
                break
            }
            return relationship
        }
        guard let entry = records[operation.record] else {
            throw CareModelError(.unknownRecord, "the server holds no create for this \(operation.record.kind)")
        }
        if entry.owner == worker.id {
            relationship.insert(.author)
        }
        if let visit = entry.visit {
            relationship.formUnion(visitRelationship(visit: visit, team: entry.team, assignedVisits: assignedVisits))
        }
        return relationship
    }

    private func visitRelationship(visit: RecordID, team: TeamID?, assignedVisits: Set<RecordID>) -> Relationship {
        var relationship: Relationship = []
        if assignedVisits.contains(visit) { relationship.insert(.assigned) }
        if let team, teams.contains(team) { relationship.insert(.team) }
        return relationship
    }
}
