/// A zero-tolerance report of abuse or violence a worker suffered at a visit.
///
/// The reporter's statement and the facts given with it are fixed once
/// submitted; the reporter adds supplements. Safeguarding notes and actions are a
/// separate stream. Severity only escalates and status only moves forward. A
/// report can never be deleted.
public enum AbuseReport {
    public enum Field {
        public static let visit = "visit"
        public static let incidentKind = "incident_kind"
        public static let occurredAt = "occurred_at"
        public static let involved = "involved"
        public static let statement = "statement"
        public static let injury = "injury"
        public static let witnesses = "witnesses"
        public static let severity = "severity"
        public static let status = "status"
        public static let daysAbsent = "days_absent"
        public static let policeReference = "police_reference"
        public static let supplements = "supplements"
        public static let safeguardingNotes = "safeguarding_notes"
        public static let actionsTaken = "actions_taken"
    }

    public static let incidentKinds = ["verbal", "physical", "sexual", "discriminatory", "threatening", "other"]

    /// Who was involved, by relationship to the person cared for.
    public static let relationships = [
        "person_cared_for", "family_member", "visitor", "other_professional", "colleague", "unknown", "other",
    ]

    /// Report status, in the only order it may move.
    public static let statuses = ["submitted", "acknowledged", "investigating", "closed"]

    /// Severity from 1 (low) to 4 (critical); it only escalates.
    public static let severities: ClosedRange<Int64> = 1...4

    /// The fields that form the reporter's statement.
    public static let statementFields: Set<String> = [
        Field.visit, Field.incidentKind, Field.occurredAt, Field.involved, Field.statement, Field.injury,
        Field.witnesses,
    ]

    public static let schema = RecordSchema(
        kind: .abuseReport,
        fields: [
            FieldDescriptor(Field.visit, .reference(.visit), .immutable),
            FieldDescriptor(Field.incidentKind, .oneOf(incidentKinds), .immutable, required: true),
            FieldDescriptor(Field.occurredAt, .timestamp, .immutable, required: true),
            FieldDescriptor(
                Field.involved,
                .list(
                    .object([
                        "relationship": .required(.oneOf(relationships)),
                        "description": .optional(.text(maxBytes: 2_000)),
                    ]), maxCount: 10), .immutable, required: true),
            FieldDescriptor(Field.statement, .text(maxBytes: 64 * 1024), .immutable, required: true),
            FieldDescriptor(Field.injury, .boolean, .immutable),
            FieldDescriptor(Field.witnesses, .text(maxBytes: 4_000), .immutable),
            FieldDescriptor(Field.severity, .integer(severities), .maximum, required: true),
            FieldDescriptor(Field.status, .oneOf(statuses), .maximum),
            FieldDescriptor(Field.daysAbsent, .integer(0...3_650), .maximum),
            FieldDescriptor(Field.policeReference, .text(maxBytes: 100), .multiValue(keepsHistory: true)),
            FieldDescriptor(
                Field.supplements, .object(["text": .required(.text(maxBytes: 64 * 1024))]), .appendOnly),
            FieldDescriptor(
                Field.safeguardingNotes, .object(["text": .required(.text(maxBytes: 64 * 1024))]), .appendOnly),
            FieldDescriptor(
                Field.actionsTaken, .object(["action": .required(.text(maxBytes: 4_000))]), .appendOnly),
        ])
}
