/// An operation that the model refuses, with a stable code for programs and a
/// message for people.
///
/// Messages name fields and rules, never the content a worker typed, so an error
/// can be logged without leaking care records.
public struct CareModelError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A stable, machine-readable error code. New codes may be added, so switch
    /// over codes with a default case.
    public struct Code: RawRepresentable, Hashable, Sendable, Codable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        /// The operation's counter is 0; counters start at 1.
        public static let invalidCounter = Code(rawValue: "invalid_counter")
        /// The causal context claims the operation had seen itself or a later one
        /// of its own replica.
        public static let invalidContext = Code(rawValue: "invalid_context")
        /// The record kind is not one the model knows.
        public static let unknownRecordKind = Code(rawValue: "unknown_record_kind")
        /// A change names a field the record kind does not have.
        public static let unknownField = Code(rawValue: "unknown_field")
        /// A value has the wrong type or is outside the field's allowed values.
        public static let invalidValue = Code(rawValue: "invalid_value")
        /// A value is larger than the field allows.
        public static let valueTooLarge = Code(rawValue: "value_too_large")
        /// An update changes a field that is fixed once the record is created.
        public static let immutableField = Code(rawValue: "immutable_field")
        /// A `set` on a collection that only grows (use `append`).
        public static let appendOnlyField = Code(rawValue: "append_only_field")
        /// An `append` on a field that is not a collection.
        public static let notAppendable = Code(rawValue: "not_appendable")
        /// The same field is set twice in one operation.
        public static let duplicateField = Code(rawValue: "duplicate_field")
        /// A create leaves out a field every record of its kind must have.
        public static let missingRequiredField = Code(rawValue: "missing_required_field")
        /// An operation with no changes.
        public static let emptyChanges = Code(rawValue: "empty_changes")
        /// An operation with more changes than allowed.
        public static let tooManyChanges = Code(rawValue: "too_many_changes")
        /// Care records are never deleted (amend, cancel or mark entered-in-error).
        public static let deletionForbidden = Code(rawValue: "deletion_forbidden")
        /// Abuse reports can never be deleted.
        public static let abuseReportDeletion = Code(rawValue: "abuse_report_deletion")
        /// A timestamp outside the range the model accepts.
        public static let invalidTimestamp = Code(rawValue: "invalid_timestamp")
        /// The access policy does not let this role do this.
        public static let accessDenied = Code(rawValue: "access_denied")
        /// A device signing key that is not a 32-byte Ed25519 seed.
        public static let invalidSigningKey = Code(rawValue: "invalid_signing_key")
        /// A server public key that is not 32 bytes of base64 (Ed25519).
        public static let invalidServerKey = Code(rawValue: "invalid_server_key")
        /// A receipt or receipt batch that is malformed (bad hex, index outside its batch, no entries).
        public static let invalidReceipt = Code(rawValue: "invalid_receipt")
        /// A receipt's entry and path do not lead to its signed root: the entry or the proof was changed.
        public static let receiptProofMismatch = Code(rawValue: "receipt_proof_mismatch")
        /// A receipt's signature is not the server key's over its root (or a batch's over its entries).
        public static let receiptSignatureInvalid = Code(rawValue: "receipt_signature_invalid")
        /// A receipt that does not describe the operation the device holds (another id or hash), or no receipt for an acknowledged operation.
        public static let receiptMismatch = Code(rawValue: "receipt_mismatch")
    }

    public let code: Code
    public let message: String
    /// The field concerned, when there is one.
    public let field: String?

    public init(_ code: Code, _ message: String, field: String? = nil) {
        self.code = code
        self.message = message
        self.field = field
    }

    public var description: String { "\(code): \(message)" }
}
