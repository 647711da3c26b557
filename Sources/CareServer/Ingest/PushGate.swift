/// Lets at most a fixed number of pushes at a time read, decode and store
/// their batches; the others wait, in arrival order, with their bodies still
/// unread (the connection's flow control holds them back).
///
/// The log has one writer, so pushes beyond a few at once only wait for it,
/// each holding its body, its decoded operations and their encodings in
/// memory: fifty devices pushing batches of 1,000 at once took the server to
/// 213 MB resident (docs/BENCHMARKS.md). The gate bounds that by its limit,
/// whatever the number of connections (`maximumConcurrentPushes`).
actor PushGate {
    private let limit: Int
    private var admitted = 0
    private var waiting: [CheckedContinuation<Void, Never>] = []
    private var firstWaiting = 0

    /// A gate admitting `limit` pushes at a time (at least one).
    init(limit: Int) {
        self.limit = max(1, limit)
    }

    /// Runs `body` once admitted, and lets the next push in when it ends,
    /// returning or throwing.
    nonisolated func whileAdmitted<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        await enter()
        do {
            let result = try await body()
            await leave()
            return result
        } catch {
            await leave()
            throw error
        }
    }

    /// How many pushes are inside, and how many wait (for metrics and tests).
    var occupancy: (admitted: Int, waiting: Int) { (admitted, waiting.count - firstWaiting) }

    private func enter() async {
        if admitted < limit {
            admitted += 1
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Hands the leaving push's place to the longest waiting one, if any.
    private func leave() {
        guard firstWaiting < waiting.count else {
            admitted -= 1
            waiting.removeAll(keepingCapacity: true)
            firstWaiting = 0
            return
        }
        let next = waiting[firstWaiting]
        firstWaiting += 1
        next.resume()
    }
}
