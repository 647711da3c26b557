import CareModel
import CareSQLite
import GRDB

/// How the store's worker stands to a record, worked out from the device's
/// tables as the server works it out from its own: the device's mirror of the
/// access rules, so that the app never offers what the server would refuse.
enum Relationships {
    static func of(
        _ operation: CareModel.Operation, existing: RecordState?, identity: StoreIdentity, _ db: Database
    ) throws -> Relationship {
        var relationship: Relationship = []
        let creator = existing?.creations.first?.author ?? (operation.action == .create ? operation.author : nil)
        if creator == identity.worker { relationship.insert(.author) }
        let visit: String?
        switch operation.record.kind {
        case .visit:
            visit = operation.record.id.description
        case .visitNote, .missedCall:
            let field = operation.record.kind == .visitNote ? VisitNote.Field.visit : MissedCall.Field.visit
            visit =
                existing?[field]?.stringValue
                ?? operation.changes.first(where: { $0.field == field })?.value.stringValue
        default:
            visit = nil
        }
        if operation.record.kind == .visit, operation.action == .create, existing?.isCreated != true {
            // A visit being planned: related as the server works it out, from the plan itself.
            relationship.formUnion(planned(operation, identity: identity))
            return relationship
        }
        if let visit {
            if try db.firstRow(
                "SELECT 1 FROM visit_worker WHERE visit = ? AND worker = ?", [.text(visit), .text(identity.worker.rawValue)],
                { _ in true }) == true
            {
                relationship.insert(.assigned)
            }
            if let team = identity.team,
                try db.firstRow("SELECT team FROM visit WHERE id = ?", [.text(visit)], { $0.text(orNull: 0) }) == team.rawValue
            {
                relationship.insert(.team)
            }
        }
        return relationship
    }

    /// How the store's worker stands to a visit created by `operation`: its
    /// team's coordinator, and an assigned worker if named in the plan.
    private static func planned(_ operation: CareModel.Operation, identity: StoreIdentity) -> Relationship {
        var relationship: Relationship = []
        for change in operation.changes {
            if change.field == Visit.Field.team, let team = identity.team, change.value.stringValue == team.rawValue {
                relationship.insert(.team)
            }
            if change.field == Visit.Field.assignedWorkers,
                change.value.listValue?.contains(.string(identity.worker.rawValue)) == true
            {
                relationship.insert(.assigned)
            }
        }
        return relationship
    }
}
