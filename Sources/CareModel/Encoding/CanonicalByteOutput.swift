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

    /// Inlined: the text's length is then a constant, and the copy a few
    /// stores instead of a call to `memmove` (a tenth of encoding).
    @inline(__always)
    mutating func raw(_ text: StaticString) {
        let length = text.utf8CodeUnitCount
        guard fits(length) else { return }
        let source = text.utf8Start
        for offset in 0..<length { start[count &+ offset] = source[offset] }
        count &+= length
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
        // Two digits per division, from the right, each pair copied from a
        // table: the millisecond times of an operation have 13 digits each.
        let pairs = Self.digitPairs.utf8Start
        var rest = number
        var position = count &+ digits
        while rest >= 100 {
            let pair = Int(truncatingIfNeeded: rest % 100) &* 2
            rest /= 100
            position &-= 2
            start[position] = pairs[pair]
            start[position &+ 1] = pairs[pair &+ 1]
        }
        // The one or two leading digits.
        if rest >= 10 {
            let pair = Int(truncatingIfNeeded: rest) &* 2
            start[count] = pairs[pair]
            start[count &+ 1] = pairs[pair &+ 1]
        } else {
            start[count] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: rest)
        }
        count &+= digits
    }

    /// "00" to "99", in order: a pair's two digits are at twice its value.
    /// (A static string is constant memory, where a static array is
    /// initialised lazily and checked on every access.)
    private static let digitPairs: StaticString = """
        00010203040506070809101112131415161718192021222324252627282930313233343536373839\
        40414243444546474849505152535455565758596061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899
        """

    /// The number of decimal digits of `number` (1 for 0): from its bit
    /// length (log10(2) ≈ 1233 / 4096), corrected by one comparison.
    private static func decimalDigits(of number: UInt64) -> Int {
        let bits = 64 &- (number | 1).leadingZeroBitCount
        let guess = (bits &* 1233) >> 12
        // `| 1`: 0 has one digit, and no other number changes side of a power of ten.
        return number | 1 >= powerOfTen(guess) ? guess &+ 1 : guess
    }

    /// 10 to the power `exponent`, for exponents 0 through 19.
    private static func powerOfTen(_ exponent: Int) -> UInt64 {
        switch exponent {
        case 0: 1
        case 1: 10
        case 2: 100
        case 3: 1_000
        case 4: 10_000
        case 5: 100_000
        case 6: 1_000_000
        case 7: 10_000_000
        case 8: 100_000_000
        case 9: 1_000_000_000
        case 10: 10_000_000_000
        case 11: 100_000_000_000
        case 12: 1_000_000_000_000
        case 13: 10_000_000_000_000
        case 14: 100_000_000_000_000
        case 15: 1_000_000_000_000_000
        case 16: 10_000_000_000_000_000
        case 17: 100_000_000_000_000_000
        case 18: 1_000_000_000_000_000_000
        default: 10_000_000_000_000_000_000
        }
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
            let copied = copyUntilEscape(utf8)
            return copied == utf8.count || escaping(UnsafeBufferPointer(rebasing: utf8[copied...]))
        }
        if complete { byte(UInt8(ascii: "\"")) }
    }

    /// Copies the bytes of `utf8` up to the first that needs an escape (all
    /// of them, nearly always); returns how many it copied. Eight bytes at a
    /// time, each word tested for such a byte at once (``needsEscape(_:)``).
    /// The caller has checked that all of `utf8` fits.
    @inline(__always)
    private mutating func copyUntilEscape(_ utf8: UnsafeBufferPointer<UInt8>) -> Int {
        guard let source = utf8.baseAddress else { return 0 }
        let target = UnsafeMutableRawPointer(start + count)
        var copied = 0
        while copied &+ 8 <= utf8.count {
            let word = UnsafeRawPointer(source + copied).loadUnaligned(as: UInt64.self)
            if Self.needsEscape(word) { break }
            target.storeBytes(of: word, toByteOffset: copied, as: UInt64.self)
            copied &+= 8
        }
        while copied < utf8.count, !Self.needsEscape(utf8[copied]) {
            target.storeBytes(of: utf8[copied], toByteOffset: copied, as: UInt8.self)
            copied &+= 1
        }
        count &+= copied
        return copied
    }

    /// Writes `utf8`, which holds a byte that needs an escape, byte by byte;
    /// false when an escape does not fit.
    private mutating func escaping(_ utf8: UnsafeBufferPointer<UInt8>) -> Bool {
        for (offset, byte) in utf8.enumerated() {
            if Self.needsEscape(byte) {
                escape(byte)
                // An escape takes more than its byte: the bytes after it
                // and the closing quote must still fit.
                guard fits(utf8.count - offset) else { return false }
            } else {
                start[count] = byte
                count &+= 1
            }
        }
        return true
    }

    @inline(__always)
    private static func needsEscape(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// Whether any of the eight bytes of `word` needs an escape: is below
    /// 0x20, a quote or a backslash. `(x - 0x01…) & ~x & 0x80…` is non-zero
    /// exactly when some byte of `x` is zero (and `(x - n·0x01…) & ~x & 0x80…`
    /// when some byte is below n ≤ 0x80); quotes and backslashes are made
    /// zero by an exclusive or.
    @inline(__always)
    private static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highBits: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* UInt64(UInt8(ascii: "\"")))
        let backslashes = word ^ (ones &* UInt64(UInt8(ascii: "\\")))
        let control = (word &- ones &* 0x20) & ~word
        let quote = (quotes &- ones) & ~quotes
        let backslash = (backslashes &- ones) & ~backslashes
        return (control | quote | backslash) & highBits != 0
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
