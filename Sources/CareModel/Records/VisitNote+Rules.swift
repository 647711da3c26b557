/// What about a note needs a person: concurrent versions of its text (two
/// devices edited it without seeing each other's edit), until a write of the
/// text that has seen both, or a review decision that has, settles them.
extension VisitNote {
    /// Why a note needs review.
    public enum ReviewReason: String, Sendable, Hashable, CaseIterable {
        /// The text holds concurrent versions (siblings).
        case concurrentVersions = "concurrent_note_versions"
    }

    /// The open findings of the note (none, or its concurrent versions).
    public static func openReviewFindings(of state: RecordState) -> [ReviewFinding<ReviewReason>] {
        guard case .register(let text) = state.field(Field.text), text.isConflicted else { return [] }
        let dots = text.siblings.map(\.dot)
        var decisions: [LogEntry] = []
        if case .log(let log) = state.field(Field.reviewDecisions) { decisions = log.entries }
        if ReviewFinding<ReviewReason>.isSettled(dots, reason: ReviewReason.concurrentVersions.rawValue, by: decisions) {
            return []
        }
        return [ReviewFinding(reason: .concurrentVersions, dots: dots)]
    }
}
