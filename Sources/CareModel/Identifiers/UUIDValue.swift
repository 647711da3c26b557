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

    /// Parses the 36-character hyphenated form from its UTF-8 bytes: the fast
    /// path for readers of raw buffers (the generic ``init(utf8:)-(Sequence<UInt8>)``
    /// is not specialised across modules, and pays for metadata on every byte).
    public init?(utf8 bytes: UnsafeRawBufferPointer) {
        guard bytes.count == 36,
            bytes[8] == UInt8(ascii: "-"), bytes[13] == UInt8(ascii: "-"), bytes[18] == UInt8(ascii: "-"),
            bytes[23] == UInt8(ascii: "-")
        else { return nil }
        var words: (high: UInt64, low: UInt64) = (0, 0)
        var valid = true
        func accumulate(_ range: Range<Int>, into word: inout UInt64) {
            for index in range {
                let nibble = Self.nibble(bytes[index])
                valid = valid && nibble != nil
                word = word << 4 | UInt64(nibble ?? 0)
            }
        }
        accumulate(0..<8, into: &words.high)
        accumulate(9..<13, into: &words.high)
        accumulate(14..<18, into: &words.high)
        accumulate(19..<23, into: &words.low)
        accumulate(24..<36, into: &words.low)
        guard valid else { return nil }
        self.init(high: words.high, low: words.low)
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

    /// Writes the 36 characters at `target`: the hot path of canonical
    /// encoding (five UUIDs in a typical operation), so eight digits at a time
    /// (see ``hexDigits(_:)``), with the hyphens put in after.
    func writeHex(into target: UnsafeMutablePointer<UInt8>) {
        let raw = UnsafeMutableRawPointer(target)
        func shiftRight(_ offset: Int) {
            // Moves the four digits at `offset` one place right, for a hyphen.
            raw.storeBytes(of: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self), toByteOffset: offset + 1, as: UInt32.self)
            target[offset] = UInt8(ascii: "-")
        }
        raw.storeBytes(of: Self.hexDigits(UInt32(truncatingIfNeeded: high >> 32)), toByteOffset: 0, as: UInt64.self)
        target[8] = UInt8(ascii: "-")
        raw.storeBytes(of: Self.hexDigits(UInt32(truncatingIfNeeded: high)), toByteOffset: 9, as: UInt64.self)
        shiftRight(13)
        target[18] = UInt8(ascii: "-")
        raw.storeBytes(of: Self.hexDigits(UInt32(truncatingIfNeeded: low >> 32)), toByteOffset: 19, as: UInt64.self)
        shiftRight(23)
        raw.storeBytes(of: Self.hexDigits(UInt32(truncatingIfNeeded: low)), toByteOffset: 28, as: UInt64.self)
    }

    /// The eight lowercase hexadecimal digits of `word`, most significant
    /// first in memory order: each nibble spread into a byte of its own, then
    /// '0' added to all and 39 more to those past 9, all bytes at once.
    private static func hexDigits(_ word: UInt32) -> UInt64 {
        var spread = UInt64(word)
        spread = (spread | (spread << 16)) & 0x0000_FFFF_0000_FFFF
        spread = (spread | (spread << 8)) & 0x00FF_00FF_00FF_00FF
        spread = (spread | (spread << 4)) & 0x0F0F_0F0F_0F0F_0F0F
        let pastNine = ((spread &+ 0x0606_0606_0606_0606) >> 4) & 0x0101_0101_0101_0101
        let digits = spread &+ 0x3030_3030_3030_3030 &+ pastNine &* 39
        // Not `.bigEndian`: that went through `FixedWidthInteger`'s generic
        // witness, a call per word, where `byteSwapped` is one instruction.
        #if _endian(little)
            return digits.byteSwapped
        #else
            return digits
        #endif
    }
}
