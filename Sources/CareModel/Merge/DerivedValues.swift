/// The values derived from a record's fields by its kind's domain rules, as
/// listed in the canonical state (so an auditor's replay shows them too).
enum DerivedValues {
    static func of(_ state: RecordState) -> [String: Value] {
        switch state.ref.kind {
        case .visit:
            return [
                "status": .string(Visit.status(of: state).rawValue),
                "needs_review": .list(Visit.openReviewReasons(of: state).map { .string($0.rawValue) }),
            ]
        case .abuseReport:
            return ["status": state[AbuseReport.Field.status] ?? .string(AbuseReport.statuses[0])]
        case .visitNote:
            return ["entered_in_error": state[VisitNote.Field.enteredInError] ?? .bool(false)]
        default:
            return [:]
        }
    }
}
