import ArgumentParser
import CareModel
import CareServer

/// `caresync admin create-resident ID --team TEAM`.
struct CreateResidentCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "create-resident", abstract: "Create or replace a resident and the team that looks after them.")

    @OptionGroup var options: AdminOptions
    @Argument(help: "The resident id: 1-64 characters of [A-Za-z0-9._-@:].")
    var id: String
    @Option(help: "The team id.")
    var team: String

    func validate() throws {
        guard ResidentID(id) != nil else { throw ValidationError("malformed resident id") }
        guard TeamID(team) != nil else { throw ValidationError("malformed team id") }
    }

    func run() async throws {
        let storage = try await options.openStorage()
        let resident = Resident(id: ResidentID(id)!, team: TeamID(team)!)
        try await storage.saveResident(resident)
        try await storage.close()
        if options.json { return try options.printJSON(resident) }
        print("resident \(resident.id): team \(resident.team)")
    }
}
