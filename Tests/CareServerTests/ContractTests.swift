import CareModel
import CareServer
import Hummingbird
import Foundation
import Testing

@Suite("The server agrees with the documents in Schema/")
struct ContractTests {
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// The `METHOD /path` pairs under `paths:` in Schema/openapi.yaml: a line-based
    /// reading of our own file (paths at two spaces, methods at four).
    static func documentedRoutes() throws -> Set<String> {
        let text = try String(contentsOf: packageRoot.appendingPathComponent("Schema/openapi.yaml"), encoding: .utf8)
        var routes: Set<String> = []
        var inPaths = false
        var currentPath: String?
        let methods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if !line.hasPrefix(" "), !line.isEmpty {
                inPaths = line.hasPrefix("paths:")
                continue
            }
            guard inPaths else { continue }
            if line.hasPrefix("  /"), !line.hasPrefix("   ") {
                currentPath = String(line.dropFirst(2).dropLast(line.hasSuffix(":") ? 1 : 0))
            } else if line.hasPrefix("    "), !line.hasPrefix("     "), let currentPath {
                let key = line.dropFirst(4).split(separator: ":").first.map(String.init) ?? ""
                if methods.contains(key) { routes.insert("\(key.uppercased()) \(currentPath)") }
            }
        }
        return routes
    }

    @Test("every route the router serves is in openapi.yaml, and every documented route is served", arguments: TestBackend.all)
    func routesMatchOpenAPI(backend: TestBackend) async throws {
        let documented = try Self.documentedRoutes()
        #expect(!documented.isEmpty)
        try await TestServer.run(backend) { server in
            let served = Set(server.routes.map(\.description))
            #expect(served == documented, "served only: \(served.subtracting(documented)); documented only: \(documented.subtracting(served))")
            // Each documented route reaches a handler (anything but the router's 404).
            for route in documented {
                let parts = route.split(separator: " ")
                let path = String(parts[1])
                    .replacingOccurrences(of: "{worker}", with: "nobody")
                    .replacingOccurrences(of: "{resident}", with: "nobody")
                    .replacingOccurrences(of: "{device}", with: "00000000-0000-7000-8000-000000000000")
                    .replacingOccurrences(of: "{item}", with: "none")
                let result = try await server.request(HTTPRequest.Method(String(parts[0]))!, path)
                #expect(result.errorCode != "not_found", "\(route)")
            }
        }
    }

    @Test("Schema/server.sqlite.sql is what the migrations create")
    func sqliteSchemaFileMatchesMigrations() throws {
        let file = try String(
            contentsOf: Self.packageRoot.appendingPathComponent("Schema/server.sqlite.sql"), encoding: .utf8)
        #expect(file == SQLiteSchemaDocument.text)
    }

    @Test("Schema/server.postgres.sql is what the migrations create")
    func postgresSchemaFileMatchesMigrations() throws {
        let file = try String(
            contentsOf: Self.packageRoot.appendingPathComponent("Schema/server.postgres.sql"), encoding: .utf8)
        #expect(file == PostgresSchemaDocument.text)
    }
}
