import CareModel
import Testing

@Suite("Access policy")
struct AccessPolicyTests {
    let policy = AccessPolicy.standard

    func update(_ record: RecordRef, _ changes: [Change]) -> Operation {
        ValidationTests.operation(record, .update, changes: changes)
    }

    @Test("abuse reports reach only their reporter, safeguarding leads and auditors")
    func abuseReportVisibility() {
        let kind = RecordKind.abuseReport
        #expect(policy.canRead(.careWorker, kind, relationship: .author))
        #expect(!policy.canRead(.careWorker, kind, relationship: [.assigned, .team]))
        #expect(!policy.canRead(.coordinator, kind, relationship: [.team, .assigned]))
        #expect(policy.canRead(.safeguardingLead, kind, relationship: []))
        #expect(policy.canRead(.auditor, kind, relationship: []))
        #expect(!policy.canRead(.admin, kind, relationship: [.author]))
    }

    @Test("workers see assigned visits only; coordinators their team's")
    func visitVisibility() {
        #expect(policy.canRead(.careWorker, .visit, relationship: .assigned))
        #expect(!policy.canRead(.careWorker, .visit, relationship: .team))
        #expect(policy.canRead(.coordinator, .visit, relationship: .team))
        #expect(!policy.canRead(.coordinator, .visit, relationship: []))
    }

    @Test("a worker records evidence on an assigned visit, but cannot change the plan")
    func workerWrites() throws {
        try policy.authorize(update(Fixtures.visit, [Fixtures.checkIn()]), role: .careWorker, relationship: .assigned)
        #expect(throws: CareModelError.self) {
            try policy.authorize(update(Fixtures.visit, [Fixtures.checkIn()]), role: .careWorker, relationship: [])
        }
        #expect(throws: CareModelError.self) {
            try policy.authorize(update(Fixtures.visit, [.set(Visit.Field.cancelled, true)]), role: .careWorker, relationship: .assigned)
        }
    }

    @Test("a coordinator plans but cannot record evidence")
    func coordinatorWrites() throws {
        try policy.authorize(update(Fixtures.visit, [.set(Visit.Field.cancelled, true)]), role: .coordinator, relationship: .team)
        #expect(throws: CareModelError.self) {
            try policy.authorize(update(Fixtures.visit, [Fixtures.checkIn()]), role: .coordinator, relationship: .team)
        }
    }

    @Test("only safeguarding leads move a report's status; reporters add supplements")
    func reportWrites() throws {
        let acknowledge = update(Fixtures.report, [.set(AbuseReport.Field.status, "acknowledged")])
        try policy.authorize(acknowledge, role: .safeguardingLead, relationship: [])
        #expect(throws: CareModelError.self) { try policy.authorize(acknowledge, role: .careWorker, relationship: .author) }
        let supplement = update(Fixtures.report, [.append(AbuseReport.Field.supplements, ["text": "more"])])
        try policy.authorize(supplement, role: .careWorker, relationship: .author)
        #expect(throws: CareModelError.self) { try policy.authorize(supplement, role: .careWorker, relationship: .assigned) }
    }

    @Test("auditors and admins never write", arguments: [Role.auditor, .admin])
    func readOnlyRoles(role: Role) {
        for kind in RecordKind.all {
            let operation = ValidationTests.operation(RecordRef(kind: kind, id: Fixtures.record(1)), .create, changes: [.set(Visit.Field.resident, "r-1")])
            #expect(throws: CareModelError.self) {
                try policy.authorize(operation, role: role, relationship: [.assigned, .author, .team])
            }
        }
    }
}
