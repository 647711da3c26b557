public import CareModel
import ServiceLifecycle

/// One entry of the server log with its operation decoded: what a follower's
/// handler reads.
public struct FollowedEntry: Sendable {
    public let entry: LogEntry
    public let operation: Operation
}

/// Tails the server log (``SyncStorage/logEntries(after:limit:)``) from a cursor
/// kept in `job_cursors`, and hands each page to a handler. A page this server
/// has just stored comes from its ``RecentLog``, already decoded; any other
/// from the database.
///
/// At least once: the cursor moves past a page only after the handler returned,
/// that is after its effects are stored. A crash in between hands the same page
/// over again, so handlers must be idempotent (an idempotency key, an upsert).
/// Two servers on one database may both follow: their handlers' effects are
/// idempotent and the cursor only moves forward.
public struct LogFollower: Sendable {
    /// Stores the effects of one page; called again with the same page after a crash.
    public typealias Handler = @Sendable ([FollowedEntry]) async throws -> Void

    /// The cursor's name in `job_cursors`.
    public let job: String
    let storage: any SyncStorage
    let clock: any WallClock
    let pageSize: Int
    /// How many log positions the follower covers between durable writes of
    /// its cursor (at least a page): each write is a commit on the database's
    /// writer, which ingest shares, while a handler's memory grows with its page.
    let cursorStride: Int
    /// The kinds of records the handler wants (every kind when nil): the
    /// others are neither read nor decoded, and the cursor moves over them.
    let kinds: [RecordKind]?
    /// What this server stored last, read before the database.
    let recentLog: RecentLog?
    /// Where the positions it covers are counted, by source.
    let metrics: SyncMetrics?
    let handler: Handler

    public init(
        job: String, storage: any SyncStorage, clock: any WallClock, pageSize: Int = 500, cursorStride: Int = 0,
        kinds: [RecordKind]? = nil, recentLog: RecentLog? = nil, metrics: SyncMetrics? = nil,
        handler: @escaping Handler
    ) {
        self.job = job
        self.storage = storage
        self.clock = clock
        self.pageSize = pageSize
        self.cursorStride = max(cursorStride, pageSize)
        self.kinds = kinds
        self.recentLog = recentLog
        self.metrics = metrics
        self.handler = handler
    }

    /// Handles every entry after the stored cursor, page by page, and returns
    /// how many it handed to the handler. The cursor is stored every
    /// ``cursorStride`` positions and when the follower has caught up; after
    /// a crash in between, the pages since the stored cursor are handled again.
    /// On graceful shutdown it stops after the page in hand, its cursor
    /// stored, so that a long catch-up (a new follower on a large log) does
    /// not hold shutdown: the next start goes on from there.
    @discardableResult
    public func catchUp() async throws -> Int {
        try await catchUp(readingDatabase: true)
    }

    /// Handles the entries after the stored cursor that the ``RecentLog``
    /// holds, up to the first it lacks, without reading the log from the
    /// database: what the follower does when woken early by a backlog. A
    /// batch committed but not yet added, or a hole, waits for the next run;
    /// ``catchUp()`` reads past them.
    @discardableResult
    public func catchUpFromMemory() async throws -> Int {
        try await catchUp(readingDatabase: false)
    }

    private func catchUp(readingDatabase: Bool) async throws -> Int {
        var stored = try await storage.jobCursor(job)
        var cursor = stored
        var handled = 0
        while let page = try await page(after: cursor, readingDatabase: readingDatabase), page.end > cursor {
            if !page.entries.isEmpty { try await handler(page.entries) }
            handled += page.entries.count
            metrics?.recordFollowedPositions(job: job, count: page.end - cursor, fromMemory: page.isFromMemory)
            cursor = page.end
            await recentLog?.passed(job, through: cursor)
            // A short page from the database ends the log; one from memory
            // only ends what this server has just stored.
            if page.isShort(pageSize), !page.isFromMemory || !readingDatabase { break }
            if Task.isShuttingDownGracefully { break }
            if cursor - stored >= UInt64(cursorStride) {
                try await storage.advanceJobCursor(job, to: cursor, at: clock.nowMillis())
                stored = cursor
            }
        }
        if cursor > stored { try await storage.advanceJobCursor(job, to: cursor, at: clock.nowMillis()) }
        return handled
    }

    /// Hands the page after `sequence` to the handler again and leaves the
    /// cursor where it is: what a crash between a handler and the cursor's
    /// advance amounts to (for recovery tools and tests of idempotency).
    public func rehandle(after sequence: UInt64) async throws {
        guard let page = try await page(after: sequence), !page.entries.isEmpty else { return }
        try await handler(page.entries)
    }

    /// The next `pageSize` log positions after `cursor`: all their entries, or
    /// those of ``kinds``, and the last position covered; from the
    /// ``RecentLog`` if it holds the next position, else from the database
    /// (nil when not `readingDatabase`).
    private func page(after cursor: UInt64, readingDatabase: Bool = true) async throws -> Page? {
        if let recent = await recentLog?.window(after: cursor, positions: pageSize, kinds: kinds) {
            return Page(entries: recent.entries, start: cursor, end: recent.end, isFromMemory: true)
        }
        guard readingDatabase else { return nil }
        if let kinds {
            let window = try await storage.logEntries(after: cursor, positions: pageSize, kinds: kinds)
            return Page(entries: try Self.decode(window.entries), start: cursor, end: window.end, isFromMemory: false)
        }
        let entries = try await storage.logEntries(after: cursor, limit: pageSize)
        return Page(
            entries: try Self.decode(entries), start: cursor, end: entries.last?.sequence ?? cursor, isFromMemory: false)
    }

    /// The entries of the log positions after `start` through `end`.
    private struct Page {
        var entries: [FollowedEntry]
        var start: UInt64
        var end: UInt64
        var isFromMemory: Bool

        /// Whether it covers fewer positions than a full page.
        func isShort(_ pageSize: Int) -> Bool { end - start < UInt64(pageSize) }
    }

    private static func decode(_ entries: [LogEntry]) throws -> [FollowedEntry] {
        try entries.map { FollowedEntry(entry: $0, operation: try Operation(canonicalBytes: $0.body)) }
    }
}
