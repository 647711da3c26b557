/// Group commit: requests that arrive while one group is being stored wait and
/// are then stored together, by one of them, in the next group.
///
/// Most callers use ``submit(_:store:)``. Underneath, a caller ``join(_:)``s
/// and gets a ``Turn``: either its result (another caller stored it), or the
/// lead, with the other requests of its group. A leader stores its own request
/// and the others (in one transaction, say), and must then call
/// ``finish(_:results:)``, which hands each member its result and the lead of
/// the next group, if requests are waiting, to the first of them. So at most
/// one group is being stored at a time, no task is started, and while a group
/// is stored the next one gathers.
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
    private let maximumWeight: Int
    private let weight: @Sendable (Request) -> Int
    private var waiting: [Member] = []
    private var leading = false

    /// At most `maximumGroup` requests (at least 1) are stored together, and
    /// their `weight`s add up to at most `maximumWeight`, except that a group
    /// always takes its first request, however heavy.
    init(
        maximumGroup: Int, maximumWeight: Int = .max, weight: @escaping @Sendable (Request) -> Int = { _ in 1 }
    ) {
        self.maximumGroup = max(1, maximumGroup)
        self.maximumWeight = maximumWeight
        self.weight = weight
    }

    /// How many requests are waiting for a group (for tests).
    var waitingCount: Int { waiting.count }

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
        var count = 1
        var total = weight(next.request)
        while count < min(maximumGroup, waiting.count) {
            let added = weight(waiting[count].request)
            guard total + added <= maximumWeight else { break }
            total += added
            count += 1
        }
        let group = waiting.prefix(count)
        waiting.removeFirst(count)
        next.continuation.resume(returning: .lead(Array(group.dropFirst())))
    }

    /// Stores `request` with the others that gather meanwhile, and returns its
    /// own response (or throws its own error).
    ///
    /// `store` stores a whole group at once (in one transaction, say) and
    /// returns one response per request, in order, or throws to fail all of
    /// them. A failed group of more than one request is then stored request
    /// by request, so that one request's failure stays its own.
    nonisolated func submit(
        _ request: Request, store: @escaping @Sendable ([Request]) async throws -> [Response]
    ) async throws -> Response {
        switch await join(request) {
        case .stored(let result):
            return try result.get()
        case .lead(let others):
            // In a task of its own: the group holds other callers' requests,
            // which this caller's cancellation (its client gone) must not fail.
            let group = [request] + others.map(\.request)
            let results = await Task { await Self.store(group, with: store) }.value
            await finish(others, results: Array(results.dropFirst()))
            return try results[0].get()
        }
    }

    /// One result per request of `group`, in order: all stored at once, or
    /// each alone when that fails.
    private static func store(
        _ group: [Request], with store: @Sendable ([Request]) async throws -> [Response]
    ) async -> [Result<Response, any Error>] {
        do {
            let responses = try await store(group)
            precondition(responses.count == group.count, "one response per request")
            return responses.map { .success($0) }
        } catch {
            guard group.count > 1 else { return [.failure(error)] }
            var results: [Result<Response, any Error>] = []
            for request in group {
                results.append(contentsOf: await Self.store([request], with: store))
            }
            return results
        }
    }
}
