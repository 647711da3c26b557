/// A 128-bit identifier in the UUID layout (RFC 9562), printed as 36 lowercase
/// hexadecimal characters with hyphens.
///
/// CareSync makes record identifiers on the device, offline, so they must be unique
/// without coordination: ``UUIDValue/version7(unixMillis:using:)`` makes a UUIDv7,
/// whose leading 48 bits are a millisecond timestamp and whose remaining 74 bits
/// are random. The value compares by its bits, so UUIDv7s sort by creation time.
public struct UUIDValue: Hashable, Comparable, Sendable {
    /// The first 64 bits, big-endian.
    public let high: UInt64
    /// The last 64 bits, big-endian.
    public let low: UInt64

    public init(high: UInt64, low: UInt64) {
        self.high = high
        self.low = low
    }

    /// Makes a version 7 UUID for the given Unix time in milliseconds.
    ///
    /// The random generator is a parameter so that tests and simulations are
    /// reproducible; apps pass `SystemRandomNumberGenerator`.
    public static func version7(
        unixMillis: Int64,
        using generator: inout some RandomNumberGenerator
    ) -> UUIDValue {
        let millis = UInt64(max(0, unixMillis)) & 0xFFFF_FFFF_FFFF
        let randomA = generator.next() & 0x0FFF
        let randomB = generator.next() & 0x3FFF_FFFF_FFFF_FFFF
        return UUIDValue(
            high: (millis << 16) | 0x7000 | randomA,
            low: 0x8000_0000_0000_0000 | randomB
        )
    }

    /// Parses the 36-character hyphenated form, in either case.
    public init?(_ text: some StringProtocol) {
        self.init(utf8: text.utf8)
    }

    /// Parses the 36-character hyphenated form from its UTF-8 bytes (no string
    /// needed: for readers of canonical bytes).
    public init?(utf8: some Sequence<UInt8>) {
        var high: UInt64 = 0
        var low: UInt64 = 0
        var nibbles = 0
        var position = 0
        for byte in utf8 {
            defer { position += 1 }
            if position == 8 || position == 13 || position == 18 || position == 23 {
                guard byte == UInt8(ascii: "-") else { return nil }
                continue
            }
            guard let nibble = Self.nibble(byte) else { return nil }
            if nibbles < 16 {
                high = high << 4 | UInt64(nibble)
            } else {
                low = low << 4 | UInt64(nibble)
            }
            nibbles += 1
        }
        guard position == 36, nibbles == 32 else { return nil }
        self.init(high: high, low: low)
    }

    /// The Unix time in milliseconds stored in a version 7 UUID, or nil for other versions.
    public var version7Millis: Int64? {
        guard (high >> 12) & 0xF == 7 else { return nil }
        return Int64(high >> 16)
    }

    public static func < (lhs: UUIDValue, rhs: UUIDValue) -> Bool {
        (lhs.high, lhs.low) < (rhs.high, rhs.low)
    }

    private static func nibble(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}

extension UUIDValue: CustomStringConvertible {
    public var description: String {
        String(unsafeUninitializedCapacity: 36) { buffer in
            writeHex(into: buffer.baseAddress!)
            return 36
        }
    }

    /// Appends the 36-character form to `bytes` without making a String.
    func appendHex(to bytes: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 36) { buffer in
            writeHex(into: buffer.baseAddress!)
            bytes.append(contentsOf: buffer)
        }
    }

    /// Writes the 36 characters at `target`.
    private func writeHex(into target: UnsafeMutablePointer<UInt8>) {
        let digits: StaticString = "0123456789abcdef"
        let hex = digits.utf8Start
        var index = 0
        func put(_ word: UInt64) {
            for shift in stride(from: 60, through: 0, by: -4) {
                if index == 8 || index == 13 || index == 18 || index == 23 {
                    target[index] = UInt8(ascii: "-")
                    index += 1
                }
                target[index] = hex[Int((word >> UInt64(shift)) & 0xF)]
                index += 1
            }
        }
        put(high)
        put(low)
    }
}
