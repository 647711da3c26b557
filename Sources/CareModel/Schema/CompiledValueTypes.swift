/// ``ValueType``s flattened into tables of trivially copyable nodes, for the
/// reducer's hot path: checking a value walks plain enums and integers by
/// position instead of `ValueType`'s indirect cases, each access to which
/// retained and released a box (a third of reducing, see docs/BENCHMARKS.md).
///
/// It only vouches: ``accepts(_:as:)`` returning true means
/// ``ValueType/check(_:field:)`` would not throw for the same value. When it
/// returns false the caller runs the full check, which throws the exact error
/// (or accepts what this one could not decide), so every error code and
/// message still comes from one place.
struct CompiledValueTypes: Sendable {
    /// One compiled type; its children are referred to by position.
    enum Node: Sendable {
        case text(maxBytes: Int)
        case name
        case reference
        /// ``ValueType/integer(_:)``, and ``ValueType/timestamp`` as the range
        /// of timestamps it accepts.
        case integer(lowest: Int64, highest: Int64)
        case boolean
        /// The allowed values are `strings[first ..< first + count]`.
        case oneOf(first: Int, count: Int)
        case list(element: Int, maxCount: Int)
        /// The members are `members[first ..< first + count]`, `required` of
        /// them required.
        case object(first: Int, count: Int, required: Int)
    }

    /// A member of an object node.
    struct Member: Sendable {
        /// The member's name: a position in ``strings``.
        let name: Int
        /// The member's type: a position in ``nodes``.
        let type: Int
        let isRequired: Bool
    }

    private(set) var nodes: [Node] = []
    private(set) var members: [Member] = []
    /// The allowed values of `oneOf` nodes and the names of object members.
    private(set) var strings: [String] = []

    /// Compiles `type` and the types inside it; returns the position of its node.
    mutating func add(_ type: ValueType) -> Int {
        let node: Node
        switch type {
        case .text(let maxBytes): node = .text(maxBytes: maxBytes)
        case .name: node = .name
        case .reference: node = .reference
        case .timestamp: node = .integer(lowest: ValueType.earliestTimestamp, highest: ValueType.latestTimestamp)
        case .integer(let range): node = .integer(lowest: range.lowerBound, highest: range.upperBound)
        case .boolean: node = .boolean
        case .oneOf(let allowed):
            node = .oneOf(first: strings.count, count: allowed.count)
            strings += allowed
        case .list(let element, let maxCount):
            node = .list(element: add(element), maxCount: maxCount)
        case .object(let declared):
            // The members' types first (nested objects add members of their
            // own), then this object's members, so that they are contiguous.
            let compiled = declared.sorted { $0.key < $1.key }.map { name, member in
                (name: name, type: add(member.type), isRequired: member.required)
            }
            node = .object(first: members.count, count: compiled.count, required: compiled.count(where: \.isRequired))
            for member in compiled {
                members.append(Member(name: strings.count, type: member.type, isRequired: member.isRequired))
                strings.append(member.name)
            }
        }
        nodes.append(node)
        return nodes.count - 1
    }

    /// Whether `value` is certainly valid for the node at `position` (see the
    /// type's documentation: false means "run the full check").
    func accepts(_ value: Value, as position: Int) -> Bool {
        switch nodes[position] {
        case .text(let maxBytes):
            guard case .string(let text) = value else { return false }
            return text.utf8.count <= maxBytes
        case .name:
            guard case .string(let text) = value else { return false }
            return NameIdentifierRules.isValid(text)
        case .reference:
            guard case .string(let text) = value else { return false }
            return UUIDValue(text) != nil
        case .integer(let lowest, let highest):
            guard case .int(let number) = value else { return false }
            return lowest <= number && number <= highest
        case .boolean:
            guard case .bool = value else { return false }
            return true
        case .oneOf(let first, let count):
            guard case .string(let text) = value else { return false }
            // Same name implies equal strings, which is what the full check asks.
            return strings[first..<first + count].contains { $0.isSameName(as: text) }
        case .list(let element, let maxCount):
            guard case .list(let elements) = value, elements.count <= maxCount else { return false }
            return elements.allSatisfy { accepts($0, as: element) }
        case .object(let first, let count, let required):
            guard case .object(let given) = value else { return false }
            return accepts(given, members: first..<first + count, required: required)
        }
    }

    /// The full check's rules for objects: every given member is declared,
    /// every non-null one valid, and every required one given and not null.
    private func accepts(_ given: [String: Value], members declared: Range<Int>, required: Int) -> Bool {
        var requiredGiven = 0
        for (key, item) in given {
            guard let position = declared.first(where: { strings[members[$0].name].isSameName(as: key) }) else {
                return false
            }
            if case .null = item { continue }
            guard accepts(item, as: members[position].type) else { return false }
            if members[position].isRequired { requiredGiven += 1 }
        }
        // Given keys are distinct and so are member names: one count per required member.
        return requiredGiven == required
    }
}
