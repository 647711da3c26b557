/// Group commit: requests that arrive while one group is being stored wait and
/// are then stored together, by one of them, in the next group.
///
/// A caller ``join(_:)``s and gets a ``Turn``: either its result (another
/// caller stored it), or the lead, with the other requests of its group. A
/// leader stores its own request and the others (in one transaction, say), and
/// must then call ``finish(_:results:)``, which hands each member its result
/// and the lead of the next group, if requests are waiting, to the first of
/// them. So at most one group is being stored at a time, no task is started,
/// and while a group is stored the next one gathers.
///
/// Every member's continuation is resumed exactly once: with a result by the
/// leader's ``finish(_:results:)``, or with the lead.
actor GroupCommit<Request: Sendable, Response: Sendable> {
    /// A request waiting to be stored, with its caller's continuation.
    struct Member: Sendable {
        let request: Request
        fileprivate let continuation: CheckedContinuation<Turn, Never>
    }

    /// What a caller gets from ``join(_:)``.
    enum Turn: Sendable {
        /// Stored by another caller's group.
        case stored(Result<Response, any Error>)
        /// Store your request and these members', then call ``finish(_:results:)``.
        case lead([Member])
    }

    private let maximumGroup: Int
    private var waiting: [Member] = []
    private var leading = false

    /// At most `maximumGroup` requests (at least 1) are stored together.
    init(maximumGroup: Int) {
        self.maximumGroup = max(1, maximumGroup)
    }

    /// Leads at once when no group is being stored, else waits for a turn.
    func join(_ request: Request) async -> Turn {
        guard leading else {
            leading = true
            return .lead([])
        }
        return await withCheckedContinuation { continuation in
            waiting.append(Member(request: request, continuation: continuation))
        }
    }

    /// Hands each of `members` its result (`results` in the same order) and
    /// the lead of the next group, if any request is waiting.
    func finish(_ members: [Member], results: [Result<Response, any Error>]) {
        precondition(members.count == results.count, "one result per member")
        for (member, result) in zip(members, results) {
            member.continuation.resume(returning: .stored(result))
        }
        guard let next = waiting.first else {
            leading = false
            return
        }
        let group = waiting.prefix(maximumGroup)
        waiting.removeFirst(group.count)
        next.continuation.resume(returning: .lead(Array(group.dropFirst())))
    }
}
