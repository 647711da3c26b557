/// A note about a visit, by a worker or the office. Its text can be edited
/// (concurrent edits are kept side by side, earlier versions stay readable),
/// amended, or marked entered-in-error; it is never deleted.
public enum VisitNote {
    public enum Field {
        public static let visit = "visit"
        public static let text = "text"
        public static let amendments = "amendments"
        public static let enteredInError = "entered_in_error"
        public static let enteredInErrorReason = "entered_in_error_reason"
        /// Coordinators' recorded decisions on the note's review items (see ``VisitNote/openReviewFindings(of:)``).
        public static let reviewDecisions = "review_decisions"
    }

    /// The longest note text accepted, in UTF-8 bytes.
    public static let maximumTextBytes = 64 * 1024

    public static let schema = RecordSchema(
        kind: .visitNote,
        fields: [
            FieldDescriptor(Field.visit, .reference(.visit), .immutable, required: true),
            FieldDescriptor(
                Field.text, .text(maxBytes: maximumTextBytes), .multiValue(keepsHistory: true), required: true),
            FieldDescriptor(
                Field.amendments, .object(["text": .required(.text(maxBytes: maximumTextBytes))]), .appendOnly),
            FieldDescriptor(Field.enteredInError, .boolean, .maximum),
            FieldDescriptor(Field.enteredInErrorReason, .text(maxBytes: 2_000), .multiValue(keepsHistory: true)),
            FieldDescriptor(Field.reviewDecisions, Visit.reviewDecision, .appendOnly),
        ])
}
