extension Operation {
    /// Decodes an operation from its canonical encoding (as a log stores it),
    /// with CareModel's JSON reader. Throws a ``JSONReadError`` for bytes that
    /// are not an operation.
    public init(canonicalBytes: [UInt8]) throws {
        try self.init(json: canonicalBytes)
    }
}
