import CareModel

extension Worker {
    /// A worker from its stored columns (comma-separated roles and teams), in
    /// either backend.
    static func fromColumns(id: String, roles: String, teams: String, active: Bool) -> Worker {
        Worker(
            id: WorkerID(unchecked: id),
            roles: roles.split(separator: ",").compactMap { Role(rawValue: String($0)) },
            teams: teams.split(separator: ",").compactMap { TeamID(String($0)) },
            active: active)
    }
}
