/// A field's value: the JSON data model without floating-point numbers.
///
/// Floats are left out on purpose: their text form differs between platforms and
/// they would break the promise that the same operation has the same bytes, and
/// so the same hash, everywhere. Quantities that need decimals are stored as
/// integers in a smaller unit (GPS as micro-degrees, money in pence).
public enum Value: Hashable, Sendable {
    case null
    case bool(Bool)
    case int(Int64)
    case string(String)
    case list([Value])
    case object([String: Value])
}

extension Value {
    /// The string, if this is one.
    public var stringValue: String? {
        if case .string(let text) = self { text } else { nil }
    }

    /// The integer, if this is one.
    public var intValue: Int64? {
        if case .int(let number) = self { number } else { nil }
    }

    /// The Boolean, if this is one.
    public var boolValue: Bool? {
        if case .bool(let flag) = self { flag } else { nil }
    }

    /// The elements, if this is a list.
    public var listValue: [Value]? {
        if case .list(let elements) = self { elements } else { nil }
    }

    /// The members, if this is an object.
    public var objectValue: [String: Value]? {
        if case .object(let members) = self { members } else { nil }
    }

    /// The member named `key`, if this is an object that has it.
    public subscript(key: String) -> Value? {
        objectValue?[key]
    }
}

extension Value: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByBooleanLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .int(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: Value...) { self = .list(elements) }
    public init(dictionaryLiteral elements: (String, Value)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }
    public init(nilLiteral: ()) { self = .null }
}

extension Value: Codable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        // Try the commonest types first: each wrong guess costs a thrown error.
        if container.decodeNil() {
            self = .null
        } else if let text = try? container.decode(String.self) {
            self = .string(text)
        } else if let number = try? container.decode(Int64.self) {
            self = .int(number)
        } else if let flag = try? container.decode(Bool.self) {
            self = .bool(flag)
        } else if let members = try? container.decode([String: Value].self) {
            self = .object(members)
        } else if let elements = try? container.decode([Value].self) {
            self = .list(elements)
        } else {
            throw DecodingError.dataCorruptedError(
                in: container,
                debugDescription: "expected null, a Boolean, an integer, a string, a list or an object")
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let flag): try container.encode(flag)
        case .int(let number): try container.encode(number)
        case .string(let text): try container.encode(text)
        case .list(let elements): try container.encode(elements)
        case .object(let members): try container.encode(members)
        }
    }
}
