@testable import CareServer
import Testing

/// The gate that bounds how many pushes read and store their batches at once.
@Suite("Push gate")
struct PushGateTests {
    @Test("a waiting push goes in when one leaves, thrown or not, in arrival order")
    func admitsInArrivalOrder() async throws {
        let gate = PushGate(limit: 1)
        let holder = Latch()
        let order = Recorder()
        // The first push takes the only place, holds it, then fails.
        let first = Task {
            try await gate.whileAdmitted {
                await holder.wait()
                throw GateTestError.failedInside
            }
        }
        try await waitUntil { await gate.occupancy == (admitted: 1, waiting: 0) }
        // Five more arrive one after another and wait.
        var waiters: [Task<Void, any Error>] = []
        for index in 0..<5 {
            waiters.append(Task { try await gate.whileAdmitted { await order.record(index, inside: gate) } })
            try await waitUntil { await gate.occupancy.waiting == index + 1 }
        }
        #expect(await order.indices.isEmpty, "nobody passes a full gate")
        await holder.open()
        await #expect(throws: GateTestError.failedInside) { try await first.value }
        for waiter in waiters { try await waiter.value }
        #expect(await order.indices == [0, 1, 2, 3, 4])
        #expect(await order.mostInside == 1)
        #expect(await gate.occupancy == (admitted: 0, waiting: 0), "every push left its place")
    }

    @Test("many pushes at once: never more inside than the limit, and every one gets through")
    func boundsThoseInside() async throws {
        let gate = PushGate(limit: 3)
        let order = Recorder()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<40 {
                group.addTask {
                    try await gate.whileAdmitted {
                        await order.record(index, inside: gate)
                        await Task.yield()
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(await order.indices.sorted() == Array(0..<40))
        #expect(await order.mostInside <= 3)
        #expect(await gate.occupancy == (admitted: 0, waiting: 0))
    }

    /// Polls `condition` (a hang guard of about ten seconds, not a timing assertion).
    private func waitUntil(_ condition: () async -> Bool) async throws {
        for _ in 0..<10_000 {
            if await condition() { return }
            try await Task.sleep(for: .milliseconds(1))
        }
        Issue.record("the gate never reached the expected state")
    }
}

private enum GateTestError: Error {
    case failedInside
}

/// Holds tasks until opened.
private actor Latch {
    private var isOpen = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiting { waiter.resume() }
        waiting.removeAll()
    }
}

/// The order pushes went in, and the most that were inside at once.
private actor Recorder {
    private(set) var indices: [Int] = []
    private(set) var mostInside = 0

    func record(_ index: Int, inside gate: PushGate) async {
        indices.append(index)
        mostInside = max(mostInside, await gate.occupancy.admitted)
    }
}
