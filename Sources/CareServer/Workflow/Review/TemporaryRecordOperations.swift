import CareModel

// TEMPORARY stand-in until the lead's foundation ("Server identity") lands
// `SyncStorage.operations(on:)` on main: delete this file at that merge.
extension SyncStorage {
    func operations(on record: RecordRef) async throws -> [Operation] {
        var operations: [Operation] = []
        var after: UInt64 = 0
        while true {
            let entries = try await logEntries(after: after, limit: 5_000)
            for entry in entries {
                let operation = try Operation(canonicalBytes: entry.body)
                if operation.record == record { operations.append(operation) }
            }
            guard let last = entries.last else { return operations }
            after = last.sequence
        }
    }
}
