/// The byte-level half of ``CanonicalJSONWriter``: canonical JSON written
/// straight into memory the caller has reserved, with no capacity or uniqueness
/// check per byte (appending to an array byte by byte was most of the cost of
/// encoding an operation).
///
/// Capacity is checked once per token (a number, a string, a UUID, a run of
/// punctuation; in a string, again after each escape), never per byte: a
/// token that might not fit is not written
/// and sets ``overflowed``, after which the output is to be discarded. A
/// caller that reserves at least the `bound` of what it writes (the static
/// `bound` functions give upper bounds, each covering the check of every
/// token) never overflows; one that reserves less, to skip computing the
/// bound, checks ``overflowed`` and writes again with the bound.
struct CanonicalByteOutput {
    private let start: UnsafeMutablePointer<UInt8>
    private let capacity: Int
    /// The bytes written so far.
    private(set) var count = 0
    /// Whether a token did not fit: the output is then incomplete.
    private(set) var overflowed = false

    init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        start = buffer.baseAddress!
        capacity = buffer.count
    }

    /// The bytes written so far.
    var written: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: start, count: count) }

    // MARK: Upper bounds

    /// The most a number takes: 20 digits, or a sign and 19.
    static let numberBound = 20
    /// A UUID in quotes.
    static let uuidBound = 38

    /// The most ``string(_:)`` writes for `text`: quotes, and six bytes
    /// (`\u00XX`) per byte in the worst case.
    static func bound(of text: String) -> Int { 2 + 6 * text.utf8.count }

    /// The most ``value(_:)`` writes for `value`.
    static func bound(of value: Value) -> Int {
        switch value {
        case .null, .bool: 5
        case .int: numberBound
        case .string(let text): bound(of: text)
        case .list(let elements): elements.reduce(2) { $0 + 1 + bound(of: $1) }
        case .object(let members): members.reduce(2) { $0 + 2 + bound(of: $1.key) + bound(of: $1.value) }
        }
    }

    // MARK: Writing

    /// Whether `size` more bytes fit; if not, notes the overflow.
    @inline(__always)
    private mutating func fits(_ size: Int) -> Bool {
        if count &+ size <= capacity { return true }
        overflowed = true
        return false
    }

    @inline(__always)
    mutating func byte(_ byte: UInt8) {
        guard fits(1) else { return }
        start[count] = byte
        count &+= 1
    }

    mutating func raw(_ text: StaticString) {
        bytes(UnsafeBufferPointer(start: text.utf8Start, count: text.utf8CodeUnitCount))
    }

    @inline(__always)
    mutating func bytes(_ source: UnsafeBufferPointer<UInt8>) {
        guard fits(source.count), let base = source.baseAddress else { return }
        (start + count).update(from: base, count: source.count)
        count &+= source.count
    }

    /// Copies `source` as it is (the previous hash before an operation).
    mutating func bytes(_ source: UnsafeRawBufferPointer) {
        guard fits(source.count), let base = source.baseAddress else { return }
        UnsafeMutableRawPointer(start + count).copyMemory(from: base, byteCount: source.count)
        count &+= source.count
    }

    mutating func unsigned(_ number: UInt64) {
        guard fits(Self.numberBound) else { return }
        digits(of: number)
    }

    mutating func int(_ number: Int64) {
        // One check for the sign and the digits: at most 20 bytes together.
        guard fits(Self.numberBound) else { return }
        if number < 0 {
            start[count] = UInt8(ascii: "-")
            count &+= 1
        }
        digits(of: number.magnitude)
    }

    /// Writes `number` in decimal; the caller has checked that it fits.
    private mutating func digits(of number: UInt64) {
        let digits = Self.decimalDigits(of: number)
        // Two digits per division, from the right: the millisecond times of
        // an operation have 13 digits each.
        var rest = number
        var position = count + digits
        while rest >= 100 {
            let pair = UInt8(truncatingIfNeeded: rest % 100)
            rest /= 100
            position -= 2
            start[position] = UInt8(ascii: "0") &+ pair / 10
            start[position + 1] = UInt8(ascii: "0") &+ pair % 10
        }
        // The one or two leading digits.
        let last = UInt8(truncatingIfNeeded: rest)
        if last >= 10 {
            start[count] = UInt8(ascii: "0") &+ last / 10
            start[count + 1] = UInt8(ascii: "0") &+ last % 10
        } else {
            start[count] = UInt8(ascii: "0") &+ last
        }
        count &+= digits
    }

    /// The number of decimal digits of `number` (1 for 0).
    private static func decimalDigits(of number: UInt64) -> Int {
        var digits = 1
        var limit: UInt64 = 10
        while digits < 20 && number >= limit {
            digits += 1
            limit &*= 10
        }
        return digits
    }

    mutating func bool(_ flag: Bool) {
        if flag { raw("true") } else { raw("false") }
    }

    /// Writes `text` as a JSON string, escaping as ``CanonicalJSONWriter`` describes.
    mutating func string(_ text: String) {
        // One check for the quotes and one byte per byte: escapes are rare,
        // and checking for their worst case (``bound(of:)-(String)``) would send
        // every string of more than a sixth of the buffer to the bound.
        guard fits(2 + text.utf8.count) else { return }
        byte(UInt8(ascii: "\""))
        var text = text
        let complete = text.withUTF8 { utf8 in
            // Byte by byte: strings here are mostly short, where a copy call per
            // run costs more than the copying. The position is kept in a local:
            // counting in `count` itself made every byte wait for the store
            // of the one before.
            let base = start
            var end = count
            for (offset, byte) in utf8.enumerated() {
                if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                    count = end
                    escape(byte)
                    end = count
                    // An escape takes more than its byte: the bytes after it
                    // and the closing quote must still fit.
                    guard fits(utf8.count - offset) else { return false }
                } else {
                    assert(end < capacity, "canonical output past its checked room")
                    base[end] = byte
                    end &+= 1
                }
            }
            count = end
            return true
        }
        if complete { byte(UInt8(ascii: "\"")) }
    }

    private mutating func escape(_ byte: UInt8) {
        self.byte(UInt8(ascii: "\\"))
        switch byte {
        case UInt8(ascii: "\""): self.byte(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): self.byte(UInt8(ascii: "\\"))
        case 0x08: self.byte(UInt8(ascii: "b"))
        case 0x0C: self.byte(UInt8(ascii: "f"))
        case 0x0A: self.byte(UInt8(ascii: "n"))
        case 0x0D: self.byte(UInt8(ascii: "r"))
        case 0x09: self.byte(UInt8(ascii: "t"))
        default:
            raw("u00")
            self.byte(Self.hexDigit(byte >> 4))
            self.byte(Self.hexDigit(byte & 0xF))
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") &+ nibble : UInt8(ascii: "a") &+ nibble &- 10
    }

    /// Writes a UUID as a JSON string (its characters never need escaping).
    mutating func uuid(_ uuid: UUIDValue) {
        guard fits(Self.uuidBound) else { return }
        start[count] = UInt8(ascii: "\"")
        uuid.writeHex(into: start + count + 1)
        start[count + 37] = UInt8(ascii: "\"")
        count &+= Self.uuidBound
    }

    /// Writes any value; object members sorted by the UTF-8 bytes of their keys.
    mutating func value(_ value: Value) {
        switch value {
        case .null: raw("null")
        case .bool(let flag): bool(flag)
        case .int(let number): int(number)
        case .string(let text): string(text)
        case .list(let elements):
            byte(UInt8(ascii: "["))
            for (index, element) in elements.enumerated() {
                if index > 0 { byte(UInt8(ascii: ",")) }
                self.value(element)
            }
            byte(UInt8(ascii: "]"))
        case .object(let members) where members.count <= 2:
            // The common small objects, put in order without sorting (no allocation).
            byte(UInt8(ascii: "{"))
            if var first = members.first {
                var second = members.count == 2 ? members[members.index(after: members.startIndex)] : nil
                if let other = second, other.key.utf8.lexicographicallyPrecedes(first.key.utf8) {
                    second = first
                    first = other
                }
                member(first)
                if let second {
                    byte(UInt8(ascii: ","))
                    member(second)
                }
            }
            byte(UInt8(ascii: "}"))
        case .object(let members):
            byte(UInt8(ascii: "{"))
            // Sorting the members themselves, not the keys: no lookup per key.
            let sorted = members.sorted { $0.key.utf8.lexicographicallyPrecedes($1.key.utf8) }
            for (index, member) in sorted.enumerated() {
                if index > 0 { byte(UInt8(ascii: ",")) }
                self.member(member)
            }
            byte(UInt8(ascii: "}"))
        }
    }

    private mutating func member(_ member: (key: String, value: Value)) {
        string(member.key)
        byte(UInt8(ascii: ":"))
        value(member.value)
    }
}
