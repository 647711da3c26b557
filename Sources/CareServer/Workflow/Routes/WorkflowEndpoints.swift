import CareModel
import Foundation
import Hummingbird

/// The care-workflow lists:
/// - `GET /v1/workflows/visits?state=overdue|missed|late|short&from=&to=`:
///   a coordinator's teams' visits in that state (auditors: every team);
/// - `GET /v1/safeguarding/overdue-reports`: abuse reports past their
///   acknowledgement deadline, for safeguarding leads (and auditors) only.
///   Ids and times only, never report content.
struct WorkflowEndpoints: Sendable {
    let storage: any SyncStorage
    let settings: WorkflowSettings
    let clock: any WallClock
    let authenticator: DeviceAuthenticator

    /// The most visits one answer lists (it says `truncated` when there were more).
    static let maximumVisits = 5_000
    /// The longest `from`–`to` range, in days.
    static let maximumRangeDays: Int64 = 31

    func register(on registrar: RouteRegistrar<SyncRequestContext>) {
        registrar.on(.get, "/v1/workflows/visits") { request, _ in
            let worker = try await authenticator.authenticate(request).worker
            let teams: [TeamID]?
            if worker.roles.contains(.auditor) {
                teams = nil
            } else if worker.roles.contains(.coordinator) {
                teams = worker.teams
            } else {
                throw ServerError(
                    .coordinatorOnly, "only a coordinator (or an auditor) may list visits by state", status: .forbidden)
            }
            return try JSONResponse.encode(try await visits(request, teams: teams))
        }
        registrar.on(.get, "/v1/safeguarding/overdue-reports") { request, _ in
            let roles = try await authenticator.authenticate(request).worker.roles
            guard roles.contains(.safeguardingLead) || roles.contains(.auditor) else {
                throw ServerError(
                    .safeguardingOnly, "only a safeguarding lead (or an auditor) may list overdue abuse reports",
                    status: .forbidden)
            }
            return try JSONResponse.encode(try await overdueReports())
        }
    }

    private func visits(_ request: Request, teams: [TeamID]?) async throws -> VisitList {
        guard let name = request.uri.queryParameters["state"], let state = VisitWorkflowState(rawValue: String(name))
        else {
            throw ServerError(
                .invalidParameter,
                "state must be one of: \(VisitWorkflowState.allCases.map(\.rawValue).joined(separator: ", "))",
                field: "state", status: .badRequest)
        }
        let now = clock.nowMillis()
        let day: Int64 = 24 * 3_600_000
        let from = try Self.time(request, "from", default: now - 7 * day)
        let to = try Self.time(request, "to", default: now + day)
        guard from < to, to - from <= Self.maximumRangeDays * day else {
            throw ServerError(
                .invalidParameter, "from must be before to, at most \(Self.maximumRangeDays) days apart", field: "to",
                status: .badRequest)
        }
        let rows = try await storage.scheduledVisits(teams: teams, from: from, to: to, limit: Self.maximumVisits + 1)
        let listed = rows.prefix(Self.maximumVisits).compactMap { row -> VisitList.Item? in
            let contract = settings.contract(for: row.team)
            guard state.holds(for: row, contract: contract) else { return nil }
            return VisitList.Item(row, contract: contract, now: now)
        }
        return VisitList(state: state.rawValue, from: from, to: to, truncated: rows.count > Self.maximumVisits, visits: listed)
    }

    private func overdueReports() async throws -> ReportList {
        let now = clock.nowMillis()
        let response = settings.abuseReports
        let rows = try await storage.unacknowledgedReports(limit: Self.maximumVisits)
        return ReportList(
            reports: rows.compactMap { row in
                let dueAt = response.dueAt(receivedAt: row.receivedAt, level: 0)
                guard dueAt <= now else { return nil }
                let contacts = response.safeguardingContacts
                return ReportList.Item(
                    report: row.report.description, receivedAt: row.receivedAt, dueAt: dueAt,
                    escalationLevel: row.escalationLevel,
                    currentContact: row.escalationLevel > 0 && row.escalationLevel <= contacts.count
                        ? contacts[row.escalationLevel - 1].rawValue : nil,
                    nextEscalationAt: row.escalationLevel < contacts.count
                        ? response.dueAt(receivedAt: row.receivedAt, level: row.escalationLevel) : nil)
            })
    }

    /// A Unix-millisecond query parameter.
    static func time(_ request: Request, _ name: String, default value: Int64) throws -> Int64 {
        guard let text = request.uri.queryParameters[Substring(name)] else { return value }
        guard let time = Int64(String(text)), time >= 0 else {
            throw ServerError(.invalidParameter, "\(name) must be a time in Unix milliseconds", field: name, status: .badRequest)
        }
        return time
    }
}

/// The answer of `GET /v1/workflows/visits`.
struct VisitList: Encodable {
    struct Item: Encodable {
        var visit: String
        var team: String?
        var contract: String
        var scheduledStart: Int64?
        var scheduledStartLocal: String?
        var scheduledEnd: Int64?
        var checkInTime: Int64?
        var checkOutTime: Int64?
        var alertDueAt: Int64?
        var alertOutcome: String?
        var confirmedMissed: Bool
        var awaitingConfirmation: Bool

        init(_ row: ScheduledVisit, contract: CareContract, now: Int64) {
            visit = row.visit.description
            team = row.team?.rawValue
            self.contract = contract.id
            scheduledStart = row.scheduledStart
            scheduledStartLocal = row.scheduledStart.map { Self.local($0, in: contract.timeZone) }
            scheduledEnd = row.scheduledEnd
            checkInTime = row.checkInTime
            checkOutTime = row.checkOutTime
            alertDueAt = row.alertDueAt
            alertOutcome = row.alertOutcome?.rawValue
            confirmedMissed = row.confirmedMissed
            awaitingConfirmation = VisitWorkflowState.awaitsConfirmation(row, contract: contract, now: now)
        }

        /// `millis` as an ISO 8601 time in the contract's zone, e.g. `2026-01-01T09:00:00Z` or `…+01:00`.
        static func local(_ millis: Int64, in zone: TimeZone) -> String {
            Date.ISO8601FormatStyle(timeZone: zone).format(Date(timeIntervalSince1970: Double(millis) / 1_000))
        }

        enum CodingKeys: String, CodingKey {
            case visit, team, contract
            case scheduledStart = "scheduled_start", scheduledStartLocal = "scheduled_start_local"
            case scheduledEnd = "scheduled_end", checkInTime = "check_in_time", checkOutTime = "check_out_time"
            case alertDueAt = "alert_due_at", alertOutcome = "alert_outcome", confirmedMissed = "confirmed_missed"
            case awaitingConfirmation = "awaiting_confirmation"
        }
    }

    var state: String
    var from: Int64
    var to: Int64
    var truncated: Bool
    var visits: [Item]
}

/// The answer of `GET /v1/safeguarding/overdue-reports`.
struct ReportList: Encodable {
    struct Item: Encodable {
        var report: String
        var receivedAt: Int64
        var dueAt: Int64
        var escalationLevel: Int
        var currentContact: String?
        var nextEscalationAt: Int64?

        enum CodingKeys: String, CodingKey {
            case report
            case receivedAt = "received_at", dueAt = "due_at", escalationLevel = "escalation_level"
            case currentContact = "current_contact", nextEscalationAt = "next_escalation_at"
        }
    }

    var reports: [Item]
}
