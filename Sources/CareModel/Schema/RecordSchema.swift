/// One field of a record kind: its type, merge rule, and whether a create must set it.
public struct FieldDescriptor: Hashable, Sendable {
    public let name: String
    public let type: ValueType
    public let merge: MergeKind
    public let requiredOnCreate: Bool
    /// The field's position in its schema's ``RecordSchema/fields``.
    public internal(set) var position = 0

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

    public init(kind: RecordKind, fields: [FieldDescriptor]) {
        self.kind = kind
        self.fields = fields.enumerated().map { position, field in
            var field = field
            field.position = position
            return field
        }
    }

    /// The field called `name`, if the kind has one. (A scan: schemas have a
    /// couple of dozen short names, and this is faster than hashing. Comparing
    /// lengths first skips most names without a call into String comparison.)
    public func field(_ name: String) -> FieldDescriptor? {
        position(of: name).map { fields[$0] }
    }

    /// The position in ``fields`` of the field called `name`, if the kind has
    /// one: the reducer's lookup, which reads what it needs of the descriptor
    /// in place rather than copying it.
    func position(of name: String) -> Int? {
        fields.firstIndex { $0.name.isSameName(as: name) }
    }

    /// The schema of `kind`, or nil for a kind the model does not know.
    public static func of(_ kind: RecordKind) -> RecordSchema? {
        CompiledSchema.of(kind)?.source
    }
}
