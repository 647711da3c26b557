import CareModel
import Hummingbird

/// `GET /v1/quarantine`: the rejected operations a reviewer may see (see
/// ``QuarantineScope``), with their content; `GET /v1/admin/quarantine`: the
/// rows that are not about abuse reports, metadata only, for admins.
struct QuarantineEndpoints: Sendable {
    let storage: any SyncStorage
    let authenticator: DeviceAuthenticator
    let adminAuthenticator: AdminAuthenticator
    let configuration: ServerConfiguration

    func register(on registrar: RouteRegistrar<SyncRequestContext>) {
        registrar.on(.get, "/v1/quarantine") { request, _ in
            let credential = try await authenticator.authenticate(request)
            guard let scope = QuarantineScope.of(credential.worker) else {
                throw ServerError(
                    .quarantineForbidden,
                    "only auditors, safeguarding leads and coordinators may review quarantined operations",
                    status: .forbidden)
            }
            return try await listing(request, scope: scope, withContent: true)
        }
        registrar.on(.get, "/v1/admin/quarantine") { request, _ in
            try adminAuthenticator.authenticate(request)
            return try await listing(request, scope: QuarantineScope(careRecords: true), withContent: false)
        }
    }

    private func listing(_ request: Request, scope: QuarantineScope, withContent: Bool) async throws -> Response {
        let after = try SyncEndpoints.parameter(request, "after", default: 0) as UInt64
        let limit = try SyncEndpoints.parameter(request, "limit", default: configuration.defaultPageSize) as Int
        try SyncEndpoints.checkPageLimit(limit, configuration)
        let page = try await storage.quarantine(scope, after: Int64(clamping: after), limit: limit)
        return try JSONResponse.encode(
            QuarantineListing(
                entries: page.rows.map { QuarantineListing.Entry($0, withContent: withContent) },
                nextCursor: page.nextCursor, hasMore: page.hasMore))
    }
}
