import ArgumentParser
import CMallocArenas
import CareServer

/// `caresync-server`: the CareSync sync server. Every setting is a flag or an
/// environment variable (the flag wins); with none it listens on
/// 127.0.0.1:8080 and keeps its data in ./caresync-server.sqlite.
@main
struct CareSyncServer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caresync-server",
        abstract: "The CareSync sync server: push, pull, enrolment and admin over HTTP/JSON (/v1).",
        discussion: "Each option can also be set by the environment variable named in its help; a flag wins.")

    @Option(help: "Address to listen on. (env: CARESYNC_HOST, default 127.0.0.1)")
    var host: String?
    @Option(help: "Port to listen on; 0 picks a free one. (env: CARESYNC_PORT, default 8080)")
    var port: Int?
    @Option(
        help: """
            SQLite database file, created if missing, or postgres://user:password@host:port/database \
            (migrated at start). (env: CARESYNC_DATABASE, default caresync-server.sqlite)
            """)
    var database: String?
    @Option(help: "Token for the admin API; without it the admin API is off. (env: CARESYNC_ADMIN_TOKEN)")
    var adminToken: String?
    @Option(help: "Largest request body in bytes. (env: CARESYNC_MAX_BODY_BYTES, default 8388608)")
    var maxBodyBytes: Int?
    @Option(help: "Most operations in one push. (env: CARESYNC_MAX_BATCH_OPERATIONS, default 5000)")
    var maxBatchOperations: Int?
    @Option(
        help: """
            Most pushes read and stored at once; others wait with their bodies unread. \
            (env: CARESYNC_MAX_CONCURRENT_PUSHES, default 16)
            """)
    var maxConcurrentPushes: Int?
    @Option(help: "Largest canonical operation in bytes. (env: CARESYNC_MAX_OPERATION_BYTES, default 262144)")
    var maxOperationBytes: Int?
    @Option(help: "Deepest JSON nesting accepted. (env: CARESYNC_MAX_JSON_DEPTH, default 32)")
    var maxJsonDepth: Int?
    @Option(help: "Pull page size when the client names none. (env: CARESYNC_PAGE_SIZE, default 500)")
    var pageSize: Int?
    @Option(help: "Largest pull page a client may ask for. (env: CARESYNC_MAX_PAGE_SIZE, default 5000)")
    var maxPageSize: Int?
    @Option(help: "Seconds a client may take to send a body. (env: CARESYNC_REQUEST_TIMEOUT, default 30)")
    var requestTimeout: Int?
    @Option(help: "Seconds an idle connection stays open. (env: CARESYNC_IDLE_TIMEOUT, default 120)")
    var idleTimeout: Int?
    @Option(help: "Seconds a device credential works. (env: CARESYNC_CREDENTIAL_LIFETIME, default 7776000 = 90 days)")
    var credentialLifetime: Int64?
    @Option(help: "Seconds an enrolment code works. (env: CARESYNC_ENROLMENT_CODE_LIFETIME, default 86400)")
    var enrolmentCodeLifetime: Int64?
    @Option(
        help: """
            JSON file of care-workflow settings: contracts (teams, late tolerance, missed threshold, short visits, \
            time zone) and the abuse-report deadline and safeguarding contacts; see README. (env: CARESYNC_WORKFLOWS, \
            default: built-in defaults)
            """)
    var workflows: String?
    @Option(help: "Seconds between runs of the workflow monitors. (env: CARESYNC_WORKFLOW_INTERVAL, default 60)")
    var workflowInterval: Int?
    @Option(help: "trace, debug, info, notice, warning, error or critical. (env: CARESYNC_LOG_LEVEL, default info)")
    var logLevel: String?
    @OptionGroup(title: "Notifications and review queue")
    var workflow: WorkflowOptions

    func run() async throws {
        let environment = Environment.current
        var settings = ServerConfiguration()
        settings.host = host ?? environment.string("CARESYNC_HOST") ?? settings.host
        settings.port = try port ?? environment.integer("CARESYNC_PORT") ?? settings.port
        settings.databasePath = database ?? environment.string("CARESYNC_DATABASE") ?? settings.databasePath
        settings.adminToken = adminToken ?? environment.string("CARESYNC_ADMIN_TOKEN")
        settings.maximumBodyBytes =
            try maxBodyBytes ?? environment.integer("CARESYNC_MAX_BODY_BYTES") ?? settings.maximumBodyBytes
        settings.maximumBatchOperations =
            try maxBatchOperations ?? environment.integer("CARESYNC_MAX_BATCH_OPERATIONS")
            ?? settings.maximumBatchOperations
        settings.maximumConcurrentPushes =
            try maxConcurrentPushes ?? environment.integer("CARESYNC_MAX_CONCURRENT_PUSHES")
            ?? settings.maximumConcurrentPushes
        guard settings.maximumConcurrentPushes >= 1 else {
            throw ValidationError("at least one push must be let in at a time")
        }
        settings.maximumOperationBytes =
            try maxOperationBytes ?? environment.integer("CARESYNC_MAX_OPERATION_BYTES") ?? settings.maximumOperationBytes
        settings.maximumJSONDepth = try maxJsonDepth ?? environment.integer("CARESYNC_MAX_JSON_DEPTH") ?? settings.maximumJSONDepth
        settings.defaultPageSize = try pageSize ?? environment.integer("CARESYNC_PAGE_SIZE") ?? settings.defaultPageSize
        settings.maximumPageSize = try maxPageSize ?? environment.integer("CARESYNC_MAX_PAGE_SIZE") ?? settings.maximumPageSize
        settings.requestTimeoutSeconds =
            try requestTimeout ?? environment.integer("CARESYNC_REQUEST_TIMEOUT") ?? settings.requestTimeoutSeconds
        settings.idleTimeoutSeconds = try idleTimeout ?? environment.integer("CARESYNC_IDLE_TIMEOUT") ?? settings.idleTimeoutSeconds
        settings.credentialLifetimeSeconds =
            try credentialLifetime ?? environment.integer("CARESYNC_CREDENTIAL_LIFETIME").map(Int64.init)
            ?? settings.credentialLifetimeSeconds
        settings.enrolmentCodeLifetimeSeconds =
            try enrolmentCodeLifetime ?? environment.integer("CARESYNC_ENROLMENT_CODE_LIFETIME").map(Int64.init)
            ?? settings.enrolmentCodeLifetimeSeconds
        if let path = workflows ?? environment.string("CARESYNC_WORKFLOWS") {
            settings.workflows = try WorkflowSettings.load(path: path)
        }
        settings.workflowIntervalSeconds =
            try workflowInterval ?? environment.integer("CARESYNC_WORKFLOW_INTERVAL") ?? settings.workflowIntervalSeconds
        guard settings.workflowIntervalSeconds >= 1 else {
            throw ValidationError("the workflow interval must be at least 1 second")
        }
        try workflow.apply(to: &settings, environment: environment)
        guard settings.defaultPageSize >= 1, settings.defaultPageSize <= settings.maximumPageSize else {
            throw ValidationError("the page size must be between 1 and the maximum page size")
        }
        let level = logLevel ?? environment.string("CARESYNC_LOG_LEVEL") ?? "info"
        try await ServerRunner.run(configuration: settings, logLevel: level, mallocArenas: MallocArenaCap.applied)
    }
}

/// Reads settings from the process environment.
struct Environment {
    let values: [String: String]

    static var current: Environment { Environment(values: ProcessEnvironment.values) }

    func string(_ name: String) -> String? {
        values[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    func integer(_ name: String) throws -> Int? {
        guard let text = string(name) else { return nil }
        guard let value = Int(text) else { throw ValidationError("\(name) must be an integer") }
        return value
    }
}

/// The cap on glibc's malloc arenas that `CMallocArenas` put in place before
/// `main` (see Sources/CMallocArenas/CMallocArenas.c), or nil where it put
/// none (not glibc, or `MALLOC_ARENA_MAX` chose).
enum MallocArenaCap {
    static var applied: Int? {
        let limit = CMallocArenas_startLimit()
        return limit > 0 ? Int(limit) : nil
    }
}
