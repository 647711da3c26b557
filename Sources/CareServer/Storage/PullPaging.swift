/// How a backend turns the rows of a pull into a ``PullPage``, the same for
/// every backend: it fetches one row more than the page (`limit + 1`), asks
/// ``decide(_:limit:cursor:logHead:)``, and when told to, fetches the whole
/// group at one position.
enum PullPaging {
    /// One operation of a pull: its delivery position and canonical encoding.
    struct Row {
        var position: UInt64
        var body: [UInt8]
    }

    enum Decision {
        case page(PullPage)
        /// One position holds more than a page (a visit's whole history, delivered
        /// at the assignment): fetch every row at this position and send it whole
        /// (``wholePosition(_:rows:)``) rather than split it.
        case fetchWholePosition(UInt64)
    }

    /// `rows` are those after `cursor`, in position order, at most `limit + 1`;
    /// `logHead` is the last sequence of the log as read in the same snapshot.
    static func decide(_ rows: [Row], limit: Int, cursor: UInt64, logHead: UInt64) -> Decision {
        guard rows.count > limit else {
            // Everything visible up to the log head is in this page; later grants
            // land at positions after the head, so the cursor may move to it.
            return .page(PullPage(operations: rows.map(\.body), nextCursor: max(cursor, logHead), hasMore: false))
        }
        let cutPosition = rows[limit].position
        let kept = rows[..<limit].filter { $0.position < cutPosition }
        guard let last = kept.last else { return .fetchWholePosition(cutPosition) }
        return .page(PullPage(operations: kept.map(\.body), nextCursor: last.position, hasMore: true))
    }

    /// The page holding every row at `position`.
    static func wholePosition(_ position: UInt64, rows: [Row]) -> PullPage {
        PullPage(operations: rows.map(\.body), nextCursor: position, hasMore: true)
    }
}
