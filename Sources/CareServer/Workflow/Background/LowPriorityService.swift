import ServiceLifecycle

/// Runs a service with its work on a ``BackgroundExecutor`` of its own, made
/// when the service starts and stopped when it ends.
struct LowPriorityService: Service {
    let service: any Service

    func run() async throws {
        let executor = BackgroundExecutor()
        do {
            try await withTaskExecutorPreference(executor) { try await service.run() }
        } catch {
            try await executor.shutdown()
            throw error
        }
        try await executor.shutdown()
    }
}
