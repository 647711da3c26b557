public import Crypto
public import Foundation

/// The public half of the server's Ed25519 signing key: what a device (from
/// enrolment, or `GET /v1/server/identity`) and an auditor (given it by the
/// provider) check receipts against.
public struct ServerPublicKey: Sendable, Hashable {
    let key: Curve25519.Signing.PublicKey

    /// The key as 32 raw bytes, base64 (standard alphabet, padded). Throws
    /// ``CareModelError`` `invalid_server_key` for anything else.
    public init(base64: String) throws(CareModelError) {
        guard let bytes = Data(base64Encoded: base64.trimmingCharacters(in: .whitespacesAndNewlines)),
            let key = try? Curve25519.Signing.PublicKey(rawRepresentation: bytes)
        else {
            throw CareModelError(.invalidServerKey, "a server public key is 32 bytes of base64 (Ed25519)")
        }
        self.key = key
    }

    /// The public half of the server's signing key.
    public init(_ key: Curve25519.Signing.PublicKey) {
        self.key = key
    }

    /// The 32 raw bytes, base64.
    public var base64: String { key.rawRepresentation.base64EncodedString() }

    func isValidSignature(_ signatureBase64: String, for message: [UInt8]) -> Bool {
        guard let signature = Data(base64Encoded: signatureBase64) else { return false }
        return key.isValidSignature(signature, for: message)
    }

    public static func == (lhs: Self, rhs: Self) -> Bool { lhs.key.rawRepresentation == rhs.key.rawRepresentation }
    public func hash(into hasher: inout Hasher) { hasher.combine(key.rawRepresentation) }
}
