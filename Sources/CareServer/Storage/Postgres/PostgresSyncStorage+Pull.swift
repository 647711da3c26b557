public import CareModel
import PostgresNIO

extension PostgresSyncStorage {
    /// Reads the log head and the rows in one snapshot. Because ingest commits in
    /// sequence order, every snapshot holds a prefix of the log (1 through its
    /// head, nothing missing below), so moving the cursor to the head skips nothing.
    public func pull(_ filter: PullFilter, after cursor: UInt64, limit: Int) async throws -> PullPage {
        try await inTransaction(.snapshot) { connection in
            var logHead: UInt64 = 0
            for try await head in try await connection.query(
                "SELECT COALESCE(MAX(sequence), 0) FROM operations", logger: logger
            ).decode(Int64.self) {
                logHead = UInt64(head)
            }
            guard !filter.seesNothing else {
                return PullPage(operations: [], nextCursor: max(cursor, logHead), hasMore: false)
            }
            let rows = try await pullRows(filter, after: cursor, through: nil, limit: limit + 1, on: connection)
            switch PullPaging.decide(rows, limit: limit, cursor: cursor, logHead: logHead) {
            case .page(let page):
                return page
            case .fetchWholePosition(let position):
                let group = try await pullRows(filter, after: position - 1, through: position, limit: nil, on: connection)
                return PullPaging.wholePosition(position, rows: group)
            }
        }
    }

    public func logEntries(after sequence: UInt64, limit: Int) async throws -> [LogEntry] {
        try await logEntries(
            """
            SELECT sequence, received_at, hash, server_hash, body FROM operations
            WHERE sequence > \(Int64(sequence)) ORDER BY sequence LIMIT \(limit)
            """)
    }

    public func lastLogSequence() async throws -> UInt64 {
        UInt64(try await integer("SELECT COALESCE(MAX(sequence), 0) FROM operations"))
    }

    /// Reads the head first: commits come in sequence order (the ingest lock),
    /// so every position up to it is committed and the second statement sees it.
    public func logEntries(after sequence: UInt64, positions: Int, kinds: [RecordKind]) async throws -> LogWindow {
        let head = Int64(try await lastLogSequence())
        let end = max(Int64(sequence), min(head, Int64(sequence) + Int64(positions)))
        guard end > Int64(sequence), !kinds.isEmpty else { return LogWindow(entries: [], end: UInt64(end)) }
        let entries = try await logEntries(
            """
            SELECT sequence, received_at, hash, server_hash, body FROM operations
            WHERE sequence > \(Int64(sequence)) AND sequence <= \(end) AND kind = ANY(\(kinds.map(\.rawValue)))
            ORDER BY sequence
            """)
        return LogWindow(entries: entries, end: UInt64(end))
    }

    private func logEntries(_ query: PostgresQuery) async throws -> [LogEntry] {
        var entries: [LogEntry] = []
        for try await (sequence, receivedAt, hash, serverHash, body) in try await client.query(query, logger: logger)
            .decode((Int64, Int64, ByteBuffer, ByteBuffer, ByteBuffer).self)
        {
            entries.append(
                LogEntry(
                    sequence: UInt64(sequence), receivedAt: receivedAt, hash: try Self.operationHash(hash),
                    serverHash: serverHash.byteArray, body: body.byteArray))
        }
        return entries
    }

    public func chainSignatures() async throws -> [StoredChainSignature] {
        var signatures: [StoredChainSignature] = []
        for try await (replica, counter, head, signature, receivedAt) in try await client.query(
            "SELECT replica, counter, head, signature, received_at FROM chain_signatures ORDER BY replica, counter",
            logger: logger
        ).decode((String, Int64, ByteBuffer, String, Int64).self) {
            guard let replica = ReplicaID(replica) else {
                throw ServerError(.internalError, "a stored signature's replica is not a UUID", status: .internalServerError)
            }
            signatures.append(
                StoredChainSignature(
                    replica: replica, counter: UInt64(counter), head: try Self.operationHash(head),
                    signature: signature, receivedAt: receivedAt))
        }
        return signatures
    }

    private func pullRows(
        _ filter: PullFilter, after: UInt64, through: UInt64?, limit: Int?, on connection: PostgresConnection
    ) async throws -> [PullPaging.Row] {
        let query = PullQuery(filter, after: after, through: through, limit: limit, dialect: .postgres)
        var bindings = PostgresBindings(capacity: query.arguments.count)
        for argument in query.arguments {
            switch argument {
            case .integer(let value): bindings.append(value)
            case .text(let value): bindings.append(value)
            }
        }
        var rows: [PullPaging.Row] = []
        for try await (_, position, body) in try await connection.query(
            PostgresQuery(unsafeSQL: query.sql, binds: bindings), logger: logger
        ).decode((Int64, Int64, ByteBuffer).self) {
            rows.append(PullPaging.Row(position: UInt64(position), body: body.byteArray))
        }
        return rows
    }
}
