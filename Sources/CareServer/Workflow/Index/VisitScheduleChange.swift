public import CareModel

/// What one batch changes in a visit's row of the schedule index
/// (`visit_schedule`, migration v4): only the fields the workflows read. Nil
/// members change nothing; storage merges the rest into the row with the same
/// rules as ``merge(_:)`` (registers by stamp, check-in and check-out times by
/// minimum, flags and alert state only rise).
public struct VisitScheduleChange: Sendable, Hashable {
    public var visit: RecordID
    /// Set by the visit's create.
    public var team: TeamID?
    public var scheduledStart: Stamped<Int64>?
    public var scheduledEnd: Stamped<Int64>?
    public var cancelled: Stamped<Bool>?
    public var markedMissed: Stamped<Bool>?
    /// A missed call on the visit was confirmed by the office.
    public var officeConfirmed = false
    /// The earliest check-in time a device recorded (its own clock), Unix ms.
    public var checkInTime: Int64?
    /// When the server received the first check-in, Unix ms.
    public var checkInReceivedAt: Int64?
    /// The earliest check-out time a device recorded, Unix ms.
    public var checkOutTime: Int64?
    /// The due time of the overdue alert the server raised.
    public var alertDueAt: Int64?
    /// Where the visit's alert stands.
    public var alertState: AlertState = .none
    /// The outcome recorded when the alert was resolved.
    public var alertOutcome: Visit.Alert.Outcome?

    public init(visit: RecordID) {
        self.visit = visit
    }

    /// Where a visit's overdue alert stands; it only moves up.
    public enum AlertState: Int, Sendable, Hashable, Comparable {
        case none = 0
        case raised = 1
        case resolved = 2

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Folds a later change (of the same batch) into this one.
    mutating func merge(_ later: VisitScheduleChange) {
        team = team ?? later.team
        scheduledStart.mergeStamped(later.scheduledStart)
        scheduledEnd.mergeStamped(later.scheduledEnd)
        cancelled.mergeStamped(later.cancelled)
        markedMissed.mergeStamped(later.markedMissed)
        officeConfirmed = officeConfirmed || later.officeConfirmed
        checkInTime = [checkInTime, later.checkInTime].compactMap { $0 }.min()
        checkInReceivedAt = checkInReceivedAt ?? later.checkInReceivedAt
        checkOutTime = [checkOutTime, later.checkOutTime].compactMap { $0 }.min()
        alertDueAt = later.alertDueAt ?? alertDueAt
        alertState = max(alertState, later.alertState)
        alertOutcome = alertOutcome ?? later.alertOutcome
    }
}

/// What one batch changes in an abuse report's row of `report_deadlines` (migration v4).
public struct ReportDeadlineChange: Sendable, Hashable {
    public var report: RecordID
    /// The server receive time of the report's create: its deadlines run from it.
    public var receivedAt: Int64?
    /// The report's status, as its rank in ``AbuseReport/statuses`` (0 = submitted).
    public var statusRank: Int64 = 0
    /// The highest escalation level written for it.
    public var escalationLevel: Int64 = 0

    public init(report: RecordID) {
        self.report = report
    }

    /// Folds a later change into this one, by `report_deadlines`' conflict
    /// rules: the first receive time, the highest status and escalation.
    mutating func merge(_ later: ReportDeadlineChange) {
        receivedAt = receivedAt ?? later.receivedAt
        statusRank = max(statusRank, later.statusRank)
        escalationLevel = max(escalationLevel, later.escalationLevel)
    }
}
