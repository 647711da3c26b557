import CareModel
import CareSQLite
import CareServer
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore

/// A coordinator's device enrolled on the benchmark server.
struct BenchDevice: Sendable {
    var replica: LocalReplica
    let token: String
}

/// Drives the benchmark servers over HTTP (devices spread over `ports`, one
/// server each, on one database) and reads their database.
struct BenchHarness: Sendable {
    /// The team every benchmark worker belongs to.
    static let team = "bench"
    /// The signing key of every benchmark device.
    static let signer = ChainHeadSigner()
    let ports: [Int]
    /// The SQLite file or PostgreSQL URL the servers use.
    let databasePath: String

    init(port: Int, databasePath: String) {
        self.init(ports: [port], databasePath: databasePath)
    }

    init(ports: [Int], databasePath: String) {
        self.ports = ports
        self.databasePath = databasePath
    }

    /// A connection to the server for device `index` (round robin over `ports`).
    private func client(_ index: Int = 0) -> TestClient {
        let client = TestClient(
            host: "127.0.0.1", port: ports[index % ports.count], configuration: .init(timeout: .seconds(300)))
        client.connect()
        return client
    }

    private func request(
        _ method: HTTPRequest.Method, _ uri: String, token: String?, body: [UInt8]?, on client: TestClient
    ) async throws -> TestClient.Response {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        headers[.contentType] = "application/json"
        return try await client.execute(
            TestClient.Request(uri, method: method, authority: "127.0.0.1", headers: headers,
                body: body.map { ByteBuffer(bytes: $0) }))
    }

    /// Creates workers with `roles` in the database, then enrols one device each over HTTP.
    func enrol(_ names: [String], roles: [Role]) async throws -> [BenchDevice] {
        let storage = try await openSyncStorage(database: databasePath, logger: Logger(label: "caresync-bench"))
        let admin = AdminService(storage: storage)
        var codes: [(String, String)] = []
        for name in names {
            try await storage.saveWorker(Worker(id: WorkerID(name)!, roles: roles, teams: [TeamID(Self.team)!]))
            codes.append((name, try await admin.createEnrolmentCode(for: WorkerID(name)!).code))
        }
        try await storage.close()
        let client = client()
        defer { Task { try? await client.shutdown() } }
        var devices: [BenchDevice] = []
        var generator = SystemRandomNumberGenerator()
        for (_, code) in codes {
            let replica = ReplicaID(uuid: .version7(unixMillis: 1_767_225_600_000, using: &generator))
            let body = try JSONEncoder().encode(
                EnrolmentRequest(code: code, publicKey: Self.signer.publicKeyBase64, replica: replica))
            let response = try await request(.post, "/v1/enrol", token: nil, body: Array(body), on: client)
            guard response.status == .created, let bytes = response.body else {
                throw BenchError.unexpected("enrol answered \(response.status)")
            }
            let enrolment = try JSONDecoder().decode(EnrolmentResponse.self, from: Data(bytes.readableBytesView))
            devices.append(
                BenchDevice(
                    replica: LocalReplica(replica: replica, device: enrolment.device, author: enrolment.worker),
                    token: enrolment.token))
        }
        return devices
    }

    /// Half visit creates, half ~200-byte notes on them, as one coordinator's batches (JSON bodies).
    ///
    /// Written an hour ago by the device's clock, for visits planned a day
    /// ahead, as a coordinator plans: visits scheduled in the past would all be
    /// overdue at once, and the server's overdue monitor would spend the run
    /// raising an alert on each of them.
    static func batches(for device: inout BenchDevice, count: Int, batchSize: Int) throws -> [[UInt8]] {
        var generator = SystemRandomNumberGenerator()
        let words = ["tea", "lunch", "walk", "medication", "taken", "cheerful", "tired", "garden", "family", "called"]
        var bodies: [[UInt8]] = []
        var time = Int64(Date().timeIntervalSince1970 * 1_000) - 3_600_000
        var visit = RecordID(uuid: .version7(unixMillis: time, using: &generator))
        for _ in 0..<count {
            var operations: [ChainedOperation] = []
            for index in 0..<batchSize {
                time += 1
                if index % 2 == 0 {
                    visit = RecordID(uuid: .version7(unixMillis: time, using: &generator))
                    operations.append(
                        try device.replica.write(
                            RecordRef(kind: .visit, id: visit), .create,
                            [
                                .set(Visit.Field.resident, .string("resident-\(index % 65)")), .set(Visit.Field.team, "bench"),
                                .set(Visit.Field.assignedWorkers, [.string("worker-\(index % 40)")]),
                                .set(Visit.Field.scheduledStart, .int(time + 86_400_000)),
                                .set(Visit.Field.scheduledEnd, .int(time + 88_200_000)),
                            ], context: VersionVector(), physicalMillis: time))
                } else {
                    var text = ""
                    while text.utf8.count < 200 { text += words.randomElement(using: &generator)! + " " }
                    operations.append(
                        try device.replica.write(
                            RecordRef(kind: .visitNote, id: RecordID(uuid: .version7(unixMillis: time, using: &generator))),
                            .create, [.set(VisitNote.Field.visit, .string(visit.description)), .set(VisitNote.Field.text, .string(text))],
                            context: VersionVector(), physicalMillis: time))
                }
            }
            let push = PushRequest(
                replica: device.replica.replica, operations: operations.map(\.operation), head: operations.last?.hash
            ).signed(by: Self.signer)
            bodies.append(Array(try JSONEncoder().encode(push)))
        }
        return bodies
    }

    /// Operations per second stored by `devices` concurrent devices pushing batches of `batchSize`.
    func ingest(devices count: Int, batchSize: Int, totalOperations: Int) async throws -> Double {
        var devices = try await enrol((0..<count).map { "bench-b\(batchSize)-d\(count)-\($0)" }, roles: [.coordinator])
        let batchesPerDevice = max(1, totalOperations / (count * batchSize))
        var work: [(String, [[UInt8]])] = []
        for index in devices.indices {
            work.append((devices[index].token, try Self.batches(for: &devices[index], count: batchesPerDevice, batchSize: batchSize)))
        }
        let clients = work.indices.map { client($0) }
        let start = ContinuousClock.now
        let stored = try await withThrowingTaskGroup(of: Int.self) { group in
            for (index, (token, bodies)) in work.enumerated() {
                let client = clients[index]
                group.addTask {
                    var stored = 0
                    for body in bodies {
                        let response = try await request(.post, "/v1/push", token: token, body: body, on: client)
                        guard response.status == .ok, let bytes = response.body else {
                            throw BenchError.unexpected("push answered \(response.status)")
                        }
                        let results = try bytes.withUnsafeReadableBytes { buffer in try PushResponse(json: buffer) }
                        stored += results.results.filter { $0.status == .stored }.count
                    }
                    return stored
                }
            }
            return try await group.reduce(0, +)
        }
        let elapsed = ContinuousClock.now - start
        for client in clients { try? await client.shutdown() }
        guard stored == count * batchesPerDevice * batchSize else {
            throw BenchError.unexpected("stored \(stored) of \(count * batchesPerDevice * batchSize) operations")
        }
        return Double(stored) / elapsed.seconds
    }

    /// The log positions the server's review indexer has covered so far,
    /// from memory and from the database (`caresync_log_follower_positions_total`).
    func reviewIndexerPositions() async throws -> (memory: Double, database: Double) {
        let client = client()
        let response = try await request(.get, "/metrics", token: nil, body: nil, on: client)
        try? await client.shutdown()
        guard response.status == .ok, let bytes = response.body else {
            throw BenchError.unexpected("metrics answered \(response.status)")
        }
        var positions: [String: Double] = [:]
        for line in String(buffer: bytes).split(separator: "\n")
        where line.hasPrefix("caresync_log_follower_positions_total") && line.contains("review-indexer") {
            let source = line.contains("source=\"memory\"") ? "memory" : "database"
            positions[source, default: 0] += Double(line.split(separator: " ").last ?? "") ?? 0
        }
        return (positions["memory"] ?? 0, positions["database"] ?? 0)
    }

    /// Operations per second an auditor pulls, everything, in pages of 1,000.
    func pullEverything() async throws -> Double {
        struct Page: Decodable {
            struct Skipped: Decodable { init(from decoder: any Decoder) throws {} }
            var operations: [Skipped]
            var nextCursor: UInt64
            var hasMore: Bool
        }
        let auditor = try await enrol(["bench-auditor"], roles: [.auditor])[0]
        let client = client()
        var cursor: UInt64 = 0
        var pulled = 0
        let start = ContinuousClock.now
        while true {
            let response = try await request(.get, "/v1/pull?after=\(cursor)&limit=1000", token: auditor.token, body: nil, on: client)
            guard response.status == .ok, let bytes = response.body else {
                throw BenchError.unexpected("pull answered \(response.status)")
            }
            let page = try JSONDecoder().decode(Page.self, from: Data(bytes.readableBytesView))
            pulled += page.operations.count
            cursor = page.nextCursor
            if !page.hasMore { break }
        }
        let elapsed = ContinuousClock.now - start
        try? await client.shutdown()
        return Double(pulled) / elapsed.seconds
    }

    /// Operations per second for inserting, with prepared statements, the rows
    /// the server wrote for them — log rows, record-index rows and visit-access
    /// rows, unchanged — into a fresh database of the same schema, the rows of
    /// `batchSize` operations per durable transaction, with the server's own connection settings.
    /// This is the storage work of ingest alone, without HTTP, JSON or checks,
    /// bound through SQLite's C API as ingest binds its own.
    func rawInserts(batchSize: Int, into path: String) throws -> Double {
        let source = try DatabaseQueue(path: databasePath)
        // Each table's rows grouped by the log sequence that wrote them.
        var rowsBySequence: [String: [Int64: [[SQLArgument]]]] = [:]
        var columnCounts: [String: Int] = [:]
        try source.read { db in
            for (table, query) in Self.ingestedRows {
                for row in try Row.fetchAll(db, sql: query) {
                    let values = Array(row.databaseValues)
                    let sequence = Int64.fromDatabaseValue(values.last!) ?? 0
                    columnCounts[table] = values.count - 1
                    rowsBySequence[table, default: [:]][sequence, default: []].append(
                        try values.dropLast().map(Self.argument))
                }
            }
        }
        try source.close()
        let sequences = (rowsBySequence["operations"] ?? [:]).keys.sorted()
        var configuration = Configuration()
        // The server's own connection settings, so the reference stores as it does.
        configuration.prepareDatabase { db in
            try db.execute(sql: SQLiteSyncStorage.connectionPragmas)
            try db.execute(sql: SQLiteSyncStorage.writerPragmas)
        }
        let target = try DatabasePool(path: path, configuration: configuration)
        try target.write { db in try db.execute(sql: SQLiteSchemaDocument.text) }
        let start = ContinuousClock.now
        for chunkStart in stride(from: 0, to: sequences.count, by: batchSize) {
            try target.write { db in
                for (table, columns) in columnCounts.sorted(by: { $0.key < $1.key }) {
                    let insert = "INSERT INTO \(table) VALUES (\(Array(repeating: "?", count: columns).joined(separator: ", ")))"
                    for sequence in sequences[chunkStart..<min(chunkStart + batchSize, sequences.count)] {
                        for arguments in rowsBySequence[table]?[sequence] ?? [] {
                            try db.run(insert, arguments)
                        }
                    }
                }
            }
        }
        let elapsed = ContinuousClock.now - start
        try target.close()
        return Double(sequences.count) / elapsed.seconds
    }

    /// A stored value as the raw inserts bind it: through SQLite's C API, as
    /// ingest binds its rows (`CareSQLite`).
    static func argument(_ value: DatabaseValue) throws -> SQLArgument {
        switch value.storage {
        case .null: .null
        case .int64(let number): .int(number)
        case .string(let text): .text(text)
        case .blob(let data): .blob(Array(data))
        case .double: throw BenchError.unexpected("ingest writes no floating-point column")
        }
    }

    /// Every table a push writes, with a query for its rows followed by the log
    /// sequence of the batch that wrote them: the log, the record index, visit
    /// access, the workflow index (a visit's schedule row and a report's
    /// deadline row, with the record's creating sequence) and the chain
    /// signatures (with their operation's sequence).
    static let ingestedRows: [(table: String, query: String)] = [
        ("operations", "SELECT *, sequence FROM operations"),
        ("records", "SELECT *, created_at FROM records"),
        ("visit_access", "SELECT *, granted_at FROM visit_access"),
        ("visit_schedule",
         "SELECT s.*, r.created_at FROM visit_schedule s JOIN records r ON r.kind = 'visit' AND r.id = s.visit"),
        ("report_deadlines",
         "SELECT d.*, r.created_at FROM report_deadlines d JOIN records r ON r.kind = 'abuse_report' AND r.id = d.report"),
        ("chain_signatures",
         "SELECT c.*, o.sequence FROM chain_signatures c JOIN operations o ON o.replica = c.replica AND o.counter = c.counter"),
    ]

    /// Opens `count` keep-alive connections, each having made one pull, and leaves them open.
    func openConnections(_ count: Int) async throws -> [TestClient] {
        let device = try await enrol(["bench-idle"], roles: [.auditor])[0]
        var clients: [TestClient] = []
        for _ in 0..<count { clients.append(client()) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            for client in clients {
                group.addTask {
                    _ = try await request(.get, "/v1/pull?after=0&limit=10", token: device.token, body: nil, on: client)
                }
            }
            try await group.waitForAll()
        }
        return clients
    }
}

enum BenchError: Error {
    case unexpected(String)
}

