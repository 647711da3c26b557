@testable import CareModel

/// Values and changes that are valid, or nearly so, for a schema: each rule a
/// value can break is broken now and then (wrong type, one byte or entry too
/// many, a bound plus one, an unknown or missing member, a near-miss allowed
/// value), so that a check is exercised on both sides of each of its rules.
/// Everything follows from the seed.
struct NearValidValues {
    var rng: SplitMix64

    init(seed: UInt64) {
        rng = SplitMix64(seed: seed)
    }

    /// One in `n` draws.
    private mutating func oneIn(_ n: Int) -> Bool {
        Int.random(in: 0..<n, using: &rng) == 0
    }

    /// A value of the wrong type, or null.
    private mutating func stray() -> Value {
        [.null, .bool(true), .int(7), .string("x"), .list([]), .object([:])].randomElement(using: &rng)!
    }

    /// A value for `type`: mostly valid, sometimes breaking one rule.
    mutating func value(for type: ValueType) -> Value {
        if oneIn(12) { return stray() }
        switch type {
        case .text(let maxBytes):
            let bytes = oneIn(6) ? maxBytes + Int.random(in: 0...1, using: &rng) : Int.random(in: 0...12, using: &rng)
            // Sometimes in two-byte characters: UTF-8 bytes are what count.
            return .string(oneIn(4) ? String(repeating: "é", count: (bytes + 1) / 2) : String(repeating: "a", count: bytes))
        case .name:
            return .string(["w-1", "c-0", "r-42", "", "has space", String(repeating: "n", count: 64 + Int.random(in: 0...1, using: &rng))].randomElement(using: &rng)!)
        case .reference:
            return .string(oneIn(3) ? "not-a-uuid" : Fixtures.record(UInt64.random(in: 1...9, using: &rng)).description)
        case .timestamp:
            return .int([ValueType.earliestTimestamp, ValueType.latestTimestamp, ValueType.earliestTimestamp - 1, ValueType.latestTimestamp + 1, Fixtures.start].randomElement(using: &rng)!)
        case .integer(let range):
            return .int([range.lowerBound, range.upperBound, range.lowerBound - 1, range.upperBound + 1].randomElement(using: &rng)!)
        case .boolean:
            return .bool(Bool.random(using: &rng))
        case .oneOf(let allowed):
            let pick = allowed.randomElement(using: &rng)!
            return .string(oneIn(4) ? pick.uppercased() + (oneIn(2) ? "" : "_") : pick)
        case .list(let element, let maxCount):
            let count = oneIn(5) ? maxCount + Int.random(in: 0...1, using: &rng) : Int.random(in: 0...min(3, maxCount), using: &rng)
            return .list((0..<count).map { _ in value(for: element) })
        case .object(let members):
            var given: [String: Value] = [:]
            for (name, member) in members.sorted(by: { $0.key < $1.key }) {
                if member.required ? oneIn(10) : Bool.random(using: &rng) { continue }
                given[name] = oneIn(10) ? .null : value(for: member.type)
            }
            if oneIn(8) { given["unknown_member"] = .int(1) }
            return .object(given)
        }
    }

    /// Changes for a record of `schema`: fields (sometimes unknown ones,
    /// repeated ones), `set` or `append` mostly as the field wants.
    mutating func changes(for schema: RecordSchema) -> [Change] {
        (0..<Int.random(in: 1...6, using: &rng)).map { _ in
            if oneIn(30) { return .set("no_such_field", .int(1)) }
            let field = schema.fields.randomElement(using: &rng)!
            let appends = field.merge == .appendOnly
            let kind: Change.Kind = oneIn(15) ? (appends ? .set : .append) : (appends ? .append : .set)
            let clearing = field.isClearable && oneIn(10)
            return Change(field: field.name, kind: kind, value: clearing ? .null : value(for: field.type))
        }
    }
}
