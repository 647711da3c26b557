public import CareModel
import Hummingbird

/// Which quarantined operations a reader may list (see `GET /v1/quarantine`):
/// anything about an abuse report only to safeguarding leads and auditors;
/// visits, notes and missed calls to the coordinators of the visit's team;
/// every row to auditors. Admins see the rows that are not abuse reports,
/// without their content (the endpoint leaves it out).
public struct QuarantineScope: Sendable, Hashable {
    /// Every row (auditors).
    public var everything = false
    /// Rows about abuse reports (safeguarding leads).
    public var abuseReports = false
    /// Every row that is not about an abuse report, whatever its team (admins).
    public var careRecords = false
    /// Rows about visits, notes and missed calls of these teams (coordinators).
    public var teams: [TeamID] = []

    public init(everything: Bool = false, abuseReports: Bool = false, careRecords: Bool = false, teams: [TeamID] = []) {
        self.everything = everything
        self.abuseReports = abuseReports
        self.careRecords = careRecords
        self.teams = teams
    }

    /// What `worker`'s roles let them list: nil when none lets them list any.
    public static func of(_ worker: Worker) -> QuarantineScope? {
        var scope = QuarantineScope()
        scope.everything = worker.roles.contains(.auditor)
        scope.abuseReports = worker.roles.contains(.safeguardingLead)
        if worker.roles.contains(.coordinator) { scope.teams = worker.teams }
        return scope.everything || scope.abuseReports || !scope.teams.isEmpty ? scope : nil
    }

    /// The record kinds a coordinator reviews for their team.
    static let teamKinds: [RecordKind] = [.visit, .visitNote, .missedCall]

    /// Whether a row about `record` of `team` is in the scope (what the storage's query selects).
    public func includes(_ record: RecordRef, team: TeamID?) -> Bool {
        if everything { return true }
        if record.kind == .abuseReport { return abuseReports }
        if careRecords { return true }
        guard let team, Self.teamKinds.contains(record.kind) else { return false }
        return teams.contains(team)
    }
}

/// One quarantined operation as listed, with its row id (the listing's cursor).
public struct QuarantineRow: Sendable, Hashable {
    public var id: Int64
    public var operation: QuarantinedOperation

    public init(id: Int64, operation: QuarantinedOperation) {
        self.id = id
        self.operation = operation
    }
}

extension QuarantineRow {
    /// A row as the storage backends read it; throws when a stored id is malformed.
    init(
        id: Int64, replica: String, counter: Int64, device: String, worker: String, kind: String, record: String,
        visit: String?, team: String?, code: String, message: String, receivedAt: Int64, body: [UInt8]
    ) throws {
        guard let replicaID = ReplicaID(replica), let deviceID = DeviceID(device), let recordID = RecordID(record) else {
            throw ServerError(.internalError, "quarantine row \(id) holds a malformed id", status: .internalServerError)
        }
        self.init(
            id: id,
            operation: QuarantinedOperation(
                id: Dot(replica: replicaID, counter: UInt64(counter)), device: deviceID,
                worker: WorkerID(unchecked: worker), record: RecordRef(kind: RecordKind(rawValue: kind), id: recordID),
                visit: visit.flatMap(RecordID.init), team: team.flatMap(TeamID.init), code: code, message: message,
                receivedAt: receivedAt, body: body))
    }
}
