import CareModel

/// Resolves review items with a coordinator's recorded decision: an operation
/// appending to the record's `review_decisions`, written on the coordinator's
/// behalf by the server's replica (``ServerReplicaWriter``) through the normal
/// ingest rules, then the item marked resolved (kept, never deleted).
struct ReviewDecisions: Sendable {
    let storage: any SyncStorage
    let writer: ServerReplicaWriter
    let clock: any WallClock

    /// Records `decision` on item `id` by `coordinator`, and returns the resolved item.
    ///
    /// Throws, changing nothing: `invalid_decision` (blank or too long),
    /// `reviewer_only` (not a coordinator), `unknown_review_item` (no such item,
    /// or another team's: ids reveal nothing across teams), `review_item_resolved`.
    func decide(_ id: String, _ decision: ReviewDecision, by coordinator: Worker) async throws -> ReviewItem {
        try decision.validate()
        guard coordinator.roles.contains(.coordinator) else {
            throw ServerError(.reviewerOnly, "only a coordinator decides review items", status: .forbidden)
        }
        guard let item = try await storage.reviewItem(id), let team = item.team, coordinator.teams.contains(team) else {
            throw ServerError(.unknownReviewItem, "no review item with this id in your teams", field: "item", status: .notFound)
        }
        guard item.isOpen else {
            throw ServerError(.reviewItemResolved, "this review item is resolved already", field: "item", status: .conflict)
        }
        let sequence = try await write(decision, on: item, as: coordinator)
        _ = try await storage.resolveReviewItem(id, at: clock.nowMillis(), by: coordinator.id, sequence: sequence)
        return try await storage.reviewItem(id) ?? item
    }

    /// Writes the decision's operation and returns its log position. The
    /// ingest rules apply as to any write of the coordinator's: a refusal
    /// (their team's visit no longer theirs, say) is answered with its code.
    private func write(_ decision: ReviewDecision, on item: ReviewItem, as coordinator: Worker) async throws -> UInt64 {
        let draft = OperationDraft(record: item.record, action: .update, changes: [decision.change(finding: item.reason)])
        guard let result = try await writer.write([draft], as: coordinator).first else {
            throw ServerError(.internalError, "the decision was not written", status: .internalServerError)
        }
        guard let sequence = result.sequence, result.status == .stored || result.status == .duplicate else {
            throw ServerError(
                ServerError.Code(rawValue: result.error?.code ?? "internal_error"),
                result.error?.message ?? "the decision was refused", status: .forbidden)
        }
        return sequence
    }
}
