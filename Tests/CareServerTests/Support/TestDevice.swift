import CareModel
import CareServer
import Hummingbird
import Foundation

/// An enrolled device: its credential and its replica, writing operations with
/// CareModel's ``LocalReplica`` as the device store would.
struct TestDevice: Sendable {
    /// The signing key of every test device (its public key is ``TestServer/publicKey``).
    static let signer = try! ChainHeadSigner(rawRepresentation: [UInt8](repeating: 7, count: 32))

    let enrolment: EnrolmentResponse
    var replica: LocalReplica
    private(set) var now: Int64 = 1_767_225_600_000

    init(enrolment: EnrolmentResponse) {
        self.enrolment = enrolment
        self.replica = LocalReplica(replica: enrolment.replica, device: enrolment.device, author: enrolment.worker)
    }

    var token: String { enrolment.token }
    var worker: WorkerID { enrolment.worker }

    static func newRecordID() -> RecordID {
        var generator = SystemRandomNumberGenerator()
        return RecordID(uuid: .version7(unixMillis: 1_767_225_600_000, using: &generator))
    }

    mutating func write(_ record: RecordRef, _ action: Action, _ changes: [Change]) throws -> ChainedOperation {
        now += 1_000
        return try replica.write(record, action, changes, context: VersionVector(), physicalMillis: now)
    }

    /// A coordinator plans a visit.
    mutating func createVisit(team: String, resident: String = "resident-1", assigned: [String]) throws
        -> (visit: RecordID, operation: ChainedOperation)
    {
        let id = Self.newRecordID()
        let operation = try write(
            RecordRef(kind: .visit, id: id), .create,
            [
                .set(Visit.Field.resident, .string(resident)), .set(Visit.Field.team, .string(team)),
                .set(Visit.Field.assignedWorkers, .list(assigned.map { .string($0) })),
                .set(Visit.Field.scheduledStart, .int(1_767_258_000_000)),
                .set(Visit.Field.scheduledEnd, .int(1_767_259_800_000)),
            ])
        return (id, operation)
    }

    /// A coordinator reassigns a visit.
    mutating func assign(_ visit: RecordID, to workers: [String]) throws -> ChainedOperation {
        try write(
            RecordRef(kind: .visit, id: visit), .update,
            [.set(Visit.Field.assignedWorkers, .list(workers.map { .string($0) }))])
    }

    /// A worker checks in.
    mutating func checkIn(_ visit: RecordID) throws -> ChainedOperation {
        try write(
            RecordRef(kind: .visit, id: visit), .update,
            [.append(Visit.Field.checkIns, ["time": .int(now), "method": "manual"])])
    }

    /// A note on a visit.
    mutating func note(on visit: RecordID, _ text: String = "Had lunch, in good spirits.") throws
        -> (note: RecordID, operation: ChainedOperation)
    {
        let id = Self.newRecordID()
        let operation = try write(
            RecordRef(kind: .visitNote, id: id), .create,
            [.set(VisitNote.Field.visit, .string(visit.description)), .set(VisitNote.Field.text, .string(text))])
        return (id, operation)
    }

    /// A missed call on a visit.
    mutating func missedCall(on visit: RecordID) throws -> ChainedOperation {
        try write(
            RecordRef(kind: .missedCall, id: Self.newRecordID()), .create,
            [.set(MissedCall.Field.visit, .string(visit.description)), .set(MissedCall.Field.reason, "no_access")])
    }

    /// A zero-tolerance abuse report.
    mutating func abuseReport(visit: RecordID? = nil) throws -> (report: RecordID, operation: ChainedOperation) {
        let id = Self.newRecordID()
        var changes: [Change] = [
            .set(AbuseReport.Field.incidentKind, "verbal"), .set(AbuseReport.Field.occurredAt, .int(now)),
            .set(AbuseReport.Field.involved, [["relationship": "family_member"]]),
            .set(AbuseReport.Field.statement, "Shouted at me at the door."), .set(AbuseReport.Field.severity, 2),
        ]
        if let visit { changes.append(.set(AbuseReport.Field.visit, .string(visit.description))) }
        return (id, try write(RecordRef(kind: .abuseReport, id: id), .create, changes))
    }

    /// The next operation this replica would write, built by hand (not
    /// validated, not counted): for pushing operations the model would refuse.
    func unvalidated(
        counter: UInt64? = nil, record: RecordRef, action: Action = .update, changes: [Change]
    ) -> CareModel.Operation {
        CareModel.Operation(
            id: Dot(replica: enrolment.replica, counter: counter ?? replica.lastCounter + 1), record: record,
            action: action, changes: changes, context: VersionVector(), timestamp: HLCTimestamp(wallMillis: now + 500),
            deviceTime: now + 500, author: enrolment.worker, device: enrolment.device)
    }

    /// A push of `operations`, with the chain head after the last and the
    /// device's signature over it if `head` is set (neither if not).
    func pushRequest(_ operations: [ChainedOperation], head: Bool = true) -> PushRequest {
        PushRequest(
            replica: enrolment.replica, operations: operations.map(\.operation),
            head: head ? operations.last?.hash : nil
        ).signed(by: Self.signer)
    }

    /// A signed push of hand-made `operations`, chained after `previous` (the
    /// hash the server holds before the first of them).
    func pushRequest(_ operations: [CareModel.Operation], after previous: OperationHash) -> PushRequest {
        var head = previous
        for operation in operations { head = ChainedOperation(operation, after: head).hash }
        return PushRequest(replica: enrolment.replica, operations: operations, head: head).signed(by: Self.signer)
    }
}
