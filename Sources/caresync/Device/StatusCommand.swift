import ArgumentParser
import CareModel
import CareStore

/// `caresync device status`: what is pending, when the device last synced, and
/// the sync state of every record this device wrote.
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status", abstract: "Pending uploads, last sync, and each record's sync state.")

    @OptionGroup var options: DeviceOptions

    func run() async throws {
        try await options.withDevice { profile, store in
            let status = try await store.syncStatus()
            print("device \(profile.device) of \(profile.worker) (\(profile.role.rawValue)) on \(profile.server)")
            print("pending uploads: \(status.pendingUploadCount) (\(status.pendingAbuseReportCount) abuse report operation(s), \(status.rejectedCount) rejected)")
            print("last sync: \(status.lastSuccessfulSync.map(DeviceFormat.time) ?? "never")")
            print("pull cursor: \(status.pullCursor)")
            print("records written on this device:")
            for (record, state) in try await Self.writtenRecords(store) {
                // The server's signed receipt of the record's first operation here: when the office got it.
                let received = try await store.receipts(for: record).first.map {
                    "  received by the office \(DeviceFormat.time($0.entry.receivedAt))"
                }
                print("  \(record.kind.rawValue) \(record.id)  \(state)\(received ?? "")")
            }
        }
    }

    /// Each record this device wrote, once, in the order first written, with its sync state.
    static func writtenRecords(_ store: CareStore) async throws -> [(RecordRef, SyncState)] {
        var seen: Set<RecordRef> = []
        var records: [(RecordRef, SyncState)] = []
        var next: UInt64 = 1
        while true {
            let page = try await store.localOperations(from: next, limit: 1_000)
            for chained in page where seen.insert(chained.operation.record).inserted {
                records.append((chained.operation.record, try await store.syncState(of: chained.operation.record)))
            }
            guard let last = page.last else { return records }
            next = last.operation.id.counter + 1
        }
    }
}
