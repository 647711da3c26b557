extension RecordState {
    /// This record's merged state in canonical form: exactly the line that
    /// ``CareState/canonicalBytes()`` writes for it (without the newline).
    ///
    /// Lets a store that keeps records one by one (the device store's
    /// materialized tables) prove that it holds the reducer's state, byte for byte.
    public var canonicalBytes: [UInt8] {
        var writer = CanonicalJSONWriter(reservingCapacity: 512)
        writer.recordState(self)
        return writer.bytes
    }
}
