import Crypto
import Foundation

/// What one delivery attempt sends: the JSON body and its headers.
///
/// - `Idempotency-Key`: the notification's key, the same on every attempt and
///   every restart; a receiver that already has it answers 2xx and does nothing.
/// - `CareSync-Timestamp`: the attempt's time, Unix ms.
/// - `CareSync-Signature`: `sha256=` and the hex HMAC-SHA256, under the
///   configured secret, of `timestamp.body` — so the receiver can check the
///   sender, and refuse a replayed old request by its timestamp.
struct WebhookRequest: Sendable {
    static let idempotencyKeyHeader = "Idempotency-Key"
    static let timestampHeader = "CareSync-Timestamp"
    static let signatureHeader = "CareSync-Signature"

    let body: [UInt8]
    let headers: [(name: String, value: String)]

    /// The payload: ids, kind, team and time — no care-record content.
    struct Payload: Encodable {
        var key: String
        var kind: String
        var subject: Subject
        var team: String?
        var createdAt: Int64

        struct Subject: Encodable {
            var kind: String
            var id: String
        }

        enum CodingKeys: String, CodingKey {
            case key, kind, subject, team
            case createdAt = "created_at"
        }
    }

    init(_ notification: OutboxNotification, secret: String, at time: Int64) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        body = Array(
            try encoder.encode(
                Payload(
                    key: notification.key, kind: notification.kind,
                    subject: .init(kind: notification.subject.kind.rawValue, id: notification.subject.id.description),
                    team: notification.team?.rawValue, createdAt: notification.createdAt)))
        let timestamp = String(time)
        headers = [
            ("Content-Type", "application/json"),
            (Self.idempotencyKeyHeader, notification.key),
            (Self.timestampHeader, timestamp),
            (Self.signatureHeader, "sha256=" + Self.signature(body: body, timestamp: timestamp, secret: secret)),
        ]
    }

    /// The hex HMAC-SHA256 of `timestamp.body` under `secret`: what a receiver recomputes.
    static func signature(body: [UInt8], timestamp: String, secret: String) -> String {
        let key = SymmetricKey(data: Array(secret.utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: Array(timestamp.utf8) + [UInt8(ascii: ".")] + body, using: key)
        return mac.map { String(format: "%02x", $0) }.joined()
    }
}
