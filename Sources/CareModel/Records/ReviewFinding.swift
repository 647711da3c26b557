/// Something about a record that needs a person, with the writes behind it (in
/// a stable order): a review decision settles it once its causal context has
/// seen them all; a further write behind the same reason makes a new finding.
public struct ReviewFinding<Reason: Hashable & Sendable>: Hashable, Sendable {
    public var reason: Reason
    public var dots: [Dot]

    public init(reason: Reason, dots: [Dot]) {
        self.reason = reason
        self.dots = dots.sorted()
    }

    /// Whether one of `decisions` (entries of a `review_decisions` field) had
    /// seen every write in `dots` and is about `reason` (a decision that names
    /// no `finding` is about every finding it has seen).
    static func isSettled(_ dots: [Dot], reason: String, by decisions: [LogEntry]) -> Bool {
        decisions.contains { decision in
            let finding = decision.write.value.objectValue?[Visit.DecisionKey.finding]?.stringValue
            return (finding == nil || finding == reason) && dots.allSatisfy(decision.write.context.contains)
        }
    }
}
