import CareModel
import Foundation
import Testing

@testable import CareStore

/// Operations from the server: idempotent, order-independent, all or nothing.
struct RemoteOperationTests {
    let folder: TemporaryFolder

    init() throws { folder = try TemporaryFolder() }

    /// Ops from two other replicas touching the same visits, with concurrency.
    func remoteOperations() throws -> [CareModel.Operation] {
        var office = RemoteReplica("office-1", number: 1)
        var colleague = RemoteReplica(Fixture.otherWorker.rawValue, number: 2)
        var operations: [CareModel.Operation] = []
        for n in 1...3 {
            let visit = try office.createVisit(
                Fixture.recordID(UInt64(n)), start: Fixture.day + Int64(n) * 3_600_000, assigned: [Fixture.worker, Fixture.otherWorker])
            operations.append(visit)
        }
        try colleague.see(operations)
        let ref = RecordRef(kind: .visit, id: Fixture.recordID(1))
        operations.append(try colleague.write(ref, .update, [.append(Visit.Field.checkIns, ["time": .int(Fixture.day), "method": "qr"])]))
        operations.append(try office.write(ref, .update, [.set(Visit.Field.markedMissed, true)]))
        operations.append(try office.write(ref, .update, [.set(Visit.Field.riskFlag, "two workers required")]))
        operations.append(try colleague.write(ref, .update, [.set(Visit.Field.riskFlag, "dog in house")]))
        let note = RecordRef(kind: .visitNote, id: Fixture.recordID(50))
        operations.append(try colleague.write(note, .create, [.set(VisitNote.Field.visit, .string(ref.id.description)), .set(VisitNote.Field.text, "hello")]))
        operations.append(try colleague.write(note, .update, [.append(VisitNote.Field.amendments, ["text": "more"])]))
        return operations
    }

    @Test("re-applying a page changes nothing")
    func reapplyingChangesNothing() async throws {
        let store = try await Fixture.open(folder)
        let page = PullResponse(operations: try remoteOperations(), nextCursor: 10, hasMore: false)
        let first = try await store.applyPulledPage(page)
        #expect(first.applied == page.operations.count)
        let state = try await store.canonicalState()
        let second = try await store.applyPulledPage(page)
        #expect(second.applied == 0)
        #expect(second.duplicates == page.operations.count)
        #expect(try await store.canonicalState() == state)
        #expect(try await store.scalar("SELECT count(*) FROM operation") == page.operations.count)
        #expect(try await store.syncStatus().pullCursor == 10)
        #expect(try await store.verify().isConsistent)
    }

    @Test("any order and any split into pages gives the reducer's state", arguments: [1, 2, 3, 4, 5])
    func orderIndependent(seed: UInt64) async throws {
        let operations = try remoteOperations()
        let reference = try CareState(reducing: operations).canonicalBytes()
        var random = SplitMix64(seed: seed)
        let store = try await Fixture.open(folder)
        var shuffled = operations.shuffled(using: &random)
        shuffled += shuffled.prefix(3)  // duplicates too
        var cursor: UInt64 = 0
        while !shuffled.isEmpty {
            let size = Int(random.next() % 4) + 1
            cursor += 1
            try await store.applyRemote(Array(shuffled.prefix(size)), cursor: cursor)
            shuffled.removeFirst(min(size, shuffled.count))
        }
        #expect(try await store.canonicalState() == reference, "seed \(seed)")
        let visit = try #require(try await store.visit(Fixture.recordID(1)))
        let modelState = try #require(try CareState(reducing: operations)[RecordRef(kind: .visit, id: Fixture.recordID(1))])
        #expect(visit.summary.status == Visit.status(of: modelState))
        #expect(visit.summary.reviewReasons == Visit.openReviewReasons(of: modelState))
        #expect(visit.conflictedFields == [Visit.Field.riskFlag])
        #expect(try await store.recordsNeedingReview().map(\.record.id) == [Fixture.recordID(1)])
    }

    @Test("a page with an invalid operation is refused whole; nothing changes")
    func invalidPage() async throws {
        let store = try await Fixture.open(folder)
        var operations = try remoteOperations()
        try await store.applyRemote(Array(operations.prefix(2)), cursor: 2)
        let state = try await store.canonicalState()
        operations[5].changes = [.set("no_such_field", 1)]
        await expectStoreError(.invalidRemoteOperation) { try await store.applyRemote(operations, cursor: 9) }
        #expect(try await store.canonicalState() == state)
        #expect(try await store.syncStatus().pullCursor == 2)
    }

    @Test("own operations coming back are acknowledged; a counter beyond ours is a diverged replica")
    func ownOperations() async throws {
        let store = try await Fixture.open(folder)
        var office = RemoteReplica("office-1", number: 1)
        try await store.applyRemote([office.createVisit(Fixture.recordID(1), start: Fixture.day)], cursor: 1)
        let note = try await store.addNote(visit: Fixture.recordID(1), text: "mine")
        let own = try #require(try await store.localOperations().first)
        let outcome = try await store.applyRemote([own.operation], cursor: 2)
        #expect(outcome.acknowledgedOwn == 1)
        #expect(try await store.syncState(of: note.record) == .acknowledged)
        var forged = own.operation
        forged.id.counter = 7
        let state = try await store.canonicalState()
        await expectStoreError(.replicaDiverged) { try await store.applyRemote([forged], cursor: 3) }
        #expect(try await store.canonicalState() == state)
        #expect(try await store.verify().isConsistent)
    }
}
