import ArgumentParser
import CareModel
import CareServer

/// `caresync admin create-worker ID --role … --team …`: creates or replaces a worker.
struct CreateWorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-worker", abstract: "Create or replace a worker with roles and teams.")

    @OptionGroup var options: AdminOptions
    @Argument(help: "The worker id (staff number): 1-64 characters of [A-Za-z0-9._-@:].")
    var id: String
    @Option(name: .customLong("role"), help: "A role (repeatable): \(Role.assignable.map(\.rawValue).joined(separator: ", ")).")
    var roles: [String] = []
    @Option(name: .customLong("team"), help: "A team id (repeatable).")
    var teams: [String] = []
    @Flag(help: "Deactivate the worker: their devices are refused.")
    var inactive = false

    func validate() throws {
        guard WorkerID(id) != nil else { throw ValidationError("the worker id must be 1-64 characters of [A-Za-z0-9._-@:]") }
        for role in roles where Role(rawValue: role) == nil { throw ValidationError("unknown role \(role)") }
        for team in teams where TeamID(team) == nil { throw ValidationError("malformed team id \(team)") }
    }

    func run() async throws {
        let storage = try await options.openStorage()
        let worker = Worker(
            id: WorkerID(id)!, roles: roles.compactMap(Role.init(rawValue:)), teams: teams.compactMap(TeamID.init),
            active: !inactive)
        try await AdminService(storage: storage).saveWorker(worker)
        try await storage.close()
        if options.json {
            try options.printJSON(worker)
        } else {
            print("worker \(worker.id): roles \(worker.roles.map(\.rawValue)), teams \(worker.teams.map(\.rawValue))")
        }
    }
}

/// `caresync admin list-workers`.
struct ListWorkersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list-workers", abstract: "List workers.")

    @OptionGroup var options: AdminOptions

    func run() async throws {
        let storage = try await options.openStorage()
        let workers = try await storage.workers()
        try await storage.close()
        if options.json { return try options.printJSON(workers) }
        for worker in workers {
            let roles = worker.roles.map(\.rawValue).joined(separator: ",")
            let teams = worker.teams.map(\.rawValue).joined(separator: ",")
            print("\(worker.id)\troles=\(roles)\tteams=\(teams)\t\(worker.active ? "active" : "inactive")")
        }
    }
}
