import CareModel
import CareServer
import CareSyncClient
import Foundation
import Logging

/// A temporary directory for one test's files (server database, device stores).
struct TestDirectory: Sendable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("caresync-client-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ name: String) -> String { url.appendingPathComponent(name).path }

    func remove() { try? FileManager.default.removeItem(at: url) }

    /// Runs `body` with a new directory and removes it afterwards.
    static func with<Value: Sendable>(_ body: (TestDirectory) async throws -> Value) async throws -> Value {
        let directory = try TestDirectory()
        defer { directory.remove() }
        return try await body(directory)
    }
}

/// A real sync server (``buildApplication``) on 127.0.0.1, port 0, over the
/// SQLite file at a given path. Leaving ``run(databasePath:_:)`` shuts it down
/// gracefully; running it again on the same path is a server restart.
struct ClientTestServer: Sendable {
    let port: Int
    /// The server's own storage (the database file), for admin set-up and checks.
    let storage: any SyncStorage
    /// The server's public key (base64) that its receipts verify against.
    let serverKey: String

    var baseURL: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// A transport to this server, with `token` if given.
    func transport(token: String? = nil) -> HTTPSyncTransport {
        HTTPSyncTransport(configuration: .init(baseURL: baseURL, requestTimeout: .seconds(20)), token: token)
    }

    static func run<Value: Sendable>(
        databasePath: String, _ body: @Sendable (ClientTestServer) async throws -> Value
    ) async throws -> Value {
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.databasePath = databasePath
        // The background jobs' and the workflow monitors' loops wait this long
        // before a first tick. The tests' visits are planned in the past, so an
        // overdue monitor running in real time would write alerts into the log
        // while a test compares the devices with it (slow runs saw this).
        configuration.jobIntervalSeconds = 24 * 3600
        configuration.jobWakeOperations = 0
        configuration.workflowIntervalSeconds = 24 * 3600
        var logger = Logger(label: "caresync-client-test-server")
        logger.logLevel = .warning
        return try await withRunningServer(configuration: configuration, logger: logger) { running in
            try await body(
                ClientTestServer(
                    port: running.port, storage: running.built.storage, serverKey: running.built.identity.publicKeyBase64))
        }
    }

    /// Creates (or replaces) a worker in the server's database.
    func createWorker(_ id: String, roles: [Role], teams: [String] = []) async throws {
        guard let worker = WorkerID(id) else { throw ClientTestError.invalidName(id) }
        let teamIDs = try teams.map { name throws(ClientTestError) -> TeamID in
            guard let team = TeamID(name) else { throw ClientTestError.invalidName(name) }
            return team
        }
        try await storage.saveWorker(Worker(id: worker, roles: roles, teams: teamIDs))
    }

    /// A one-time enrolment code, issued through ``AdminService`` on the database.
    func enrolmentCode(for worker: String) async throws -> String {
        guard let id = WorkerID(worker) else { throw ClientTestError.invalidName(worker) }
        return try await AdminService(storage: storage).createEnrolmentCode(for: id).code
    }

    /// Revokes a device through ``AdminService``.
    func revoke(_ device: DeviceID) async throws {
        _ = try await AdminService(storage: storage).revokeDevice(device)
    }

    /// The server-side reduction of every operation `worker` may see, in the
    /// store's canonical form (what that worker's device must hold).
    func canonicalState(for worker: WorkerID) async throws -> [UInt8] {
        guard let record = try await storage.worker(worker) else { throw ClientTestError.invalidName("\(worker)") }
        let filter = PullFilter(worker: record, excluding: nil)
        var cursor: UInt64 = 0
        var operations: [CareModel.Operation] = []
        let decoder = JSONDecoder()
        while true {
            let page = try await storage.pull(filter, after: cursor, limit: 1_000)
            operations += try page.operations.map { try decoder.decode(CareModel.Operation.self, from: Data($0)) }
            cursor = page.nextCursor
            if !page.hasMore { break }
        }
        return try CareState(reducing: operations).canonicalBytes()
    }

    /// How many operations the server's log holds.
    func operationCount() async throws -> Int {
        try await storage.counts().operations
    }
}

enum ClientTestError: Error {
    case invalidName(String)
    case planRefused
}
