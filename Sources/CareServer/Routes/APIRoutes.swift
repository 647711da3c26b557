import Hummingbird

/// One route of the API: its method and its path in OpenAPI form (`/v1/admin/workers/{worker}`).
public struct APIRoute: Hashable, Sendable, CustomStringConvertible {
    public var method: String
    public var path: String

    public var description: String { "\(method) \(path)" }
}

/// Registers routes on the router and remembers them, so that a test can check
/// them against `Schema/openapi.yaml`.
final class RouteRegistrar<Context: RequestContext> {
    let router: Router<Context>
    private(set) var routes: [APIRoute] = []

    init(router: Router<Context>) {
        self.router = router
    }

    /// Adds `handler` for `method` on `path` (OpenAPI form: `{name}` for a parameter).
    func on(
        _ method: HTTPRequest.Method, _ path: String,
        handler: @escaping @Sendable (Request, Context) async throws -> Response
    ) {
        routes.append(APIRoute(method: method.rawValue, path: path))
        let routerPath = path.split(separator: "/", omittingEmptySubsequences: false).map { segment in
            segment.hasPrefix("{") && segment.hasSuffix("}") ? ":" + segment.dropFirst().dropLast() : String(segment)
        }.joined(separator: "/")
        router.on(RouterPath(routerPath), method: method, use: handler)
    }
}
