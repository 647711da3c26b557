public import CareModel

/// Who a store belongs to: one worker on one enrolled device, writing as one
/// replica. Given by enrolment and sign-in; fixed for the life of the store file.
public struct StoreIdentity: Sendable, Hashable {
    public var worker: WorkerID
    /// The worker's role; the store refuses writes the access policy does not
    /// give this role (the server enforces the same rules).
    public var role: Role
    /// The worker's team, if any (coordinators are related to their team's visits).
    public var team: TeamID?
    /// This store's replica: its operation counter and hash chain. A new store
    /// needs a new replica id; never reuse one.
    public var replica: ReplicaID
    public var device: DeviceID

    public init(worker: WorkerID, role: Role, team: TeamID? = nil, replica: ReplicaID, device: DeviceID) {
        self.worker = worker
        self.role = role
        self.team = team
        self.replica = replica
        self.device = device
    }
}
