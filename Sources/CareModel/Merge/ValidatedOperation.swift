/// An operation that has passed ``OperationValidator``, with what validating
/// it found that merging needs: its record's compiled schema, whether it
/// creates the record, and each change's field position in the schema.
///
/// Pointers, valid only for the call that merges it (see ``CareState``'s
/// `apply(at:)`): the operation read in place, the positions on the stack.
struct ValidatedOperation {
    let operation: UnsafePointer<Operation>
    let schema: CompiledSchema
    let isCreate: Bool
    /// The position in ``schema`` of the field of each change, by change.
    let positions: UnsafeBufferPointer<UInt8>
}
