extension CompiledSchema {
    /// Whether `changes` certainly pass ``OperationValidator``'s checks of an
    /// operation's changes on a record of this kind (the rules of
    /// `validateChanges`, in the same terms). False means "run the full
    /// check": it throws the exact error, or accepts what this could not decide.
    /// When true, `positions` holds the position of each change's field (the
    /// caller's buffer, with room for every change).
    func accepts(_ changes: [Change], isCreate: Bool, positions: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        // Through the storage rather than `for change in changes`: each element
        // read as a value was a copy, a retain of its value's storage.
        changes.withUnsafeBufferPointer { changes in
            var written: UInt64 = 0
            for index in changes.indices {
                guard let position = position(of: changes[index].field) else { return false }
                positions[index] = UInt8(truncatingIfNeeded: position)
                let field = fields[position]
                // As the full check: `set` first, and a kind that is neither `set`
                // nor `append` counts as a `set`.
                let appends = changes[index].kind != .set && changes[index].kind == .append
                if case .appendOnly = field.merge {
                    guard appends else { return false }
                } else {
                    guard !appends, !written.contains(position) else { return false }
                    if case .immutable = field.merge, !isCreate { return false }
                }
                written |= 1 << position
                if case .null = changes[index].value, field.isClearable { continue }
                guard types.accepts(changes[index].value, as: field.type) else { return false }
            }
            return !isCreate || written & requiredOnCreate == requiredOnCreate
        }
    }
}

extension UInt64 {
    /// Whether the bit for `position` is set.
    fileprivate func contains(_ position: Int) -> Bool {
        self & (1 << position) != 0
    }
}
