import ArgumentParser
import CareStore
import CareSyncClient

/// `caresync device sync`: one sync pass — push the outbox, pull until no page remains.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Sync once: push what is pending, pull what is new. Exits 1 unless the pass ends idle.")

    @OptionGroup var options: DeviceOptions
    @Option(help: "Attempts per request before the pass gives up (backoff with jitter between them).")
    var attempts: Int = 5

    func run() async throws {
        try await options.withDevice { profile, store in
            let engine = SyncEngine(
                store: store, transport: DeviceOptions.transport(profile), signer: try profile.signer(),
                configuration: SyncEngine.Configuration(retry: RetryPolicy(maximumAttempts: attempts)))
            let clock = ContinuousClock()
            let start = clock.now
            let status = await engine.sync()
            let pulled = status.pull?.operations ?? 0
            print(
                "sync \(Self.describe(status.activity)) in \(clock.now - start): pulled \(pulled) operation(s), \(status.pendingUploadCount) pending upload(s)")
            switch status.activity {
            case .idle:
                return
            case .offline:
                throw CommandFailure("offline", "the server could not be reached; everything stays on the device for the next sync")
            case .credentialRejected(let code):
                throw CommandFailure(code, "the server refused this device's credential; enrol again (local data is kept)")
            case .error(let code):
                throw CommandFailure(code, "the sync stopped on an error; see `caresync device status`")
            case .syncing:
                return
            }
        }
    }

    static func describe(_ activity: SyncActivity) -> String {
        switch activity {
        case .idle: "done"
        case .syncing: "running"
        case .offline: "offline"
        case .error(let code): "failed (\(code))"
        case .credentialRejected(let code): "refused (\(code))"
        }
    }
}
