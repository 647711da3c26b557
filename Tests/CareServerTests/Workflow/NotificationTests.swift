import CareModel
import CareServer
import Foundation
import ServiceLifecycleTestKit
import Testing

/// The notification outbox and its delivery to real webhook receivers on
/// 127.0.0.1, from a real server on a real database, with the test clock.
@Suite("Notifications")
struct NotificationTests {
    /// The retry schedule of these tests: 10 s, 20 s, 40 s, ...; failing after 3 failures.
    static func configure(safeguarding: [String] = [], coordinators: [String] = []) -> (inout ServerConfiguration) -> Void {
        { configuration in
            configuration.webhooks.safeguarding = safeguarding
            configuration.webhooks.coordinators = coordinators
            configuration.webhooks.secret = WebhookReceiver.secret
            configuration.webhooks.retryBaseSeconds = 10
            configuration.webhooks.failingAfterAttempts = 3
            // A hang guard only: on a loaded machine a local answer took over
            // the default 10 s, and the attempt counted as timed out.
            configuration.webhooks.timeoutSeconds = 120
        }
    }

    static let visit = RecordRef(kind: .visit, id: TestDevice.newRecordID())
    static let key = "visit_overdue:\(visit.id)"

    /// A visit_overdue notification, as helper jobs enqueue them.
    static func enqueueOverdue(_ server: TestServer) async throws -> Bool {
        try await server.workflows.outbox.enqueue(
            key: key, kind: "visit_overdue", subject: visit, team: TeamID(unchecked: "team-a"))
    }

    /// The admin listing of deliveries.
    static func deliveries(_ server: TestServer, state: String? = nil) async throws -> [ListedDelivery] {
        let result = try await server.request(
            .get, "/v1/admin/notifications" + (state.map { "?state=\($0)" } ?? ""), token: TestServer.adminToken)
        #expect(result.status == .ok, "\(result.text)")
        return try result.decode(DeliveryListing.self).deliveries
    }

    @Test("on graceful shutdown the dispatcher starts no delivery; what it left is delivered by the next tick", arguments: TestBackend.all)
    func noDeliveryStartedOnShutdown(backend: TestBackend) async throws {
        try await WebhookReceiver.run { receiver in
            try await TestServer.run(backend, configure: Self.configure(coordinators: [receiver.url])) { server in
                #expect(try await Self.enqueueOverdue(server))
                let duringShutdown = try await testGracefulShutdown { shutdown in
                    shutdown.triggerGracefulShutdown()
                    return try await server.workflows.dispatcher.tick()
                }
                #expect(duringShutdown == .init())
                #expect(await receiver.log.received.isEmpty)
                #expect(try await Self.deliveries(server, state: "pending").count == 1)
                #expect(try await server.workflows.dispatcher.tick().delivered == 1)
                #expect(await receiver.log.accepted == [Self.key])
            }
        }
    }

    @Test(
        "a webhook that fails three times then succeeds gets the notification once, by idempotency key, attempts recorded",
        arguments: TestBackend.all)
    func retriesWithBackoffUntilDelivered(backend: TestBackend) async throws {
        try await WebhookReceiver.run(failures: 3) { receiver in
            try await TestServer.run(backend, configure: Self.configure(coordinators: [receiver.url])) { server in
                #expect(try await Self.enqueueOverdue(server))
                var outcomes: [NotificationDispatcher.TickResult] = []
                for attempt in 1...4 {
                    outcomes.append(try await server.workflows.dispatcher.tick())
                    // The next attempt waits 10 s × 2^(attempts − 1): a second early, nothing is due.
                    let wait = Int64(10 << (attempt - 1))
                    server.clock.advance(seconds: wait - 1)
                    #expect(try await server.workflows.dispatcher.tick() == .init(), "attempt \(attempt)")
                    server.clock.advance(seconds: 1)
                }
                #expect(outcomes.map(\.failed) == [1, 1, 1, 0])
                #expect(outcomes.map(\.delivered) == [0, 0, 0, 1])
                server.clock.advance(seconds: 100_000)
                #expect(try await server.workflows.dispatcher.tick() == .init(), "a delivered notification is not sent again")

                let received = await receiver.log.received
                #expect(received.map(\.answered) == [500, 500, 500, 200])
                #expect(received.allSatisfy { $0.key == Self.key && $0.signatureValid })
                #expect(await receiver.log.accepted == [Self.key])
                // Ids, kind, team and time: nothing else.
                let payload = try JSONSerialization.jsonObject(with: Data(received[0].body)) as? [String: Any]
                #expect(payload?.keys.sorted() == ["created_at", "key", "kind", "subject", "team"])
                #expect((payload?["subject"] as? [String: String]) == ["kind": "visit", "id": Self.visit.id.description])

                let listed = try await Self.deliveries(server)
                #expect(listed.count == 1)
                #expect(listed.first?.state == "delivered")
                #expect(listed.first?.attempts == 4)
                #expect(listed.first?.lastError == "HTTP 500")
            }
        }
    }

    @Test("a webhook that always fails leaves the delivery listed as failing, counted, and still retried", arguments: TestBackend.all)
    func failingDeliveryStaysVisible(backend: TestBackend) async throws {
        try await WebhookReceiver.run(failures: .max) { receiver in
            try await TestServer.run(backend, configure: Self.configure(coordinators: [receiver.url])) { server in
                _ = try await Self.enqueueOverdue(server)
                for _ in 1...3 {
                    try await server.workflows.dispatcher.tick()
                    server.clock.advance(seconds: 3_600)
                }
                #expect(try await Self.deliveries(server, state: "pending").isEmpty)
                let failing = try await Self.deliveries(server, state: "failing")
                #expect(failing.map(\.notification?.key) == [Self.key])
                #expect(failing.first?.attempts == 3)
                #expect(failing.first?.lastError == "HTTP 500")
                #expect(failing.first?.nextAttemptAt != nil)
                let metrics = try await server.request(.get, "/metrics").text
                #expect(metrics.contains("caresync_notification_deliveries_failing 1"), "\(metrics)")
                #expect(metrics.contains(#"caresync_notification_attempts_total{outcome="failed"} 3"#))

                try await server.workflows.dispatcher.tick()
                #expect(try await Self.deliveries(server, state: "failing").first?.attempts == 4)
                #expect(await receiver.log.received.count == 4)
            }
        }
    }

    @Test("a restarted server resumes a pending delivery at its stored next attempt", arguments: TestBackend.all)
    func restartResumesPendingDeliveries(backend: TestBackend) async throws {
        try await WebhookReceiver.run(failures: 1) { receiver in
            try await backend.withDatabase { database in
                var configuration = TestServer.configuration(database: database)
                Self.configure(coordinators: [receiver.url])(&configuration)
                try await TestServer.run(configuration: configuration) { (server: TestServer) async throws -> Void in
                    _ = try await Self.enqueueOverdue(server)
                    #expect(try await server.workflows.dispatcher.tick().failed == 1)
                }
                try await TestServer.run(configuration: configuration) { (server: TestServer) async throws -> Void in
                    // The new server's clock starts where the first one's did: not due yet.
                    #expect(try await server.workflows.dispatcher.tick() == .init())
                    server.clock.advance(seconds: 10)
                    #expect(try await server.workflows.dispatcher.tick().delivered == 1)
                    #expect(try await Self.deliveries(server).first?.attempts == 2)
                }
            }
            #expect(await receiver.log.accepted == [Self.key])
            #expect(await receiver.log.received.count == 2)
        }
    }

    @Test("enqueue is idempotent by key: the second stores nothing", arguments: TestBackend.all)
    func enqueueIsIdempotent(backend: TestBackend) async throws {
        try await TestServer.run(backend, configure: Self.configure(coordinators: ["http://127.0.0.1:9/hook"])) { server in
            #expect(try await Self.enqueueOverdue(server))
            #expect(try await Self.enqueueOverdue(server) == false)
            let listed = try await Self.deliveries(server)
            #expect(listed.map(\.notification?.key) == [Self.key])
            #expect(listed.first?.audience == "coordinators")
        }
    }

    @Test(
        "a new abuse report makes one notification, for the safeguarding webhook only, even when its page is read again",
        arguments: TestBackend.all)
    func abuseReportNotifiesSafeguardingOnce(backend: TestBackend) async throws {
        try await WebhookReceiver.run { safeguarding in
            try await WebhookReceiver.run { coordinators in
                try await TestServer.run(
                    backend, configure: Self.configure(safeguarding: [safeguarding.url], coordinators: [coordinators.url])
                ) { server in
                    var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
                    var device = try await server.enrol("w-ana", roles: [.careWorker])
                    try await server.push(office, [try office.createVisit(team: "north", assigned: []).operation])
                    let (report, operation) = try device.abuseReport()
                    try await server.push(device, [operation])
                    try await server.push(office, [try office.createVisit(team: "north", assigned: []).operation])

                    // The follower reads abuse reports only, and moves its cursor over the rest of the log.
                    let follower = server.workflows.abuseReportFollower
                    #expect(try await follower.catchUp() == 1)
                    #expect(try await server.storage.jobCursor(follower.job) == 3)
                    try await follower.rehandle(after: 0)  // as after a crash before the cursor moved
                    #expect(try await follower.catchUp() == 0)
                    try await server.workflows.dispatcher.tick()

                    // Admins see that it was delivered, not which report it was about.
                    let listed = try await Self.deliveries(server)
                    #expect(listed.map(\.kind) == ["abuse_report_created"])
                    #expect(listed.map(\.webhook) == [safeguarding.url])
                    #expect(listed.first?.audience == "safeguarding")
                    #expect(listed.first?.state == "delivered")
                    #expect(listed.first.map { $0.notification == nil } == true)
                    #expect(await safeguarding.log.accepted == ["abuse_report_created:\(report)"])
                    #expect(await coordinators.log.received.isEmpty)
                    let body = String(decoding: await safeguarding.log.received.first?.body ?? [], as: UTF8.self)
                    #expect(!body.contains("Shouted"), "no report content in the payload")
                }
            }
        }
    }

    @Test("the jobs run as the server's services: a pushed abuse report reaches the webhook with no tick by hand")
    func servicesDeliverOnTheirOwn() async throws {
        try await WebhookReceiver.run { safeguarding in
            try await TestServer.run(.sqlite, configure: { configuration in
                Self.configure(safeguarding: [safeguarding.url])(&configuration)
                configuration.jobIntervalSeconds = 1
            }) { server in
                var device = try await server.enrol("w-ana", roles: [.careWorker])
                let (report, operation) = try device.abuseReport()
                try await server.push(device, [operation])
                // A hang guard, not a timing assertion: the loops tick every second.
                for _ in 0..<600 where await safeguarding.log.accepted.isEmpty {
                    try await Task.sleep(for: .milliseconds(100))
                }
                #expect(await safeguarding.log.accepted == ["abuse_report_created:\(report)"])
            }
        }
    }

    @Test("a webhook without a signing secret stops the server from starting: invalid_configuration")
    func webhookWithoutSecretIsRefused() async throws {
        let error = await #expect(throws: ServerError.self) {
            try await TestServer.run(.sqlite, configure: { $0.webhooks.coordinators = ["http://127.0.0.1:9/hook"] }) { _ in }
        }
        #expect(error?.code == .invalidConfiguration)
    }
}

/// `GET /v1/admin/notifications`, as a client reads it.
struct DeliveryListing: Decodable {
    var deliveries: [ListedDelivery]
}

struct ListedDelivery: Decodable {
    struct Notification: Decodable {
        var key: String
        var kind: String
        var team: String?
    }

    var notification: Notification?
    var kind: String
    var audience: String
    var webhook: String
    var state: String
    var attempts: Int
    var nextAttemptAt: Int64?
    var lastError: String?

    enum CodingKeys: String, CodingKey {
        case notification, kind, audience, webhook, state, attempts
        case nextAttemptAt = "next_attempt_at"
        case lastError = "last_error"
    }
}
