import CareModel
import Foundation
import Testing

@testable import CareStore

/// What the server's replica writes (alerts on visits, escalations of abuse
/// reports) arrives on devices by pull like any operation.
struct WorkflowRecordTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder() }

    @Test("a device keeps pulled alerts and escalations, in the reducer's state, consistently")
    func storesServerWrites() async throws {
        var office = RemoteReplica("office-1", number: 1)
        var reporter = RemoteReplica(Fixture.otherWorker.rawValue, number: 2)
        var server = RemoteReplica("caresync-server", number: 3)
        let visit = RecordRef(kind: .visit, id: Fixture.recordID(1))
        let report = RecordRef(kind: .abuseReport, id: Fixture.recordID(2))
        var operations = [try office.createVisit(visit.id, start: Fixture.day, assigned: [Fixture.worker])]
        try server.see(operations)
        let alert = Visit.Alert(kind: .overdue, dueAt: Fixture.day + 900_000, raisedAt: Fixture.day + 900_000)
        operations.append(try server.write(visit, .update, [.append(Visit.Field.alerts, alert.raisedEntry)]))
        operations.append(
            try reporter.write(
                report, .create,
                [
                    .set(AbuseReport.Field.incidentKind, "verbal"), .set(AbuseReport.Field.occurredAt, .int(Fixture.day)),
                    .set(AbuseReport.Field.involved, [["relationship": "visitor"]]),
                    .set(AbuseReport.Field.statement, "Threatened at the door."), .set(AbuseReport.Field.severity, 2),
                ]))
        operations.append(
            try server.write(
                RecordRef(kind: .abuseEscalation, id: Fixture.recordID(3)), .create,
                [
                    .set(AbuseEscalation.Field.report, .string(report.id.description)), .set(AbuseEscalation.Field.level, 1),
                    .set(AbuseEscalation.Field.contact, "lead-1"), .set(AbuseEscalation.Field.dueAt, .int(Fixture.day + 3_600_000)),
                ]))

        let store = try await Fixture.open(folder)
        let applied = try await store.applyPulledPage(PullResponse(operations: operations, nextCursor: 4, hasMore: false))
        #expect(applied.applied == operations.count)
        #expect(try await store.canonicalState() == (try CareState(reducing: operations)).canonicalBytes())
        #expect(try await store.verify().isConsistent)
        #expect(try await store.scalar("SELECT count(*) FROM record WHERE kind = 'abuse_escalation'") == 1)
    }
}
