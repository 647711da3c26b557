import CareModel
public import Crypto
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
    /// The public half of the key that signs receipts (base64).
    public let receiptPublicKey: String
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
    receiptKey: Curve25519.Signing.PrivateKey = interimReceiptKey,
    onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
) async throws -> CareServerApplication {
    let storage: any SyncStorage =
        if let given { given } else { try await openSyncStorage(database: configuration.databasePath, logger: logger) }
    let metrics = SyncMetrics()
    metrics.setEnrolledDevices(try await storage.devices().filter { $0.revokedAt == nil }.count)
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
        metrics: metrics, serverKey: receiptKey.publicKey.rawRepresentation.base64EncodedString()
    ).register(on: registrar)
    SyncEndpoints(
        storage: storage,
        planner: IngestPlanner(policy: .standard, maximumOperationBytes: configuration.maximumOperationBytes),
        configuration: configuration, clock: clock, metrics: metrics,
        authenticator: DeviceAuthenticator(storage: storage, clock: clock), bodyReader: bodyReader,
        connected: ConnectedDevices(windowSeconds: configuration.connectedWindowSeconds, metrics: metrics),
        receiptKey: receiptKey
    ).register(on: registrar)
    QuarantineEndpoints(
        storage: storage, authenticator: DeviceAuthenticator(storage: storage, clock: clock),
        adminAuthenticator: AdminAuthenticator(adminToken: configuration.adminToken), configuration: configuration
    ).register(on: registrar)
    AuditEndpoints(storage: storage, authenticator: DeviceAuthenticator(storage: storage, clock: clock))
        .register(on: registrar)
    AdminEndpoints(
        storage: storage,
        admin: AdminService(
            storage: storage, clock: clock, secrets: secrets,
            codeLifetimeSeconds: configuration.enrolmentCodeLifetimeSeconds),
        authenticator: AdminAuthenticator(adminToken: configuration.adminToken), bodyReader: bodyReader
    ).register(on: registrar)

    let application = Application(
        router: router,
        server: .http1(configuration: .init(idleTimeout: .seconds(Int64(configuration.idleTimeoutSeconds)))),
        configuration: .init(address: .hostname(configuration.host, port: configuration.port), serverName: "caresync"),
        services: [StorageService(storage: storage, logger: logger)],
        onServerRunning: { channel in
            await onServerRunning(channel.localAddress?.port ?? 0)
        },
        logger: logger)
    return CareServerApplication(
        application: application, routes: registrar.routes, storage: storage, metrics: metrics,
        receiptPublicKey: receiptKey.publicKey.rawRepresentation.base64EncodedString())
}

/// INTERIM, until the server identity (issue 8's shared foundation) lands: the
/// key receipts are signed with, one per process. Replaced by
/// `ServerIdentity`'s signing key, which every instance on a database shares.
@usableFromInline let interimReceiptKey = Curve25519.Signing.PrivateKey()
