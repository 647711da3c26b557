/// What a coordinator's list shows about a visit, derived from its schedule
/// index row and its contract: the states of `GET /v1/workflows/visits?state=`.
public enum VisitWorkflowState: String, Sendable, Hashable, CaseIterable {
    /// An overdue alert is raised and no check-in has arrived; not cancelled
    /// since, nor confirmed missed.
    case overdue
    /// The office confirmed the visit missed (marked missed, or a missed call it confirmed).
    case missed
    /// Checked in after the scheduled start plus the contract's late tolerance.
    case late
    /// Checked in and out for less than the contract's share of the scheduled length.
    case short

    /// Whether `visit` is in this state under `contract`.
    public func holds(for visit: ScheduledVisit, contract: CareContract) -> Bool {
        switch self {
        case .overdue:
            return visit.alertState == .raised && visit.checkInReceivedAt == nil && !visit.cancelled
                && !visit.confirmedMissed
        case .missed:
            return visit.confirmedMissed
        case .late:
            guard let start = visit.scheduledStart, let checkIn = visit.checkInTime else { return false }
            return checkIn > start + contract.lateToleranceMillis
        case .short:
            guard let start = visit.scheduledStart, let end = visit.scheduledEnd, end > start,
                let checkIn = visit.checkInTime, let checkOut = visit.checkOutTime
            else { return false }
            // In integers: (out - in) / (end - start) < percent / 100.
            return (checkOut - checkIn) * 100 < (end - start) * Int64(contract.shortVisitPercent)
        }
    }

    /// Whether an overdue visit has passed the contract's missed threshold and
    /// waits for a coordinator to confirm it missed (or find out what happened).
    public static func awaitsConfirmation(_ visit: ScheduledVisit, contract: CareContract, now: Int64) -> Bool {
        guard let start = visit.scheduledStart else { return false }
        return VisitWorkflowState.overdue.holds(for: visit, contract: contract)
            && now >= start + contract.missedThresholdMillis
    }
}
