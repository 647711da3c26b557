import CareModel
import Hummingbird

/// `/v1/admin/...`: reference data, enrolment codes and devices, behind the
/// admin token.
struct AdminEndpoints: Sendable {
    let storage: any SyncStorage
    let admin: AdminService
    let authenticator: AdminAuthenticator
    let bodyReader: RequestBodyReader

    /// The body of `PUT /v1/admin/workers/{worker}`.
    struct WorkerBody: Codable, Sendable {
        var roles: [Role]
        var teams: [TeamID]
        var active: Bool?
    }

    /// The body of `PUT /v1/admin/residents/{resident}`.
    struct ResidentBody: Codable, Sendable {
        var team: TeamID
    }

    func register(on registrar: RouteRegistrar<SyncRequestContext>) {
        registrar.on(.get, "/v1/admin/workers") { request, _ in
            try authenticator.authenticate(request)
            return try JSONResponse.encode(try await storage.workers())
        }
        registrar.on(.put, "/v1/admin/workers/{worker}") { request, context in
            try authenticator.authenticate(request)
            let id = try Self.name(WorkerID.self, context, "worker")
            let body = try await bodyReader.decode(WorkerBody.self, from: request)
            let worker = Worker(id: id, roles: body.roles, teams: body.teams, active: body.active ?? true)
            try await admin.saveWorker(worker)
            return try JSONResponse.encode(worker)
        }
        registrar.on(.get, "/v1/admin/residents") { request, _ in
            try authenticator.authenticate(request)
            return try JSONResponse.encode(try await storage.residents())
        }
        registrar.on(.put, "/v1/admin/residents/{resident}") { request, context in
            try authenticator.authenticate(request)
            let id = try Self.name(ResidentID.self, context, "resident")
            let body = try await bodyReader.decode(ResidentBody.self, from: request)
            let resident = Resident(id: id, team: body.team)
            try await storage.saveResident(resident)
            return try JSONResponse.encode(resident)
        }
        registrar.on(.post, "/v1/admin/workers/{worker}/enrolment-codes") { request, context in
            try authenticator.authenticate(request)
            let id = try Self.name(WorkerID.self, context, "worker")
            return try JSONResponse.encode(try await admin.createEnrolmentCode(for: id), status: .created)
        }
        registrar.on(.get, "/v1/admin/devices") { request, _ in
            try authenticator.authenticate(request)
            return try JSONResponse.encode(try await storage.devices())
        }
        registrar.on(.post, "/v1/admin/devices/{device}/revoke") { request, context in
            try authenticator.authenticate(request)
            guard let device = context.parameters.get("device").flatMap(DeviceID.init) else {
                throw ServerError(.invalidParameter, "device must be a device id (UUID)", field: "device", status: .badRequest)
            }
            return try JSONResponse.encode(try await admin.revokeDevice(device))
        }
    }

    private static func name<Name: NameIdentifier>(
        _ type: Name.Type, _ context: SyncRequestContext, _ parameter: String
    ) throws -> Name {
        guard let text = context.parameters.get(parameter), let name = Name(text) else {
            throw ServerError(
                .invalidParameter, "\(parameter) must be 1-64 characters of [A-Za-z0-9._-@:]", field: parameter,
                status: .badRequest)
        }
        return name
    }
}
