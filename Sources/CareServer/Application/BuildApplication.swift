import CareModel
public import Hummingbird
public import Logging
import Foundation
import NIOCore

/// A built server: the Hummingbird application (a `Service`: run it, or put it
/// in a service group), the routes it serves, and its storage and metrics.
public struct CareServerApplication: Sendable {
    public let application: Application<RouterResponder<SyncRequestContext>>
    public let routes: [APIRoute]
    public let storage: any SyncStorage
    public let metrics: SyncMetrics
    /// The server's own replica and key.
    public let identity: ServerIdentity
    /// Writes operations on the server's own replica (see ``ServerReplicaWriter``).
    public let serverWriter: ServerReplicaWriter
    /// Raises and resolves overdue-visit alerts (a service of the application; tests call its `tick()`).
    public let overdueMonitor: OverdueVisitMonitor
    /// Escalates unacknowledged abuse reports (a service of the application; tests call its `tick()`).
    public let reportMonitor: AbuseReportDeadlineMonitor
    /// The background jobs (also running as services) and the notification outbox.
    public let workflows: WorkflowJobs
}

/// Builds the server from its configuration: used by `caresync-server` and by
/// the tests alike.
///
/// - Parameters:
///   - storage: the backend; nil opens the database named in `configuration` (``openSyncStorage(database:logger:)``).
///   - clock: where time is read (tests move it).
///   - onServerRunning: called with the bound port once the server listens.
public func buildApplication(
    configuration: ServerConfiguration,
    storage given: (any SyncStorage)? = nil,
    logger: Logger,
    clock: any WallClock = SystemWallClock(),
    secrets: Secrets = .system,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> CareServerApplication {
    try configuration.webhooks.validate()
    let storage: any SyncStorage =
        if let given { given } else { try await openSyncStorage(database: configuration.databasePath, logger: logger) }
    let metrics = SyncMetrics()
    let identity = try await ServerIdentity.load(from: storage, clock: clock)
    let planner = IngestPlanner(policy: .standard, maximumOperationBytes: configuration.maximumOperationBytes)
    let workflows = WorkflowJobs(
        storage: storage, configuration: configuration, clock: clock, metrics: metrics, logger: logger)
    let serverWriter = ServerReplicaWriter(
        identity: identity, storage: storage, planner: planner, clock: clock, recentLog: workflows.recentLog)
    let bodyReader = RequestBodyReader(
        maximumBytes: configuration.maximumBodyBytes, maximumDepth: configuration.maximumJSONDepth,
        timeout: .seconds(configuration.requestTimeoutSeconds))

    let router = Router(context: SyncRequestContext.self)
    // Outermost, so that error answers (already bodies by then) are treated like others.
    router.add(middleware: ResponseCompressionMiddleware(minimumBytes: configuration.compressionMinimumBytes))
    router.add(middleware: ErrorMiddleware(metrics: metrics))
    let registrar = RouteRegistrar(router: router)
    OperationalEndpoints(storage: storage, metrics: metrics).register(on: registrar)
    EnrolmentEndpoint(
        storage: storage, configuration: configuration, clock: clock, secrets: secrets, bodyReader: bodyReader,
        serverKey: identity.publicKeyBase64
    ).register(on: registrar)
    ServerIdentityEndpoint(identity: identity).register(on: registrar)
    SyncEndpoints(
        storage: storage, planner: planner,
        configuration: configuration, clock: clock, metrics: metrics,
        authenticator: DeviceAuthenticator(storage: storage, clock: clock), bodyReader: bodyReader,
        connected: ConnectedDevices(windowSeconds: configuration.connectedWindowSeconds, metrics: metrics),
        receiptKey: identity.signingKey, pushGate: PushGate(limit: configuration.maximumConcurrentPushes),
        recentLog: workflows.recentLog
    ).register(on: registrar)
    QuarantineEndpoints(
        storage: storage, authenticator: DeviceAuthenticator(storage: storage, clock: clock),
        adminAuthenticator: AdminAuthenticator(adminToken: configuration.adminToken), configuration: configuration
    ).register(on: registrar)
    AuditEndpoints(storage: storage, authenticator: DeviceAuthenticator(storage: storage, clock: clock))
        .register(on: registrar)
    WorkflowEndpoints(
        storage: storage, settings: configuration.workflows, clock: clock,
        authenticator: DeviceAuthenticator(storage: storage, clock: clock)
    ).register(on: registrar)
    AdminEndpoints(
        storage: storage,
        admin: AdminService(
            storage: storage, clock: clock, secrets: secrets,
            codeLifetimeSeconds: configuration.enrolmentCodeLifetimeSeconds),
        authenticator: AdminAuthenticator(adminToken: configuration.adminToken), bodyReader: bodyReader
    ).register(on: registrar)

    let monitors = MonitorEnvironment(
        storage: storage, writer: serverWriter, clock: clock,
        interval: .seconds(configuration.workflowIntervalSeconds), logger: logger, outbox: workflows.outbox)
    let overdueMonitor = OverdueVisitMonitor(environment: monitors, settings: configuration.workflows)
    let reportMonitor = AbuseReportDeadlineMonitor(environment: monitors, settings: configuration.workflows.abuseReports)
    ReviewEndpoints(
        storage: storage, decisions: ReviewDecisions(storage: storage, writer: serverWriter, clock: clock),
        authenticator: DeviceAuthenticator(storage: storage, clock: clock), bodyReader: bodyReader
    ).register(on: registrar)
    NotificationEndpoints(
        storage: storage, settings: configuration.webhooks,
        authenticator: AdminAuthenticator(adminToken: configuration.adminToken)
    ).register(on: registrar)

    let application = Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "caresync"),
        // The jobs after the storage: shut down first, before the database closes.
        services: [StorageService(storage: storage, logger: logger)] + workflows.services
            + [overdueMonitor, reportMonitor, FreeMemory.trimService(every: workflows.interval, logger: logger)],
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.port ?? 0)
        },
        logger: logger)
    return CareServerApplication(
        application: application, routes: registrar.routes, storage: storage, metrics: metrics, identity: identity,
        serverWriter: serverWriter, overdueMonitor: overdueMonitor,
        reportMonitor: reportMonitor, workflows: workflows)
}

