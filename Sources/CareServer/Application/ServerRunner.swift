import Logging
import ServiceLifecycle

/// Runs the server until SIGTERM or SIGINT, then shuts down gracefully: the
/// listener closes, in-flight requests (and their batches) finish, then the
/// database closes. What `caresync-server` calls after reading its settings.
public enum ServerRunner {
    /// Logs go to standard error through swift-log, one line per event with
    /// key=value metadata; care-record content is never logged.
    /// `mallocArenas` is the cap the program put on glibc's malloc arenas
    /// before `main` (caresync-server's is two), for the `listening` log line.
    public static func run(
        configuration: ServerConfiguration, logLevel: String, mallocArenas: Int? = nil,
        onListening: @escaping @Sendable (Int) -> Void = { _ in }
    ) async throws {
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = Logger.Level(rawValue: logLevel) ?? .info
            return handler
        }
        let logger = Logger(label: "caresync-server")
        let server = try await buildApplication(configuration: configuration, logger: logger) { port in
            logger.info(
                "listening",
                metadata: [
                    "host": "\(configuration.host)", "port": "\(port)", "database": "\(redactedDatabase(configuration.databasePath))",
                    "admin_api": "\(configuration.adminToken == nil ? "off" : "on")",
                    "malloc_arenas": "\(mallocArenas.map(String.init) ?? "default")",
                ])
            onListening(port)
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [server.application], gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
    }
}
