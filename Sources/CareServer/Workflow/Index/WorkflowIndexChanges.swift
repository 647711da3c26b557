public import CareModel

/// The schedule index and report deadline rows one batch changes, one per
/// visit and per report, gathered by ``IngestPlanner`` as it stores operations
/// and written by storage in the same transaction.
///
/// Cheap on the ingest path: an operation adds to it only when it writes one of
/// the few fields the workflows read (plan times, cancellation, missed marks,
/// check-ins and check-outs, alerts, report status, escalations).
public struct WorkflowIndexChanges: Sendable, Hashable {
    public private(set) var visits: [RecordID: VisitScheduleChange] = [:]
    public private(set) var reports: [RecordID: ReportDeadlineChange] = [:]

    public init() {}

    public var isEmpty: Bool { visits.isEmpty && reports.isEmpty }

    /// Adds what a stored `operation` changes; `visit` is its record's visit
    /// (for a missed call) from the record index.
    mutating func add(_ operation: Operation, visit: RecordID?, receivedAt: Int64) {
        switch operation.record.kind {
        case .visit:
            if let change = Self.visitChange(operation, receivedAt: receivedAt) { merge(change) }
        case .missedCall:
            guard let visit, operation.changes.contains(where: {
                $0.field == MissedCall.Field.confirmedByOffice && $0.value == .bool(true)
            }) else { return }
            var change = VisitScheduleChange(visit: visit)
            change.officeConfirmed = true
            merge(change)
        case .abuseReport:
            let status = operation.value(of: AbuseReport.Field.status)?.stringValue
            guard operation.action == .create || status != nil else { return }
            var change = reports[operation.record.id] ?? ReportDeadlineChange(report: operation.record.id)
            if operation.action == .create { change.receivedAt = change.receivedAt ?? receivedAt }
            if let status, let rank = AbuseReport.statuses.firstIndex(of: status) {
                change.statusRank = max(change.statusRank, Int64(rank))
            }
            reports[operation.record.id] = change
        case .abuseEscalation:
            guard let report = AbuseEscalation.report(of: operation),
                let level = operation.value(of: AbuseEscalation.Field.level)?.intValue
            else { return }
            var change = reports[report] ?? ReportDeadlineChange(report: report)
            change.escalationLevel = max(change.escalationLevel, level)
            reports[report] = change
        default:
            return
        }
    }

    /// Folds the changes of a later batch into these, by the rules the tables'
    /// conflict clauses apply (``VisitScheduleChange/merge(_:)``,
    /// ``ReportDeadlineChange/merge(_:)``): writing the result leaves the rows
    /// as writing these and then `later` would.
    mutating func merge(_ later: WorkflowIndexChanges) {
        for change in later.visits.values {
            merge(change)
        }
        for change in later.reports.values {
            if var current = reports[change.report] {
                current.merge(change)
                reports[change.report] = current
            } else {
                reports[change.report] = change
            }
        }
    }

    private mutating func merge(_ change: VisitScheduleChange) {
        if var current = visits[change.visit] {
            current.merge(change)
            visits[change.visit] = current
        } else {
            visits[change.visit] = change
        }
    }

    /// The index fields `operation` (on a visit) writes, or nil when it writes none.
    private static func visitChange(_ operation: Operation, receivedAt: Int64) -> VisitScheduleChange? {
        var change = VisitScheduleChange(visit: operation.record.id)
        var touched = false
        let stamp = IndexStamp(operation)
        for item in operation.changes {
            switch item.field {
            case Visit.Field.team:
                change.team = item.value.stringValue.flatMap(TeamID.init)
            case Visit.Field.scheduledStart:
                change.scheduledStart = item.value.intValue.map { Stamped($0, stamp: stamp) }
            case Visit.Field.scheduledEnd:
                change.scheduledEnd = item.value.intValue.map { Stamped($0, stamp: stamp) }
            case Visit.Field.cancelled:
                change.cancelled = Stamped(item.value == .bool(true), stamp: stamp)
            case Visit.Field.markedMissed:
                change.markedMissed = Stamped(item.value == .bool(true), stamp: stamp)
            case Visit.Field.checkIns:
                let time = item.value["time"]?.intValue ?? operation.deviceTime
                change.checkInTime = min(change.checkInTime ?? time, time)
                change.checkInReceivedAt = receivedAt
            case Visit.Field.checkOuts:
                let time = item.value["time"]?.intValue ?? operation.deviceTime
                change.checkOutTime = min(change.checkOutTime ?? time, time)
            case Visit.Field.alerts:
                change.alertDueAt = item.value["due_at"]?.intValue
                change.alertState = max(change.alertState, .raised)
            case Visit.Field.alertOutcomes:
                change.alertState = .resolved
                change.alertOutcome = item.value["outcome"]?.stringValue.flatMap(Visit.Alert.Outcome.init)
            default:
                continue
            }
            touched = true
        }
        return touched ? change : nil
    }
}
