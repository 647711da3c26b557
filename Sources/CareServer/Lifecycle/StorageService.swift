import Logging
import ServiceLifecycle

/// Keeps the database open while the server runs and closes it on graceful
/// shutdown. Listed before the HTTP server in the service group, so it is shut
/// down after the server has stopped accepting and finished in-flight requests.
struct StorageService: Service {
    let storage: any SyncStorage
    let logger: Logger

    func run() async throws {
        // Returns when graceful shutdown begins (or the task is cancelled).
        try? await gracefulShutdown()
        try await storage.close()
        logger.info("database closed")
    }
}
