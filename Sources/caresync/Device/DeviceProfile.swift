import CareModel
import CareStore
import Foundation

/// What enrolment gave this command-line device, saved beside its store file
/// (`<store>.device.json`, readable only by its owner: it holds the credential).
struct DeviceProfile: Codable, Sendable, Hashable {
    var server: URL
    var worker: WorkerID
    var role: Role
    var team: TeamID?
    var replica: ReplicaID
    var device: DeviceID
    var token: String
    var expiresAt: Int64
    /// The device's Ed25519 private key (raw, base64), for signing its chain head.
    var signingKey: String

    var identity: StoreIdentity {
        StoreIdentity(worker: worker, role: role, team: team, replica: replica, device: device)
    }

    /// The key that signs this device's chain head on every push.
    func signer() throws(CommandFailure) -> ChainHeadSigner {
        guard let raw = Data(base64Encoded: signingKey), let signer = try? ChainHeadSigner(rawRepresentation: raw) else {
            throw CommandFailure(CommandFailure.invalidProfile, "the device profile's signing key is damaged")
        }
        return signer
    }

    /// Where the profile of the store at `storePath` lives.
    static func path(forStore storePath: String) -> String { storePath + ".device.json" }

    /// Reads the profile of the store at `storePath`.
    static func load(forStore storePath: String) throws(CommandFailure) -> DeviceProfile {
        let path = path(forStore: storePath)
        guard let data = FileManager.default.contents(atPath: path) else {
            throw CommandFailure(
                CommandFailure.notEnrolled,
                "no device is enrolled at \(storePath) (no \(path)); run `caresync device enrol` first")
        }
        do {
            return try JSONDecoder().decode(DeviceProfile.self, from: data)
        } catch {
            throw CommandFailure(CommandFailure.invalidProfile, "\(path) is not a device profile")
        }
    }

    /// Writes the profile with owner-only permissions; refuses to replace one.
    func save(forStore storePath: String) throws(CommandFailure) {
        let path = Self.path(forStore: storePath)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        guard let data = try? encoder.encode(self),
            FileManager.default.createFile(atPath: path, contents: data, attributes: [.posixPermissions: 0o600])
        else {
            throw CommandFailure("profile_not_saved", "could not write \(path)")
        }
    }
}
