import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// A task executor on one thread of its own whose CPU priority is lowered
/// (nice 10 on Linux): the review indexer's work runs on it, so that on a busy
/// server pushes and pulls come first and the review queue catches up in the
/// time they leave (docs/ARCHITECTURE.md, "Background jobs").
///
/// Nonisolated async code of a task that prefers it
/// (`withTaskExecutorPreference`) runs here; what it awaits elsewhere (a
/// database queue, an actor) runs there as usual.
final class BackgroundExecutor: TaskExecutor {
    /// The nice value of the executor's thread: well below request handling,
    /// not starved (a CFS weight of about a tenth of a normal thread's).
    static let niceness: Int32 = 10

    private let group: MultiThreadedEventLoopGroup
    private let loop: any EventLoop

    init() {
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        loop = group.next()
        // Runs first on the loop's thread. Failing leaves the thread at normal priority.
        loop.execute { Self.lowerCurrentThreadPriority() }
    }

    /// On Linux each thread has its own nice value, and `setpriority` of
    /// process 0 sets the calling thread's (raising it needs no privilege).
    /// Elsewhere it would be the whole process's: nothing is done.
    private static func lowerCurrentThreadPriority() {
        #if os(Linux)
        _ = setpriority(__priority_which_t(PRIO_PROCESS.rawValue), 0, niceness)
        #endif
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }

    /// Stops the thread; call it once no task prefers this executor any more,
    /// and not from a task running on it.
    func shutdown() async throws {
        try await group.shutdownGracefully()
    }
}
