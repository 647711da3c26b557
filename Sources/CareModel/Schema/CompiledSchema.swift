/// A record kind's ``RecordSchema`` compiled for the reducer's hot path: per
/// field, its merge rule and flags as a plain struct found by position, and its
/// value type as a node of ``CompiledValueTypes``, so that validating and
/// merging an operation copies no `ValueType` and retains no box.
///
/// A final class with constant properties: the reducer reads one compiled
/// schema per operation, and reading the arrays of a class's `let` properties
/// borrows them where copying a struct of arrays retained each.
final class CompiledSchema: Sendable {
    /// What the reducer needs of one field.
    struct Field: Sendable {
        let merge: MergeKind
        /// The field's value type: a position in ``CompiledSchema/types``.
        let type: Int
        let isClearable: Bool
    }

    /// The schema this was compiled from (for the full checks and error messages).
    let source: RecordSchema
    /// The fields, by position in ``source``.
    let fields: [Field]
    /// The fields' names, by position.
    let names: [String]
    /// The fields' positions ordered by the length of their names, then by
    /// position: the fields whose names are `n` bytes long are
    /// `byNameLength[nameLengthStarts[n] ..< nameLengthStarts[n + 1]]`.
    private let byNameLength: [Int]
    private let nameLengthStarts: [Int]
    let types: CompiledValueTypes
    /// The fields a create must set, one bit per position.
    let requiredOnCreate: UInt64

    init(_ schema: RecordSchema) {
        // Field sets are bit masks of positions (``accepts(_:isCreate:)``).
        precondition(schema.fields.count <= UInt64.bitWidth, "a record kind has at most 64 fields")
        var types = CompiledValueTypes()
        var required: UInt64 = 0
        fields = schema.fields.map { field in
            if field.requiredOnCreate { required |= 1 << field.position }
            return Field(merge: field.merge, type: types.add(field.type), isClearable: field.isClearable)
        }
        source = schema
        let names = schema.fields.map(\.name)
        self.names = names
        byNameLength = names.indices.sorted { (names[$0].utf8.count, $0) < (names[$1].utf8.count, $1) }
        let longest = names.map(\.utf8.count).max() ?? 0
        nameLengthStarts = (0...longest + 1).map { length in names.count { $0.utf8.count < length } }
        self.types = types
        requiredOnCreate = required
    }

    /// The position of the field called `name`, if the kind has one: the same
    /// answer as ``RecordSchema/position(of:)`` (the first field of the same
    /// length and an equal name), comparing only names of the same length.
    func position(of name: String) -> Int? {
        let length = name.utf8.count
        guard length + 1 < nameLengthStarts.count else { return nil }
        for index in nameLengthStarts[length]..<nameLengthStarts[length + 1] where names[byNameLength[index]] == name {
            return byNameLength[index]
        }
        return nil
    }

    static let visit = CompiledSchema(Visit.schema)
    static let visitNote = CompiledSchema(VisitNote.schema)
    static let missedCall = CompiledSchema(MissedCall.schema)
    static let abuseReport = CompiledSchema(AbuseReport.schema)
    static let abuseEscalation = CompiledSchema(AbuseEscalation.schema)

    /// The compiled schema of `kind`: the one ``RecordSchema/of(_:)`` gives.
    static func of(_ kind: RecordKind) -> CompiledSchema? {
        // Each kind's name has a length of its own: comparing lengths first
        // leaves one string comparison, an equal one, which compares bits.
        // (An unequal comparison is a call into the string runtime.)
        let candidate: CompiledSchema? =
            switch kind.rawValue.utf8.count {
            case 5: visit
            case 10: visitNote
            case 11: missedCall
            case 12: abuseReport
            case 16: abuseEscalation
            default: nil
            }
        if let candidate, candidate.source.kind == kind { return candidate }
        // Otherwise the comparisons of `RecordSchema.of` (which also match a
        // name equal under Unicode rules but of another length).
        return switch kind {
        case .visit: visit
        case .visitNote: visitNote
        case .missedCall: missedCall
        case .abuseReport: abuseReport
        case .abuseEscalation: abuseEscalation
        default: nil
        }
    }
}
