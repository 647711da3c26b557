import CareModel

/// The log follower's handler that keeps the review queue: for each visit and
/// note a page touches, it reduces the record's operations (the page's own for
/// a record created in it, else read for the whole page at once,
/// ``SyncStorage/operations(on:)``; all the page's records in one state) and opens an item per open finding
/// (``Visit/openReviewFindings(of:)``, ``VisitNote/openReviewFindings(of:)``),
/// and resolves the record's open items whose reason the log has settled. It
/// also opens a `clock_skew` item for each operation whose device clock was off
/// by more than the limit; a page's changes are stored in one transaction.
/// Off the ingest path: a push never waits for it.
///
/// Idempotent: an item's id is its finding's (record, reason, writes), so a
/// page read twice opens nothing new. Abuse reports never reach the queue.
struct ReviewIndexer: Sendable {
    static let job = "review-indexer"
    static let clockSkew = "clock_skew"

    let storage: any SyncStorage
    /// Skew beyond this many milliseconds opens a `clock_skew` item.
    let clockSkewLimitMillis: Int64

    /// The records whose review items the queue keeps.
    static let reviewedKinds: Set<RecordKind> = [.visit, .visitNote]

    func handle(_ page: [FollowedEntry]) async throws {
        var changes = ReviewQueueChanges()
        var latest: [RecordRef: FollowedEntry] = [:]
        var order: [RecordRef] = []
        // The operations of the records created in this page: the log holds
        // nothing on a record before its create (ingest refuses updates to
        // unknown records), so up to the page's end these are all of them.
        var createdHere: [RecordRef: [Operation]] = [:]
        for followed in page where Self.reviewedKinds.contains(followed.operation.record.kind) {
            let operation = followed.operation
            let record = operation.record
            if latest.updateValue(followed, forKey: record) == nil { order.append(record) }
            if operation.action == .create, createdHere[record] == nil {
                createdHere[record] = [operation]
            } else {
                createdHere[record]?.append(operation)
            }
            if Self.skewMillis(followed) > clockSkewLimitMillis {
                changes.opened.append(
                    ReviewItem(
                        id: ReviewItem.id(record: record, reason: Self.clockSkew, dots: [operation.id]),
                        reason: Self.clockSkew, record: record, team: nil, openedSequence: followed.entry.sequence,
                        openedAt: followed.entry.receivedAt))
            }
        }
        guard !order.isEmpty else { return }
        // At most three storage calls per page, whatever its size, for the
        // records created before it: their operations and their open items;
        // and one transaction for the changes. A record created in this page
        // has no open item but what this page opens (handled again after a
        // crash, the same operations open the same items), so nothing to resolve.
        let older = order.filter { createdHere[$0] == nil }
        let stored = older.isEmpty ? [:] : try await storage.operations(on: older)
        let openItems =
            older.isEmpty ? [:] : Dictionary(grouping: try await storage.openReviewItems(on: older), by: \.record)
        // One state for the page's records: records reduce independently, and
        // one state costs far less than a state per record.
        let state = try CareState(reducing: order.flatMap { createdHere[$0] ?? stored[$0] ?? [] })
        for record in order {
            guard let latest = latest[record], let recordState = state[record] else { continue }
            reindex(record, state: recordState, openItems: openItems[record] ?? [], latest: latest, into: &changes)
        }
        try await storage.apply(changes)
    }

    /// Opens the record's findings and resolves its settled items, as of `latest`
    /// (the page's last entry on it).
    private func reindex(
        _ record: RecordRef, state: RecordState, openItems: [ReviewItem], latest: FollowedEntry,
        into changes: inout ReviewQueueChanges
    ) {
        let findings: [(reason: String, dots: [Dot])] =
            record.kind == .visit
            ? Visit.openReviewFindings(of: state).map { ($0.reason.rawValue, $0.dots) }
            : VisitNote.openReviewFindings(of: state).map { ($0.reason.rawValue, $0.dots) }
        for finding in findings {
            changes.opened.append(
                ReviewItem(
                    id: ReviewItem.id(record: record, reason: finding.reason, dots: finding.dots), reason: finding.reason,
                    record: record, team: nil, openedSequence: latest.entry.sequence, openedAt: latest.entry.receivedAt))
        }
        let open = Set(findings.map(\.reason))
        for item in openItems where item.reason != Self.clockSkew && !open.contains(item.reason) {
            changes.resolved.append(
                ReviewQueueChanges.Resolution(
                    id: item.id, time: latest.entry.receivedAt, worker: latest.operation.author,
                    sequence: latest.entry.sequence))
        }
    }

    /// How far the device's clock was off when it wrote the operation, in ms:
    /// ahead of the server's receive time (a device cannot write after it
    /// sends), or behind a time it had already seen (its hybrid clock ran ahead
    /// of its wall clock). A device that was offline is neither: its operations
    /// arrive late, but its clock was right.
    static func skewMillis(_ followed: FollowedEntry) -> Int64 {
        let operation = followed.operation
        return max(
            operation.deviceTime - followed.entry.receivedAt, operation.timestamp.wallMillis - operation.deviceTime)
    }
}
