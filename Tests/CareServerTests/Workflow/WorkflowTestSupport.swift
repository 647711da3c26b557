import CareModel
import CareServer
import Foundation
import Testing

/// Set-up shared by the care-workflow tests: a server whose monitors only run
/// when a test calls `tick()`, and the writes of a coordinator, a worker and a
/// safeguarding lead that the workflows react to.
extension TestServer {
    /// The server's test clock starts at 2026-01-01T00:00:00Z; visits here start at 09:00.
    static let visitStart: Int64 = 1_767_258_000_000

    /// Runs `body` on a server with `settings`, its monitors' own loop slowed
    /// to a day so that only the test's `tick()` calls run them.
    static func runWorkflows<Value: Sendable>(
        _ backend: TestBackend, settings: WorkflowSettings,
        _ body: @Sendable (TestServer) async throws -> Value
    ) async throws -> Value {
        try await run(backend, configure: { configuration in
            configuration.workflows = settings
            configuration.workflowIntervalSeconds = 86_400
        }, body)
    }

    var overdueMonitor: OverdueVisitMonitor { application.overdueMonitor }
    var reportMonitor: AbuseReportDeadlineMonitor { application.reportMonitor }

    /// Moves the server's clock to `millis` (forward only).
    func setClock(to millis: Int64) {
        clock.advance(millis: millis - clock.nowMillis())
    }

    /// The server's state of one record (its log reduced by the model).
    func state(of ref: RecordRef) async throws -> RecordState? {
        try await storage.state()[ref]
    }

    /// GET with a device's credential, expecting 200 and decoding the body.
    func get<Value: Decodable>(_ uri: String, as device: TestDevice, _ type: Value.Type = Value.self) async throws -> Value {
        let result = try await request(.get, uri, token: device.token)
        guard result.status == .ok else { throw TestServerError.unexpectedStatus(result.status, result.text) }
        return try result.decode(Value.self)
    }
}

extension WorkflowSettings {
    /// One contract for every team: 15 minutes late tolerance, 60 minutes to missed.
    static let tests = WorkflowSettings(
        defaultContract: CareContract(lateToleranceMinutes: 15, missedThresholdMinutes: 60, shortVisitPercent: 75),
        abuseReports: AbuseReportSettings(
            acknowledgementDeadlineMinutes: 60, safeguardingContacts: [WorkerID("lead-1")!, WorkerID("lead-2")!]))

    /// The due time of an overdue alert on a visit starting at ``TestServer/visitStart``.
    static let testDueAt = TestServer.visitStart + 15 * 60_000
}

extension TestDevice {
    /// A coordinator plans a visit of `team` from `start`, `minutes` long.
    mutating func planVisit(
        team: String = "north", start: Int64 = TestServer.visitStart, minutes: Int64 = 30, assigned: [String]
    ) throws -> (visit: RecordID, operation: ChainedOperation) {
        let id = Self.newRecordID()
        let operation = try write(
            RecordRef(kind: .visit, id: id), .create,
            [
                .set(Visit.Field.resident, "resident-1"), .set(Visit.Field.team, .string(team)),
                .set(Visit.Field.assignedWorkers, .list(assigned.map { .string($0) })),
                .set(Visit.Field.scheduledStart, .int(start)), .set(Visit.Field.scheduledEnd, .int(start + minutes * 60_000)),
            ])
        return (id, operation)
    }

    /// A worker checks in (or out) at `time` by their phone's clock.
    mutating func attend(_ visit: RecordID, _ field: String = Visit.Field.checkIns, at time: Int64) throws
        -> ChainedOperation
    {
        try write(RecordRef(kind: .visit, id: visit), .update, [.append(field, ["time": .int(time), "method": "nfc"])])
    }

    /// A coordinator confirms a visit missed, with the reason.
    mutating func markMissed(_ visit: RecordID, reason: String = "no_access") throws -> ChainedOperation {
        try write(
            RecordRef(kind: .visit, id: visit), .update,
            [.set(Visit.Field.markedMissed, true), .set(Visit.Field.markedMissedReason, .string(reason))])
    }

    /// A safeguarding lead moves a report's status on.
    mutating func setStatus(_ report: RecordID, _ status: String) throws -> ChainedOperation {
        try write(RecordRef(kind: .abuseReport, id: report), .update, [.set(AbuseReport.Field.status, .string(status))])
    }
}

/// The answer of `GET /v1/workflows/visits`, as a client reads it.
struct VisitListBody: Decodable {
    struct Item: Decodable {
        var visit: String
        var alert_outcome: String?
        var awaiting_confirmation: Bool
        var confirmed_missed: Bool
    }

    var visits: [Item]
}

/// The answer of `GET /v1/safeguarding/overdue-reports`.
struct OverdueReportsBody: Decodable {
    struct Item: Decodable {
        var report: String
        var escalation_level: Int
        var current_contact: String?
    }

    var reports: [Item]
}
