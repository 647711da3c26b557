import CareModel
import Foundation
import Testing

@testable import CareStore

/// Sign-out, worker switch and wipe: refused while anything is unacknowledged,
/// unless forced, which is logged.
struct SignOutTests {
    let folder: TemporaryFolder
    let visitID = Fixture.recordID(1)

    init() throws { folder = try TemporaryFolder() }

    func storeWithNote() async throws -> (CareStore, WriteReceipt) {
        let store = try await Fixture.open(folder)
        var office = RemoteReplica("office-1", number: 1)
        try await store.applyRemote([office.createVisit(visitID, start: Fixture.day)], cursor: 1)
        return (store, try await store.addNote(visit: visitID, text: "not yet synced"))
    }

    @Test("refused while unacknowledged, for every action; nothing changes", arguments: [
        SignOutAction.signOut, .switchWorker, .wipe,
    ])
    func refused(action: SignOutAction) async throws {
        let (store, note) = try await storeWithNote()
        let state = try await store.canonicalState()
        await expectStoreError(.unacknowledgedOperations) { try await store.signOut(action) }
        #expect(try await store.isSignedOut() == false)
        #expect(try await store.events().isEmpty)
        #expect(try await store.canonicalState() == state)
        // Still takes writes.
        try await store.amendNote(note.record.id, text: "still here")
    }

    @Test("allowed once everything is acknowledged; then the store refuses writes")
    func cleanSignOut() async throws {
        let (store, note) = try await storeWithNote()
        try await store.applyPushResults([OperationResult(id: note.operation, status: .stored, sequence: 1)])
        let event = try await store.signOut(.switchWorker)
        #expect(event.forced == false)
        #expect(event.unacknowledgedCount == 0)
        #expect(try await store.events() == [event])
        await expectStoreError(.signedOut) { try await store.addNote(visit: visitID, text: "late") }
        // Reads still work.
        #expect(try await store.note(note.record.id)?.text == "not yet synced")
    }

    @Test("forced sign-out is logged with what was not acknowledged")
    func forcedSignOut() async throws {
        let (store, note) = try await storeWithNote()
        let event = try await store.signOut(.signOut, force: true)
        #expect(event.forced)
        #expect(event.unacknowledgedCount == 1)
        #expect(event.unacknowledgedCounters == note.operation.counter...note.operation.counter)
        #expect(event.head == note.hash)
        try store.close()
        let reopened = try await Fixture.open(folder)
        #expect(try await reopened.events() == [event])
        #expect(try await reopened.isSignedOut())
    }

    @Test("forced wipe erases care records and keeps the event log")
    func forcedWipe() async throws {
        let (store, _) = try await storeWithNote()
        let event = try await store.signOut(.wipe, force: true)
        #expect(try await store.canonicalState().isEmpty)
        #expect(try await store.scalar("SELECT count(*) FROM operation") == 0)
        #expect(try await store.scalar("SELECT count(*) FROM visit_note") == 0)
        #expect(try await store.pendingUploadCount() == 0)
        #expect(try await store.events() == [event])
        let bytes = try #require(FileManager.default.contents(atPath: folder.file("store.sqlite")))
        #expect(bytes.firstRange(of: Data("not yet synced".utf8)) == nil)
    }
}
