public import CareModel
import Foundation
import GRDB

extension SQLiteSyncStorage {
    public func lastLogSequence() async throws -> UInt64 {
        try await pool.read { db in try Self.lastSequence(in: db) }
    }

    /// The log's last sequence as `db`'s transaction sees it (0 when empty).
    private static func lastSequence(in db: Database) throws -> UInt64 {
        UInt64(try Int64.fetchOne(db.cachedStatement(sql: "SELECT MAX(sequence) FROM operations")) ?? 0)
    }

    public func pull(_ filter: PullFilter, after cursor: UInt64, limit: Int) async throws -> PullPage {
        try await pool.read { db in
            let logHead = try Self.lastSequence(in: db)
            guard !filter.seesNothing else {
                return PullPage(operations: [], nextCursor: max(cursor, logHead), hasMore: false)
            }
            let rows = try Self.pullRows(filter, after: cursor, through: nil, limit: limit + 1, in: db)
            switch PullPaging.decide(rows, limit: limit, cursor: cursor, logHead: logHead) {
            case .page(let page):
                return page
            case .fetchWholePosition(let position):
                let group = try Self.pullRows(filter, after: position - 1, through: position, limit: nil, in: db)
                return PullPaging.wholePosition(position, rows: group)
            }
        }
    }

    public func logEntries(after sequence: UInt64, limit: Int) async throws -> [LogEntry] {
        try await pool.read { db in
            let statement = try db.cachedStatement(
                sql: """
                    SELECT sequence, received_at, hash, server_hash, body FROM operations
                    WHERE sequence > ? ORDER BY sequence LIMIT ?
                    """)
            return try Row.fetchAll(statement, arguments: [Int64(sequence), limit]).map(Self.logEntry)
        }
    }

    public func logEntries(after sequence: UInt64, positions: Int, kinds: [RecordKind]) async throws -> LogWindow {
        try await pool.read { db in
            let head = Int64(try Self.lastSequence(in: db))
            let end = max(Int64(sequence), min(head, Int64(sequence) + Int64(positions)))
            guard end > Int64(sequence), !kinds.isEmpty else { return LogWindow(entries: [], end: UInt64(end)) }
            let statement = try db.cachedStatement(
                sql: """
                    SELECT sequence, received_at, hash, server_hash, body FROM operations
                    WHERE sequence > ? AND sequence <= ? AND kind IN (\(kinds.map { _ in "?" }.joined(separator: ", ")))
                    ORDER BY sequence
                    """)
            let entries = try Row.fetchAll(
                statement, arguments: [Int64(sequence), end] + StatementArguments(kinds.map(\.rawValue))
            ).map(Self.logEntry)
            return LogWindow(entries: entries, end: UInt64(end))
        }
    }

    private static func logEntry(_ row: Row) throws -> LogEntry {
        LogEntry(
            sequence: UInt64(row[0] as Int64), receivedAt: row[1], hash: try operationHash(row[2]),
            serverHash: (row[3] as Data).byteArray, body: (row[4] as Data).byteArray)
    }

    public func chainSignatures() async throws -> [StoredChainSignature] {
        try await pool.read { db in
            try Row.fetchAll(
                db, sql: "SELECT replica, counter, head, signature, received_at FROM chain_signatures ORDER BY replica, counter"
            ).map { row in
                guard let replica = ReplicaID(row[0] as String) else {
                    throw DatabaseError(resultCode: .SQLITE_CORRUPT, message: "a signature's replica is not a UUID")
                }
                return StoredChainSignature(
                    replica: replica, counter: UInt64(row[1] as Int64), head: try Self.operationHash(row[2]),
                    signature: row[3], receivedAt: row[4])
            }
        }
    }

    private static func pullRows(
        _ filter: PullFilter, after: UInt64, through: UInt64?, limit: Int?, in db: Database
    ) throws -> [PullPaging.Row] {
        let query = PullQuery(filter, after: after, through: through, limit: limit, dialect: .sqlite)
        let arguments = StatementArguments(
            query.arguments.map { argument -> (any DatabaseValueConvertible)? in
                switch argument {
                case .integer(let value): value
                case .text(let value): value
                }
            })
        let statement = try db.cachedStatement(sql: query.sql)
        var rows: [PullPaging.Row] = []
        let cursor = try Row.fetchCursor(statement, arguments: arguments)
        while let row = try cursor.next() {
            rows.append(PullPaging.Row(position: UInt64(row[1] as Int64), body: (row[2] as Data).byteArray))
        }
        return rows
    }
}
