import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// Sends one delivery attempt with AsyncHTTPClient (see docs/ARCHITECTURE.md,
/// "Notifications", for why this client) and says how it went: a 2xx answer is
/// a delivery; anything else, a timeout or a network error is a failure
/// described without the payload.
struct WebhookPoster: Sendable {
    let timeout: TimeAmount

    /// Nil when delivered; otherwise what went wrong.
    func post(_ request: WebhookRequest, to url: String) async -> String? {
        var http = HTTPClientRequest(url: url)
        http.method = .POST
        for header in request.headers { http.headers.add(name: header.name, value: header.value) }
        http.body = .bytes(ByteBuffer(bytes: request.body))
        do {
            let response = try await HTTPClient.shared.execute(http, timeout: timeout)
            // Read (and drop) the answer, so the connection can be reused.
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return (200..<300).contains(response.status.code) ? nil : "HTTP \(response.status.code)"
        } catch {
            return "\(type(of: error)): \(error)"
        }
    }
}
