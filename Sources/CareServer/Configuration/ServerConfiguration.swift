/// Everything the server can be told at start-up, with documented defaults.
///
/// `caresync-server` fills it from flags and environment variables; tests build
/// one directly (port 0, a temporary database).
public struct ServerConfiguration: Sendable {
    /// The address to listen on. Default `127.0.0.1`.
    public var host: String = "127.0.0.1"
    /// The port to listen on; 0 picks a free one. Default 8080.
    public var port: Int = 8080
    /// The SQLite database file, created with its schema if missing (default
    /// `caresync-server.sqlite`), or a PostgreSQL URL `postgres://user:password@host:port/database`
    /// (migrated at start; several servers may share it).
    public var databasePath: String = "caresync-server.sqlite"
    /// The token that protects `/v1/admin/...`. Nil (the default) turns the admin API off;
    /// `caresync admin` can still work on the database file directly.
    public var adminToken: String?
    /// The largest request body accepted, in bytes. Default 8 MiB.
    public var maximumBodyBytes: Int = 8 * 1024 * 1024
    /// Responses of at least this many bytes go gzipped to clients that send
    /// `Accept-Encoding: gzip`; smaller ones gain too little. Default 512.
    public var compressionMinimumBytes: Int = 512
    /// The deepest JSON nesting accepted in a body. Default 32 (an operation needs about 8).
    public var maximumJSONDepth: Int = 32
    /// The most operations one push may carry. Default 5,000.
    public var maximumBatchOperations: Int = 5_000
    /// The most pushes (and syncs) that read and store their batches at once;
    /// the others wait their turn with their bodies unread. Bounds the memory
    /// batches take whatever the number of devices. Default 16.
    public var maximumConcurrentPushes: Int = 16
    /// The largest canonical encoding of one operation, in bytes. Default 256 KiB.
    public var maximumOperationBytes: Int = 256 * 1024
    /// The page size used when a pull names none, and the largest allowed. Defaults 500 and 5,000.
    public var defaultPageSize: Int = 500
    public var maximumPageSize: Int = 5_000
    /// How long a client may take to send a request body, in seconds. Default 30.
    public var requestTimeoutSeconds: Int = 30
    /// How long an idle keep-alive connection stays open, in seconds. Default 120.
    public var idleTimeoutSeconds: Int = 120
    /// How long a device credential works after enrolment, in seconds. Default 90 days.
    public var credentialLifetimeSeconds: Int64 = 90 * 24 * 3600
    /// How long an enrolment code can be used, in seconds. Default 24 hours.
    public var enrolmentCodeLifetimeSeconds: Int64 = 24 * 3600
    /// A device counts as connected for the `caresync_devices_connected` gauge while it
    /// made a request within this many seconds. Default 300.
    public var connectedWindowSeconds: Int64 = 300
    /// Care workflows: contracts (late tolerance, missed threshold, short-visit
    /// share, time zone, teams) and the abuse-report response (acknowledgement
    /// deadline, safeguarding contacts), from the JSON file `--workflows` names
    /// (``WorkflowSettings/load(path:)``). Default: one default contract, a
    /// 60-minute deadline, no contacts.
    public var workflows = WorkflowSettings()
    /// Seconds between two runs of the workflow monitors (overdue visits,
    /// abuse-report deadlines). Default 60.
    public var workflowIntervalSeconds: Int = 60
    /// Where notifications go, how they are signed, and how failed deliveries are retried.
    public var webhooks = WebhookSettings()
    /// How often the background jobs (log followers, notification dispatcher) run, in seconds. Default 5.
    public var jobIntervalSeconds: Int64 = 5
    /// The log followers (review queue, abuse-report notifications) also run as soon as
    /// this many operations were stored since they last ran, so that they read them from
    /// memory rather than back from the database; 0 runs them on the interval only. Default 1,000.
    public var jobWakeOperations = 1_000
    /// An operation whose device clock was off by more than this many seconds goes to
    /// the review queue (`clock_skew`). Default 300 (DOMAIN.md: about 5 minutes).
    public var clockSkewLimitSeconds: Int64 = 300

    public init() {}
}
