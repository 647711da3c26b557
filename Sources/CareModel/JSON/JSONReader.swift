/// A strict, allocation-light reader of one JSON document (RFC 8259), for the
/// messages that cross the wire on the hot paths: a server ingesting pushes, a
/// device applying pulled pages.
///
/// Foundation's `JSONDecoder` reads these messages correctly but slowly: a
/// ``Value`` can only be decoded there by trying each type in turn, and each
/// wrong guess throws. This reader looks at the next byte instead, compares
/// member names as bytes, and parses identifiers straight from the buffer.
/// Types read themselves with it (see `JSONReader+Model.swift`); they keep their
/// `Codable` conformance for everything else, and tests check that both agree.
///
/// Differences from `JSONDecoder`, all stricter, all RFC 8259: numbers must be
/// integers (`1.0` and `1e3` are refused: CareSync has no floating-point
/// values); trailing commas, unescaped control characters in strings, unknown
/// escapes and lone UTF-16 surrogates are malformed, even in members that are
/// skipped.
struct JSONReader {
    private let bytes: UnsafeRawBufferPointer
    private var offset = 0
    private var depth = 0

    /// Deeper documents are refused as malformed. (The server refuses far
    /// shallower ones before reading; this bounds the reader's own recursion.)
    static let maximumDepth = 512

    private init(_ bytes: UnsafeRawBufferPointer) {
        self.bytes = bytes
    }

    /// Reads the single value of a document with `body`; only whitespace may
    /// surround it.
    static func read<Result>(
        _ bytes: UnsafeRawBufferPointer, _ body: (inout JSONReader) throws(JSONReadError) -> Result
    ) throws(JSONReadError) -> Result {
        var reader = JSONReader(bytes)
        let result = try body(&reader)
        reader.skipWhitespace()
        guard reader.offset == bytes.count else { throw .malformed("unexpected bytes after the JSON value") }
        return result
    }

    // MARK: - Structure

    /// Reads an object, calling `member` for each member with its name; `member`
    /// must read the value (or ``skipValue()`` it).
    mutating func readObject(
        _ member: (inout JSONReader, JSONMemberName) throws(JSONReadError) -> Void
    ) throws(JSONReadError) {
        try open(UInt8(ascii: "{"), expecting: "an object")
        if consume(UInt8(ascii: "}")) {
            depth -= 1
            return
        }
        while true {
            let name = try readMemberName()
            do {
                try member(&self, name)
            } catch {
                throw error.inside(.member(name.string))
            }
            if try closes(UInt8(ascii: "}")) { break }
        }
        depth -= 1
    }

    /// Reads a list, calling `element` with each element's index; `element`
    /// must read the value.
    mutating func readList(_ element: (inout JSONReader, Int) throws(JSONReadError) -> Void) throws(JSONReadError) {
        try open(UInt8(ascii: "["), expecting: "a list")
        if consume(UInt8(ascii: "]")) {
            depth -= 1
            return
        }
        var index = 0
        while true {
            do {
                try element(&self, index)
            } catch {
                throw error.inside(.index(index))
            }
            index += 1
            if try closes(UInt8(ascii: "]")) { break }
        }
        depth -= 1
    }

    /// Consumes `null` if it comes next: how optional members are absent.
    mutating func consumeNull() throws(JSONReadError) -> Bool {
        guard peek() == UInt8(ascii: "n") else { return false }
        try literal("null")
        return true
    }

    /// Skips one value of any type, checking that it is well-formed.
    mutating func skipValue() throws(JSONReadError) {
        switch peek() {
        case UInt8(ascii: "{"): try readObject { reader, _ throws(JSONReadError) in try reader.skipValue() }
        case UInt8(ascii: "["): try readList { reader, _ throws(JSONReadError) in try reader.skipValue() }
        case UInt8(ascii: "\""): try withString { _ throws(JSONReadError) in }
        case UInt8(ascii: "t"), UInt8(ascii: "f"): _ = try readBool()
        case UInt8(ascii: "n"): try literal("null")
        default: _ = try readNumber()
        }
    }

    // MARK: - Scalars

    /// Reads a string and passes its unescaped UTF-8 bytes to `body`; the
    /// bytes are valid only during the call. No copy is made unless the string
    /// has escapes.
    mutating func withString<Result>(
        _ body: (UnsafeRawBufferPointer) throws(JSONReadError) -> Result
    ) throws(JSONReadError) -> Result {
        guard peek() == UInt8(ascii: "\"") else { throw mismatch("a string") }
        offset += 1
        let start = offset
        while offset < bytes.count {
            switch bytes[offset] {
            case UInt8(ascii: "\""):
                let result = try body(UnsafeRawBufferPointer(rebasing: bytes[start..<offset]))
                offset += 1
                return result
            case UInt8(ascii: "\\"):
                var unescaped = Array(bytes[start..<offset])
                try readEscapedRest(into: &unescaped)
                return try unescaped.withUnsafeBytes { raw in Swift.Result { () throws(JSONReadError) in try body(raw) } }
                    .get()
            case 0..<0x20:
                throw .malformed("a control character in a string must be escaped")
            default:
                offset += 1
            }
        }
        throw .malformed("unterminated string")
    }

    /// Reads a string.
    mutating func readString() throws(JSONReadError) -> String {
        try withString { raw throws(JSONReadError) in
            // Most strings are ASCII, which needs no validation.
            if raw.allSatisfy({ $0 < 0x80 }) { return String(decoding: raw, as: UTF8.self) }
            guard let text = String(validating: raw, as: UTF8.self) else {
                throw .malformed("a string is not valid UTF-8")
            }
            return text
        }
    }

    mutating func readBool() throws(JSONReadError) -> Bool {
        switch peek() {
        case UInt8(ascii: "t"):
            try literal("true")
            return true
        case UInt8(ascii: "f"):
            try literal("false")
            return false
        default:
            throw mismatch("true or false")
        }
    }

    mutating func readInt64() throws(JSONReadError) -> Int64 {
        let (magnitude, negative) = try readNumber()
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { throw outOfRange }
            return magnitude == UInt64(Int64.max) + 1 ? .min : -Int64(magnitude)
        }
        guard magnitude <= UInt64(Int64.max) else { throw outOfRange }
        return Int64(magnitude)
    }

    mutating func readUInt64() throws(JSONReadError) -> UInt64 {
        let (magnitude, negative) = try readNumber()
        guard !negative || magnitude == 0 else { throw outOfRange }
        return magnitude
    }

    mutating func readInt() throws(JSONReadError) -> Int {
        let number = try readInt64()
        guard let value = Int(exactly: number) else { throw outOfRange }
        return value
    }

    // MARK: - Values

    /// Reads any value.
    mutating func readValue() throws(JSONReadError) -> Value {
        switch peek() {
        case UInt8(ascii: "\""):
            return .string(try readString())
        case UInt8(ascii: "{"):
            var members: [String: Value] = [:]
            try readObject { reader, name throws(JSONReadError) in members[name.string] = try reader.readValue() }
            return .object(members)
        case UInt8(ascii: "["):
            var elements: [Value] = []
            try readList { reader, _ throws(JSONReadError) in elements.append(try reader.readValue()) }
            return .list(elements)
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            return .bool(try readBool())
        case UInt8(ascii: "n"):
            try literal("null")
            return .null
        default:
            return .int(try readInt64())
        }
    }

    // MARK: - Bytes

    private static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private mutating func skipWhitespace() {
        while offset < bytes.count, Self.isWhitespace(bytes[offset]) { offset += 1 }
    }

    /// The next byte that is not whitespace, without consuming it.
    private mutating func peek() -> UInt8? {
        skipWhitespace()
        return offset < bytes.count ? bytes[offset] : nil
    }

    private mutating func consume(_ byte: UInt8) -> Bool {
        guard peek() == byte else { return false }
        offset += 1
        return true
    }

    private mutating func open(_ bracket: UInt8, expecting what: String) throws(JSONReadError) {
        guard peek() == bracket else { throw mismatch(what) }
        guard depth < Self.maximumDepth else { throw .malformed("the JSON nests too deeply") }
        offset += 1
        depth += 1
    }

    /// After a member or element: true at the closing bracket, false after a comma.
    private mutating func closes(_ bracket: UInt8) throws(JSONReadError) -> Bool {
        if consume(UInt8(ascii: ",")) { return false }
        if consume(bracket) { return true }
        throw .malformed("expected ',' or '\(Character(Unicode.Scalar(bracket)))'")
    }

    private mutating func readMemberName() throws(JSONReadError) -> JSONMemberName {
        guard peek() == UInt8(ascii: "\"") else { throw .malformed("expected a member name") }
        // The bytes of a name without escapes live as long as the document, so
        // the name can point into it; `withString`'s argument might not.
        var end = offset + 1
        while end < bytes.count, bytes[end] != UInt8(ascii: "\""), bytes[end] != UInt8(ascii: "\\"),
            bytes[end] >= 0x20
        {
            end += 1
        }
        let name: JSONMemberName
        if end < bytes.count, bytes[end] == UInt8(ascii: "\"") {
            name = .inDocument(UnsafeRawBufferPointer(rebasing: bytes[(offset + 1)..<end]))
            offset = end + 1
        } else {
            name = .unescaped(try withString { raw throws(JSONReadError) in Array(raw) })
        }
        guard consume(UInt8(ascii: ":")) else { throw .malformed("expected ':' after a member name") }
        return name
    }

    private mutating func literal(_ word: StaticString) throws(JSONReadError) {
        let count = word.utf8CodeUnitCount
        guard offset + count <= bytes.count,
            UnsafeRawBufferPointer(rebasing: bytes[offset..<offset + count]).elementsEqual(
                UnsafeRawBufferPointer(start: word.utf8Start, count: count))
        else { throw .malformed("unknown literal") }
        offset += count
    }

    /// Reads an integer as its magnitude and sign. A well-formed number with a
    /// fraction or an exponent is a type mismatch; anything else not a number
    /// is malformed.
    private mutating func readNumber() throws(JSONReadError) -> (magnitude: UInt64, negative: Bool) {
        guard let first = peek() else { throw .malformed("unexpected end of the JSON") }
        switch first {
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): break
        case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "t"), UInt8(ascii: "f"),
            UInt8(ascii: "n"):
            throw mismatch("an integer")
        default:
            throw .malformed("unexpected character")
        }
        let negative = first == UInt8(ascii: "-")
        if negative { offset += 1 }
        let digitsStart = offset
        var magnitude: UInt64 = 0
        var overflowed = false
        while offset < bytes.count, case let digit = bytes[offset] &- UInt8(ascii: "0"), digit < 10 {
            let (times10, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times10.addingReportingOverflow(UInt64(digit))
            overflowed = overflowed || overflow1 || overflow2
            magnitude = sum
            offset += 1
        }
        let digitCount = offset - digitsStart
        guard digitCount > 0 else { throw .malformed("a number needs digits") }
        guard digitCount == 1 || bytes[digitsStart] != UInt8(ascii: "0") else {
            throw .malformed("numbers may not have leading zeros")
        }
        if offset < bytes.count,
            bytes[offset] == UInt8(ascii: ".") || bytes[offset] | 0x20 == UInt8(ascii: "e")
        {
            try skipFractionAndExponent()
            throw .expected("an integer")
        }
        guard !overflowed else { throw outOfRange }
        return (magnitude, negative)
    }

    /// Consumes the rest of a number with a fraction and/or an exponent.
    private mutating func skipFractionAndExponent() throws(JSONReadError) {
        func digits(_ reader: inout JSONReader) throws(JSONReadError) {
            let start = reader.offset
            while reader.offset < reader.bytes.count,
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(reader.bytes[reader.offset])
            {
                reader.offset += 1
            }
            guard reader.offset > start else { throw .malformed("a number needs digits") }
        }
        if bytes[offset] == UInt8(ascii: ".") {
            offset += 1
            try digits(&self)
        }
        if offset < bytes.count, bytes[offset] | 0x20 == UInt8(ascii: "e") {
            offset += 1
            if offset < bytes.count, bytes[offset] == UInt8(ascii: "+") || bytes[offset] == UInt8(ascii: "-") {
                offset += 1
            }
            try digits(&self)
        }
    }

    /// Continues a string after its first backslash, appending the unescaped
    /// bytes, and consumes the closing quote.
    private mutating func readEscapedRest(into unescaped: inout [UInt8]) throws(JSONReadError) {
        while offset < bytes.count {
            let byte = bytes[offset]
            offset += 1
            switch byte {
            case UInt8(ascii: "\""):
                return
            case UInt8(ascii: "\\"):
                try readEscape(into: &unescaped)
            case 0..<0x20:
                throw .malformed("a control character in a string must be escaped")
            default:
                unescaped.append(byte)
            }
        }
        throw .malformed("unterminated string")
    }

    private mutating func readEscape(into unescaped: inout [UInt8]) throws(JSONReadError) {
        guard offset < bytes.count else { throw .malformed("unterminated string") }
        let letter = bytes[offset]
        offset += 1
        switch letter {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): unescaped.append(letter)
        case UInt8(ascii: "b"): unescaped.append(0x08)
        case UInt8(ascii: "f"): unescaped.append(0x0C)
        case UInt8(ascii: "n"): unescaped.append(0x0A)
        case UInt8(ascii: "r"): unescaped.append(0x0D)
        case UInt8(ascii: "t"): unescaped.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = UInt32(try readHexQuad())
            if (0xD800..<0xDC00).contains(scalar) {
                guard offset + 2 <= bytes.count, bytes[offset] == UInt8(ascii: "\\"),
                    bytes[offset + 1] == UInt8(ascii: "u")
                else { throw .malformed("a lone UTF-16 surrogate in a string") }
                offset += 2
                let low = UInt32(try readHexQuad())
                guard (0xDC00..<0xE000).contains(low) else { throw .malformed("a lone UTF-16 surrogate in a string") }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else { throw .malformed("a lone UTF-16 surrogate in a string") }
            unescaped.append(contentsOf: UTF8.encode(unicode)!)
        default:
            throw .malformed("unknown escape in a string")
        }
    }

    private mutating func readHexQuad() throws(JSONReadError) -> UInt16 {
        guard offset + 4 <= bytes.count else { throw .malformed("unterminated string") }
        var value: UInt16 = 0
        for _ in 0..<4 {
            let byte = bytes[offset]
            let nibble: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): nibble = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): nibble = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): nibble = byte - UInt8(ascii: "A") + 10
            default: throw .malformed("a \\u escape needs four hexadecimal digits")
            }
            value = value << 4 | UInt16(nibble)
            offset += 1
        }
        return value
    }

    // MARK: - Errors

    /// The next value is not of the type wanted: a mismatch if it is a
    /// well-formed start of some other value, malformed otherwise.
    private mutating func mismatch(_ what: String) -> JSONReadError {
        guard let next = peek() else { return .malformed("unexpected end of the JSON") }
        switch next {
        case UInt8(ascii: "\""), UInt8(ascii: "{"), UInt8(ascii: "["), UInt8(ascii: "t"), UInt8(ascii: "f"),
            UInt8(ascii: "n"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .expected(what)
        default:
            return .malformed("unexpected character")
        }
    }

    private var outOfRange: JSONReadError {
        JSONReadError(.invalidValue, "the number is out of range")
    }
}

/// A member name as read, compared as bytes so that the common case allocates nothing.
enum JSONMemberName {
    /// The name's bytes within the document (it had no escapes).
    case inDocument(UnsafeRawBufferPointer)
    /// The unescaped bytes of a name that had escapes.
    case unescaped([UInt8])

    static func == (name: JSONMemberName, literal: StaticString) -> Bool {
        name.withUTF8 { bytes in
            bytes.elementsEqual(UnsafeRawBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount))
        }
    }

    /// The name as text, for error paths and object keys.
    var string: String {
        withUTF8 { String(decoding: $0, as: UTF8.self) }
    }

    func withUTF8<Result>(_ body: (UnsafeRawBufferPointer) -> Result) -> Result {
        switch self {
        case .inDocument(let bytes): body(bytes)
        case .unescaped(let bytes): bytes.withUnsafeBytes(body)
        }
    }
}
