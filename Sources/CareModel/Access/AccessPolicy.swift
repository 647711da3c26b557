/// Who may read and write what: roles × record kinds × read / create / update
/// × fields, as data.
///
/// The server enforces it on every push and pull; the device mirrors it so that
/// the app never offers what the server would refuse. Both use
/// ``AccessPolicy/standard``.
public struct AccessPolicy: Sendable {
    /// Writes to `fields` of records within `scope`.
    public struct Grant: Sendable, Hashable {
        public var scope: Scope
        public var fields: Set<String>

        public init(_ scope: Scope, _ fields: Set<String>) {
            self.scope = scope
            self.fields = fields
        }
    }

    /// What one role may do with one record kind.
    public struct Rules: Sendable, Hashable {
        public var read: Scope
        /// Which records the role may create, and the fields it may set in a create.
        public var create: Grant?
        /// Which fields the role may change in which records.
        public var update: [Grant]

        public init(read: Scope, create: Grant? = nil, update: [Grant] = []) {
            self.read = read
            self.create = create
            self.update = update
        }

        static let none = Rules(read: .none)
    }

    private let rules: [Role: [RecordKind: Rules]]

    public init(_ rules: [Role: [RecordKind: Rules]]) {
        self.rules = rules
    }

    /// The rules for `role` and `kind`; nothing is allowed for pairs not listed.
    public func rules(for role: Role, _ kind: RecordKind) -> Rules {
        rules[role]?[kind] ?? .none
    }

    /// Whether `role`, standing in `relationship` to a record of `kind`, may read it.
    public func canRead(_ role: Role, _ kind: RecordKind, relationship: Relationship) -> Bool {
        rules(for: role, kind).read.covers(relationship)
    }

    /// Throws ``CareModelError/Code/accessDenied`` unless `role`, standing in
    /// `relationship` to the record, may make every change in `operation`.
    public func authorize(
        _ operation: Operation, role: Role, relationship: Relationship
    ) throws(CareModelError) {
        let rules = rules(for: role, operation.record.kind)
        let kind = operation.record.kind
        if operation.action == .create {
            guard let grant = rules.create, grant.scope.covers(relationship) else {
                throw CareModelError(.accessDenied, "a \(role.rawValue) may not create this \(kind)")
            }
            for change in operation.changes where !grant.fields.contains(change.field) {
                throw CareModelError(
                    .accessDenied, "a \(role.rawValue) may not set \(change.field) on a \(kind)", field: change.field)
            }
            return
        }
        let grants = rules.update.filter { $0.scope.covers(relationship) }
        for change in operation.changes where !grants.contains(where: { $0.fields.contains(change.field) }) {
            throw CareModelError(
                .accessDenied, "a \(role.rawValue) may not change \(change.field) on this \(kind)", field: change.field)
        }
    }
}
