import Foundation
import CareModel

/// The body of `POST /v1/review/{item}/decision`: the decision in words and a
/// short reason, kept as an entry of the record's `review_decisions`.
struct ReviewDecision: Codable, Sendable {
    /// What the coordinator decided (1–2,000 UTF-8 bytes): "visit took place, sync was delayed".
    var decision: String
    /// Why, in short (1–64 UTF-8 bytes): "client confirmed by phone".
    var reason: String

    /// Refuses an empty or too long decision or reason (`invalid_decision`).
    func validate() throws {
        for (field, text, limit) in [("decision", decision, 2_000), ("reason", reason, 64)] {
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !trimmed.isEmpty, text.utf8.count <= limit else {
                throw ServerError(
                    .invalidDecision, "\(field) must be 1-\(limit) bytes of text, not blank", field: field,
                    status: .badRequest)
            }
        }
    }

    /// The change that records it on the record of an item for `finding`
    /// (visits and notes share the field's name and shape).
    func change(finding: String) -> Change {
        .append(
            Visit.Field.reviewDecisions,
            .object([
                Visit.DecisionKey.decision: .string(decision), Visit.DecisionKey.reason: .string(reason),
                Visit.DecisionKey.finding: .string(finding),
            ]))
    }
}
