/// One change an operation makes to a field.
public struct Change: Hashable, Sendable, Codable {
    /// What the change does.
    public struct Kind: RawRepresentable, Hashable, Sendable, Codable {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }

        /// Writes the field's value (for registers and monotone fields).
        public static let set = Kind(rawValue: "set")
        /// Adds an entry to an append-only collection.
        public static let append = Kind(rawValue: "append")

        public init(from decoder: any Decoder) throws {
            let container = try decoder.singleValueContainer()
            let raw = try container.decode(String.self)
            guard raw == Kind.set.rawValue || raw == Kind.append.rawValue else {
                throw DecodingError.dataCorruptedError(
                    in: container, debugDescription: "a change is \"set\" or \"append\"")
            }
            self.init(rawValue: raw)
        }
    }

    public var field: String
    public var kind: Kind
    public var value: Value

    public init(field: String, kind: Kind, value: Value) {
        self.field = field
        self.kind = kind
        self.value = value
    }

    /// Sets `field` to `value`.
    public static func set(_ field: String, _ value: Value) -> Change {
        Change(field: field, kind: .set, value: value)
    }

    /// Appends `value` to the collection `field`.
    public static func append(_ field: String, _ value: Value) -> Change {
        Change(field: field, kind: .append, value: value)
    }

    enum CodingKeys: String, CodingKey {
        case field = "f"
        case kind = "k"
        case value = "v"
    }
}

/// What an operation does to its record.
public struct Action: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
    public let rawValue: String
    public init(rawValue: String) { self.rawValue = rawValue }

    /// Creates the record and sets its immutable fields.
    public static let create = Action(rawValue: "create")
    /// Changes fields of an existing record.
    public static let update = Action(rawValue: "update")
    /// Deletes the record. Part of the vocabulary only so that a client which
    /// tries gets a precise refusal: care records are never deleted.
    public static let delete = Action(rawValue: "delete")

    public var description: String { rawValue }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let raw = try container.decode(String.self)
        guard [Action.create, .update, .delete].contains(where: { $0.rawValue == raw }) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "an action is create, update or delete")
        }
        self.init(rawValue: raw)
    }
}
