import CareServer

/// Two servers on one new PostgreSQL database, each with its own connection
/// pool and port, as two `caresync-server` processes behind a load balancer.
struct ServerPair: Sendable {
    let first: TestServer
    let second: TestServer
    let cluster: PostgresTestCluster
    let database: String

    /// The server for a round-robin index.
    func server(_ index: Int) -> TestServer { index % 2 == 0 ? first : second }

    static func run<Value: Sendable>(_ body: @Sendable (ServerPair) async throws -> Value) async throws -> Value {
        let cluster = try PostgresTestCluster.fromEnvironment()
        return try await cluster.withDatabase { url in
            let configuration = TestServer.configuration(database: url)
            return try await TestServer.run(configuration: configuration) { first in
                try await TestServer.run(configuration: configuration) { second in
                    try await body(
                        ServerPair(
                            first: first, second: second, cluster: cluster,
                            database: String(url.split(separator: "/").last!)))
                }
            }
        }
    }
}
