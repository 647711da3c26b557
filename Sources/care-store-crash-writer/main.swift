// care-store-crash-writer PATH SEED
//
// The child process of CareStoreTests' crash test. Opens (or creates) the store
// at PATH, makes sure one visit assigned to its worker is there, then performs
// store actions in a loop, chosen by a generator seeded with SEED. After each
// action returns, it writes one line to standard output with a single write:
//
//     <counter> <record kind> <record id>
//
// It never stops by itself: the test kills it with SIGKILL.
import CareModel
import CareStore
import Foundation

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("care-store-crash-writer: \(message)\n".utf8))
    exit(1)
}

let arguments = CommandLine.arguments
guard arguments.count == 3, let seed = UInt64(arguments[2]) else {
    fail("usage: care-store-crash-writer PATH SEED")
}
let worker = WorkerID("crash-worker")!
let identity = StoreIdentity(
    worker: worker, role: .careWorker, replica: ReplicaID("01900000-0000-7000-8000-00000000c0de")!,
    device: DeviceID("01900000-0000-7000-8000-00000000d0de")!)
let visit = RecordID("01900000-0000-7000-8000-000000000001")!
let scheduled: Int64 = 1_780_000_000_000

do {
    let store = try await CareStore.open(path: arguments[1], identity: identity)
    // The office's visit, the same operation every run (applying it again changes nothing).
    var office = LocalReplica(
        replica: ReplicaID("01900000-0000-7000-8000-0000000000ff")!,
        device: DeviceID("01900000-0000-7000-8000-0000000000fe")!, author: WorkerID("office-1")!)
    let create = try office.write(
        RecordRef(kind: .visit, id: visit), .create,
        [
            .set(Visit.Field.resident, "resident-1"), .set(Visit.Field.team, "team-a"),
            .set(Visit.Field.assignedWorkers, .list([.string(worker.rawValue)])),
            .set(Visit.Field.scheduledStart, .int(scheduled)), .set(Visit.Field.scheduledEnd, .int(scheduled + 3_600_000)),
        ], context: VersionVector(), physicalMillis: scheduled - 86_400_000)
    try await store.applyRemote([create.operation], cursor: 1)

    var random = SplitMix64(seed: seed)
    var note = try await store.visit(visit)?.notes.last?.id
    var report = try await store.abuseReports().first?.id
    while true {
        let receipt: WriteReceipt
        switch random.next() % 8 {
        case 0:
            receipt = try await store.checkIn(visit: visit, AttendanceEvidence(method: .nfc, tag: "tag-1"))
        case 1:
            receipt = try await store.checkOut(visit: visit, AttendanceEvidence(method: .gps, latitudeE6: 51_500_000, longitudeE6: -120_000))
        case 2:
            receipt = try await store.recordTasksDone(visit: visit, [TaskDone(task: "medication", quantity: 2)])
        case 3:
            if let note {
                receipt = try await store.amendNote(note, text: "amendment \(random.next())")
            } else {
                receipt = try await store.addNote(visit: visit, text: "note \(random.next())")
                note = receipt.record.id
            }
        case 4:
            receipt = try await store.addNote(visit: visit, text: String(repeating: "words ", count: Int(random.next() % 200)))
            note = receipt.record.id
        case 5:
            receipt = try await store.logMissedCall(visit: visit, reason: "no_access", details: "no answer")
        case 6 where report != nil:
            receipt = try await store.addSupplement(report: report!, text: "supplement \(random.next())")
        default:
            receipt = try await store.fileAbuseReport(
                AbuseReportDraft(
                    visit: visit, incidentKind: "verbal", occurredAt: scheduled,
                    involved: [.init(relationship: "family_member")], statement: "statement", severity: 2))
            report = receipt.record.id
        }
        FileHandle.standardOutput.write(
            Data("\(receipt.operation.counter) \(receipt.record.kind) \(receipt.record.id)\n".utf8))
    }
} catch {
    fail("\(error)")
}
