/// A type that reads itself with a ``JSONReader``, in exactly the shape its
/// `Codable` conformance writes.
protocol JSONReadable {
    init(reading reader: inout JSONReader) throws(JSONReadError)
}

extension JSONReader {
    /// Reads a whole document as `type`.
    static func read<Readable: JSONReadable>(
        _ type: Readable.Type, from bytes: UnsafeRawBufferPointer
    ) throws(JSONReadError) -> Readable {
        try read(bytes) { reader throws(JSONReadError) in try Readable(reading: &reader) }
    }

    /// Reads a whole document as `type`.
    static func read<Readable: JSONReadable>(_ type: Readable.Type, from bytes: [UInt8]) throws(JSONReadError)
        -> Readable
    {
        try bytes.withUnsafeBytes { raw in Result { () throws(JSONReadError) in try read(type, from: raw) } }.get()
    }

    mutating func read<Readable: JSONReadable>(_ type: Readable.Type) throws(JSONReadError) -> Readable {
        try Readable(reading: &self)
    }

    /// Reads a value that may be null or absent.
    mutating func readIfPresent<Readable: JSONReadable>(_ type: Readable.Type) throws(JSONReadError) -> Readable? {
        try consumeNull() ? nil : Readable(reading: &self)
    }
}

/// Unwraps a required member, or names it as missing.
func required<Member>(_ member: Member?, _ name: String) throws(JSONReadError) -> Member {
    guard let member else {
        throw JSONReadError(.missingMember, "a required field is missing").inside(.member(name))
    }
    return member
}
