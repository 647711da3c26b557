import CareModel
@testable import CareStore
@testable import CareSyncClient
import Crypto
import Testing

/// The engine's check of a push answer's receipts, one rule at a time: an
/// operation counts as acknowledged only with a receipt signed by the trusted
/// key that names the operation, the hash this device computed, and the
/// sequence the result states. The answers are signed with real keys; what
/// each case changes is what a faulty or lying server could send.
@Suite("Receipt checks of a push answer")
struct ReceiptCheckTests {
    static let serverKey = try! Curve25519.Signing.PrivateKey(rawRepresentation: [UInt8](repeating: 5, count: 32))
    static let trusted = ServerPublicKey(serverKey.publicKey)

    /// A batch of three operations of one replica: a visit planned, then two check-ins.
    static let batch: UploadBatch = {
        var writer = LocalReplica(
            replica: ReplicaID(uuid: UUIDValue(high: 0x0190_0000_0000_7001, low: 0x8000_0000_0000_0001)),
            device: DeviceID(uuid: UUIDValue(high: 0x0190_0000_0000_7001, low: 0x9000_0000_0000_0001)),
            author: WorkerID("coord-1")!)
        let visit = RecordRef(kind: .visit, id: RecordID(uuid: UUIDValue(high: 0x0191_0000_0000_7001, low: 1)))
        let start: Int64 = 1_767_225_600_000
        let plan: [Change] = [
            .set(Visit.Field.resident, "r-101"), .set(Visit.Field.team, "north"),
            .set(Visit.Field.assignedWorkers, ["w-ana"]), .set(Visit.Field.scheduledStart, .int(start)),
            .set(Visit.Field.scheduledEnd, .int(start + 1_800_000)),
        ]
        var operations = [try! writer.write(visit, .create, plan, context: VersionVector(), physicalMillis: start)]
        for minute in 1...2 {
            let checkIn = Change.append(Visit.Field.checkIns, ["time": .int(start + Int64(minute) * 60_000), "method": "nfc"])
            let context = VersionVector(Dictionary(uniqueKeysWithValues: [(writer.replica, writer.lastCounter)]))
            operations.append(try! writer.write(visit, .update, [checkIn], context: context, physicalMillis: start + 1))
        }
        return UploadBatch(replica: writer.replica, operations: operations, abuseReportCount: 0)
    }()

    /// What an honest server answers: every operation stored at sequences 41,
    /// 42, 43, with a receipt entry for each, signed by the trusted key.
    static func honestAnswer() -> (results: [OperationResult], entries: [ReceiptEntry]) {
        let results = batch.operations.enumerated().map { offset, chained in
            OperationResult(id: chained.operation.id, status: .stored, sequence: 41 + UInt64(offset))
        }
        let entries = batch.operations.enumerated().map { offset, chained in
            ReceiptEntry(
                replica: batch.replica, counter: chained.operation.id.counter, hash: chained.hash,
                sequence: 41 + UInt64(offset), receivedAt: 1_767_225_700_000)
        }
        return (results, entries)
    }

    static func answer(_ results: [OperationResult], signing entries: [ReceiptEntry]) -> PushResponse {
        PushResponse(results: results, receipts: ReceiptBatch(signing: entries, with: serverKey))
    }

    @Test("an honest answer acknowledges every operation and keeps one verified receipt each")
    func honest() throws {
        let (results, entries) = Self.honestAnswer()
        let checked = SyncEngine.check(Self.answer(results, signing: entries), of: Self.batch, key: Self.trusted)
        #expect(checked.results == results)
        #expect(checked.refused == 0)
        #expect(checked.problem == nil)
        #expect(checked.receipts.map(\.entry) == entries)
        for receipt in checked.receipts { try receipt.verify(with: Self.trusted) }
    }

    @Test("a receipt naming another hash leaves that operation unacknowledged: receipt_mismatch")
    func otherHash() {
        var (results, entries) = Self.honestAnswer()
        // Signed correctly, but for other content than this device wrote.
        entries[1].hash = Self.batch.operations[0].hash
        let checked = SyncEngine.check(Self.answer(results, signing: entries), of: Self.batch, key: Self.trusted)
        #expect(checked.refused == 1)
        #expect(checked.problem == "receipt_mismatch")
        #expect(checked.results.map(\.id.counter) == [1, 3])
        #expect(checked.receipts.map(\.entry.counter) == [1, 3])
        results.remove(at: 1)
        #expect(checked.results == results)
    }

    @Test("a receipt whose sequence is not the result's leaves that operation unacknowledged: receipt_mismatch")
    func otherSequence() {
        let honest = Self.honestAnswer()
        var results = honest.results
        results[2].sequence = 99
        let checked = SyncEngine.check(Self.answer(results, signing: honest.entries), of: Self.batch, key: Self.trusted)
        #expect(checked.refused == 1)
        #expect(checked.problem == "receipt_mismatch")
        #expect(checked.results.map(\.id.counter) == [1, 2])
    }

    @Test("a stored result without a receipt is not acknowledged: receipt_mismatch")
    func missingReceipt() {
        let (results, entries) = Self.honestAnswer()
        let checked = SyncEngine.check(
            Self.answer(results, signing: Array(entries.prefix(2))), of: Self.batch, key: Self.trusted)
        #expect(checked.refused == 1)
        #expect(checked.problem == "receipt_mismatch")
        #expect(checked.receipts.map(\.entry.counter) == [1, 2])

        let unsigned = SyncEngine.check(PushResponse(results: results), of: Self.batch, key: Self.trusted)
        #expect(unsigned.refused == 3)
        #expect(unsigned.problem == "receipt_mismatch")
        #expect(unsigned.results.isEmpty)
        #expect(unsigned.receipts.isEmpty)
    }

    @Test("a receipt signed by another key refuses all it covers: receipt_signature_invalid, not receipt_mismatch")
    func otherKey() throws {
        let (results, entries) = Self.honestAnswer()
        let impostor = Curve25519.Signing.PrivateKey()
        let answer = PushResponse(results: results, receipts: ReceiptBatch(signing: entries, with: impostor))
        let checked = SyncEngine.check(answer, of: Self.batch, key: Self.trusted)
        #expect(checked.refused == 3)
        #expect(checked.problem == "receipt_signature_invalid")
        #expect(checked.receipts.isEmpty)
    }

    @Test("rejected results pass through without a receipt; a store that trusts no key applies every result")
    func rejectedAndKeyless() {
        var (results, entries) = Self.honestAnswer()
        results[2] = OperationResult(
            id: results[2].id, status: .rejected, error: ErrorBody(code: "access_denied", message: "not assigned"))
        entries.removeLast()
        let checked = SyncEngine.check(Self.answer(results, signing: entries), of: Self.batch, key: Self.trusted)
        #expect(checked.refused == 0)
        #expect(checked.problem == nil)
        #expect(checked.results == results)
        #expect(checked.receipts.count == 2)

        let keyless = SyncEngine.check(PushResponse(results: results), of: Self.batch, key: nil)
        #expect(keyless.results == results)
        #expect(keyless.receipts.isEmpty)
        #expect(keyless.refused == 0)
    }
}
