/// The server escalating an abuse report that nobody acknowledged in time to
/// the next safeguarding contact.
///
/// A record of its own rather than a field of the report, so that who reads it
/// is decided separately: safeguarding leads and auditors only. The reporter
/// reads their report but not the escalations about its handling; coordinators
/// and other workers read neither. Written only by the server's replica, every
/// field set once at creation.
public enum AbuseEscalation {
    public enum Field {
        /// The report escalated.
        public static let report = "report"
        /// 1 for the first escalation, 2 for the next, ...
        public static let level = "level"
        /// The safeguarding contact it goes to (a worker id), from the provider's ordered list.
        public static let contact = "contact"
        /// The acknowledgement deadline that passed, Unix ms.
        public static let dueAt = "due_at"
    }

    /// Every field (all set by the create).
    public static let fields: Set<String> = [Field.report, Field.level, Field.contact, Field.dueAt]

    /// The most escalations one report can have.
    public static let maximumLevel: Int64 = 100

    public static let schema = RecordSchema(
        kind: .abuseEscalation,
        fields: [
            FieldDescriptor(Field.report, .reference(.abuseReport), .immutable, required: true),
            FieldDescriptor(Field.level, .integer(1...maximumLevel), .immutable, required: true),
            FieldDescriptor(Field.contact, .name, .immutable),
            FieldDescriptor(Field.dueAt, .timestamp, .immutable, required: true),
        ])

    /// For an escalation's create: the report it escalates.
    public static func report(of operation: Operation) -> RecordID? {
        guard operation.record.kind == .abuseEscalation, operation.action == .create else { return nil }
        let text = operation.changes.first { $0.field == Field.report }?.value.stringValue
        return text.flatMap(RecordID.init)
    }
}
