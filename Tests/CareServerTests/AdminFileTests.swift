import CareModel
import CareServer
import Hummingbird
import Testing

/// `caresync admin` works on the server's database directly, through
/// ``AdminService`` and a storage of its own; the running server sees the changes.
@Suite("Admin actions on the database while the server runs")
struct AdminFileTests {
    @Test(
        "a worker and code made on the database let a device enrol; revoking there locks it out",
        arguments: TestBackend.all)
    func adminOnTheFile(backend: TestBackend) async throws {
        try await TestServer.run(backend) { server in
            let file = try await openSyncStorage(database: server.configuration.databasePath, logger: TestServer.logger)
            let admin = AdminService(storage: file)
            try await file.saveWorker(Worker(id: WorkerID("worker-f")!, roles: [.careWorker], teams: [TeamID("north")!]))
            try await file.saveResident(Resident(id: ResidentID("resident-9")!, team: TeamID("north")!))
            let issued = try await admin.createEnrolmentCode(for: WorkerID("worker-f")!)
            let enrol = try await server.request(
                .post, "/v1/enrol",
                json: EnrolmentRequest(code: issued.code, publicKey: TestServer.publicKey, replica: TestServer.newReplica()))
            #expect(enrol.status == .created)
            let device = try enrol.decode(EnrolmentResponse.self)
            #expect(try await server.request(.get, "/v1/pull?after=0", token: device.token).status == .ok)

            #expect(try await file.devices().filter { $0.worker != ServerIdentity.workerID }.map(\.device) == [device.device])
            #expect(try await file.residents().map(\.id.rawValue) == ["resident-9"])
            _ = try await admin.revokeDevice(device.device)
            let refused = try await server.request(.get, "/v1/pull?after=0", token: device.token)
            #expect(refused.errorCode == "device_revoked")
            await #expect(throws: ServerError.self) {
                _ = try await admin.createEnrolmentCode(for: WorkerID("nobody")!)
            }
            try await file.close()
        }
    }
}
