import CareModel
import CareServer
import Testing

/// `caresync_devices_enrolled`, as an IT team's dashboard reads it: people's
/// devices whose credential still works, whoever changed them.
@Suite("The enrolled-devices gauge")
struct EnrolledDevicesMetricTests {
    @Test(
        "counts people's devices, not the server's own replica, and follows revocations made through the API or on the database",
        arguments: TestBackend.all)
    func followsTheDatabase(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            // The server's own replica has a device row of its own: not counted.
            #expect(try await Self.enrolled(on: server) == 0)
            let office = try await server.enrol("coord-1", roles: [.coordinator], teams: ["north"])
            let worker = try await server.enrol("worker-a", roles: [.careWorker], teams: ["north"])
            #expect(try await Self.enrolled(on: server) == 2)

            let revoke = try await server.request(
                .post, "/v1/admin/devices/\(worker.enrolment.device)/revoke", token: TestServer.adminToken)
            #expect(revoke.status == .ok)
            #expect(try await Self.enrolled(on: server) == 1)

            // As `caresync admin` does: on the database, behind the running server's back.
            let file = try await openSyncStorage(database: server.configuration.databasePath, logger: TestServer.logger)
            _ = try await AdminService(storage: file).revokeDevice(office.enrolment.device)
            try await file.close()
            #expect(try await Self.enrolled(on: server) == 0)
        }
    }

    /// The gauge's value in a scrape of `GET /metrics`; nil when it is absent.
    static func enrolled(on server: TestServer) async throws -> Int? {
        let scrape = try await server.request(.get, "/metrics")
        #expect(scrape.status == .ok)
        let prefix = "caresync_devices_enrolled "
        guard let line = scrape.text.split(separator: "\n").first(where: { $0.hasPrefix(prefix) }),
            let value = Double(line.dropFirst(prefix.count))
        else { return nil }
        return Int(value)
    }
}
