import Hummingbird
import Prometheus

/// Health checks and metrics: `GET /v1/health/live`, `GET /v1/health/ready`, `GET /metrics`.
struct OperationalEndpoints: Sendable {
    let storage: any SyncStorage
    let metrics: SyncMetrics

    func register(on registrar: RouteRegistrar<SyncRequestContext>) {
        registrar.on(.get, "/v1/health/live") { _, _ in
            JSONResponse.bytes(Array(#"{"status":"live"}"#.utf8))
        }
        registrar.on(.get, "/v1/health/ready") { _, _ in
            do {
                try await storage.checkReady()
            } catch {
                throw ServerError(.notReady, "the database is not available", status: .serviceUnavailable)
            }
            return JSONResponse.bytes(Array(#"{"status":"ready"}"#.utf8))
        }
        registrar.on(.get, "/metrics") { _, _ in
            // Counted from the database at each scrape, so that enrolments and
            // revocations made through another instance or `caresync admin`
            // show too. A database that does not answer leaves the last count
            // (readiness reports the database; the other metrics still matter then).
            if let enrolled = try? await storage.enrolledDeviceCount() {
                metrics.setEnrolledDevices(enrolled)
            }
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; version=0.0.4"
            return Response(
                status: .ok, headers: headers,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: metrics.registry.emitToBuffer())))
        }
    }
}
