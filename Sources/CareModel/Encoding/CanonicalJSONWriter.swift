/// Writes the canonical JSON form that CareSync hashes: UTF-8, no whitespace,
/// object keys in ascending byte order, integers only, and one escape for each
/// character (`\"`, `\\`, `\b \f \n \r \t`, `\u00XX` for other control
/// characters; everything else, including `/` and non-ASCII, written as is).
///
/// The same value always gives the same bytes on every platform, which
/// Foundation's `JSONEncoder` does not promise. Callers write object members in
/// key order themselves (the encoders of this module list them sorted); for
/// ``Value/object(_:)`` the writer sorts.
public struct CanonicalJSONWriter: Sendable {
    /// The bytes written so far.
    public internal(set) var bytes: [UInt8] = []

    public init(reservingCapacity capacity: Int = 512) {
        bytes.reserveCapacity(capacity)
    }

    public mutating func raw(_ text: StaticString) {
        text.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    public mutating func byte(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Writes `"key":`.
    public mutating func key(_ key: StaticString) {
        bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(UInt8(ascii: "\""))
        bytes.append(UInt8(ascii: ":"))
    }

    public mutating func int(_ number: Int64) {
        write(atMost: CanonicalByteOutput.numberBound) { $0.int(number) }
    }

    public mutating func unsigned(_ number: UInt64) {
        write(atMost: CanonicalByteOutput.numberBound) { $0.unsigned(number) }
    }

    public mutating func bool(_ flag: Bool) {
        if flag { raw("true") } else { raw("false") }
    }

    public mutating func string(_ text: String) {
        write(atMost: CanonicalByteOutput.bound(of: text)) { $0.string(text) }
    }

    /// Writes any value; object members sorted by the UTF-8 bytes of their keys.
    public mutating func value(_ value: Value) {
        write(atMost: CanonicalByteOutput.bound(of: value)) { $0.value(value) }
    }

    /// Lets `body` write at most `bound` bytes straight into memory (see
    /// ``CanonicalByteOutput``), then appends what it wrote in one copy.
    mutating func write(atMost bound: Int, _ body: (inout CanonicalByteOutput) -> Void) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: bound) { buffer in
            var output = CanonicalByteOutput(buffer)
            body(&output)
            precondition(!output.overflowed, "canonical output past its bound")
            bytes.append(contentsOf: output.written)
        }
    }
}
