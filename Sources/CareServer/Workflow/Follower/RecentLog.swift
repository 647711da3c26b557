public import CareModel

/// The log entries this server stored most recently, decoded, for its log
/// followers: a follower whose cursor is in this window reads its next page
/// here instead of reading the log back from the database and decoding every
/// operation again (``LogFollower``).
///
/// Ingest adds the entries of each batch after the batch's commit, so this
/// holds only what is durable. It holds the last ``capacity`` log positions at
/// most, and only what this server stored: another server's entries on a
/// shared database, or an entry whose batch is still being added, leave a
/// hole. A page is served from here only when every position from the
/// follower's cursor on is here without a hole; otherwise the follower reads
/// the database, as it always may. What a follower is handed is therefore the
/// same either way.
///
/// An entry is forgotten once every reader named at the start has passed it
/// (``passed(_:through:)``), or when it falls out of the capacity.
public actor RecentLog {
    /// How many log positions are kept, counted back from the newest entry.
    public let capacity: Int
    /// The position each reader has passed, for the jobs that read here.
    private var readers: [String: UInt64]
    private var entries: [UInt64: FollowedEntry] = [:]
    /// No entry below this position is kept (and none is added).
    private var lowest: UInt64 = 0
    private var newest: UInt64 = 0
    /// Entries added since the server started: what wakes the followers early.
    public private(set) var addedCount = 0
    /// ``addedCount`` when each job was last woken by ``wakes(_:after:)``.
    private var wokenAt: [String: Int] = [:]

    /// - Parameters:
    ///   - capacity: how many log positions to keep at most.
    ///   - readers: the jobs whose progress frees entries; with none, only
    ///     the capacity does.
    public init(capacity: Int, readers: [String] = []) {
        self.capacity = max(capacity, 1)
        self.readers = Dictionary(readers.map { ($0, 0) }, uniquingKeysWith: max)
    }

    /// Keeps the operations `plan` stored from `batch`, once its transaction
    /// is committed. The plan's rows carry what the log holds; the operations
    /// are the batch's own, already decoded.
    public func add(_ plan: IngestPlan, of batch: IngestBatch) {
        guard !plan.operations.isEmpty else { return }
        // The plan stores a subsequence of the batch, in the batch's order.
        var index = batch.operations.startIndex
        for row in plan.operations {
            while index < batch.operations.endIndex, batch.operations[index].id != row.id { index += 1 }
            // Not found cannot happen; leaving a hole would only send followers to the database.
            guard index < batch.operations.endIndex else { return }
            add(
                FollowedEntry(
                    entry: LogEntry(
                        sequence: row.sequence, receivedAt: row.receivedAt, hash: row.hash, serverHash: row.serverHash,
                        body: row.body),
                    operation: batch.operations[index]))
            index += 1
        }
    }

    private func add(_ followed: FollowedEntry) {
        let sequence = followed.entry.sequence
        addedCount += 1
        newest = max(newest, sequence)
        // Below what is kept, it would never be read: every reader passed it.
        guard sequence >= lowest else { return }
        entries[sequence] = followed
        if newest > UInt64(capacity) { forget(through: newest - UInt64(capacity)) }
    }

    /// Notes that `job` has handled the log through `sequence`; what every
    /// reader has passed is forgotten. A job that is not a reader changes nothing.
    public func passed(_ job: String, through sequence: UInt64) {
        guard let previous = readers[job], sequence > previous else { return }
        readers[job] = sequence
        if let slowest = readers.values.min() { forget(through: slowest) }
    }

    /// Drops the positions at or below `floor`: one by one over a short
    /// stretch, by filtering when the log jumped far ahead (another server
    /// stored many entries meanwhile).
    private func forget(through floor: UInt64) {
        guard floor >= lowest else { return }
        if !entries.isEmpty {
            if floor - lowest < UInt64(2 * capacity) {
                for sequence in lowest...floor { entries[sequence] = nil }
            } else {
                entries = entries.filter { $0.key > floor }
            }
        }
        lowest = floor + 1
    }

    /// The entries of the positions after `cursor`, at most `positions` of
    /// them, with the last position covered; only `kinds`' entries when it is
    /// given. Nil when the position right after `cursor` is not here: the
    /// caller then reads the database.
    public func window(after cursor: UInt64, positions: Int, kinds: [RecordKind]?) -> (
        entries: [FollowedEntry], end: UInt64
    )? {
        var found: [FollowedEntry] = []
        var end = cursor
        while end - cursor < UInt64(positions), let next = entries[end + 1] {
            end += 1
            if kinds?.contains(next.operation.record.kind) ?? true { found.append(next) }
        }
        return end > cursor ? (found, end) : nil
    }

    /// Whether at least `backlog` entries were added since `job` was last
    /// woken; if so, `job` counts as woken now.
    public func wakes(_ job: String, after backlog: Int) -> Bool {
        guard backlog > 0, addedCount - wokenAt[job, default: 0] >= backlog else { return false }
        wokenAt[job] = addedCount
        return true
    }
}

extension SyncStorage {
    /// Ingests `batch` (``ingest(_:planner:)``) and adds what it stored to
    /// `recentLog`, once committed: how every writer of the log stores, so
    /// that the followers find each batch in memory.
    func ingest(_ batch: IngestBatch, planner: IngestPlanner, addingTo recentLog: RecentLog?) async throws -> IngestPlan {
        let plan = try await ingest(batch, planner: planner)
        await recentLog?.add(plan, of: batch)
        return plan
    }
}
