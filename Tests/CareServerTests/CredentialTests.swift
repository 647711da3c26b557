import CareModel
import CareServer
import Hummingbird
import Foundation
import Testing

@Suite("Credentials and forged identities are refused with 4xx and change nothing")
struct CredentialTests {
    /// A server with a planned visit and an enrolled worker, and the counts at that point.
    private static func prepared(
        _ server: TestServer
    ) async throws -> (worker: TestDevice, visit: RecordID, counts: StorageCounts) {
        var office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
        let worker = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
        let (visit, plan) = try office.createVisit(team: "north", assigned: ["worker-a"])
        try await server.push(office, [plan])
        return (worker, visit, try await server.counts())
    }

    private static func expectRefused(
        _ result: HTTPResult, _ status: HTTPResponse.Status, _ code: String, server: TestServer, counts: StorageCounts
    ) async throws {
        #expect(result.status == status)
        #expect(result.errorCode == code)
        #expect(try await server.counts() == counts)
    }

    @Test("a push naming another replica is refused as forged", arguments: TestBackend.all)
    func forgedReplica(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var (worker, visit, counts) = try await Self.prepared(server)
            let checkIn = try worker.checkIn(visit)
            var request = worker.pushRequest([checkIn])
            request.replica = TestServer.newReplica()
            try await Self.expectRefused(
                try await server.request(.post, "/v1/push", token: worker.token, json: request),
                .forbidden, "replica_mismatch", server: server, counts: counts)

            var operation = checkIn.operation
            operation.id.replica = TestServer.newReplica()
            let forged = PushRequest(replica: worker.enrolment.replica, operations: [operation])
            try await Self.expectRefused(
                try await server.request(.post, "/v1/push", token: worker.token, json: forged),
                .forbidden, "replica_mismatch", server: server, counts: counts)
        }
    }

    @Test("a push naming another author or device is refused as forged", arguments: TestBackend.all)
    func forgedAuthorAndDevice(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var (worker, visit, counts) = try await Self.prepared(server)
            var operation = try worker.checkIn(visit).operation
            operation.author = WorkerID("coord-1")!
            try await Self.expectRefused(
                try await server.request(
                    .post, "/v1/push", token: worker.token,
                    json: PushRequest(replica: worker.enrolment.replica, operations: [operation])),
                .forbidden, "author_mismatch", server: server, counts: counts)

            operation.author = worker.worker
            operation.device = DeviceID(uuid: TestServer.newReplica().uuid)
            try await Self.expectRefused(
                try await server.request(
                    .post, "/v1/push", token: worker.token,
                    json: PushRequest(replica: worker.enrolment.replica, operations: [operation])),
                .forbidden, "device_mismatch", server: server, counts: counts)
        }
    }

    @Test("missing, unknown and expired credentials are refused", arguments: TestBackend.all)
    func badCredentials(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var (worker, visit, counts) = try await Self.prepared(server)
            let request = worker.pushRequest([try worker.checkIn(visit)])
            try await Self.expectRefused(
                try await server.request(.post, "/v1/push", json: request),
                .unauthorized, "missing_credential", server: server, counts: counts)
            try await Self.expectRefused(
                try await server.request(.post, "/v1/push", token: "csd_not-a-token", json: request),
                .unauthorized, "unknown_credential", server: server, counts: counts)
            try await Self.expectRefused(
                try await server.request(.get, "/v1/pull?after=0"),
                .unauthorized, "missing_credential", server: server, counts: counts)

            server.clock.advance(seconds: server.configuration.credentialLifetimeSeconds + 1)
            try await Self.expectRefused(
                try await server.request(.post, "/v1/push", token: worker.token, json: request),
                .unauthorized, "expired_credential", server: server, counts: counts)
            try await Self.expectRefused(
                try await server.request(.get, "/v1/pull?after=0", token: worker.token),
                .unauthorized, "expired_credential", server: server, counts: counts)
        }
    }

    @Test("a revoked device is refused from its next request on", arguments: TestBackend.all)
    func revokedDevice(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var (worker, visit, counts) = try await Self.prepared(server)
            let revoke = try await server.request(
                .post, "/v1/admin/devices/\(worker.enrolment.device)/revoke", token: TestServer.adminToken)
            #expect(revoke.status == .ok)
            #expect(try revoke.decode(DeviceSummary.self).revokedAt != nil)
            let request = worker.pushRequest([try worker.checkIn(visit)])
            try await Self.expectRefused(
                try await server.request(.post, "/v1/push", token: worker.token, json: request),
                .forbidden, "device_revoked", server: server, counts: counts)
            try await Self.expectRefused(
                try await server.request(.get, "/v1/pull?after=0", token: worker.token),
                .forbidden, "device_revoked", server: server, counts: counts)
        }
    }

    @Test("a deactivated worker's devices are refused", arguments: TestBackend.all)
    func inactiveWorker(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            var (worker, visit, counts) = try await Self.prepared(server)
            let deactivate = try await server.request(
                .put, "/v1/admin/workers/worker-a", token: TestServer.adminToken,
                body: Array(#"{"roles":["care_worker"],"teams":["north"],"active":false}"#.utf8))
            #expect(deactivate.status == .ok)
            let request = worker.pushRequest([try worker.checkIn(visit)])
            try await Self.expectRefused(
                try await server.request(.post, "/v1/push", token: worker.token, json: request),
                .forbidden, "worker_inactive", server: server, counts: counts)
        }
    }

    @Test("an enrolment code works once, and a replica enrols once", arguments: TestBackend.all)
    func enrolmentCodes(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            try await server.createWorker("worker-a", roles: [.careWorker])
            let code = try await server.enrolmentCode(for: "worker-a")
            let replica = TestServer.newReplica()
            let first = try await server.request(
                .post, "/v1/enrol", json: EnrolmentRequest(code: code, publicKey: TestServer.publicKey, replica: replica))
            #expect(first.status == .created)
            let counts = try await server.counts()
            let reused = try await server.request(
                .post, "/v1/enrol",
                json: EnrolmentRequest(code: code, publicKey: TestServer.publicKey, replica: TestServer.newReplica()))
            try await Self.expectRefused(reused, .forbidden, "invalid_enrolment_code", server: server, counts: counts)

            let second = try await server.enrolmentCode(for: "worker-a")
            let countsAfterCode = try await server.counts()
            let sameReplica = try await server.request(
                .post, "/v1/enrol", json: EnrolmentRequest(code: second, publicKey: TestServer.publicKey, replica: replica))
            try await Self.expectRefused(sameReplica, .conflict, "replica_taken", server: server, counts: countsAfterCode)
            let badKey = try await server.request(
                .post, "/v1/enrol", json: EnrolmentRequest(code: second, publicKey: "c2hvcnQ=", replica: TestServer.newReplica()))
            try await Self.expectRefused(badKey, .badRequest, "invalid_public_key", server: server, counts: countsAfterCode)

            server.clock.advance(seconds: server.configuration.enrolmentCodeLifetimeSeconds + 1)
            let expired = try await server.request(
                .post, "/v1/enrol",
                json: EnrolmentRequest(code: second, publicKey: TestServer.publicKey, replica: TestServer.newReplica()))
            try await Self.expectRefused(expired, .forbidden, "invalid_enrolment_code", server: server, counts: countsAfterCode)
        }
    }

    @Test("the admin API needs the admin token", arguments: TestBackend.all)
    func adminToken(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let counts = try await server.counts()
            let body = Array(#"{"roles":["care_worker"],"teams":[]}"#.utf8)
            let missing = try await server.request(.put, "/v1/admin/workers/w1", body: body)
            try await Self.expectRefused(missing, .unauthorized, "admin_unauthorized", server: server, counts: counts)
            let wrong = try await server.request(.put, "/v1/admin/workers/w1", token: "guess", body: body)
            try await Self.expectRefused(wrong, .unauthorized, "admin_unauthorized", server: server, counts: counts)
            let device = try await server.enrol("worker-a", roles: [.careWorker])
            let countsWithDevice = try await server.counts()
            let asDevice = try await server.request(.get, "/v1/admin/devices", token: device.token)
            try await Self.expectRefused(
                asDevice, .unauthorized, "admin_unauthorized", server: server, counts: countsWithDevice)
        }
    }
}
