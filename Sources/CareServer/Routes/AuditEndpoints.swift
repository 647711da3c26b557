import CareModel
import Foundation
import Hummingbird
import NIOCore

/// `GET /v1/audit/state`: the server's state (``SyncStorage/state(through:pageSize:)``)
/// for auditors, who authenticate with an enrolled device like any other role.
struct AuditEndpoints: Sendable {
    let storage: any SyncStorage
    let authenticator: DeviceAuthenticator

    func register(on registrar: RouteRegistrar<SyncRequestContext>) {
        registrar.on(.get, "/v1/audit/state") { request, _ in
            let credential = try await authenticator.authenticate(request)
            guard credential.worker.roles.contains(.auditor) else {
                throw ServerError(
                    .auditorOnly, "only an auditor may read the server's state", status: .forbidden)
            }
            var through: UInt64?
            if request.uri.queryParameters["through"] != nil {
                through = try SyncEndpoints.parameter(request, "through", default: 0) as UInt64
            }
            let state = try await storage.state(through: through)
            var headers = HTTPFields()
            headers[.contentType] = "application/x-ndjson"
            return Response(
                status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: state.canonicalBytes())))
        }
    }
}
