public import CareModel

/// A visit's row of the schedule index, as the workflows read it.
public struct ScheduledVisit: Sendable, Hashable {
    public var visit: RecordID
    public var team: TeamID?
    public var scheduledStart: Int64?
    public var scheduledEnd: Int64?
    public var cancelled: Bool
    /// Marked missed on the visit, or a missed call confirmed by the office.
    public var confirmedMissed: Bool
    public var checkInTime: Int64?
    public var checkInReceivedAt: Int64?
    public var checkOutTime: Int64?
    public var alertDueAt: Int64?
    public var alertState: VisitScheduleChange.AlertState
    public var alertOutcome: Visit.Alert.Outcome?

    public init(
        visit: RecordID, team: TeamID?, scheduledStart: Int64?, scheduledEnd: Int64?, cancelled: Bool,
        confirmedMissed: Bool, checkInTime: Int64?, checkInReceivedAt: Int64?, checkOutTime: Int64?, alertDueAt: Int64?,
        alertState: VisitScheduleChange.AlertState, alertOutcome: Visit.Alert.Outcome?
    ) {
        self.visit = visit
        self.team = team
        self.scheduledStart = scheduledStart
        self.scheduledEnd = scheduledEnd
        self.cancelled = cancelled
        self.confirmedMissed = confirmedMissed
        self.checkInTime = checkInTime
        self.checkInReceivedAt = checkInReceivedAt
        self.checkOutTime = checkOutTime
        self.alertDueAt = alertDueAt
        self.alertState = alertState
        self.alertOutcome = alertOutcome
    }
}

/// An abuse report's row of `report_deadlines`: no content, only times and counts.
public struct ReportDeadline: Sendable, Hashable {
    public var report: RecordID
    /// The server receive time of the report's create, Unix ms.
    public var receivedAt: Int64
    /// How many times the server has escalated it.
    public var escalationLevel: Int

    public init(report: RecordID, receivedAt: Int64, escalationLevel: Int) {
        self.report = report
        self.receivedAt = receivedAt
        self.escalationLevel = escalationLevel
    }
}
