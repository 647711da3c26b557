import Hummingbird
import Logging

/// Turns every error into the API's JSON error body `{"code","message","field"?}`
/// and logs each request (method, path, status, time; never bodies).
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: SyncMetrics
    let clock: ContinuousClock = ContinuousClock()

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws
        -> Response
    {
        let start = clock.now
        let response: Response
        var code: String?
        do {
            response = try await next(request, context)
        } catch let error as ServerError {
            code = error.code.rawValue
            response = JSONResponse.error(error)
        } catch let error as HTTPError {
            let serverError = Self.serverError(error)
            code = serverError.code.rawValue
            response = JSONResponse.error(serverError)
        } catch {
            context.logger.error("request failed", metadata: ["error.type": "\(type(of: error))"])
            code = ServerError.Code.internalError.rawValue
            response = JSONResponse.error(
                ServerError(.internalError, "the server failed; see its log", status: .internalServerError))
        }
        let elapsed = clock.now - start
        let route = context.endpointPath ?? "unmatched"
        metrics.recordRequest(route: route, status: response.status.code, duration: elapsed)
        if let code { metrics.recordRefusal(code: code) }
        var metadata: Logger.Metadata = [
            "http.method": "\(request.method)", "http.route": "\(route)", "http.status": "\(response.status.code)",
        ]
        if let code { metadata["error.code"] = "\(code)" }
        context.logger.info("request", metadata: metadata)
        return response
    }

    static func serverError(_ error: HTTPError) -> ServerError {
        switch error.status {
        case .notFound: ServerError(.notFound, "no such route", status: .notFound)
        case .contentTooLarge: ServerError(.bodyTooLarge, "the request body is too large", status: .contentTooLarge)
        case .methodNotAllowed: ServerError(.notFound, "no such route for this method", status: .methodNotAllowed)
        default:
            ServerError(
                ServerError.Code(rawValue: "http_\(error.status.code)"), error.status.reasonPhrase,
                status: error.status)
        }
    }
}
