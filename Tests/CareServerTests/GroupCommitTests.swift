@testable import CareServer
import Testing

/// The group commit queue both storage backends' ingest stores pushes through.
@Suite("Group commit")
struct GroupCommitTests {
    /// Records the groups stored and checks that no two are stored at once.
    actor Ledger {
        private(set) var groups: [[Int]] = []
        private var storing = false
        private(set) var overlapped = false
        /// Whether the first leader has its group (``GroupCommitTests/submitWithWeights()``).
        private(set) var firstLeads = false

        func markFirstLeads() { firstLeads = true }

        func begin(_ group: [Int]) {
            if storing { overlapped = true }
            storing = true
            groups.append(group)
        }

        func end() { storing = false }

        /// Stores `group` as `GroupCommit.submit` asks: the doubles, or an
        /// error for the whole group if it holds `failing`.
        func store(_ group: [Int], failing: Int) async throws -> [Int] {
            begin(group)
            defer { end() }
            // Storing takes a while: the other requests queue up meanwhile.
            try? await Task.sleep(for: .milliseconds(20))
            if group.contains(failing) { throw CancellationError() }
            return group.map { $0 * 2 }
        }
    }

    @Test("each request gets its own result, groups never overlap, none exceeds the limit, and later arrivals share groups")
    func groups() async throws {
        let queue = GroupCommit<Int, Int>(maximumGroup: 4)
        let ledger = Ledger()
        let results = await withTaskGroup(of: (Int, Result<Int, any Error>).self) { tasks in
            for request in 0..<40 {
                tasks.addTask {
                    switch await queue.join(request) {
                    case .stored(let result):
                        return (request, result)
                    case .lead(let others):
                        let group = [request] + others.map(\.request)
                        await ledger.begin(group)
                        // Storing takes a while: the other requests queue up meanwhile.
                        try? await Task.sleep(for: .milliseconds(20))
                        await ledger.end()
                        // Request 13 fails; the others succeed with their double.
                        let outcomes: [Result<Int, any Error>] = group.map {
                            $0 == 13 ? .failure(CancellationError()) : .success($0 * 2)
                        }
                        await queue.finish(others, results: Array(outcomes.dropFirst()))
                        return (request, outcomes[0])
                    }
                }
            }
            var results: [Int: Result<Int, any Error>] = [:]
            for await (request, result) in tasks { results[request] = result }
            return results
        }

        Self.expectDoublesExceptThirteen(results, count: 40)
        let groups = await ledger.groups
        #expect(groups.flatMap { $0 }.sorted() == Array(0..<40), "every request stored exactly once")
        #expect(groups.allSatisfy { $0.count <= 4 })
        #expect(groups.count < 40, "requests that arrived while a group was stored were stored together")
        #expect(await ledger.overlapped == false)
    }

    @Test("submit: groups stay within their weight, and a failing group is stored request by request so only the failing one fails")
    func submitWithWeights() async throws {
        // Request r weighs r % 3 + 1; a group weighs at most 5. Request 13 fails
        // any group it is in.
        let queue = GroupCommit<Int, Int>(maximumGroup: 8, maximumWeight: 5, weight: { $0 % 3 + 1 })
        let ledger = Ledger()
        @Sendable func submit(
            _ request: Int, store: @escaping @Sendable ([Int]) async throws -> [Int] = { try await ledger.store($0, failing: 13) }
        ) async -> (Int, Result<Int, any Error>) {
            do {
                return (request, .success(try await queue.submit(request, store: store)))
            } catch {
                return (request, .failure(error))
            }
        }
        let results = await withTaskGroup(of: (Int, Result<Int, any Error>).self) { tasks in
            // Request 100 leads the first group and holds it until every other
            // request waits; 13 waits first, so the next group is 13 and others.
            tasks.addTask {
                await submit(100) { group in
                    await ledger.markFirstLeads()
                    while await queue.waitingCount < 40 { try await Task.sleep(for: .milliseconds(1)) }
                    return try await ledger.store(group, failing: 13)
                }
            }
            while await !ledger.firstLeads { try? await Task.sleep(for: .milliseconds(1)) }
            tasks.addTask { await submit(13) }
            while await queue.waitingCount < 1 { try? await Task.sleep(for: .milliseconds(1)) }
            for request in 0..<40 where request != 13 {
                tasks.addTask { await submit(request) }
            }
            var results: [Int: Result<Int, any Error>] = [:]
            for await (request, result) in tasks { results[request] = result }
            return results
        }

        Self.expectDoublesExceptThirteen(results, count: 41)
        let groups = await ledger.groups
        #expect(groups.first == [100])
        #expect(groups.allSatisfy { $0.count == 1 || $0.map { $0 % 3 + 1 }.reduce(0, +) <= 5 })
        let failedGroup = try #require(groups.first { $0.contains(13) })
        #expect(failedGroup.count > 1 && failedGroup.first == 13)
        // After its group failed, each of its requests was stored alone.
        for request in failedGroup { #expect(groups.contains([request])) }
        // Every other request was stored by exactly one group that succeeded.
        let succeeded = groups.filter { !$0.contains(13) }.flatMap { $0 }
        #expect(succeeded.sorted() == (0..<40).filter { $0 != 13 } + [100])
        #expect(groups.filter { !$0.contains(13) }.contains { $0.count > 1 }, "waiting requests were stored together")
        #expect(await ledger.overlapped == false)
    }

    /// Every request but 13 got its double; 13 got an error.
    static func expectDoublesExceptThirteen(_ results: [Int: Result<Int, any Error>], count: Int) {
        #expect(results.count == count)
        for (request, result) in results {
            switch result {
            case .success(let value): #expect(request != 13 && value == request * 2)
            case .failure: #expect(request == 13)
            }
        }
    }
}
