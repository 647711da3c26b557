import CareModel
import Foundation
import Testing

@testable import CareStore

/// The upload queue: contiguous batches, abuse reports first, acknowledgements.
struct OutboxTests {
    let folder: TemporaryFolder
    let visitID = Fixture.recordID(1)

    init() throws { folder = try TemporaryFolder() }

    func store() async throws -> CareStore {
        let store = try await Fixture.open(folder)
        var office = RemoteReplica("office-1", number: 1)
        try await store.applyRemote([office.createVisit(visitID, start: Fixture.day)], cursor: 1)
        return store
    }

    func report(_ store: CareStore) async throws -> WriteReceipt {
        try await store.fileAbuseReport(
            AbuseReportDraft(
                incidentKind: "threatening", occurredAt: Fixture.day, involved: [.init(relationship: "visitor")],
                statement: "Threatened me.", severity: 3))
    }

    @Test("batches run in counter order from the oldest unacknowledged op, chained to the head")
    func contiguousBatches() async throws {
        let store = try await store()
        #expect(try await store.nextUploadBatch() == nil)
        for index in 0..<5 { try await store.addNote(visit: visitID, text: "note \(index)") }
        let batch = try #require(try await store.nextUploadBatch(limit: 3))
        #expect(batch.counters == 1...3)
        #expect(batch.abuseReportCount == 0)
        #expect(batch.operations[0].previous == .genesis)
        #expect(batch.operations[1].previous == batch.operations[0].hash)
        #expect(batch.pushRequest.head == batch.operations[2].hash)
        #expect(batch.pushRequest.operations.map(\.id.counter) == [1, 2, 3])
        try await store.markSent(batch)
        // Not acknowledged yet: the next batch starts at the same place again.
        #expect(try await store.nextUploadBatch(limit: 3)?.counters == 1...3)
        try await store.applyPushResults(batch.operations.map { OperationResult(id: $0.operation.id, status: .stored, sequence: 100 + $0.operation.id.counter) })
        let next = try #require(try await store.nextUploadBatch(limit: 3))
        #expect(next.counters == 4...5)
        #expect(next.operations[0].previous == batch.head)
        await expectStoreError(.invalidArgument) { try await store.nextUploadBatch(limit: 0) }
    }

    @Test("an abuse report goes up in the very next batch, ending at it")
    func abuseReportsFirst() async throws {
        let store = try await store()
        for index in 0..<5 { try await store.addNote(visit: visitID, text: "before \(index)") }
        let filed = try await report(store)
        for index in 0..<5 { try await store.addNote(visit: visitID, text: "after \(index)") }
        // Small batches would have put the report in the third push; it goes in the first.
        let first = try #require(try await store.nextUploadBatch(limit: 2))
        #expect(first.counters == 1...filed.operation.counter)
        #expect(first.abuseReportCount == 1)
        // With a large limit the batch still ends at the report: the smallest push holding it.
        #expect(try await store.nextUploadBatch(limit: 100)?.counters == 1...6)
        try await store.applyPushResults(first.operations.map { OperationResult(id: $0.operation.id, status: .stored, sequence: $0.operation.id.counter) })
        #expect(try await store.syncState(of: filed.record) == .acknowledged)
        #expect(try await store.nextUploadBatch(limit: 100)?.counters == 7...11)
    }

    @Test("acknowledging twice, or acknowledging unknown ops, changes nothing more")
    func idempotentAcknowledgement() async throws {
        let store = try await store()
        let note = try await store.addNote(visit: visitID, text: "n")
        let results = [OperationResult(id: note.operation, status: .duplicate, sequence: 4)]
        #expect(try await store.applyPushResults(results).acknowledged == 1)
        #expect(try await store.applyPushResults(results).acknowledged == 0)
        let stranger = Dot(replica: ReplicaID(uuid: UUIDValue(high: 1, low: 2)), counter: 1)
        #expect(try await store.applyPushResults([OperationResult(id: stranger, status: .stored, sequence: 1)]).acknowledged == 0)
        #expect(try await store.verify().isConsistent)
    }
}
