import ArgumentParser
import CareStore
import CareSyncClient
import Foundation

/// The options every `caresync device` command shares: which device (its store file).
struct DeviceOptions: ParsableArguments {
    @Option(help: "The device's store file; its enrolment is kept beside it in <store>.device.json. (env: CARESYNC_DEVICE_STORE, default ./caresync-device.sqlite)")
    var store: String?

    var storePath: String {
        store ?? ProcessInfo.processInfo.environment["CARESYNC_DEVICE_STORE"] ?? "caresync-device.sqlite"
    }

    /// Opens the enrolled device's store, runs `body`, closes the store.
    func withDevice<Value>(
        _ body: (DeviceProfile, CareStore) async throws -> Value
    ) async throws -> Value {
        let profile = try DeviceProfile.load(forStore: storePath)
        let store: CareStore
        do {
            store = try await CareStore.open(path: storePath, identity: profile.identity)
        } catch {
            throw CommandFailure(error)
        }
        defer { try? store.close() }
        do {
            return try await body(profile, store)
        } catch let error as CareStoreError {
            throw CommandFailure(error)
        }
    }

    /// The transport to the enrolled device's server, with its credential.
    static func transport(_ profile: DeviceProfile) -> HTTPSyncTransport {
        HTTPSyncTransport(configuration: .init(baseURL: profile.server), token: profile.token)
    }
}
