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
    /// The server's process, when there is one to measure the CPU time of.
    let serverProcess: Int32?

    init(port: Int, databasePath: String, serverProcess: Int32? = nil) {
        self.init(ports: [port], databasePath: databasePath, serverProcess: serverProcess)
    }

    init(ports: [Int], databasePath: String, serverProcess: Int32? = nil) {
        self.ports = ports
        self.databasePath = databasePath
        self.serverProcess = serverProcess
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

    /// `devices` concurrent devices pushing batches of `batchSize`: new
    /// devices, of workers named after the scenario and `round`.
    func ingest(devices count: Int, batchSize: Int, totalOperations: Int, round: Int = 0) async throws -> IngestRun {
        var devices = try await enrol(
            (0..<count).map { "bench-r\(round)-b\(batchSize)-d\(count)-\($0)" }, roles: [.coordinator])
        let batchesPerDevice = max(1, totalOperations / (count * batchSize))
        var work: [(String, [[UInt8]])] = []
        for index in devices.indices {
            work.append((devices[index].token, try Self.batches(for: &devices[index], count: batchesPerDevice, batchSize: batchSize)))
        }
        let clients = work.indices.map { client($0) }
        let serverCPU = serverProcess.map { cpuSeconds(ofProcess: "\($0)") }
        let clientCPU = cpuSeconds(ofProcess: "self")
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
        let run = IngestRun(
            operationsPerSecond: Double(stored) / elapsed.seconds,
            serverCPUPerOperation: serverProcess.map { (cpuSeconds(ofProcess: "\($0)") - serverCPU!) / Double(stored) },
            clientCPUPerOperation: (cpuSeconds(ofProcess: "self") - clientCPU) / Double(stored))
        for client in clients { try? await client.shutdown() }
        guard stored == count * batchesPerDevice * batchSize else {
            throw BenchError.unexpected("stored \(stored) of \(count * batchesPerDevice * batchSize) operations")
        }
        return run
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

    /// `rounds` pairs of figures, each an ingest and its reference: a copy of
    /// the server's database is taken, `devices` devices push `operations`
    /// operations in batches of `batchSize`, then the rows ingest wrote for
    /// them are inserted into the copy (``rawInserts(batchSize:after:into:)``).
    /// Pairing each ingest with a reference measured right after it, from the
    /// same starting database, keeps the ratio steady while this machine's
    /// disk and load drift between the phases of a run.
    func pairedRounds(
        _ rounds: Int, devices: Int, batchSize: Int, operations: Int, in directory: URL
    ) async throws -> [PairedRound] {
        var pairs: [PairedRound] = []
        for round in 1...rounds {
            let copy = directory.appendingPathComponent("raw-\(UUID()).sqlite").path
            defer {
                for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: copy + suffix) }
            }
            try copyDatabase(to: copy)
            let before = try lastSequence()
            let ingest = try await self.ingest(
                devices: devices, batchSize: batchSize, totalOperations: max(operations, devices * batchSize),
                round: round)
            let raw = try rawInserts(batchSize: batchSize, after: before, into: copy)
            pairs.append(PairedRound(ingest: ingest, raw: raw.operationsPerSecond, rawCPUPerOperation: raw.cpuPerOperation))
        }
        return pairs
    }

    /// The last log sequence the server has stored.
    func lastSequence() throws -> Int64 {
        let database = try DatabaseQueue(path: databasePath)
        defer { try? database.close() }
        return try database.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(sequence) FROM operations") ?? 0 }
    }

    /// A copy of the server's database as it is now (SQLite's backup API, a
    /// consistent snapshot while the server runs), at `path`.
    func copyDatabase(to path: String) throws {
        let source = try DatabaseQueue(path: databasePath)
        defer { try? source.close() }
        let copy = try DatabaseQueue(path: path)
        defer { try? copy.close() }
        try source.backup(to: copy)
    }

    /// Operations per second for inserting, with prepared statements, the rows
    /// the server wrote for the operations logged after `sequence` — log rows,
    /// record-index rows, visit-access rows, the workflow index and chain
    /// signatures, unchanged — into the database at `path`, the rows of
    /// `batchSize` operations per durable transaction, with the server's own
    /// connection settings. That database is a copy of the server's from
    /// before those operations were pushed (``copyDatabase(to:)``), so the
    /// reference starts from the same B-trees as ingest did. This is the
    /// storage work of ingest alone, without HTTP, JSON or checks, bound
    /// through SQLite's C API as ingest binds its own.
    func rawInserts(
        batchSize: Int, after sequence: Int64, into path: String
    ) throws -> (operationsPerSecond: Double, cpuPerOperation: Double) {
        let source = try DatabaseQueue(path: databasePath)
        // Each table's rows grouped by the log sequence that wrote them.
        var rowsBySequence: [String: [Int64: [[SQLArgument]]]] = [:]
        var columnCounts: [String: Int] = [:]
        try source.read { db in
            for (table, query) in Self.ingestedRows {
                for row in try Row.fetchAll(db, sql: "SELECT * FROM (\(query)) WHERE \(Self.sequenceColumn) > ?", arguments: [sequence]) {
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
        let cpu = cpuSeconds(ofProcess: "self")
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
        let operations = Double(sequences.count)
        let cpuPerOperation = (cpuSeconds(ofProcess: "self") - cpu) / operations
        try target.close()
        return (operations / elapsed.seconds, cpuPerOperation)
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

    /// The name every query of ``ingestedRows`` gives its last column.
    static let sequenceColumn = "written_by"

    /// Every table a push writes, with a query for its rows followed by the log
    /// sequence of the batch that wrote them (as ``sequenceColumn``): the log, the record index, visit
    /// access, the workflow index (a visit's schedule row and a report's
    /// deadline row, with the record's creating sequence) and the chain
    /// signatures (with their operation's sequence).
    static let ingestedRows: [(table: String, query: String)] = [
        ("operations", "SELECT *, sequence AS written_by FROM operations"),
        ("records", "SELECT *, created_at AS written_by FROM records"),
        ("visit_access", "SELECT *, granted_at AS written_by FROM visit_access"),
        ("visit_schedule",
         "SELECT s.*, r.created_at AS written_by FROM visit_schedule s JOIN records r ON r.kind = 'visit' AND r.id = s.visit"),
        ("report_deadlines",
         "SELECT d.*, r.created_at AS written_by FROM report_deadlines d JOIN records r ON r.kind = 'abuse_report' AND r.id = d.report"),
        ("chain_signatures",
         "SELECT c.*, o.sequence AS written_by FROM chain_signatures c JOIN operations o ON o.replica = c.replica AND o.counter = c.counter"),
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

/// The figures of one ingest scenario: throughput, and CPU time per operation.
struct IngestRun {
    var operationsPerSecond: Double
    /// The server process's, all threads; nil with no server process to read.
    var serverCPUPerOperation: Double?
    /// The benchmark's own while it pushed (HTTP client, reading answers).
    var clientCPUPerOperation: Double
}

/// One ingest and its raw reference (``BenchHarness/pairedRounds(_:devices:batchSize:operations:in:)``).
struct PairedRound {
    var ingest: IngestRun
    /// Operations per second.
    var raw: Double
    /// CPU time of the reference per operation (the benchmark's own, while it inserts).
    var rawCPUPerOperation: Double

    var ratio: Double { ingest.operationsPerSecond / raw }

    /// The figures on one line, CPU times in microseconds per operation.
    var summary: String {
        let server = ingest.serverCPUPerOperation.map { "\(Int($0 * 1e6)) µs" } ?? "unknown"
        return "ingest \(Int(ingest.operationsPerSecond)) ops/s, raw \(Int(raw)) ops/s, "
            + "ratio \(String(format: "%.2f", ratio)); CPU per op: server \(server), "
            + "client \(Int(ingest.clientCPUPerOperation * 1e6)) µs, raw \(Int(rawCPUPerOperation * 1e6)) µs"
    }
}

/// CPU time (user and system, every thread) a process has used so far, in
/// seconds: `process` is a process ID, or "self".
func cpuSeconds(ofProcess process: String) -> Double {
    // /proc/PID/stat: the command name in parentheses, then the fields from
    // the state on; utime and stime are the 14th and 15th, in clock ticks.
    guard let stat = try? String(contentsOfFile: "/proc/\(process)/stat", encoding: .utf8),
        let end = stat.lastIndex(of: ")")
    else { return 0 }
    let fields = stat[stat.index(after: end)...].split(separator: " ")
    guard fields.count > 12, let user = Double(fields[11]), let system = Double(fields[12]) else { return 0 }
    return (user + system) / Double(sysconf(Int32(_SC_CLK_TCK)))
}

enum BenchError: Error {
    case unexpected(String)
}

