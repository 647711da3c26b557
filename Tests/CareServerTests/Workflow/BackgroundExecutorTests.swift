import Foundation
import Testing

@testable import CareServer

/// The review indexer's executor: its own thread, at a lower CPU priority.
@Suite("Background executor")
struct BackgroundExecutorTests {
    @Test("work that prefers it runs on its own thread at nice 10, and comes back after an await elsewhere")
    func runsNiceWork() async throws {
        let executor = BackgroundExecutor()
        let outside = try Self.currentThread()
        let (before, after) = try await withTaskExecutorPreference(executor) {
            let before = try Self.currentThread()
            try await Task.sleep(for: .milliseconds(10))
            return (before, try Self.currentThread())
        }
        try await executor.shutdown()
        #if os(Linux)
        #expect(before.nice == max(outside.nice, BackgroundExecutor.niceness))
        #expect(before.id != outside.id)
        #expect(after == before)
        #endif
    }

    /// The calling thread's id and nice value, from /proc/thread-self/stat.
    private static func currentThread() throws -> (id: Int, nice: Int32) {
        #if os(Linux)
        let stat = try String(contentsOfFile: "/proc/thread-self/stat", encoding: .utf8)
        // The fields after the command name (in parentheses): state is the 3rd field, nice the 19th.
        let fields = stat[stat.range(of: ")", options: .backwards)!.upperBound...].split(separator: " ")
        return (Int(stat.prefix { $0 != " " })!, Int32(fields[16])!)
        #else
        return (0, 0)
        #endif
    }
}
