import CareModel

/// Resolves review items with a coordinator's recorded decision: an operation
/// appending to the record's `review_decisions`, written on the coordinator's
/// behalf by the server's replica (``ServerReplicaWriter``) through the normal
/// ingest rules, then the item marked resolved (kept, never deleted).
struct ReviewDecisions: Sendable {
    let storage: any SyncStorage
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
        let sequence = try await write(decision, on: item.record, as: coordinator)
        _ = try await storage.resolveReviewItem(id, at: clock.nowMillis(), by: coordinator.id, sequence: sequence)
        return try await storage.reviewItem(id) ?? item
    }

    /// Writes the decision's operation and returns its log position.
    private func write(_ decision: ReviewDecision, on record: RecordRef, as coordinator: Worker) async throws -> UInt64 {
        // Filled in with ServerReplicaWriter when the lead's foundation lands.
        throw ServerError(.internalError, "review decisions need the server's replica writer", status: .internalServerError)
    }
}
