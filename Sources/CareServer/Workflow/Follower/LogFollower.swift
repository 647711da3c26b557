public import CareModel

/// One entry of the server log with its operation decoded: what a follower's
/// handler reads.
public struct FollowedEntry: Sendable {
    public let entry: LogEntry
    public let operation: Operation
}

/// Tails the server log (``SyncStorage/logEntries(after:limit:)``) from a cursor
/// kept in `job_cursors`, and hands each page to a handler.
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
    let handler: Handler

    public init(job: String, storage: any SyncStorage, clock: any WallClock, pageSize: Int = 500, handler: @escaping Handler) {
        self.job = job
        self.storage = storage
        self.clock = clock
        self.pageSize = pageSize
        self.handler = handler
    }

    /// Handles every entry after the stored cursor, page by page, and returns
    /// how many it handled.
    @discardableResult
    public func catchUp() async throws -> Int {
        var cursor = try await storage.jobCursor(job)
        var handled = 0
        while true {
            let entries = try await storage.logEntries(after: cursor, limit: pageSize)
            guard let last = entries.last else { return handled }
            try await handler(try Self.decode(entries))
            try await storage.advanceJobCursor(job, to: last.sequence, at: clock.nowMillis())
            cursor = last.sequence
            handled += entries.count
            if entries.count < pageSize { return handled }
        }
    }

    /// Hands the page after `sequence` to the handler again and leaves the
    /// cursor where it is: what a crash between a handler and the cursor's
    /// advance amounts to (for recovery tools and tests of idempotency).
    public func rehandle(after sequence: UInt64) async throws {
        let entries = try await storage.logEntries(after: sequence, limit: pageSize)
        guard !entries.isEmpty else { return }
        try await handler(try Self.decode(entries))
    }

    private static func decode(_ entries: [LogEntry]) throws -> [FollowedEntry] {
        try entries.map { FollowedEntry(entry: $0, operation: try Operation(canonicalBytes: $0.body)) }
    }
}
