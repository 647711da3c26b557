import CareServer
import Crypto
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import ServiceLifecycle

/// A real webhook receiver for the notification tests: a small Hummingbird app
/// on 127.0.0.1 (port 0) that answers 500 to its first `failures` requests and
/// 200 after, checks each request's signature, and keeps what it received. Like
/// a well-behaved receiver, it acts on a notification once per `Idempotency-Key`.
struct WebhookReceiver: Sendable {
    /// One request as received.
    struct Received: Sendable {
        var key: String?
        var body: [UInt8]
        var signatureValid: Bool
        var answered: Int
    }

    /// What the receiver saw. An actor: requests arrive concurrently.
    actor Log {
        private(set) var received: [Received] = []
        /// The notifications acted on, by idempotency key, in order.
        private(set) var accepted: [String] = []
        let failures: Int

        init(failures: Int) {
            self.failures = failures
        }

        /// Records a request and says which status to answer.
        func receive(key: String?, body: [UInt8], signatureValid: Bool) -> Int {
            let status = received.count < failures ? 500 : 200
            received.append(Received(key: key, body: body, signatureValid: signatureValid, answered: status))
            if status == 200, let key, !accepted.contains(key) { accepted.append(key) }
            return status
        }
    }

    static let secret = "test-webhook-secret"

    let url: String
    let log: Log

    /// Runs a receiver that fails `failures` times (`.max`: always), runs `body`, then stops it.
    static func run<Value: Sendable>(
        failures: Int = 0, _ body: @Sendable (WebhookReceiver) async throws -> Value
    ) async throws -> Value {
        let log = Log(failures: failures)
        let router = Router()
        router.post("/hook") { request, _ -> Response in
            let bytes = Array(try await request.body.collect(upTo: 1 << 20).readableBytesView)
            let timestamp = request.headers[HTTPField.Name("CareSync-Timestamp")!] ?? ""
            let expected = "sha256=" + Self.hmac(Array(timestamp.utf8) + [UInt8(ascii: ".")] + bytes)
            let status = await log.receive(
                key: request.headers[HTTPField.Name("Idempotency-Key")!], body: bytes,
                signatureValid: request.headers[HTTPField.Name("CareSync-Signature")!] == expected)
            return Response(status: .init(code: status))
        }
        var logger = Logger(label: "webhook-receiver")
        logger.logLevel = .warning
        let (ports, continuation) = AsyncStream<Int>.makeStream()
        let application = Application(
            router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
        let group = ServiceGroup(configuration: .init(services: [application], logger: logger))
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask {
                defer { continuation.finish() }
                try await group.run()
            }
            var iterator = ports.makeAsyncIterator()
            guard let port = await iterator.next() else { throw TestServerError.unexpectedStatus(.internalServerError, "no port") }
            do {
                let value = try await body(WebhookReceiver(url: "http://127.0.0.1:\(port)/hook", log: log))
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
                return value
            } catch {
                await group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
        }
    }

    static func hmac(_ message: [UInt8]) -> String {
        HMAC<SHA256>.authenticationCode(for: message, using: SymmetricKey(data: Array(secret.utf8)))
            .map { String(format: "%02x", $0) }.joined()
    }
}
