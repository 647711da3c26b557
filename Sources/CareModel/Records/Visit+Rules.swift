/// The domain rules of a visit, derived from its merged fields: its status and
/// what needs review. Pure functions of the record state, so every replica
/// derives the same.
extension Visit {
    /// The status a visit shows. Evidence outranks the plan: a visit that was
    /// checked into shows as attended even if cancelled or marked missed (and
    /// then needs review).
    public static func status(of state: RecordState) -> Status {
        if !entries(state, Field.checkOuts).isEmpty { return .completed }
        if !entries(state, Field.checkIns).isEmpty { return .inProgress }
        if state[Field.cancelled] == .bool(true) { return .cancelled }
        if state[Field.markedMissed] == .bool(true) { return .missed }
        return .scheduled
    }

    /// The reasons this visit needs a person, not yet settled by a review
    /// decision that had seen every write behind them.
    public static func openReviewReasons(of state: RecordState) -> [ReviewReason] {
        openReviewFindings(of: state).map(\.reason).sorted()
    }

    /// The findings behind ``openReviewReasons(of:)``, each with the writes
    /// behind it: what the server's review queue lists, one item per finding.
    public static func openReviewFindings(of state: RecordState) -> [ReviewFinding<ReviewReason>] {
        let decisions = entries(state, Field.reviewDecisions)
        return findings(of: state).filter { finding in
            finding.settleable == false
                || !ReviewFinding<ReviewReason>.isSettled(finding.dots, reason: finding.reason.rawValue, by: decisions)
        }
        .map { ReviewFinding(reason: $0.reason, dots: $0.dots) }
    }

    /// Whether the visit needs review.
    public static func needsReview(_ state: RecordState) -> Bool {
        !openReviewReasons(of: state).isEmpty
    }

    private struct Finding {
        var reason: ReviewReason
        /// The writes behind it: a decision must have seen them all.
        var dots: [Dot]
        /// Whether a review decision settles it (a conflict is settled by a write).
        var settleable = true
    }

    private static func findings(of state: RecordState) -> [Finding] {
        var found: [Finding] = []
        let conflicted = state.conflictedFields
        if !conflicted.isEmpty {
            let dots = conflicted.flatMap { siblings(state, $0).map(\.dot) }
            found.append(Finding(reason: .conflictingValues, dots: dots, settleable: false))
        }
        let checkIns = entries(state, Field.checkIns)
        guard !checkIns.isEmpty else { return found }
        let checkInDots = checkIns.map(\.write.dot)
        for (field, reason) in [(Field.cancelled, ReviewReason.attendedButCancelled),
                                (Field.markedMissed, .attendedButMarkedMissed)] {
            let marks = siblings(state, field).filter { $0.value == .bool(true) }
            if !marks.isEmpty {
                found.append(Finding(reason: reason, dots: checkInDots + marks.map(\.dot)))
            }
        }
        if let assigned = state[Field.assignedWorkers]?.listValue {
            let assignedNames = Set(assigned.compactMap(\.stringValue))
            let strangers = checkIns.filter { !assignedNames.contains($0.write.author.rawValue) }
            if !strangers.isEmpty {
                let assignmentDots = siblings(state, Field.assignedWorkers).map(\.dot)
                found.append(
                    Finding(reason: .attendedByUnassignedWorker, dots: strangers.map(\.write.dot) + assignmentDots))
            }
        }
        let byAuthor = Dictionary(grouping: checkIns, by: \.write.author)
        let repeated = byAuthor.values.filter { $0.count > 1 }.flatMap { $0.map(\.write.dot) }
        if !repeated.isEmpty {
            found.append(Finding(reason: .duplicateCheckIn, dots: repeated))
        }
        return found
    }

    static func entries(_ state: RecordState, _ field: String) -> [LogEntry] {
        if case .log(let log) = state.field(field) { return log.entries }
        return []
    }

    static func siblings(_ state: RecordState, _ field: String) -> [FieldWrite] {
        if case .register(let register) = state.field(field) { return register.siblings }
        return []
    }
}
