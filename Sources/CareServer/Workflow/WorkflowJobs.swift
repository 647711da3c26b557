import Logging
import ServiceLifecycle

/// The server's background jobs (issue 8) and the way into the notification
/// outbox. Each job is a ``PeriodicService`` in the application's services;
/// tests call the ticks themselves after moving the clock.
public struct WorkflowJobs: Sendable {
    /// Where other jobs enqueue notifications.
    public let outbox: NotificationOutbox
    /// Delivers the outbox to the webhooks.
    public let dispatcher: NotificationDispatcher
    /// Follows the log for new abuse reports and enqueues their notifications.
    public let abuseReportFollower: LogFollower
    /// Follows the log and keeps the review queue.
    public let reviewFollower: LogFollower
    /// What this server stored last, which the followers read before the
    /// database: ingest adds each batch it stores.
    public let recentLog: RecentLog
    let interval: Duration
    /// The followers also run once this many operations were stored since they last ran (0: never early).
    let wakeBacklog: Int
    let logger: Logger

    init(
        storage: any SyncStorage, configuration: ServerConfiguration, clock: any WallClock, metrics: SyncMetrics,
        logger: Logger
    ) {
        // Enough positions for the followers, woken every `jobWakeOperations`, to find theirs here.
        let recentLog = RecentLog(
            capacity: max(8_192, 4 * configuration.jobWakeOperations),
            readers: [AbuseReportNotifier.job, ReviewIndexer.job])
        let outbox = NotificationOutbox(storage: storage, settings: configuration.webhooks, clock: clock)
        self.outbox = outbox
        dispatcher = NotificationDispatcher(
            storage: storage, settings: configuration.webhooks, clock: clock, metrics: metrics, logger: logger)
        let notifier = AbuseReportNotifier(outbox: outbox)
        abuseReportFollower = LogFollower(
            job: AbuseReportNotifier.job, storage: storage, clock: clock, pageSize: 5_000, kinds: [.abuseReport],
            recentLog: recentLog, metrics: metrics
        ) { page in
            try await notifier.handle(page)
        }
        let indexer = ReviewIndexer(storage: storage, clockSkewLimitMillis: configuration.clockSkewLimitSeconds * 1_000)
        // Its cursor is stored every 5,000 positions, not after each page of
        // 500: a cursor write per page cost a commit on the ingest writer for
        // every 500 operations stored, and pages of 5,000 decoded operations
        // cost 50 MB of resident memory (docs/BENCHMARKS.md).
        reviewFollower = LogFollower(
            job: ReviewIndexer.job, storage: storage, clock: clock, cursorStride: 5_000,
            kinds: ReviewIndexer.reviewedKinds.sorted(), recentLog: recentLog, metrics: metrics
        ) { page in
            try await indexer.handle(page)
        }
        self.recentLog = recentLog
        interval = .seconds(configuration.jobIntervalSeconds)
        wakeBacklog = configuration.jobWakeOperations
        self.logger = logger
    }

    /// Runs every job once, in order (followers, then the dispatcher): what
    /// their services do each interval.
    public func tick() async throws {
        try await abuseReportFollower.catchUp()
        try await reviewFollower.catchUp()
        try await dispatcher.tick()
    }

    /// The jobs as services, for the application's service group.
    var services: [any Service] {
        [
            followerService(abuseReportFollower),
            // Reducing every visit and note is the jobs' heaviest work: it
            // yields to pushes and pulls (an abuse report's notice does not).
            LowPriorityService(service: followerService(reviewFollower)),
            PeriodicService(name: "notification-dispatcher", interval: interval, logger: logger) {
                try await dispatcher.tick()
            },
        ]
    }

    /// Runs `follower` every interval, and as soon as ``wakeBacklog``
    /// operations were stored since it last ran: it then reads them from the
    /// ``RecentLog`` before they are forgotten, not back from the database
    /// (``LogFollower/catchUpFromMemory()``).
    private func followerService(_ follower: LogFollower) -> PeriodicService {
        let (recentLog, backlog, job) = (recentLog, wakeBacklog, follower.job)
        let wake =
            backlog > 0
            ? PeriodicService.EarlyWake(
                period: .milliseconds(100), isDue: { await recentLog.wakes(job, after: backlog) },
                tick: { try await follower.catchUpFromMemory() }) : nil
        return PeriodicService(name: job, interval: interval, logger: logger, earlyWake: wake) {
            try await follower.catchUp()
        }
    }
}
