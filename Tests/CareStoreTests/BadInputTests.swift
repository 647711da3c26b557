import CareModel
import Foundation
import GRDB
import Testing

@testable import CareStore

/// Files the store must refuse, and refused actions: each gives its typed error
/// and changes nothing.
struct BadInputTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder() }

    func contents(_ path: String) -> Data? { FileManager.default.contents(atPath: path) }

    /// A store with one note, closed cleanly (so the main file holds everything).
    func closedStore(_ name: String = "store.sqlite") async throws -> String {
        let store = try await Fixture.open(folder, name)
        var office = RemoteReplica("office-1", number: 1)
        try await store.applyRemote([office.createVisit(Fixture.recordID(1), start: Fixture.day)], cursor: 1)
        try await store.addNote(visit: Fixture.recordID(1), text: "note")
        try store.close()
        return folder.file(name)
    }

    @Test("a database from a newer schema version is refused and left as it was")
    func newerSchema() async throws {
        let path = try await closedStore()
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v2-from-the-future')")
        }
        try queue.close()
        let before = try #require(contents(path))
        await expectStoreError(.newerSchema) { try await Fixture.open(folder) }
        #expect(contents(path) == before)
    }

    @Test("a file that is not SQLite is refused and left as it was")
    func notADatabase() async throws {
        let path = folder.file("store.sqlite")
        let text = Data(String(repeating: "this is a shopping list, not a database\n", count: 100).utf8)
        try text.write(to: URL(fileURLWithPath: path))
        await expectStoreError(.notADatabase) { try await Fixture.open(folder) }
        #expect(contents(path) == text)
        #expect(!FileManager.default.fileExists(atPath: path + "-wal"))
    }

    @Test("a damaged SQLite file is refused and left as it was")
    func corruptDatabase() async throws {
        let path = try await closedStore()
        var bytes = try #require(contents(path))
        // Keep the 100-byte header, scramble the rest of page 1 (the schema).
        var random = SplitMix64(seed: 7)
        for index in 100..<4096 where index < bytes.count { bytes[index] = UInt8(truncatingIfNeeded: random.next()) }
        try bytes.write(to: URL(fileURLWithPath: path))
        await expectStoreError(.corruptDatabase) { try await Fixture.open(folder) }
        #expect(contents(path) == bytes)
    }

    @Test("another program's SQLite database is refused and left as it was")
    func foreignDatabase() async throws {
        let path = folder.file("store.sqlite")
        let queue = try DatabaseQueue(path: path)
        try await queue.write { db in try db.execute(sql: "CREATE TABLE contacts (name TEXT)") }
        try queue.close()
        let before = try #require(contents(path))
        await expectStoreError(.notACareStore) { try await Fixture.open(folder) }
        #expect(contents(path) == before)
    }

    @Test("a location that cannot be written is refused, nothing is created")
    func readOnlyLocation() async throws {
        // Permission bits do not stop root, so the test uses a folder nobody may
        // create files in: sysfs. (As a non-root user, a 0555 folder is tested too.)
        let path = "/sys/care-store-test.sqlite"
        await expectStoreError(.readOnlyLocation) {
            try await CareStore.open(path: path, identity: Fixture.identity(), environment: TestEnvironment().store)
        }
        #expect(!FileManager.default.fileExists(atPath: path))
        if geteuid() != 0 {
            let locked = folder.file("locked")
            try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: false)
            try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked)
            await expectStoreError(.readOnlyLocation) {
                try await CareStore.open(
                    path: locked + "/store.sqlite", identity: Fixture.identity(), environment: TestEnvironment().store)
            }
            #expect(try FileManager.default.contentsOfDirectory(atPath: locked).isEmpty)
        }
    }

    @Test("a store belongs to one worker: another identity is refused")
    func identityMismatch() async throws {
        let path = try await closedStore()
        let before = try #require(contents(path))
        await expectStoreError(.identityMismatch) {
            try await Fixture.open(folder, identity: Fixture.identity(Fixture.otherWorker, replica: 0xC))
        }
        #expect(contents(path) == before)
        let reopened = try await Fixture.open(folder)
        #expect(try await reopened.pendingUploadCount() == 1)
    }

    /// Runs a refused action and checks that nothing changed.
    func expectRefused(
        _ code: CareStoreError.Code, on store: CareStore, sourceLocation: SourceLocation = #_sourceLocation,
        _ action: () async throws -> WriteReceipt
    ) async throws {
        let state = try await store.canonicalState()
        let pending = try await store.pendingUploadCount()
        let counter = try await store.localOperations().count
        await expectStoreError(code, sourceLocation: sourceLocation, action)
        #expect(try await store.canonicalState() == state, sourceLocation: sourceLocation)
        #expect(try await store.pendingUploadCount() == pending, sourceLocation: sourceLocation)
        #expect(try await store.localOperations().count == counter, sourceLocation: sourceLocation)
        #expect(try await store.verify().isConsistent, sourceLocation: sourceLocation)
    }

    @Test("refused actions change nothing: policy, validation, unknown records")
    func refusedActions() async throws {
        let store = try await Fixture.open(folder)
        var office = RemoteReplica("office-1", number: 1)
        var colleague = RemoteReplica(Fixture.otherWorker.rawValue, number: 2)
        let mine = Fixture.recordID(1)
        let theirs = Fixture.recordID(2)
        let theirNote = RecordRef(kind: .visitNote, id: Fixture.recordID(3))
        let theirVisit = try office.createVisit(theirs, start: Fixture.day, assigned: [Fixture.otherWorker, Fixture.worker])
        try colleague.see([theirVisit])
        try await store.applyRemote(
            [
                office.createVisit(mine, start: Fixture.day), office.createVisit(Fixture.recordID(9), start: Fixture.day, assigned: [Fixture.otherWorker]),
                theirVisit,
                colleague.write(
                    theirNote, .create, [.set(VisitNote.Field.visit, .string(theirs.description)), .set(VisitNote.Field.text, "theirs")]),
            ], cursor: 4)
        let note = try await store.addNote(visit: mine, text: "mine")

        // Access policy (mirrored from the server).
        try await expectRefused(.init(rawValue: "access_denied"), on: store) {
            try await store.checkIn(visit: Fixture.recordID(9), AttendanceEvidence(method: .manual))
        }
        try await expectRefused(.init(rawValue: "access_denied"), on: store) {
            try await store.amendNote(theirNote.id, text: "edit someone else's note")
        }
        let report = try await store.fileAbuseReport(
            AbuseReportDraft(incidentKind: "verbal", occurredAt: Fixture.day, involved: [.init(relationship: "unknown")],
                             statement: "s", severity: 1))
        try await expectRefused(.init(rawValue: "access_denied"), on: store) {
            try await store.acknowledgeAbuseReport(report.record.id)
        }
        // Model validation.
        try await expectRefused(.init(rawValue: "invalid_value"), on: store) {
            try await store.logMissedCall(visit: mine, reason: "felt like it")
        }
        try await expectRefused(.init(rawValue: "value_too_large"), on: store) {
            try await store.amendNote(note.record.id, text: String(repeating: "x", count: VisitNote.maximumTextBytes + 1))
        }
        try await expectRefused(.init(rawValue: "invalid_value"), on: store) {
            try await store.fileAbuseReport(
                AbuseReportDraft(incidentKind: "verbal", occurredAt: Fixture.day, involved: [], statement: "s", severity: 9))
        }
        // Records not on the device.
        try await expectRefused(.recordNotFound, on: store) {
            try await store.checkIn(visit: Fixture.recordID(404), AttendanceEvidence(method: .manual))
        }
        try await expectRefused(.recordNotFound, on: store) { try await store.amendNote(Fixture.recordID(405), text: "x") }
        try await expectRefused(.invalidArgument, on: store) { try await store.recordTasksDone(visit: mine, []) }

        // The model's error is passed through whole.
        do {
            try await store.logMissedCall(visit: mine, reason: "felt like it")
            Issue.record("an invalid reason was accepted")
        } catch {
            #expect(error.modelError?.code == .invalidValue)
            #expect(error.modelError?.field == MissedCall.Field.reason)
        }
    }

    @Test("an auditor's store writes nothing")
    func auditorWritesNothing() async throws {
        let store = try await Fixture.open(folder, identity: Fixture.identity(WorkerID("auditor-1")!, role: .auditor))
        try await expectRefused(.init(rawValue: "access_denied"), on: store) {
            try await store.fileAbuseReport(
                AbuseReportDraft(incidentKind: "verbal", occurredAt: Fixture.day, involved: [.init(relationship: "unknown")],
                                 statement: "s", severity: 1))
        }
    }
}
