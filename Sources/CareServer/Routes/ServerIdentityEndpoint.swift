import CareModel
import Hummingbird

/// `GET /v1/server/identity`: the server's replica and public key, for devices
/// and auditors that check its signatures. Public, so no credential.
struct ServerIdentityEndpoint: Sendable {
    let identity: ServerIdentity

    func register(on registrar: RouteRegistrar<SyncRequestContext>) {
        let message = ServerIdentityMessage(
            replica: identity.replica, device: identity.device, worker: ServerIdentity.workerID,
            publicKey: identity.publicKeyBase64)
        registrar.on(.get, "/v1/server/identity") { _, _ in
            try JSONResponse.encode(message)
        }
    }
}
