public import Logging

/// What every workflow monitor works with: where it reads and writes, its
/// clock and pace, and where it announces what it did.
public struct MonitorEnvironment: Sendable {
    let storage: any SyncStorage
    let writer: ServerReplicaWriter
    let clock: any WallClock
    let interval: Duration
    let logger: Logger
    /// The most records one tick handles per step (the rest wait for the next tick).
    let batchLimit: Int
    /// Where what a tick did is announced (nil: nowhere).
    let outbox: NotificationOutbox?

    public init(
        storage: any SyncStorage, writer: ServerReplicaWriter, clock: any WallClock, interval: Duration, logger: Logger,
        batchLimit: Int = 500, outbox: NotificationOutbox? = nil
    ) {
        self.storage = storage
        self.writer = writer
        self.clock = clock
        self.interval = interval
        self.logger = logger
        self.batchLimit = batchLimit
        self.outbox = outbox
    }

    /// Writes `drafts` as the server itself and announces the `events` whose
    /// operation was stored; returns those events.
    func write(_ drafts: [OperationDraft], events: [WorkflowEvent]) async throws -> [WorkflowEvent] {
        let stored = try await writer.write(drafts, events: events, logger: logger)
        try await outbox?.enqueue(stored)
        return stored
    }

    /// Runs `tick` every ``interval`` until graceful shutdown (``PeriodicService``).
    func runPeriodically(name: String, _ tick: @escaping @Sendable () async throws -> Void) async throws {
        try await PeriodicService(name: name, interval: interval, logger: logger, tick: tick).run()
    }
}
