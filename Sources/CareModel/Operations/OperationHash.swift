import Crypto

/// A SHA-256 digest identifying an operation's content and its place in its
/// replica's hash chain.
public struct OperationHash: Hashable, Sendable, Codable, CustomStringConvertible {
    /// The 32 digest bytes, in order, held in place: an array of them was an
    /// allocation for every operation sealed (see ``Digest``).
    private let digest: Digest

    /// The 32 digest bytes.
    public var bytes: [UInt8] { digest.withBytes { Array($0) } }

    /// The hash before the first operation of every replica: 32 zero bytes.
    public static let genesis = OperationHash(digest: Digest())

    private init(digest: Digest) {
        self.digest = digest
    }

    /// Wraps 32 digest bytes (the caller has checked the count).
    init(unchecked bytes: some Collection<UInt8>) {
        self.init(digest: Digest(bytes))
    }

    /// Wraps 32 digest bytes; nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == 32 else { return nil }
        self.init(unchecked: bytes)
    }

    /// Calls `body` with the 32 digest bytes, without copying them out.
    func withBytes<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        digest.withBytes(body)
    }

    /// Parses 64 hexadecimal characters.
    public init?(hex: some StringProtocol) {
        guard hex.utf8.count == 64 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(32)
        var pending: UInt8?
        for byte in hex.utf8 {
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            if let high = pending {
                bytes.append(high << 4 | nibble)
                pending = nil
            } else {
                pending = nibble
            }
        }
        self.init(unchecked: bytes)
    }

    /// The lowercase hexadecimal form.
    public var hex: String {
        let digits = Array("0123456789abcdef".utf8)
        var text: [UInt8] = []
        text.reserveCapacity(64)
        digest.withBytes { bytes in
            for byte in bytes {
                text.append(digits[Int(byte >> 4)])
                text.append(digits[Int(byte & 0xF)])
            }
        }
        return String(decoding: text, as: UTF8.self)
    }

    public var description: String { hex }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        guard let hash = OperationHash(hex: try container.decode(String.self)) else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "expected 64 hex digits")
        }
        self = hash
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }

    /// The SHA-256 digest of `bytes`.
    init(sha256Of bytes: UnsafeBufferPointer<UInt8>) {
        var hasher = SHA256()
        hasher.update(bufferPointer: UnsafeRawBufferPointer(bytes))
        self.init(digest: hasher.finalize().withUnsafeBytes { Digest(raw: $0) })
    }

    /// SHA-256 of the previous hash followed by the operation's canonical bytes.
    static func chaining(_ canonicalBytes: [UInt8], after previous: OperationHash) -> OperationHash {
        OperationHash(digest: chainHasher(canonicalBytes, after: previous).finalize().withUnsafeBytes { Digest(raw: $0) })
    }

    /// Whether `canonicalBytes` after `previous` hashes to this hash: the check
    /// an audit makes for every operation, without allocating.
    public func isChaining(_ canonicalBytes: [UInt8], after previous: OperationHash) -> Bool {
        Self.chainHasher(canonicalBytes, after: previous).finalize().withUnsafeBytes { Digest(raw: $0) } == digest
    }

    private static func chainHasher(_ canonicalBytes: [UInt8], after previous: OperationHash) -> SHA256 {
        var hasher = SHA256()
        previous.withBytes { hasher.update(bufferPointer: $0) }
        hasher.update(data: canonicalBytes)
        return hasher
    }
}
