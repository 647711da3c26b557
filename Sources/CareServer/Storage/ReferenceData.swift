public import CareModel

/// A worker as the admin registered them: roles and teams decide what the
/// worker's devices may see and write.
public struct Worker: Codable, Sendable, Hashable {
    public var id: WorkerID
    /// Sorted, no duplicates.
    public var roles: [Role]
    /// Sorted, no duplicates.
    public var teams: [TeamID]
    /// A deactivated worker's devices are refused (their credential stays on record).
    public var active: Bool

    public init(id: WorkerID, roles: some Sequence<Role>, teams: some Sequence<TeamID>, active: Bool = true) {
        self.id = id
        self.roles = Set(roles).sorted { $0.rawValue < $1.rawValue }
        self.teams = Set(teams).sorted()
        self.active = active
    }
}

/// A person receiving care, as reference data: the team that looks after them.
public struct Resident: Codable, Sendable, Hashable {
    public var id: ResidentID
    public var team: TeamID

    public init(id: ResidentID, team: TeamID) {
        self.id = id
        self.team = team
    }
}
