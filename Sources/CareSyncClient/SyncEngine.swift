public import CareModel
public import CareStore

/// The device's sync engine: one ``sync()`` pass pushes the store's outbox and
/// pulls what the server has for this device.
///
/// A pass: requests of `POST /v1/sync`, each pushing one outbox batch
/// (`nextUploadBatch` → `markSent` → … → `applyPushResults`) and pulling one
/// page (`applyPulledPage`: page and cursor in one transaction), until nothing
/// is pending and the server says no more wait. With the default sizes a device
/// back from a week offline (hundreds up, thousands down) syncs in a few round
/// trips. Each request is retried with ``RetryPolicy`` backoff.
///
/// The engine keeps no sync state of its own: the outbox and the cursor live in
/// the store, and the server is idempotent on operation ids, so a pass cut at
/// any point (before, during or after a request; before or during an apply)
/// loses nothing and stores nothing twice — the next pass resends what was not
/// acknowledged and pulls again after the stored cursor.
///
/// Time and randomness are injected (`sleep`, `random`), so tests drive the
/// backoff without waiting on the wall clock.
public actor SyncEngine {
    /// Sizes and retry settings.
    public struct Configuration: Sendable, Hashable {
        /// Operations per push (the store may grow a batch to end at an abuse report). Default 500:
        /// a week offline is typically one batch; the server takes up to 5,000.
        public var pushBatchLimit: Int
        /// Operations per pulled page; nil takes the server's default (500). Default 1,000
        /// (about 30 KB compressed in the columns format; the server allows up to 5,000).
        public var pullPageLimit: Int?
        public var retry: RetryPolicy

        public init(pushBatchLimit: Int = 500, pullPageLimit: Int? = 1_000, retry: RetryPolicy = RetryPolicy()) {
            self.pushBatchLimit = pushBatchLimit
            self.pullPageLimit = pullPageLimit
            self.retry = retry
        }
    }

    /// Waits the given duration; throws when the waiting task is cancelled.
    public typealias Sleep = @Sendable (Duration) async throws -> Void

    /// Sleeps on the continuous clock: the default ``Sleep``.
    public static let continuousSleep: Sleep = { duration in
        try await ContinuousClock().sleep(for: duration)
    }

    public let store: CareStore
    public let transport: any SyncTransport
    /// The device's key: every push is signed over the chain head it ends at.
    let signer: ChainHeadSigner
    public let configuration: Configuration
    let sleep: Sleep
    var random: any RandomNumberGenerator & Sendable

    /// The current state (also sent on ``statusUpdates()``).
    public private(set) var status = SyncEngineStatus()
    var observers: [Int: AsyncStream<SyncEngineStatus>.Continuation] = [:]
    var nextObserver = 0
    var isRunningPass = false
    var passRequested = false

    /// Triggers for ``run()``: yielded by ``syncNow()`` and ``connectivityRestored()``.
    let triggers: AsyncStream<SyncTrigger>
    let triggerContinuation: AsyncStream<SyncTrigger>.Continuation

    /// - Parameters:
    ///   - store: the device store to sync.
    ///   - transport: the server connection, with the device's credential.
    ///   - signer: the device's signing key, whose public key the device enrolled with.
    ///   - sleep: how backoff and periodic waits happen (default: the continuous clock).
    ///   - random: the jitter's source (default: the system generator; tests pass a seeded one).
    public init(
        store: CareStore, transport: any SyncTransport, signer: ChainHeadSigner,
        configuration: Configuration = Configuration(),
        sleep: @escaping Sleep = SyncEngine.continuousSleep,
        random: some RandomNumberGenerator & Sendable = SystemRandomNumberGenerator()
    ) {
        self.store = store
        self.transport = transport
        self.signer = signer
        self.configuration = configuration
        self.sleep = sleep
        self.random = random
        (triggers, triggerContinuation) = AsyncStream.makeStream(of: SyncTrigger.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// A stream of status values: the current one first, then one per change.
    /// Keeps only the newest value if the reader falls behind. Ends when the
    /// reader stops iterating.
    public func statusUpdates() -> AsyncStream<SyncEngineStatus> {
        let (stream, continuation) = AsyncStream.makeStream(
            of: SyncEngineStatus.self, bufferingPolicy: .bufferingNewest(1))
        continuation.yield(status)
        observers[nextObserver] = continuation
        nextObserver += 1
        return stream
    }

    func publish(_ change: (inout SyncEngineStatus) -> Void) {
        var updated = status
        change(&updated)
        guard updated != status else { return }
        status = updated
        for (key, continuation) in observers {
            if case .terminated = continuation.yield(updated) { observers[key] = nil }
        }
    }

    /// Reads the store's counters into the status.
    func refreshCounts() async {
        guard let counts = try? await store.syncStatus() else { return }
        publish {
            $0.pendingUploadCount = counts.pendingUploadCount
            $0.rejectedUploadCount = counts.rejectedCount
            $0.lastSuccessfulSync = counts.lastSuccessfulSync
        }
    }
}
