import CareModel
import CareStore
import CareSyncClient
import CareSyncTestSupport
import Foundation

/// A device under test: a real CareStore file, enrolled on a real server, and
/// a sync engine over real HTTP. Backoff waits are skipped (the injected sleep
/// returns at once), so retries cost no wall time.
struct ClientDevice: Sendable {
    let enrolment: EnrolmentResponse
    let store: CareStore
    let engine: SyncEngine

    /// Every test device's signing key, and the public key it enrols with.
    static let signer = try! ChainHeadSigner(rawRepresentation: [UInt8](repeating: 7, count: 32))
    static let publicKey = signer.publicKeyBase64

    /// A sleep that does not wait (but honours cancellation).
    static let noWait: SyncEngine.Sleep = { _ in try Task.checkCancellation() }

    /// Fast retries for tests: 3 attempts per request.
    static let testConfiguration = SyncEngine.Configuration(
        pushBatchLimit: 3, pullPageLimit: 4, retry: RetryPolicy(initialDelay: .milliseconds(10), maximumAttempts: 3))

    /// Creates `worker` on the server if `roles` is given, enrols a new device
    /// for it over HTTP, and opens its store in `directory`, trusting the
    /// server key enrolment gave (or `trusting`, when given; none when
    /// `keepsServerKey` is false, as a store made before receipts).
    static func enrol(
        _ worker: String, role: Role, team: String? = nil, createWith roles: [Role]? = nil,
        on server: ClientTestServer, in directory: TestDirectory, trusting serverKey: ServerPublicKey? = nil,
        keepsServerKey: Bool = true
    ) async throws -> ClientDevice {
        if let roles { try await server.createWorker(worker, roles: roles, teams: team.map { [$0] } ?? []) }
        let code = try await server.enrolmentCode(for: worker)
        var generator = SystemRandomNumberGenerator()
        let replica = ReplicaID(uuid: .version7(unixMillis: 1_767_225_600_000, using: &generator))
        let enrolment = try await server.transport().enrol(
            EnrolmentRequest(code: code, publicKey: publicKey, replica: replica))
        let identity = StoreIdentity(
            worker: enrolment.worker, role: role, team: team.flatMap(TeamID.init), replica: enrolment.replica,
            device: enrolment.device)
        let store = try await CareStore.open(path: directory.path("\(worker)-\(replica).sqlite"), identity: identity)
        if keepsServerKey, let key = try serverKey ?? enrolment.serverKey.map({ try ServerPublicKey(base64: $0) }) {
            try await store.setServerKey(key)
        }
        return ClientDevice(enrolment: enrolment, store: store, baseURL: server.baseURL)
    }

    init(
        enrolment: EnrolmentResponse, store: CareStore, baseURL: URL,
        configuration: SyncEngine.Configuration = Self.testConfiguration
    ) {
        self.enrolment = enrolment
        self.store = store
        let transport = HTTPSyncTransport(
            configuration: .init(baseURL: baseURL, requestTimeout: .seconds(20)), token: enrolment.token)
        self.engine = SyncEngine(
            store: store, transport: transport, signer: Self.signer, configuration: configuration, sleep: Self.noWait,
            random: SplitMix64(seed: 42))
    }

    /// The same device (store and credential) with a new engine talking to
    /// another server process (after a restart on a new port).
    func reconnected(to server: ClientTestServer) -> ClientDevice {
        ClientDevice(enrolment: enrolment, store: store, baseURL: server.baseURL)
    }

    /// The same device with a new engine talking through `baseURL` (a proxy).
    func via(_ baseURL: URL, configuration: SyncEngine.Configuration = Self.testConfiguration) -> ClientDevice {
        ClientDevice(enrolment: enrolment, store: store, baseURL: baseURL, configuration: configuration)
    }

    /// The same device with a new engine talking through `proxy`.
    func via(_ proxy: FaultInjectingProxy, configuration: SyncEngine.Configuration = Self.testConfiguration) -> ClientDevice {
        via(URL(string: "http://127.0.0.1:\(proxy.port)")!, configuration: configuration)
    }

    var worker: WorkerID { enrolment.worker }

    /// Syncs and expects the pass to end idle with nothing pending.
    @discardableResult
    func syncFully() async -> SyncEngineStatus {
        await engine.sync()
    }
}
