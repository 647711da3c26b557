import CareModel
import Hummingbird

/// The review queue's API, for enrolled devices:
/// - `GET /v1/review[?state=open|all]`: coordinators see their teams' items,
///   auditors every item; nobody else (`reviewer_only`). Abuse reports are never in it.
/// - `POST /v1/review/{item}/decision`: a coordinator decides one of their
///   teams' open items; the decision becomes an operation written on their behalf.
struct ReviewEndpoints: Sendable {
    let storage: any SyncStorage
    let decisions: ReviewDecisions
    let authenticator: DeviceAuthenticator
    let bodyReader: RequestBodyReader

    struct Listing: Encodable {
        var items: [ReviewItem]
    }

    func register(on registrar: RouteRegistrar<SyncRequestContext>) {
        registrar.on(.get, "/v1/review") { request, _ in
            let worker = try await authenticator.authenticate(request).worker
            let state = request.uri.queryParameters["state"].map(String.init) ?? "open"
            guard state == "open" || state == "all" else {
                throw ServerError(.invalidParameter, "state must be open or all", field: "state", status: .badRequest)
            }
            let items = try await storage.reviewItems(
                teams: try Self.visibleTeams(worker), includeResolved: state == "all", limit: 5_000)
            return try JSONResponse.encode(Listing(items: items))
        }
        registrar.on(.post, "/v1/review/{item}/decision") { request, context in
            let credential = try await authenticator.authenticate(request)
            let body = try await bodyReader.decode(ReviewDecision.self, from: request)
            let item = context.parameters.get("item") ?? ""
            return try JSONResponse.encode(try await decisions.decide(item, body, by: credential.worker))
        }
    }

    /// The teams whose items `worker` may read: every team (nil) for an
    /// auditor, their own for a coordinator.
    static func visibleTeams(_ worker: Worker) throws -> [TeamID]? {
        if worker.roles.contains(.auditor) { return nil }
        if worker.roles.contains(.coordinator) { return worker.teams }
        throw ServerError(
            .reviewerOnly, "the review queue is for coordinators and auditors", status: .forbidden)
    }
}
