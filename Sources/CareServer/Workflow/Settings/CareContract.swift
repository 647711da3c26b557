public import CareModel
public import Foundation

/// The visit thresholds of one care contract (commissioners set them, and they
/// differ: DOMAIN.md, "Missed calls"). Configuration, read from the workflows
/// file (``WorkflowSettings``).
public struct CareContract: Sendable, Hashable {
    /// A name for logs and answers, e.g. `council-north`.
    public var id: String
    /// The teams whose visits the contract covers (the default contract covers the rest).
    public var teams: [TeamID]
    /// A visit with no check-in this long after its scheduled start is overdue,
    /// and a check-in after it is late. Default 30 minutes.
    public var lateToleranceMinutes: Int
    /// An overdue visit with still no check-in this long after its start waits
    /// for a coordinator to confirm it missed (or chase it). Default 120 minutes.
    public var missedThresholdMinutes: Int
    /// A visit whose checked-in time is under this percentage of its scheduled
    /// length is short. Default 75.
    public var shortVisitPercent: Int
    /// The contract's local time, for the local times shown in answers. Default `Europe/London`.
    public var timeZone: TimeZone

    public init(
        id: String = "default", teams: [TeamID] = [], lateToleranceMinutes: Int = 30, missedThresholdMinutes: Int = 120,
        shortVisitPercent: Int = 75, timeZone: TimeZone = CareContract.defaultTimeZone
    ) {
        self.id = id
        self.teams = teams
        self.lateToleranceMinutes = lateToleranceMinutes
        self.missedThresholdMinutes = missedThresholdMinutes
        self.shortVisitPercent = shortVisitPercent
        self.timeZone = timeZone
    }

    /// Europe/London (UTC where the system has no time zone data).
    public static let defaultTimeZone = TimeZone(identifier: "Europe/London") ?? TimeZone(secondsFromGMT: 0)!

    /// The late tolerance in milliseconds.
    public var lateToleranceMillis: Int64 { Int64(lateToleranceMinutes) * 60_000 }
    /// The missed threshold in milliseconds.
    public var missedThresholdMillis: Int64 { Int64(missedThresholdMinutes) * 60_000 }
}
