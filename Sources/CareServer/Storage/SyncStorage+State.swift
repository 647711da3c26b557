public import CareModel

extension SyncStorage {
    /// The server's state: the model's reducer (``CareState``) over the stored
    /// log, in sequence order, through `sequence` (the whole log when nil).
    ///
    /// The server keeps no materialized state: its log is the state, and this
    /// is its definition. `caresync audit replay` computes the same from the
    /// database file or an export; `GET /v1/audit/state` serves it to auditors.
    public func state(through sequence: UInt64? = nil, pageSize: Int = 10_000) async throws -> CareState {
        var state = CareState()
        var after: UInt64 = 0
        while true {
            let limit = sequence.map { Int(min(UInt64(pageSize), $0 - min(after, $0))) } ?? pageSize
            guard limit > 0 else { break }
            let entries = try await logEntries(after: after, limit: limit)
            for entry in entries where entry.sequence <= sequence ?? .max {
                try state.apply(try Operation(canonicalBytes: entry.body))
            }
            guard let last = entries.last, entries.count == limit else { break }
            after = last.sequence
        }
        return state
    }
}

extension SyncStorage {
    /// Every stored operation on `record`, in log order (empty when the server
    /// does not know it).
    public func operations(on record: RecordRef) async throws -> [Operation] {
        try await operations(on: [record])[record] ?? []
    }
}
