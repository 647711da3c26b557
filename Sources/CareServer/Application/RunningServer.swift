public import Logging
import ServiceLifecycle

/// A server started by ``withRunningServer(configuration:logger:clock:_:)``.
public struct RunningServer: Sendable {
    /// The port it listens on (the system's choice when the configuration asks for 0).
    public let port: Int
    /// The built application: its routes, storage and metrics.
    public let built: CareServerApplication
}

/// Builds the server, runs `body` while it listens, then shuts it down
/// gracefully (in-flight requests finish, the database closes), also when
/// `body` throws. For tests, benchmarks and tools that embed a server;
/// `caresync-server` itself runs until a signal (``ServerRunner``).
public func withRunningServer<Value: Sendable>(
    configuration: ServerConfiguration, logger: Logger, clock: any WallClock = SystemWallClock(),
    _ body: (RunningServer) async throws -> Value
) async throws -> Value {
    let (ports, portContinuation) = AsyncStream<Int>.makeStream()
    let built = try await buildApplication(configuration: configuration, logger: logger, clock: clock) { port in
        portContinuation.yield(port)
    }
    let group = ServiceGroup(configuration: .init(services: [built.application], logger: logger))
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask {
            // If the server stops (or never binds), end the port stream so that
            // nobody waits for a port forever.
            defer { portContinuation.finish() }
            try await group.run()
        }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next() else {
            try await tasks.waitForAll()
            throw ServerError(.internalError, "the server stopped before it listened", status: .internalServerError)
        }
        do {
            let value = try await body(RunningServer(port: port, built: built))
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return value
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
    }
}
