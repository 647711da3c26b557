public import CareModel

/// What a worker reports when filing an abuse report. The statement and the
/// facts given with it are fixed once filed; later facts go in supplements.
public struct AbuseReportDraft: Sendable, Hashable {
    /// Someone involved, by their relationship to the person cared for
    /// (``AbuseReport/relationships``).
    public struct Involved: Sendable, Hashable {
        public var relationship: String
        public var description: String?

        public init(relationship: String, description: String? = nil) {
            self.relationship = relationship
            self.description = description
        }
    }

    /// The visit it happened at, if any.
    public var visit: RecordID?
    /// One of ``AbuseReport/incidentKinds``.
    public var incidentKind: String
    /// When it happened (Unix milliseconds); the report's own time is when it is filed.
    public var occurredAt: Int64
    public var involved: [Involved]
    public var statement: String
    /// 1 (low) to 4 (critical).
    public var severity: Int64
    public var injury: Bool?
    public var witnesses: String?
    public var daysAbsent: Int64?
    public var policeReference: String?

    public init(
        visit: RecordID? = nil, incidentKind: String, occurredAt: Int64, involved: [Involved], statement: String,
        severity: Int64, injury: Bool? = nil, witnesses: String? = nil, daysAbsent: Int64? = nil,
        policeReference: String? = nil
    ) {
        self.visit = visit
        self.incidentKind = incidentKind
        self.occurredAt = occurredAt
        self.involved = involved
        self.statement = statement
        self.severity = severity
        self.injury = injury
        self.witnesses = witnesses
        self.daysAbsent = daysAbsent
        self.policeReference = policeReference
    }

    var changes: [Change] {
        typealias Field = AbuseReport.Field
        var changes: [Change] = [
            .set(Field.incidentKind, .string(incidentKind)), .set(Field.occurredAt, .int(occurredAt)),
            .set(
                Field.involved,
                .list(
                    involved.map { person in
                        var members: [String: Value] = ["relationship": .string(person.relationship)]
                        if let description = person.description { members["description"] = .string(description) }
                        return .object(members)
                    })),
            .set(Field.statement, .string(statement)), .set(Field.severity, .int(severity)),
        ]
        if let visit { changes.append(.set(Field.visit, .string(visit.description))) }
        if let injury { changes.append(.set(Field.injury, .bool(injury))) }
        if let witnesses { changes.append(.set(Field.witnesses, .string(witnesses))) }
        if let daysAbsent { changes.append(.set(Field.daysAbsent, .int(daysAbsent))) }
        if let policeReference { changes.append(.set(Field.policeReference, .string(policeReference))) }
        return changes
    }
}
