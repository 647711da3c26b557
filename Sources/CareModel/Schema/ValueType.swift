/// The values a field accepts.
public indirect enum ValueType: Hashable, Sendable {
    /// A string of at most `maxBytes` UTF-8 bytes.
    case text(maxBytes: Int)
    /// A ``NameIdentifier`` such as a worker, resident or team id.
    case name
    /// A ``RecordID`` in its UUID form, pointing at a record of `kind`.
    case reference(RecordKind)
    /// Milliseconds since the Unix epoch, between 2000-01-01 and 2200-01-01.
    case timestamp
    /// An integer in the range.
    case integer(ClosedRange<Int64>)
    case boolean
    /// One of the listed strings. For a ``MergeKind/maximum`` field the list is
    /// also the order, lowest first.
    case oneOf([String])
    /// A list of at most `maxCount` elements of one type.
    case list(ValueType, maxCount: Int)
    /// An object with the given members; members not listed are refused.
    case object([String: Member])

    /// A member of an ``object(_:)`` value.
    public struct Member: Hashable, Sendable {
        public var type: ValueType
        public var required: Bool

        public static func required(_ type: ValueType) -> Member { Member(type: type, required: true) }
        public static func optional(_ type: ValueType) -> Member { Member(type: type, required: false) }
    }

    /// The earliest timestamp accepted: 2000-01-01T00:00:00Z.
    public static let earliestTimestamp: Int64 = 946_684_800_000
    /// The latest timestamp accepted: 2200-01-01T00:00:00Z.
    public static let latestTimestamp: Int64 = 7_258_118_400_000

    /// Checks `value`, naming `field` in the error. The name is an autoclosure:
    /// members of objects are named `field.member`, and building that text for
    /// every valid value was a good part of validating an operation.
    func check(_ value: Value, field: @autoclosure () -> String) throws(CareModelError) {
        // One switch per enum rather than over the pair: a tuple of the two
        // copies both (retaining their payloads) on every check.
        switch self {
        case .text(let maxBytes):
            guard case .string(let text) = value else { break }
            guard text.utf8.count <= maxBytes else {
                throw CareModelError(
                    .valueTooLarge, "\(field()) is longer than \(maxBytes) bytes", field: field())
            }
            return
        case .name:
            if case .string(let text) = value, NameIdentifierRules.isValid(text) { return }
        case .reference:
            if case .string(let text) = value, UUIDValue(text) != nil { return }
        case .timestamp:
            guard case .int(let millis) = value else { break }
            guard (Self.earliestTimestamp...Self.latestTimestamp).contains(millis) else {
                throw CareModelError(
                    .invalidTimestamp, "\(field()) must be a time between 2000 and 2200 in Unix milliseconds",
                    field: field())
            }
            return
        case .integer(let range):
            guard case .int(let number) = value else { break }
            guard range.contains(number) else {
                throw CareModelError(
                    .invalidValue, "\(field()) must be between \(range.lowerBound) and \(range.upperBound)",
                    field: field())
            }
            return
        case .boolean:
            if case .bool = value { return }
        case .oneOf(let allowed):
            guard case .string(let text) = value else { break }
            guard allowed.contains(text) else {
                throw CareModelError(
                    .invalidValue, "\(field()) must be one of: \(allowed.joined(separator: ", "))", field: field())
            }
            return
        case .list(let element, let maxCount):
            guard case .list(let elements) = value else { break }
            guard elements.count <= maxCount else {
                throw CareModelError(.valueTooLarge, "\(field()) has more than \(maxCount) entries", field: field())
            }
            for item in elements { try element.check(item, field: field()) }
            return
        case .object(let members):
            guard case .object(let given) = value else { break }
            try Self.check(given, against: members, field: field())
            return
        }
        throw CareModelError(.invalidValue, "\(field()) must be \(summary)", field: field())
    }

    /// Checks an object's members: unknown members first, then each member's
    /// type, then the required members. Finds each given member by a scan of
    /// the declared ones, comparing lengths first: objects have a handful of
    /// short member names, and hashing every name cost more than the checks.
    private static func check(
        _ given: [String: Value], against members: [String: Member], field: @autoclosure () -> String
    ) throws(CareModelError) {
        func member(_ key: String) -> Member? {
            members.first { $0.key.isSameName(as: key) }?.value
        }
        for key in given.keys where member(key) == nil {
            throw CareModelError(.invalidValue, "\(field()) has no member named \(key)", field: field())
        }
        var requiredGiven = 0
        for (key, item) in given {
            if case .null = item { continue }
            // Present: the loop above found every given key.
            let member = member(key)!
            try member.type.check(item, field: "\(field()).\(key)")
            if member.required { requiredGiven += 1 }
        }
        guard requiredGiven < members.values.count(where: \.required) else { return }
        for (key, member) in members where member.required {
            if let item = given[key], item != .null { continue }
            throw CareModelError(.invalidValue, "\(field()).\(key) is required", field: field())
        }
    }

    /// A short description for error messages.
    var summary: String {
        switch self {
        case .text: "a string"
        case .name: "an identifier of 1-64 characters [A-Za-z0-9._-@:]"
        case .reference(let kind): "the UUID of a \(kind)"
        case .timestamp: "a time in Unix milliseconds"
        case .integer: "an integer"
        case .boolean: "true or false"
        case .oneOf(let allowed): "one of: \(allowed.joined(separator: ", "))"
        case .list: "a list"
        case .object: "an object"
        }
    }

    /// The position of `value` in the order of a ``MergeKind/maximum`` field.
    func rank(of value: Value) -> Int64 {
        switch (self, value) {
        case (.oneOf(let order), .string(let text)): Int64(order.firstIndex(of: text) ?? -1)
        case (_, .int(let number)): number
        case (_, .bool(let flag)): flag ? 1 : 0
        default: -1
        }
    }
}
