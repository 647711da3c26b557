import CareModel
import CareServer
import CareSyncTestSupport
import Foundation
import Testing

/// `caresync-server` as a real process: SIGTERM closes the listener, lets the
/// batch in flight finish and be stored, closes the database, and exits 0.
@Suite("Graceful shutdown")
struct GracefulShutdownTests {
    @Test(
        "SIGTERM in the middle of a push: no new connections, the push is answered and stored, exit 0",
        arguments: TestBackend.all)
    func sigtermFinishesTheBatchInFlight(backend: TestBackend) async throws {
        try await backend.withDatabase { database in
            // An enrolled device and its batch, set up through an in-process server on
            // the same database (its clock is fixed in 2026-01; the process's is real,
            // so the credential must outlive the difference).
            var configuration = TestServer.configuration(database: database)
            configuration.credentialLifetimeSeconds = 100 * 365 * 24 * 3600
            let (token, body) = try await TestServer.run(configuration: configuration) { server in
                var device = try await server.enrol("w-ana", roles: [.careWorker])
                let report = try device.abuseReport().operation
                return (device.token, Array(try JSONEncoder().encode(device.pushRequest([report]))))
            }

            let server = try ServerProcess(arguments: ["--port", "0", "--database", database])
            let port = try await server.listeningPort()
            let connection = try RawTCPConnection(port: port)
            let head = """
                POST /v1/push HTTP/1.1\r
                Host: 127.0.0.1\r
                Authorization: Bearer \(token)\r
                Content-Type: application/json\r
                Content-Length: \(body.count)\r
                Connection: close\r
                \r

                """
            let half = body.count / 2
            try connection.send(Array(head.utf8) + body[..<half])
            // Give the server the request's head (a wait for the other process, not a timing assertion).
            try await Task.sleep(for: .milliseconds(300))
            server.terminate()
            try await Task.sleep(for: .milliseconds(300))
            #expect(RawTCPConnection.isRefused(port: port), "the listener closes at once")

            try connection.send(body[half...])
            let response = String(decoding: try connection.readToEnd(), as: UTF8.self)
            #expect(response.hasPrefix("HTTP/1.1 200"), "\(response.prefix(200))")
            #expect(response.contains(#""stored""#))
            #expect(try await server.exitStatus() == 0)

            // The database was closed cleanly and holds the operation.
            let stored = try await TestServer.run(configuration: configuration) { server in
                try await server.counts().operations
            }
            #expect(stored == 1)
        }
    }
}
