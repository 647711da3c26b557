import CareModel
import CareServer
import Foundation
import Testing

/// What the workflow monitors do reaches the notification outbox: an overdue
/// visit the coordinators' webhook, an escalation the safeguarding webhook only.
@Suite("Workflow notifications")
struct WorkflowNotificationTests {
    @Test(
        "an overdue alert notifies the coordinators' webhook, an escalation only the safeguarding webhook, once each",
        arguments: TestBackend.all)
    func monitorsNotify(backend: TestBackend) async throws {
        try await WebhookReceiver.run { safeguarding in
            try await WebhookReceiver.run { coordinators in
                try await TestServer.run(backend, configure: { configuration in
                    configuration.workflows = .tests
                    configuration.workflowIntervalSeconds = 86_400
                    NotificationTests.configure(safeguarding: [safeguarding.url], coordinators: [coordinators.url])(
                        &configuration)
                }) { server in
                    var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
                    var reporter = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
                    _ = try await server.enrol("lead-1", roles: [.safeguardingLead])
                    let (visit, plan) = try office.planVisit(assigned: ["worker-a"])
                    try await server.push(office, [plan])
                    let (report, filed) = try reporter.abuseReport()
                    let reportedAt = server.clock.nowMillis()
                    try await server.push(reporter, [filed])

                    server.setClock(to: WorkflowSettings.testDueAt)
                    #expect(try await server.overdueMonitor.tick().count == 1)
                    server.setClock(to: max(WorkflowSettings.testDueAt, reportedAt + 60 * 60_000))
                    let escalations = try await server.reportMonitor.tick()
                    guard case .abuseReportEscalated(report, let escalation, 1, _) = try #require(escalations.first) else {
                        Issue.record("expected the report's first escalation: \(escalations)")
                        return
                    }
                    // Ticking again announces nothing new.
                    #expect(try await server.overdueMonitor.tick().isEmpty)
                    try await server.workflows.tick()

                    #expect(
                        await coordinators.log.accepted == ["visit_overdue:\(visit):\(WorkflowSettings.testDueAt)"])
                    #expect(
                        await Set(safeguarding.log.accepted)
                            == ["abuse_report_created:\(report)", "abuse_report_escalated:\(escalation)"])
                }
            }
        }
    }
}
