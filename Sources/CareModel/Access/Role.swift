/// What a worker does, which decides what they may see and write.
public enum Role: String, CaseIterable, Codable, Sendable, Hashable {
    /// Visits people at home and records what happened.
    case careWorker = "care_worker"
    /// Plans and reassigns visits for a team in the office.
    case coordinator
    /// Handles abuse reports.
    case safeguardingLead = "safeguarding_lead"
    /// Reads everything, writes nothing.
    case auditor
    /// Manages workers, devices and reference data; no access to care records.
    case admin
    /// The sync server's own replica, which writes what the server itself
    /// decides (alerts, escalations). Never a person's: an admin cannot give it
    /// to a worker, and no device enrols with it.
    case server

    /// The roles an admin may give a worker: every role but ``server``.
    public static let assignable: [Role] = allCases.filter { $0 != .server }
}

/// How a worker stands to a record. Whoever enforces the policy (the server, or
/// the device for its own screens) works this out from reference data and the
/// record; the policy only says which relationships grant what.
public struct Relationship: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The worker is assigned to the visit (for a note or missed call: to its
    /// visit). A worker who recorded evidence on a visit stays related to it
    /// after a reassignment, so their evidence still syncs.
    public static let assigned = Relationship(rawValue: 1 << 0)
    /// The worker created the record (the reporter of an abuse report, the
    /// author of a note).
    public static let author = Relationship(rawValue: 1 << 1)
    /// The visit (or the note's or missed call's visit) belongs to the worker's team.
    public static let team = Relationship(rawValue: 1 << 2)
}

/// Which records a grant covers.
public enum Scope: Sendable, Hashable {
    case none
    /// Records the worker has at least one of these relationships with.
    case related(Relationship)
    case all

    /// Whether a worker with `relationship` to a record is covered.
    public func covers(_ relationship: Relationship) -> Bool {
        switch self {
        case .none: false
        case .related(let required): !required.isDisjoint(with: relationship)
        case .all: true
        }
    }
}
