@testable import CareServer
import Testing

/// The group commit queue PostgreSQL ingest stores pushes through.
@Suite("Group commit")
struct GroupCommitTests {
    /// Records the groups stored and checks that no two are stored at once.
    actor Ledger {
        private(set) var groups: [[Int]] = []
        private var storing = false
        private(set) var overlapped = false

        func begin(_ group: [Int]) {
            if storing { overlapped = true }
            storing = true
            groups.append(group)
        }

        func end() { storing = false }
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

        #expect(results.count == 40)
        for (request, result) in results {
            switch result {
            case .success(let value): #expect(request != 13 && value == request * 2)
            case .failure: #expect(request == 13)
            }
        }
        let groups = await ledger.groups
        #expect(groups.flatMap { $0 }.sorted() == Array(0..<40), "every request stored exactly once")
        #expect(groups.allSatisfy { $0.count <= 4 })
        #expect(groups.count < 40, "requests that arrived while a group was stored were stored together")
        #expect(await ledger.overlapped == false)
    }
}
