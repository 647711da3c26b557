import Crypto

/// Bearer tokens, enrolment codes and device ids: made from a random source,
/// kept by the server only as SHA-256.
public struct Secrets: Sendable {
    private let randomBytes: @Sendable (Int) -> [UInt8]

    /// Secrets from the system's cryptographic random generator.
    public static let system = Secrets { count in
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }

    /// Secrets from a given byte source (tests).
    public init(randomBytes: @escaping @Sendable (Int) -> [UInt8]) {
        self.randomBytes = randomBytes
    }

    /// A device bearer token: `csd_` and 32 random bytes in base64url without padding.
    public func deviceToken() -> String {
        "csd_" + Self.base64URL(randomBytes(32))
    }

    /// A one-time enrolment code: 16 characters of Crockford base32 (80 random
    /// bits) in groups of four, easy to read out over the phone.
    public func enrolmentCode() -> String {
        let alphabet = Array("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
        let bytes = randomBytes(16)
        let characters = bytes.map { alphabet[Int($0 & 31)] }
        return stride(from: 0, to: 16, by: 4).map { String(characters[$0..<$0 + 4]) }.joined(separator: "-")
    }

    /// 16 random bytes, for ids.
    public func uuidBits() -> (high: UInt64, low: UInt64) {
        let bytes = randomBytes(16)
        let high = bytes[0..<8].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        let low = bytes[8..<16].reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
        return (high, low)
    }

    /// SHA-256 of a token as sent (the form the database keeps).
    public static func tokenHash(_ token: String) -> [UInt8] {
        Array(SHA256.hash(data: Array(token.utf8)))
    }

    /// SHA-256 of an enrolment code after normalising it (upper case, no
    /// separators or spaces; Crockford's I, L → 1 and O → 0).
    public static func enrolmentCodeHash(_ code: String) -> [UInt8] {
        let normalised = code.uppercased().compactMap { character -> Character? in
            switch character {
            case "-", " ": nil
            case "I", "L": "1"
            case "O": "0"
            default: character
            }
        }
        return Array(SHA256.hash(data: Array(String(normalised).utf8)))
    }

    static func base64URL(_ bytes: [UInt8]) -> String {
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
        var output: [UInt8] = []
        var index = 0
        while index + 3 <= bytes.count {
            let value = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { output.append(alphabet[Int((value >> UInt32(shift)) & 63)]) }
            index += 3
        }
        let remaining = bytes.count - index
        if remaining > 0 {
            var value = UInt32(bytes[index]) << 16
            if remaining == 2 { value |= UInt32(bytes[index + 1]) << 8 }
            let count = remaining == 1 ? 2 : 3
            for shift in [18, 12, 6].prefix(count) { output.append(alphabet[Int((value >> UInt32(shift)) & 63)]) }
        }
        return String(decoding: output, as: UTF8.self)
    }
}
