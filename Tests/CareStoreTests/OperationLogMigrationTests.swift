import CareModel
import Foundation
import GRDB
import Testing

@testable import CareStore

/// Migration v4: a store written at v3 (one WITHOUT ROWID `operation` table for
/// every operation) opens with its op log moved into `local_operation` and
/// `received_operation`, and reads exactly as before.
struct OperationLogMigrationTests {
    let visitID = Fixture.recordID(1)

    /// Everything a store shows through its public reads.
    struct Reads: Hashable {
        var state: [UInt8]
        var visit: VisitDetail?
        var visits: [VisitSummary]
        var reports: [AbuseReportView]
        var review: [ReviewItem]
        var status: SyncStatus
        var batch: UploadBatch?
        var local: [ChainedOperation]
        var syncStates: [SyncState]
        var operationCount: Int
        var localOperationCount: Int

        init(_ store: CareStore, records: [RecordRef]) async throws {
            state = try await store.canonicalState()
            visit = try await store.visit(Fixture.recordID(1))
            visits = try await store.visits(scheduledFrom: Fixture.day - 86_400_000, to: Fixture.day + 86_400_000)
            reports = try await store.abuseReports()
            review = try await store.recordsNeedingReview()
            status = try await store.syncStatus()
            batch = try await store.nextUploadBatch(limit: 1_000)
            local = try await store.localOperations()
            var syncStates: [SyncState] = []
            for record in records { syncStates.append(try await store.syncState(of: record)) }
            self.syncStates = syncStates
            let verification = try await store.verify()
            #expect(verification.isConsistent, "\(verification.problems)")
            operationCount = verification.operationCount
            localOperationCount = verification.localOperationCount
        }
    }

    /// A store at the current schema with every kind of op log row: received
    /// operations (a concurrent pair on the visit, so that it needs review),
    /// local ones acknowledged with and without a server sequence, rejected,
    /// sent and only on the device, an abuse report among them, and this
    /// device's own operation coming back in a pull. Returns the records written.
    func populate(_ store: CareStore) async throws -> [RecordRef] {
        var office = RemoteReplica("office-1", number: 1)
        var coordinator = RemoteReplica("office-2", number: 2)
        let visit = RecordRef(kind: .visit, id: visitID)
        let create = try office.createVisit(visitID, start: Fixture.day)
        try coordinator.see([create])
        try await store.applyRemote(
            [
                create, try office.write(visit, .update, [.set(Visit.Field.riskFlag, "dog")]),
                try coordinator.write(visit, .update, [.set(Visit.Field.riskFlag, "stairs")]),
            ], cursor: 1)
        var records = [visit]
        records.append(try await store.checkIn(visit: visitID, AttendanceEvidence(method: .nfc, tag: "door")).record)
        let acknowledged = try await store.addNote(visit: visitID, text: "acknowledged")
        let rejected = try await store.addNote(visit: visitID, text: "rejected")
        records += [acknowledged.record, rejected.record]
        records.append(
            try await store.fileAbuseReport(
                AbuseReportDraft(
                    incidentKind: "threatening", occurredAt: Fixture.day, involved: [.init(relationship: "visitor")],
                    statement: "Threatened me.", severity: 3)
            ).record)
        let sent = try #require(try await store.nextUploadBatch(limit: 1_000))
        try await store.markSent(sent)
        try await store.applyPushResults([
            OperationResult(id: acknowledged.operation, status: .stored, sequence: 11),
            OperationResult(
                id: rejected.operation, status: .rejected,
                error: ErrorBody(code: "invalid_value", message: "refused in a test")),
        ])
        // The check-in comes back in a pull: acknowledged, without a sequence.
        let checkIn = try #require(try await store.localOperations(from: 1, limit: 1).first)
        try await store.applyRemote([checkIn.operation], cursor: 2)
        records.append(try await store.logMissedCall(visit: visitID, reason: "no_access").record)
        return records
    }

    /// Writes a v3 store file at `path` holding what the store file `source`
    /// holds: the schema made by the released migrations v1–v3, the rows copied
    /// from `source` (whose `operation` view has v3's columns, in v3's order).
    func makeV3File(at path: String, from source: String) throws {
        let queue = try DatabaseQueue(path: path)
        try CareStore.migrator.migrate(queue, upTo: "v3")
        try queue.writeWithoutTransaction { db in
            try db.execute(sql: "ATTACH DATABASE ? AS source", arguments: [source])
            try db.inTransaction {
                for table in [
                    "store", "operation", "outbox", "record", "visit", "visit_worker", "visit_note", "missed_call",
                    "abuse_report", "store_event", "receipt",
                ] {
                    try db.execute(sql: "INSERT INTO main.\(table) SELECT * FROM source.\(table)")
                }
                return .commit
            }
            try db.execute(sql: "DETACH DATABASE source")
        }
        try queue.close()
    }

    @Test("a v3 store with local, received, acknowledged and rejected ops migrates to v4 and reads the same")
    func v3StoreMigrates() async throws {
        let folder = try TemporaryFolder()
        let store = try await Fixture.open(folder, "current.sqlite")
        let records = try await populate(store)
        let before = try await Reads(store, records: records)
        try store.close()
        try makeV3File(at: folder.file("v3.sqlite"), from: folder.file("current.sqlite"))
        let v3 = try DatabaseQueue(path: folder.file("v3.sqlite"))
        let v3Rows = try await v3.read { db in
            (
                try Int.fetchOne(db, sql: "SELECT count(*) FROM operation WHERE is_local = 1"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM operation WHERE is_local = 0"),
                try String.fetchOne(db, sql: "SELECT type FROM sqlite_master WHERE name = 'operation'")
            )
        }
        try v3.close()
        #expect(v3Rows.0 == 5 && v3Rows.1 == 3 && v3Rows.2 == "table")

        let migrated = try await Fixture.open(folder, "v3.sqlite")
        let layout = try await migrated.pool.read { db in
            (
                try CareStore.migrator.appliedIdentifiers(db),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM local_operation"),
                try Int.fetchOne(db, sql: "SELECT count(*) FROM received_operation"),
                try String.fetchOne(db, sql: "SELECT type FROM sqlite_master WHERE name = 'operation'"),
                try Int.fetchOne(db, sql: "SELECT server_sequence FROM local_operation WHERE counter = 2"),
                try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE tbl_name = 'abuse_report'")
            )
        }
        #expect(layout.0 == Set(DeviceSchema.migrations.map(\.name)))
        #expect(layout.1 == 5 && layout.2 == 3 && layout.3 == "view" && layout.4 == 11)
        #expect(!layout.5.contains("abuse_report_by_reporter") && layout.5.contains("abuse_report"))
        #expect(try await Reads(migrated, records: records) == before)
        #expect(before.syncStates.contains(.rejected) && before.syncStates.contains(.sent))

        // The chain carries on from the migrated head.
        let next = try await migrated.addNote(visit: visitID, text: "after the migration")
        #expect(next.operation.counter == 6)
        #expect(try await migrated.localOperations(from: 6).first?.previous == before.local.last?.hash)
        #expect(try await migrated.verify().isConsistent)
    }

    @Test("an own operation stored as received at v3 is still reported by verify after the migration")
    func misfiledOwnOperationStaysVisible() async throws {
        let folder = try TemporaryFolder()
        let store = try await Fixture.open(folder, "current.sqlite")
        _ = try await populate(store)
        try store.close()
        try makeV3File(at: folder.file("v3.sqlite"), from: folder.file("current.sqlite"))
        let v3 = try DatabaseQueue(path: folder.file("v3.sqlite"))
        try await v3.write { db in
            try db.execute(sql: "UPDATE operation SET is_local = 0, previous = NULL, hash = NULL WHERE counter = 5")
        }
        try v3.close()
        let migrated = try await Fixture.open(folder, "v3.sqlite")
        let problems = try await migrated.verify().problems
        #expect(problems.contains("operation 5 of this replica is stored as received"))
    }
}
