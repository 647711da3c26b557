import CareModel
import CareServer
import Hummingbird
import Foundation
import HummingbirdTesting
import Logging
import NIOCore

/// A real server on 127.0.0.1 (port 0) over a fresh database of the given
/// backend, for one test.
struct TestServer: Sendable {
    static let adminToken = "test-admin-token"

    let port: Int
    let storage: any SyncStorage
    let routes: [APIRoute]
    let clock: TestClock
    let configuration: ServerConfiguration
    /// The built application: the server's identity, its replica writer, its services.
    let application: CareServerApplication
    /// The server's public key (base64) that its receipts verify against.
    var serverKey: String { application.identity.publicKeyBase64 }
    /// The background jobs: tests run their ticks after moving the clock.
    var workflows: WorkflowJobs { application.workflows }

    /// The server configuration the tests use, on `database`.
    static func configuration(database: String) -> ServerConfiguration {
        var configuration = ServerConfiguration()
        configuration.host = "127.0.0.1"
        configuration.port = 0
        configuration.databasePath = database
        configuration.adminToken = adminToken
        // The jobs' and monitors' own loops wait this long before a first tick:
        // tests tick them by hand.
        configuration.jobIntervalSeconds = 24 * 3600
        configuration.jobWakeOperations = 0
        configuration.workflowIntervalSeconds = 24 * 3600
        return configuration
    }

    static let logger: Logger = {
        var logger = Logger(label: "caresync-server-test")
        logger.logLevel = .warning
        return logger
    }()

    /// Starts a server on a new database of `backend`, runs `body` against it,
    /// then shuts it down gracefully and deletes its database.
    static func run<Value: Sendable>(
        _ backend: TestBackend,
        configure: (inout ServerConfiguration) -> Void = { _ in },
        _ body: @Sendable (TestServer) async throws -> Value
    ) async throws -> Value {
        try await backend.withDatabase { database in
            var configuration = configuration(database: database)
            configure(&configuration)
            return try await run(configuration: configuration, body)
        }
    }

    /// Starts a server with `configuration` (on a database that exists), runs `body`
    /// against it, then shuts it down gracefully.
    static func run<Value: Sendable>(
        configuration: ServerConfiguration, _ body: @Sendable (TestServer) async throws -> Value
    ) async throws -> Value {
        let clock = TestClock(millis: 1_767_225_600_000)  // 2026-01-01T00:00:00Z
        return try await withRunningServer(configuration: configuration, logger: logger, clock: clock) { running in
            try await body(
                TestServer(
                    port: running.port, storage: running.built.storage, routes: running.built.routes, clock: clock,
                    configuration: configuration, application: running.built))
        }
    }

    /// One HTTP request on a new connection.
    func request(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, body: [UInt8]? = nil,
        headers extra: HTTPFields = [:]
    ) async throws -> HTTPResult {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil, headers[.contentType] == nil { headers[.contentType] = "application/json" }
        let request = TestClient.Request(
            uri, method: method, authority: "127.0.0.1", headers: headers, body: body.map { ByteBuffer(bytes: $0) })
        let response = try await TestClient.withClient(
            host: "127.0.0.1", port: port, configuration: .init(timeout: .seconds(60))
        ) { client in
            try await client.execute(request)
        }
        return HTTPResult(
            status: response.status, body: response.body.map { Array($0.readableBytesView) } ?? [],
            headers: response.headers)
    }

    /// A request with a JSON body encoded from `value`.
    func request(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, json value: some Encodable
    ) async throws -> HTTPResult {
        try await request(method, uri, token: token, body: Array(try JSONEncoder().encode(value)))
    }

    /// Row counts straight from the server's database.
    func counts() async throws -> StorageCounts {
        try await storage.counts()
    }
}

enum TestServerError: Error {
    case unexpectedStatus(HTTPResponse.Status, String)
}

/// A response: status and body bytes.
struct HTTPResult: Sendable {
    let status: HTTPResponse.Status
    let body: [UInt8]
    var headers: HTTPFields = [:]

    var text: String { String(decoding: body, as: UTF8.self) }

    /// The body decoded as `type`; fails with the body's text when it does not decode.
    func decode<Value: Decodable>(_ type: Value.Type = Value.self) throws -> Value {
        do {
            return try JSONDecoder().decode(Value.self, from: Data(body))
        } catch {
            throw TestServerError.unexpectedStatus(status, text)
        }
    }

    /// The error body's code (nil when the body is not an error body).
    var errorCode: String? { (try? JSONDecoder().decode(ErrorBody.self, from: Data(body)))?.code }
}

/// A clock the test moves by hand. `@unchecked Sendable` is safe: `millis` is
/// only read and written while holding `lock`.
final class TestClock: WallClock, @unchecked Sendable {
    private let lock = NSLock()
    private var millis: Int64

    init(millis: Int64) {
        self.millis = millis
    }

    func nowMillis() -> Int64 {
        lock.withLock { millis }
    }

    func advance(seconds: Int64) {
        lock.withLock { millis += seconds * 1000 }
    }

    func advance(millis delta: Int64) {
        lock.withLock { millis += delta }
    }
}
