import CareModel
import Foundation
import GRDB
import Testing

@testable import CareStore

struct SchemaTests {
    /// `Schema/device.sql` is the contract; the store embeds its migrations.
    @Test("the embedded migrations are exactly the sections of Schema/device.sql")
    func embeddedSchemaMatchesFile() throws {
        let file = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Schema/device.sql")
        let text = try String(contentsOf: file, encoding: .utf8)
        var sections: [(name: String, sql: String)] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-- migration: ") {
                sections.append((String(line.dropFirst("-- migration: ".count)), ""))
            } else if !sections.isEmpty {
                sections[sections.count - 1].sql += line + "\n"
            }
        }
        let trimmed = sections.map { ($0.name, $0.sql.trimmingCharacters(in: .whitespacesAndNewlines)) }
        #expect(trimmed.map(\.0) == DeviceSchema.migrations.map(\.name))
        for (section, migration) in zip(trimmed, DeviceSchema.migrations) {
            #expect(section.1 == migration.sql, "migration \(migration.name) differs from Schema/device.sql")
        }
    }

    @Test("WAL with synchronous = FULL on the writer; migrations applied; reopening keeps data")
    func durabilitySettings() async throws {
        let folder = try TemporaryFolder()
        let store = try await Fixture.open(folder)
        let (journal, synchronous) = try await store.pool.writeWithoutTransaction { db in
            (try String.fetchOne(db, sql: "PRAGMA journal_mode"), try Int.fetchOne(db, sql: "PRAGMA synchronous"))
        }
        #expect(journal == "wal")
        #expect(synchronous == 2)  // FULL
        let applied = try await store.pool.read { db in try CareStore.migrator.appliedIdentifiers(db) }
        #expect(applied == Set(DeviceSchema.migrations.map(\.name)))
        var office = RemoteReplica("office-1", number: 1)
        try await store.applyRemote([office.createVisit(Fixture.recordID(1), start: Fixture.day)], cursor: 1)
        try await store.addNote(visit: Fixture.recordID(1), text: "kept")
        let state = try await store.canonicalState()
        try store.close()
        let reopened = try await Fixture.open(folder)
        #expect(try await reopened.canonicalState() == state)
        #expect(try await reopened.pendingUploadCount() == 1)
        // The replica carries on its chain after a reopen.
        let next = try await reopened.addNote(visit: Fixture.recordID(1), text: "next")
        #expect(next.operation.counter == 2)
        #expect(try await reopened.verify().isConsistent)
    }

    @Test("a store made before v3 is migrated: the outbox index by record goes, sync states read the same")
    func upgradeDropsOutboxIndex() async throws {
        let folder = try TemporaryFolder()
        let store = try await Fixture.open(folder)
        var office = RemoteReplica("office-1", number: 1)
        // Another replica's operation with the same counter as this device's note
        // must not lend the visit the note's sync state.
        try await store.applyRemote([office.createVisit(Fixture.recordID(1), start: Fixture.day)], cursor: 1)
        let note = try await store.addNote(visit: Fixture.recordID(1), text: "before the upgrade")
        // Back to what v2 left: the index, and no v3 in the applied migrations.
        try await store.pool.write { db in
            try db.execute(sql: "CREATE INDEX outbox_by_record ON outbox (record_kind, record_id)")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v3'")
        }
        try store.close()
        let reopened = try await Fixture.open(folder)
        let indexes = try await reopened.pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'outbox'")
        }
        #expect(indexes.isEmpty)
        #expect(try await reopened.syncState(of: note.record) == .localOnly)
        #expect(try await reopened.syncState(of: RecordRef(kind: .visit, id: Fixture.recordID(1))) == .acknowledged)
        #expect(try await reopened.verify().isConsistent)
    }

    @Test("one store is safe to use from many tasks at once")
    func concurrentUse() async throws {
        let folder = try TemporaryFolder()
        let store = try await Fixture.open(folder)
        var office = RemoteReplica("office-1", number: 1)
        try await store.applyRemote([office.createVisit(Fixture.recordID(1), start: Fixture.day)], cursor: 1)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<20 {
                group.addTask {
                    if index % 2 == 0 {
                        try await store.addNote(visit: Fixture.recordID(1), text: "note \(index)")
                    } else {
                        _ = try await store.visit(Fixture.recordID(1))
                    }
                }
            }
            try await group.waitForAll()
        }
        #expect(try await store.localOperations().map(\.operation.id.counter) == Array(1...10))
        #expect(try await store.verify().isConsistent)
    }
}
