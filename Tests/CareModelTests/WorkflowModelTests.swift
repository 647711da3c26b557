import CareModel
import Testing

@Suite("Care workflows in the model: alerts on visits, escalations of abuse reports")
struct WorkflowModelTests {
    let policy = AccessPolicy.standard
    static let dueAt = Fixtures.start + 3_600_000 + 15 * 60_000
    static let alert = Visit.Alert(kind: .overdue, dueAt: dueAt, raisedAt: dueAt)

    @Test("only the server's replica appends alerts and outcomes; it changes nothing else")
    func alertWrites() throws {
        let raise = ValidationTests.operation(changes: [.append(Visit.Field.alerts, Self.alert.raisedEntry)])
        try OperationValidator.validate(raise)
        try policy.authorize(raise, role: .server, relationship: [])
        for role in [Role.coordinator, .careWorker, .safeguardingLead, .auditor, .admin] {
            #expect(throws: CareModelError.self, "\(role)") {
                try policy.authorize(raise, role: role, relationship: [.team, .assigned, .author])
            }
        }
        let cancel = ValidationTests.operation(changes: [.set(Visit.Field.cancelled, true)])
        #expect(throws: CareModelError.self) { try policy.authorize(cancel, role: .server, relationship: [.team]) }
        #expect(!policy.canRead(.server, .visit, relationship: [.team, .assigned]))
    }

    @Test("escalations are read by safeguarding leads and auditors only, and created only by the server")
    func escalationAccess() throws {
        let kind = RecordKind.abuseEscalation
        #expect(policy.canRead(.safeguardingLead, kind, relationship: []))
        #expect(policy.canRead(.auditor, kind, relationship: []))
        for role in [Role.careWorker, .coordinator, .admin, .server] {
            #expect(!policy.canRead(role, kind, relationship: [.author, .team, .assigned]), "\(role)")
        }
        let escalation = ValidationTests.operation(
            RecordRef(kind: kind, id: Fixtures.record(9)), .create,
            changes: [
                .set(AbuseEscalation.Field.report, .string(Fixtures.report.id.description)),
                .set(AbuseEscalation.Field.level, 1), .set(AbuseEscalation.Field.contact, "lead-1"),
                .set(AbuseEscalation.Field.dueAt, .int(Self.dueAt)),
            ])
        try OperationValidator.validate(escalation)
        try policy.authorize(escalation, role: .server, relationship: .author)
        #expect(throws: CareModelError.self) { try policy.authorize(escalation, role: .safeguardingLead, relationship: .author) }
        #expect(AbuseEscalation.report(of: escalation) == Fixtures.report.id)
        #expect(try Operation(canonicalBytes: escalation.canonicalBytes) == escalation, "the model's reader knows the kind")
    }

    @Test("a check-in at the due time is delivered_sync_delayed; a millisecond later it is late")
    func outcomeRule() {
        #expect(Self.alert.outcome(forCheckInAt: Self.dueAt) == .deliveredSyncDelayed)
        #expect(Self.alert.outcome(forCheckInAt: Self.dueAt - 600_000) == .deliveredSyncDelayed)
        #expect(Self.alert.outcome(forCheckInAt: Self.dueAt + 1) == .late)
    }

    @Test("an alert raised twice reads as one; its outcome is kept beside it, in any order of arrival")
    func alertsReadFromState() throws {
        var office = Fixtures.writer(1, "coord")
        var server = Fixtures.writer(2, "caresync-server")
        var other = Fixtures.writer(3, "caresync-server")
        var state = CareState()
        let plan = try office.write(Fixtures.visit, .create, Fixtures.planVisit(), into: &state)
        let raised = try server.write(Fixtures.visit, .update, [.append(Visit.Field.alerts, Self.alert.raisedEntry)], into: &state)
        let again = try other.write(Fixtures.visit, .update, [.append(Visit.Field.alerts, Self.alert.raisedEntry)], into: &state)
        let resolved = try server.write(
            Fixtures.visit, .update,
            [.append(Visit.Field.alertOutcomes, Self.alert.outcomeEntry(.late, checkInTime: Self.dueAt + 5, resolvedAt: Self.dueAt + 60_000))],
            into: &state)
        var expected = Self.alert
        expected.outcome = .late
        #expect(Visit.alerts(of: try #require(state[Fixtures.visit])) == [expected])
        let reversed = try CareState(reducing: [resolved, again, raised, plan])
        #expect(Visit.alerts(of: try #require(reversed[Fixtures.visit])) == [expected])
        #expect(reversed.canonicalBytes() == state.canonicalBytes())
    }
}
