public import CareModel

/// Where the review queue lives (table `review_items`). Items are resolved,
/// never deleted.
public protocol ReviewStore: Sendable {
    /// Stores `changes` in one transaction: each opened item as open, its team
    /// taken from the record index, unless an item with its id exists (open or
    /// resolved) or its record already has an open item for the same reason;
    /// each resolution on its item if that item is still open.
    func apply(_ changes: ReviewQueueChanges) async throws

    /// One item by id.
    func reviewItem(_ id: String) async throws -> ReviewItem?

    /// The open items of `records`.
    func openReviewItems(on records: [RecordRef]) async throws -> [ReviewItem]

    /// Items, oldest first: of the records of `teams` (every team when nil),
    /// open ones only unless `includeResolved`.
    func reviewItems(teams: [TeamID]?, includeResolved: Bool, limit: Int) async throws -> [ReviewItem]

    /// Marks an open item resolved; false (changing nothing) when it is resolved already.
    func resolveReviewItem(_ id: String, at time: Int64, by worker: WorkerID?, sequence: UInt64) async throws -> Bool
}
