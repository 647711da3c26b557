/// The checks every operation must pass before it is merged, stored or sent:
/// the rules that need nothing but the operation itself and its record's schema.
///
/// Device, server and audit tools all run these same checks; access rules, which
/// need to know who is asking, are in ``AccessPolicy``.
public enum OperationValidator {
    /// The most changes one operation may carry.
    public static let maximumChanges = 64

    /// Throws the first rule `operation` breaks, if any.
    public static func validate(_ operation: Operation) throws(CareModelError) {
        try withUnsafePointer(to: operation) { (operation) throws(CareModelError) in
            try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maximumChanges) {
                (positions) throws(CareModelError) in
                _ = try validated(at: operation, positions: positions)
            }
        }
    }

    /// Validates the operation at `operation` (as ``validate(_:)``) and returns
    /// what the reducer needs next: its record's compiled schema, and whether
    /// it creates the record; and in `positions`, which must have room for
    /// ``maximumChanges``, the position in the schema of each change's field,
    /// so that merging does not look each one up again. (A pointer, as
    /// ``CareState``'s `apply(at:)` and for its reason: reading the fields it
    /// checks in place, rather than taking a copy of the whole operation. The
    /// pointer must stay valid, and the operation unchanged, for the call.)
    static func validated(
        at operation: UnsafePointer<Operation>, positions: UnsafeMutableBufferPointer<UInt8>
    ) throws(CareModelError) -> (
        schema: CompiledSchema, isCreate: Bool
    ) {
        guard operation.pointee.id.counter >= 1 else {
            throw CareModelError(.invalidCounter, "operation counters start at 1")
        }
        guard operation.pointee.context[operation.pointee.id.replica] < operation.pointee.id.counter else {
            throw CareModelError(
                .invalidContext, "the causal context includes the operation itself or a later one of its replica")
        }
        guard let schema = CompiledSchema.of(operation.pointee.record.kind) else {
            throw CareModelError(.unknownRecordKind, "unknown record kind \(operation.pointee.record.kind)")
        }
        // Updates are the commonest action and compare equal on String's fast
        // path; an unequal comparison is a call into the string runtime.
        let isUpdate = operation.pointee.action == .update
        let isCreate = !isUpdate && operation.pointee.action == .create
        guard isCreate || isUpdate else {
            if operation.pointee.action == .delete {
                if operation.pointee.record.kind == .abuseReport {
                    throw CareModelError(
                        .abuseReportDeletion, "abuse reports can never be deleted; add a supplement instead")
                }
                throw CareModelError(
                    .deletionForbidden,
                    "care records are never deleted; amend, cancel or mark entered-in-error instead")
            }
            throw CareModelError(.invalidValue, "unknown action \(operation.pointee.action)")
        }
        guard !operation.pointee.changes.isEmpty else {
            throw CareModelError(.emptyChanges, "an operation must change at least one field")
        }
        guard operation.pointee.changes.count <= maximumChanges else {
            throw CareModelError(.tooManyChanges, "an operation may carry at most \(maximumChanges) changes")
        }
        guard (ValueType.earliestTimestamp...ValueType.latestTimestamp).contains(operation.pointee.timestamp.wallMillis)
        else {
            throw CareModelError(.invalidTimestamp, "the HLC timestamp is outside 2000-2200")
        }
        // The compiled check vouches for valid changes without `ValueType`'s
        // boxes; when it cannot, the full check throws the exact error.
        if !schema.accepts(operation.pointee.changes, isCreate: isCreate, positions: positions) {
            try validateChanges(operation.pointee, schema: schema.source, isCreate: isCreate)
            // Valid, so every field is the schema's: the positions the compiled
            // check may not have reached.
            for (index, change) in operation.pointee.changes.enumerated() {
                positions[index] = UInt8(schema.source.position(of: change.field)!)
            }
        }
        return (schema, isCreate)
    }

    private static func validateChanges(
        _ operation: Operation, schema: RecordSchema, isCreate: Bool
    ) throws(CareModelError) {
        for (position, change) in operation.changes.enumerated() {
            guard let slot = schema.position(of: change.field) else {
                throw CareModelError(
                    .unknownField, "a \(schema.kind) has no field named \(change.field)", field: change.field)
            }
            let field = schema.fields[slot]
            // `set` first: the commonest kind, so mostly one equal comparison.
            let appends = change.kind != .set && change.kind == .append
            switch (field.merge, appends) {
            case (.appendOnly, true):
                break
            case (.appendOnly, false):
                throw CareModelError(
                    .appendOnlyField, "\(field.name) only grows: append to it", field: field.name)
            case (_, true):
                throw CareModelError(
                    .notAppendable, "\(field.name) is not a collection: set it", field: field.name)
            case (.immutable, _) where !isCreate:
                throw CareModelError(
                    .immutableField, "\(field.name) is fixed when the \(schema.kind) is created",
                    field: field.name)
            default:
                // Operations carry a handful of changes: a scan beats allocating a set.
                if operation.changes[..<position].contains(where: { $0.field.isSameName(as: change.field) }) {
                    throw CareModelError(
                        .duplicateField, "\(field.name) is set twice in one operation", field: field.name)
                }
            }
            if case .null = change.value, field.isClearable { continue }
            try field.type.check(change.value, field: field.name)
        }
        if isCreate {
            for field in schema.fields
            where field.requiredOnCreate && !operation.changes.contains(where: { $0.field.isSameName(as: field.name) }) {
                throw CareModelError(
                    .missingRequiredField, "a new \(schema.kind) must set \(field.name)", field: field.name)
            }
        }
    }
}
