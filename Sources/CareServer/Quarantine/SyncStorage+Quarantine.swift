extension SyncStorage {
    /// A page of the quarantine that `scope` may see, after row `cursor`: at
    /// most `limit` rows, and the cursor to pass for the next page (the last
    /// row read, seen or not). The scope is applied here, once for every
    /// backend; rejected operations are rare, so reading past rows a reader
    /// may not see costs little.
    public func quarantine(
        _ scope: QuarantineScope, after cursor: Int64, limit: Int
    ) async throws -> (rows: [QuarantineRow], nextCursor: Int64, hasMore: Bool) {
        var rows: [QuarantineRow] = []
        var position = cursor
        while rows.count < limit {
            let chunk = try await quarantineRows(after: position, limit: max(limit, 100))
            for row in chunk {
                position = row.id
                if scope.includes(row.operation.record, team: row.operation.team) {
                    rows.append(row)
                    if rows.count == limit { return (rows, position, true) }
                }
            }
            if chunk.count < max(limit, 100) { return (rows, position, false) }
        }
        return (rows, position, true)
    }
}
