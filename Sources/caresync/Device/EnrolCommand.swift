import ArgumentParser
import CareModel
import CareStore
import CareSyncClient
import Foundation

/// `caresync device enrol --server URL --code CODE`: exchanges a one-time
/// enrolment code (from `caresync admin enrolment-code`) for a credential and
/// creates the device's store.
struct EnrolCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "enrol", abstract: "Enrol this device with a one-time code and create its store.")

    @OptionGroup var options: DeviceOptions
    @Option(help: "The server's base URL. (env: CARESYNC_SERVER_URL, default http://127.0.0.1:8080)")
    var server: String?
    @Option(help: "The one-time enrolment code.")
    var code: String
    @Option(help: "The worker's role on this device: \(Role.assignable.map(\.rawValue).joined(separator: ", ")).")
    var role: String = Role.careWorker.rawValue
    @Option(help: "The worker's team (coordinators plan their team's visits).")
    var team: String?

    func validate() throws {
        guard Role(rawValue: role) != nil else { throw ValidationError("unknown role \(role)") }
        if let team, TeamID(team) == nil { throw ValidationError("malformed team id \(team)") }
        guard serverURL != nil else { throw ValidationError("the server URL is not an http(s) URL") }
    }

    private var serverURL: URL? {
        let text = server ?? ProcessInfo.processInfo.environment["CARESYNC_SERVER_URL"] ?? "http://127.0.0.1:8080"
        guard let url = URL(string: text), ["http", "https"].contains(url.scheme ?? "") else { return nil }
        return url
    }

    func run() async throws {
        let storePath = options.storePath
        guard !FileManager.default.fileExists(atPath: DeviceProfile.path(forStore: storePath)) else {
            throw CommandFailure(CommandFailure.alreadyEnrolled, "a device is already enrolled at \(storePath)")
        }
        let signer = ChainHeadSigner()
        var generator = SystemRandomNumberGenerator()
        let replica = ReplicaID(uuid: .version7(unixMillis: DeviceFormat.now, using: &generator))
        let transport = HTTPSyncTransport(configuration: .init(baseURL: serverURL!))
        let response: EnrolmentResponse
        do {
            response = try await transport.enrol(
                EnrolmentRequest(code: code, publicKey: signer.publicKeyBase64, replica: replica))
        } catch {
            throw CommandFailure(error)
        }
        let profile = DeviceProfile(
            server: serverURL!, worker: response.worker, role: Role(rawValue: role)!, team: team.flatMap(TeamID.init),
            replica: response.replica, device: response.device, token: response.token, expiresAt: response.expiresAt,
            signingKey: signer.rawRepresentation.base64EncodedString())
        var serverKey: ServerPublicKey?
        if let text = response.serverKey {
            do throws(CareModelError) {
                serverKey = try ServerPublicKey(base64: text)
            } catch {
                throw CommandFailure(error.code.rawValue, "the server's public key: \(error.message)")
            }
        }
        do {
            let store = try await CareStore.open(path: storePath, identity: profile.identity)
            defer { try? store.close() }
            // Receipts are checked against the key learnt here, in the exchange the one-time code authenticates.
            if let serverKey { try await store.setServerKey(serverKey) }
        } catch {
            throw CommandFailure(error)
        }
        try profile.save(forStore: storePath)
        print("enrolled \(response.worker) as device \(response.device) (\(role)); store \(storePath)")
    }
}
