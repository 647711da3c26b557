import CareModel
import CareSQLite
import Foundation
import GRDB

/// The reducer's state of recently written records, kept in memory so that a
/// write on an existing record does not replay (decode and reduce) every one of
/// its operations from the op log.
///
/// Why a cached state is never stale:
/// - in a store file, a record's set of operations only grows (the op log is
///   append-only, keyed by dot) until a wipe, which empties the cache;
/// - an entry is the reducer's state over the record's operations as some
///   transaction committed them: entries are put back only once the
///   transaction's COMMIT succeeded (`DatabasePool.write(handingOverTo:_:)`
///   calls ``transactionEnded(committed:)``), on the writer queue, in commit order; a
///   rolled-back transaction puts nothing back (what it took out is simply gone);
/// - an entry is used only if its operation count equals the count in the
///   record's `record` row, which every transaction that appends operations
///   rewrites; a committed subset of the current set with as many operations
///   is the whole set. Anything else is a miss: the record is replayed from the
///   log, as without the cache.
///
/// Entries are taken *out* while a transaction works on them, so the reducer
/// mutates them in place instead of copying.
///
/// `@unchecked Sendable` is safe: the only mutable state (`entries`, `clock`,
/// `pending`, `clearPending`) is read and written only while holding `lock`.
final class RecordStateCache: @unchecked Sendable {
    private struct Entry {
        var state: CareState
        var lastUse: UInt64
    }

    /// The most records kept; the least recently used quarter goes beyond it.
    let capacity: Int
    private let lock = NSLock()
    private var entries: [RecordRef: Entry] = [:]
    private var clock: UInt64 = 0
    /// What the transaction in progress hands over (transactions run one at a
    /// time, on the writer queue).
    private var pending: [CareState] = []
    private var clearPending = false

    init(capacity: Int = 512) {
        precondition(capacity >= 4, "a cache of fewer than 4 records is pointless")
        self.capacity = capacity
    }

    /// The reducer's state of `ref` (one record in a ``CareState``): over at
    /// least the operations its `record` row counts, at most those now in the
    /// log (a caller that appended operations in this transaction applies them
    /// again; duplicates change nothing). Empty if the record has no row. Taken
    /// out of the cache if valid, else replayed from the log; the caller owns it
    /// and ``keep(_:_:)`` puts it back when the transaction commits.
    func take(_ ref: RecordRef, _ db: Database) throws -> CareState {
        guard
            let count = try db.firstRow(
                "SELECT operation_count FROM record WHERE kind = ? AND id = ?",
                [.text(ref.kind.rawValue), .text(ref.id.description)], { Int($0.int(0)) })
        else {
            // No row: no operation on the record has been committed.
            return CareState()
        }
        if let cached = remove(ref), cached[ref]?.operationCount == count {
            return cached
        }
        return try OperationLog.reduce(ref, db)
    }

    /// Puts `states` (each holding one record) into the cache once the current
    /// transaction commits; nothing if it rolls back.
    ///
    /// Not through GRDB's `afterNextTransaction`: registering a transaction
    /// observer makes GRDB drop cached statements and watch every statement of
    /// the transaction, which cost the durable write more than the cache saves.
    func keep(_ states: [CareState]) {
        guard !states.isEmpty else { return }
        lock.withLock { pending.append(contentsOf: states) }
    }

    /// Empties the cache once the current transaction commits (a wipe).
    func clearOnCommit() {
        lock.withLock { clearPending = true }
    }

    /// Applies what the transaction that just ended handed over if it
    /// committed, and forgets it either way. Called on the writer queue, right
    /// after the transaction's COMMIT (or ROLLBACK).
    func transactionEnded(committed: Bool) {
        let handedOver: [CareState]? = lock.withLock {
            defer {
                pending.removeAll()
                clearPending = false
            }
            guard committed else { return nil }
            if clearPending { entries.removeAll() }
            return pending
        }
        if let handedOver, !handedOver.isEmpty { insert(handedOver) }
    }

    /// The number of records held (for tests).
    var count: Int {
        lock.withLock { entries.count }
    }

    private func remove(_ ref: RecordRef) -> CareState? {
        lock.withLock { entries.removeValue(forKey: ref)?.state }
    }

    private func insert(_ states: [CareState]) {
        lock.withLock {
            for state in states {
                guard let ref = state.records.keys.first, state.records.count == 1 else { continue }
                clock += 1
                entries[ref] = Entry(state: state, lastUse: clock)
            }
            if entries.count > capacity {
                let evicted = entries.sorted { $0.value.lastUse < $1.value.lastUse }
                    .prefix(entries.count - capacity * 3 / 4)
                for (ref, _) in evicted { entries.removeValue(forKey: ref) }
            }
        }
    }
}
