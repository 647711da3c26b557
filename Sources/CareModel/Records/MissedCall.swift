/// A scheduled visit that did not happen, with the reason.
public enum MissedCall {
    public enum Field {
        public static let visit = "visit"
        public static let reason = "reason"
        public static let details = "details"
        public static let confirmedByOffice = "confirmed_by_office"
    }

    /// Why a visit did not happen: the worker's reasons, then the office's.
    public static let reasons = [
        "no_access", "declined", "in_hospital", "worker_could_not_attend", "cover_unavailable",
        "scheduling_error", "other",
    ]

    public static let schema = RecordSchema(
        kind: .missedCall,
        fields: [
            FieldDescriptor(Field.visit, .reference(.visit), .immutable, required: true),
            FieldDescriptor(Field.reason, .oneOf(reasons), .multiValue(keepsHistory: true), required: true),
            FieldDescriptor(Field.details, .text(maxBytes: 4_000), .multiValue(keepsHistory: true)),
            FieldDescriptor(Field.confirmedByOffice, .boolean, .maximum),
        ])
}
