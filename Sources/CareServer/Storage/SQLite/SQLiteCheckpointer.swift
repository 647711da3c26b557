import GRDB

/// Checkpoints the server database's WAL on a connection of its own, off the
/// writer's path.
///
/// Left to itself, SQLite checkpoints in the commit that takes the WAL past
/// 1,000 pages: the committing writer copies the WAL's pages into the database
/// file and syncs it, while every other push waits for the writer. At batches
/// of 1,000 operations that was nearly every commit. The server's writer
/// instead asks for a checkpoint after each ingest commit (``request()``), and
/// one runs here, PASSIVE — it neither waits for nor blocks the writer or the
/// readers — while the writer stores the next group. Requests that arrive while
/// one runs are folded into one more run.
///
/// The writer keeps SQLite's own checkpoint as a backstop, at a higher
/// threshold (``SQLiteSyncStorage/writerCheckpointPragma``): it also restarts
/// the WAL from its start, which a checkpoint that runs while the writer is
/// busy never lets happen, and it finds most pages already copied here.
actor SQLiteCheckpointer {
    private let connection: DatabaseQueue
    /// The run under way, if any (awaited by ``close()``).
    private var running: Task<Void, Never>?
    private var requested = false
    /// The last checkpoint's outcome: the WAL's frames, and how many of them
    /// are now in the database file; nil before the first.
    private(set) var lastRun: (walFrames: Int, checkpointed: Int)?

    /// Opens a connection of its own on the database at `path` (already in WAL mode).
    init(path: String) throws {
        var configuration = Configuration()
        configuration.label = "caresync-server-checkpointer"
        configuration.busyMode = .timeout(10)
        connection = try DatabaseQueue(path: path, configuration: configuration)
    }

    /// Asks for a checkpoint soon; returns at once.
    func request() {
        requested = true
        guard running == nil else { return }
        // One task at a time, kept in `running` and awaited by close().
        running = Task { await self.drain() }
    }

    private func drain() async {
        while requested {
            requested = false
            // A checkpoint that cannot run now (another is under way, say)
            // leaves the work to the next request or to the writer's backstop.
            if let outcome = try? await connection.writeWithoutTransaction({ db in try db.checkpoint(.passive) }) {
                lastRun = (outcome.walFrameCount, outcome.checkpointedFrameCount)
            }
        }
        running = nil
    }

    /// Waits for the run under way, then closes the connection.
    func close() async throws {
        await running?.value
        try connection.close()
    }
}
