/// One field of a record kind: its type, merge rule, and whether a create must set it.
public struct FieldDescriptor: Hashable, Sendable {
    public let name: String
    public let type: ValueType
    public let merge: MergeKind
    public let requiredOnCreate: Bool

    public init(_ name: String, _ type: ValueType, _ merge: MergeKind, required: Bool = false) {
        self.name = name
        self.type = type
        self.merge = merge
        self.requiredOnCreate = required
    }

    /// Whether the field may be set to `null`: registers that a record can be
    /// without.
    public var isClearable: Bool {
        switch merge {
        case .multiValue, .lastWriterWins: !requiredOnCreate
        default: false
        }
    }
}

/// The fields of a record kind and how each merges.
public struct RecordSchema: Sendable {
    public let kind: RecordKind
    /// The fields in the order they are documented.
    public let fields: [FieldDescriptor]
    private let byName: [String: FieldDescriptor]

    public init(kind: RecordKind, fields: [FieldDescriptor]) {
        self.kind = kind
        self.fields = fields
        self.byName = Dictionary(uniqueKeysWithValues: fields.map { ($0.name, $0) })
    }

    /// The field called `name`, if the kind has one.
    public func field(_ name: String) -> FieldDescriptor? {
        byName[name]
    }

    /// The schema of `kind`, or nil for a kind the model does not know.
    public static func of(_ kind: RecordKind) -> RecordSchema? {
        switch kind {
        case .visit: Visit.schema
        case .visitNote: VisitNote.schema
        case .missedCall: MissedCall.schema
        case .abuseReport: AbuseReport.schema
        default: nil
        }
    }
}
