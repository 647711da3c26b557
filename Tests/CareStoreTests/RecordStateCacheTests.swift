import CareModel
import Foundation
import GRDB
import Testing

@testable import CareStore

/// The record-state cache must never change what the store computes: after
/// remote pages, concurrent writers, a reopen or a wipe, the tables equal the
/// reducer's state over the op log, and every local write's causal context
/// covers every operation the log holds on its record.
struct RecordStateCacheTests {
    let folder: TemporaryFolder
    let visitID = Fixture.recordID(1)
    let visitRef = RecordRef(kind: .visit, id: Fixture.recordID(1))

    init() throws { folder = try TemporaryFolder() }

    /// Every operation in the store's log, decoded.
    func loggedOperations(_ store: CareStore) async throws -> [CareModel.Operation] {
        try await store.pool.read { db in
            try Data.fetchAll(db, sql: "SELECT body FROM operation").map(OperationLog.decode)
        }
    }

    /// The store's tables against the reducer over its whole op log.
    /// (`verify` also checks the replica's chain, which a wipe leaves without its
    /// operations, so it is skipped there.)
    func expectMatchesReducer(
        _ store: CareStore, _ context: String, verify: Bool = true, sourceLocation: SourceLocation = #_sourceLocation
    ) async throws {
        let reference = try CareState(reducing: try await loggedOperations(store))
        #expect(try await store.canonicalState() == reference.canonicalBytes(), "\(context)", sourceLocation: sourceLocation)
        if verify {
            #expect(try await store.verify().isConsistent, "\(context)", sourceLocation: sourceLocation)
        }
    }

    /// The operation of a local write.
    func operation(_ store: CareStore, _ receipt: WriteReceipt) async throws -> CareModel.Operation {
        try await store.localOperations(from: receipt.operation.counter, limit: 1)[0].operation
    }

    func storeWithVisit(_ office: inout RemoteReplica) async throws -> CareStore {
        let store = try await Fixture.open(folder)
        try await store.applyRemote([office.createVisit(visitID, start: Fixture.day)], cursor: 1)
        return store
    }

    @Test("a write after a remote page has the page's operations in its context")
    func writeAfterRemotePageSeesIt() async throws {
        var office = RemoteReplica("office-1", number: 1)
        let store = try await storeWithVisit(&office)
        try await store.checkIn(visit: visitID, AttendanceEvidence(method: .nfc))
        #expect(store.states.count > 0, "the check-in's state is cached")
        // The office changes the visit; the cached state no longer covers the log.
        let remote = try office.write(visitRef, .update, [.set(Visit.Field.riskFlag, "dog in house")])
        try await store.applyRemote([remote], cursor: 2)
        try await expectMatchesReducer(store, "after the page")
        let checkOut = try await store.checkOut(visit: visitID, AttendanceEvidence(method: .manual))
        let written = try await operation(store, checkOut)
        #expect(written.context[remote.id.replica] >= remote.id.counter)
        #expect(written.context[store.identity.replica] == 1)
        #expect(try await store.visit(visitID)?.summary.riskFlag == "dog in house")
        try await expectMatchesReducer(store, "after the check-out")
    }

    @Test("pages that extend cached records, in any order with repeats, give the reducer's state")
    func pagesExtendCachedStates() async throws {
        var office = RemoteReplica("office-1", number: 1)
        var colleague = RemoteReplica(Fixture.otherWorker.rawValue, number: 2)
        let store = try await storeWithVisit(&office)
        try colleague.see(try await loggedOperations(store))
        var random = SplitMix64(seed: 7)
        var sent: [CareModel.Operation] = []
        for round in 0..<12 {
            try await store.recordTasksDone(visit: visitID, [TaskDone(task: "task \(round)")])
            var page = [
                try colleague.write(visitRef, .update, [.append(Visit.Field.checkIns, ["time": .int(Fixture.day), "method": "qr"])]),
                try office.write(visitRef, .update, [.set(Visit.Field.riskFlag, .string("flag \(round)"))]),
            ]
            if let old = sent.randomElement(using: &random) { page.append(old) }
            page.shuffle(using: &random)
            sent += page
            try await store.applyRemote(page, cursor: UInt64(round + 2))
            try await expectMatchesReducer(store, "round \(round)")
        }
        let last = try await store.checkOut(visit: visitID, AttendanceEvidence(method: .manual))
        let written = try await operation(store, last)
        for remote in sent {
            #expect(written.context[remote.id.replica] >= remote.id.counter)
        }
    }

    @Test("another store instance writing the same file never makes the cache serve a stale state")
    func otherWriterOnTheSameFile() async throws {
        var office = RemoteReplica("office-1", number: 1)
        let first = try await storeWithVisit(&office)
        try await first.checkIn(visit: visitID, AttendanceEvidence(method: .nfc))
        let second = try await Fixture.open(folder)
        let theirs = try await second.recordTasksDone(visit: visitID, [TaskDone(task: "meal")])
        // `first` still holds the state before `second`'s write.
        let ours = try await first.checkOut(visit: visitID, AttendanceEvidence(method: .manual))
        let written = try await operation(first, ours)
        #expect(written.context[first.identity.replica] >= theirs.operation.counter)
        try await expectMatchesReducer(first, "after writes through two instances")
    }

    @Test("concurrent writers on the same records give the reducer's state, each write seeing the ones before")
    func concurrentWriters() async throws {
        var office = RemoteReplica("office-1", number: 1)
        let store = try await storeWithVisit(&office)
        let note = try await store.addNote(visit: visitID, text: "first")
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<24 {
                group.addTask {
                    switch index % 4 {
                    case 0: try await store.checkIn(visit: visitID, AttendanceEvidence(method: .nfc))
                    case 1: try await store.recordTasksDone(visit: visitID, [TaskDone(task: "task \(index)")])
                    case 2: try await store.amendNote(note.record.id, text: "amendment \(index)")
                    default:
                        var remote = RemoteReplica("office-\(index)", number: UInt64(100 + index))
                        let operation = try remote.write(
                            visitRef, .update, [.set(Visit.Field.riskFlag, .string("flag \(index)"))])
                        try await store.applyRemote([operation], cursor: UInt64(index))
                    }
                }
            }
            try await group.waitForAll()
        }
        try await expectMatchesReducer(store, "after concurrent writers")
        // Local writes are serialized: each one's context holds every local
        // write on the same record before it.
        var lastOnRecord: [RecordRef: UInt64] = [:]
        for chained in try await store.localOperations() {
            let operation = chained.operation
            if let previous = lastOnRecord[operation.record] {
                #expect(operation.context[store.identity.replica] == previous)
            }
            lastOnRecord[operation.record] = operation.id.counter
        }
    }

    @Test("after a reopen, writes carry on from the log (the cache starts empty)")
    func reopen() async throws {
        var office = RemoteReplica("office-1", number: 1)
        let store = try await storeWithVisit(&office)
        try await store.checkIn(visit: visitID, AttendanceEvidence(method: .nfc))
        try store.close()
        let reopened = try await Fixture.open(folder)
        #expect(reopened.states.count == 0)
        let remote = try office.write(visitRef, .update, [.set(Visit.Field.cancelled, true)])
        try await reopened.applyRemote([remote], cursor: 2)
        let receipt = try await reopened.checkOut(visit: visitID, AttendanceEvidence(method: .manual))
        let written = try await operation(reopened, receipt)
        #expect(written.context[reopened.identity.replica] == 1)
        #expect(written.context[remote.id.replica] >= remote.id.counter)
        try await expectMatchesReducer(reopened, "after the reopen")
    }

    @Test("a forced wipe empties the cache with the tables")
    func forcedWipe() async throws {
        var office = RemoteReplica("office-1", number: 1)
        let store = try await storeWithVisit(&office)
        try await store.checkIn(visit: visitID, AttendanceEvidence(method: .nfc))
        #expect(store.states.count > 0)
        try await store.signOut(.wipe, force: true)
        #expect(store.states.count == 0)
        #expect(try await store.canonicalState().isEmpty)
        try await expectMatchesReducer(store, "after the wipe", verify: false)
        #expect(try await store.scalar("SELECT count(*) FROM record") == 0)
        await expectStoreError(.signedOut) {
            try await store.checkOut(visit: visitID, AttendanceEvidence(method: .manual))
        }
    }

    @Test("a refused write leaves no state behind: the next write sees everything in the log")
    func refusedWrite() async throws {
        let store = try await Fixture.open(folder)
        let report = try await store.fileAbuseReport(
            AbuseReportDraft(
                visit: nil, incidentKind: "verbal", occurredAt: Fixture.day, involved: [.init(relationship: "visitor")],
                statement: "s", severity: 1))
        let reportRef = RecordRef(kind: .abuseReport, id: report.record.id)
        // Refused after the report's state was taken from the cache.
        await expectStoreError(.invalidTransition) {
            try await store.changeAbuseReportStatus(report.record.id, to: AbuseReport.statuses[0])
        }
        var lead = RemoteReplica("lead-1", number: 3)
        let acknowledged = try lead.write(reportRef, .update, [.set(AbuseReport.Field.status, "acknowledged")])
        try await store.applyRemote([acknowledged], cursor: 1)
        let receipt = try await store.addSupplement(report: report.record.id, text: "more")
        let written = try await operation(store, receipt)
        #expect(written.context[acknowledged.id.replica] == acknowledged.id.counter)
        #expect(written.context[store.identity.replica] == report.operation.counter)
        try await expectMatchesReducer(store, "after a refused write")
    }

    @Test("entries are kept only when their transaction commits, and no more than the capacity")
    func commitOnlyAndCapacity() async throws {
        var office = RemoteReplica("office-1", number: 1)
        let store = try await Fixture.open(folder)
        let refs = (1...10).map { RecordRef(kind: .visit, id: Fixture.recordID(UInt64($0))) }
        try await store.applyRemote(
            try refs.map { try office.createVisit($0.id, start: Fixture.day) }, cursor: 1)
        let cache = RecordStateCache(capacity: 4)
        struct Rollback: Error {}
        await #expect(throws: Rollback.self) {
            try await store.pool.write(handingOverTo: cache) { db in
                cache.keep([try cache.take(refs[0], db)])
                throw Rollback()
            }
        }
        #expect(cache.count == 0)
        let expected = try CareState(reducing: try await loggedOperations(store))
        try await store.pool.write(handingOverTo: cache) { db in
            for ref in refs {
                let state = try cache.take(ref, db)
                #expect(state[ref] == expected[ref])
                cache.keep([state])
            }
        }
        #expect(cache.count <= 4)
        #expect(cache.count > 0)
        try await store.pool.write { db in
            for ref in refs {
                let state = try cache.take(ref, db)
                #expect(state[ref] == expected[ref])
            }
        }
    }
}
