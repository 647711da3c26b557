import CareModel
import CareStore
import CareSyncClient
import CareSyncTestSupport
import Foundation

/// The devices of a simulated care provider: per team a coordinator and care
/// workers (some with a second phone), one safeguarding lead and one auditor,
/// each a ``ClientDevice`` with its own store file, talking through its own
/// fault-injecting proxy.
struct SimulatedFleet: Sendable {
    struct Member: Sendable {
        let device: ClientDevice
        let role: Role
        let team: String?
    }

    static let teams = ["north", "south"]
    static let workersPerTeam = 8
    /// Workers who also carry a second phone (the same worker, another replica).
    static let secondPhones = ["north-w1", "south-w1"]
    /// Bigger batches than the unit tests': fewer round trips for the whole fleet.
    static let configuration = SyncEngine.Configuration(
        pushBatchLimit: 12, pullPageLimit: 30, retry: RetryPolicy(initialDelay: .milliseconds(10), maximumAttempts: 3))

    let members: [Member]

    var devices: [ClientDevice] { members.map(\.device) }
    var coordinators: [Member] { members.filter { $0.role == .coordinator } }
    var careWorkers: [Member] { members.filter { $0.role == .careWorker } }
    var lead: ClientDevice { members.first { $0.role == .safeguardingLead }!.device }
    var auditor: ClientDevice { members.first { $0.role == .auditor }!.device }

    /// How many devices ``enrol(on:in:)`` makes (the proxies to run for them).
    static var size: Int { teams.count * (1 + workersPerTeam) + secondPhones.count + 2 }

    /// Creates the workers on `server` and enrols every device (directly, not through the proxies).
    static func enrol(on server: ClientTestServer, in directory: TestDirectory) async throws -> [Member] {
        var members: [Member] = []
        func add(_ worker: String, _ role: Role, team: String?, create: Bool = true) async throws {
            let device = try await ClientDevice.enrol(
                worker, role: role, team: team, createWith: create ? [role] : nil, on: server, in: directory)
            members.append(Member(device: device, role: role, team: team))
        }
        for team in teams {
            try await add("\(team)-coord", .coordinator, team: team)
            for index in 1...workersPerTeam { try await add("\(team)-w\(index)", .careWorker, team: team) }
        }
        for worker in secondPhones {
            try await add(worker, .careWorker, team: String(worker.prefix { $0 != "-" }), create: false)
        }
        try await add("lead-1", .safeguardingLead, team: nil)
        try await add("auditor-1", .auditor, team: nil)
        return members
    }

    /// The same members, each syncing through its own proxy.
    init(_ members: [Member], through proxies: [FaultInjectingProxy]) {
        self.members = zip(members, proxies).map { member, proxy in
            Member(device: member.device.via(proxy, configuration: Self.configuration), role: member.role, team: member.team)
        }
    }
}
