public import CareModel

/// Codes for one pushed operation the server refuses (in `OperationResult.error`),
/// beside the model's own ``CareModelError/Code`` values (schema and access checks).
extension CareModelError.Code {
    /// The counter is not the replica's next one (last stored + 1).
    public static let counterGap = Self(rawValue: "counter_gap")
    /// An earlier operation of this batch was rejected, so storing this one would
    /// leave a gap in the replica's counters and chain.
    public static let precedingRejected = Self(rawValue: "preceding_rejected")
    /// An operation with this id is stored with different content (a different hash).
    public static let conflictingDuplicate = Self(rawValue: "conflicting_duplicate")
    /// The chain the server computes for this batch does not end at the `head`
    /// the device sent: the device's history differs from what the server stored.
    public static let chainMismatch = Self(rawValue: "chain_mismatch")
    /// The operation's canonical encoding is larger than the server accepts.
    public static let operationTooLarge = Self(rawValue: "operation_too_large")
    /// An update to a record whose create the server does not hold.
    public static let unknownRecord = Self(rawValue: "unknown_record")
    /// A note or missed call that points at a visit the server does not hold.
    public static let unknownVisit = Self(rawValue: "unknown_visit")
    /// A second create for a record that already exists.
    public static let recordExists = Self(rawValue: "record_exists")
}
