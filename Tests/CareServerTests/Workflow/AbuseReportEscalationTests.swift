import CareAudit
import CareModel
import CareServer
import Testing

@Suite("Abuse reports: acknowledgement deadlines and escalation")
struct AbuseReportEscalationTests {
    static let deadline: Int64 = 60 * 60_000

    @Test("an unacknowledged report escalates at its deadline, then along the contacts; an acknowledged one does not", arguments: TestBackend.all)
    func escalatesAtTheDeadline(backend: TestBackend) async throws {
        try await TestServer.runWorkflows(backend, settings: .tests) { server in
            var reporter = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            var lead = try await server.enrol("lead-1", roles: [.safeguardingLead])
            _ = try await server.enrol("lead-2", roles: [.safeguardingLead])
            let (ignored, first) = try reporter.abuseReport()
            let (handled, second) = try reporter.abuseReport()
            let receivedAt = server.clock.nowMillis()
            try await server.push(reporter, [first, second])
            try await server.push(lead, [try lead.setStatus(handled, "acknowledged")])

            server.setClock(to: receivedAt + Self.deadline - 1)
            #expect(try await server.reportMonitor.tick() == [])
            server.setClock(to: receivedAt + Self.deadline)
            let escalations = try await server.reportMonitor.tick()
            #expect(escalations.count == 1)
            guard case .abuseReportEscalated(ignored, _, 1, WorkerID("lead-1")) = try #require(escalations.first) else {
                Issue.record("expected the first escalation of the ignored report to lead-1: \(escalations)")
                return
            }
            #expect(try await server.reportMonitor.tick() == [], "one escalation per deadline")

            server.setClock(to: receivedAt + 2 * Self.deadline)
            let next = try await server.reportMonitor.tick()
            guard case .abuseReportEscalated(ignored, _, 2, WorkerID("lead-2")) = try #require(next.first) else {
                Issue.record("expected the second escalation to lead-2: \(next)")
                return
            }
            server.setClock(to: receivedAt + 5 * Self.deadline)
            #expect(try await server.reportMonitor.tick() == [], "the contact list has ended")

            let overdue: OverdueReportsBody = try await server.get("/v1/safeguarding/overdue-reports", as: lead)
            #expect(overdue.reports.map(\.report) == [ignored.description])
            #expect(overdue.reports.first?.escalation_level == 2)
            #expect(overdue.reports.first?.current_contact == "lead-2")

            // The whole response is in the report's audit history.
            let history = try await RecordHistory.read(ignored, from: StorageAuditSource(storage: server.storage))
            #expect(history.entries.count == 1)
            #expect(history.related.map(\.relatedRecord?.kind) == [.abuseEscalation, .abuseEscalation])
            #expect(history.related.allSatisfy { $0.author == ServerIdentity.workerID })
            let handledHistory = try await RecordHistory.read(handled, from: StorageAuditSource(storage: server.storage))
            #expect(handledHistory.entries.count == 2)
            #expect(handledHistory.related.isEmpty)
        }
    }

    @Test(
        "a tick takes the reports that are due, the longest overdue first: reports not yet due, or escalated to every contact, never hold up another",
        arguments: TestBackend.all)
    func dueReportsFirst(backend: TestBackend) async throws {
        try await TestServer.runWorkflows(backend, settings: .tests) { server in
            // A monitor that takes one report per tick, so that the order decides.
            let monitor = AbuseReportDeadlineMonitor(
                environment: MonitorEnvironment(
                    storage: server.storage, writer: server.application.serverWriter, clock: server.clock,
                    interval: .seconds(86_400), logger: TestServer.logger, batchLimit: 1),
                settings: WorkflowSettings.tests.abuseReports)
            var reporter = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            let start = server.clock.nowMillis()
            func file(at millis: Int64) async throws -> RecordID {
                server.setClock(to: millis)
                let (report, operation) = try reporter.abuseReport()
                try await server.push(reporter, [operation])
                return report
            }
            func tick(at millis: Int64) async throws -> [String] {
                server.setClock(to: millis)
                return try await monitor.tick().map { event in
                    guard case .abuseReportEscalated(let report, _, let level, let contact) = event else { return "\(event)" }
                    return "\(report) \(level) \(contact?.rawValue ?? "nobody")"
                }
            }
            let first = try await file(at: start)
            let second = try await file(at: start + 10 * 60_000)
            #expect(try await tick(at: start + Self.deadline) == ["\(first) 1 lead-1"])
            // The first report's next deadline is ahead; the second's has come.
            #expect(try await tick(at: start + Self.deadline + 10 * 60_000) == ["\(second) 1 lead-1"])
            #expect(try await tick(at: start + 2 * Self.deadline) == ["\(first) 2 lead-2"])
            let third = try await file(at: start + 2 * Self.deadline + 5 * 60_000)
            #expect(try await tick(at: start + 2 * Self.deadline + 10 * 60_000) == ["\(second) 2 lead-2"])
            // Both older reports have run through every contact and stay submitted.
            #expect(try await tick(at: start + 3 * Self.deadline + 5 * 60_000) == ["\(third) 1 lead-1"])
            #expect(try await tick(at: start + 4 * Self.deadline + 5 * 60_000) == ["\(third) 2 lead-2"])
            #expect(try await tick(at: start + 9 * Self.deadline) == [])
        }
    }

    @Test("escalations reach safeguarding leads and auditors only; overdue reports are listed for them only", arguments: TestBackend.all)
    func escalationVisibility(backend: TestBackend) async throws {
        try await TestServer.runWorkflows(backend, settings: .tests) { server in
            var reporter = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            let colleague = try await server.enrol("worker-b", roles: [.careWorker], teams: ["north"])
            let coordinator = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let lead = try await server.enrol("lead-1", roles: [.safeguardingLead])
            let auditor = try await server.enrol("auditor-1", roles: [.auditor])
            let (_, report) = try reporter.abuseReport()
            try await server.push(reporter, [report])
            server.setClock(to: server.clock.nowMillis() + Self.deadline)
            #expect(try await server.reportMonitor.tick().count == 1)

            func seesEscalation(_ device: TestDevice) async throws -> Bool {
                try await server.pullAll(device).operations.contains { $0.record.kind == .abuseEscalation }
            }
            for device in [lead, auditor] { #expect(try await seesEscalation(device), "\(device.worker)") }
            for device in [reporter, colleague, coordinator] {
                #expect(try await seesEscalation(device) == false, "\(device.worker)")
            }
            for device in [reporter, colleague, coordinator] {
                let refused = try await server.request(.get, "/v1/safeguarding/overdue-reports", token: device.token)
                #expect(refused.status == .forbidden)
                #expect(refused.errorCode == "safeguarding_only")
            }
            let listed: OverdueReportsBody = try await server.get("/v1/safeguarding/overdue-reports", as: auditor)
            #expect(listed.reports.count == 1)
        }
    }
}
