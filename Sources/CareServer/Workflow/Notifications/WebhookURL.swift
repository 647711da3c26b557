import Foundation

/// A webhook address the dispatcher accepts: `http://` or `https://`, with a host.
struct WebhookURL: Sendable, Hashable {
    let text: String

    init(_ text: String) throws {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = url.host, !host.isEmpty
        else {
            throw ServerError(
                .invalidConfiguration, "a webhook URL must be http:// or https://host[:port]/path", field: "webhook",
                status: .internalServerError)
        }
        self.text = text
    }
}
