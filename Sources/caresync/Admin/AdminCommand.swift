import ArgumentParser

/// `caresync admin …`: manage the server's reference data and devices by
/// working on its SQLite database file directly (safe while the server runs:
/// SQLite locks the file; the admin API over HTTP does the same things).
struct AdminCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "admin",
        abstract: "Workers, residents, enrolment codes and devices, on the server's database file.",
        subcommands: [
            CreateWorkerCommand.self, ListWorkersCommand.self, CreateResidentCommand.self,
            CreateEnrolmentCodeCommand.self, ListDevicesCommand.self, RevokeDeviceCommand.self, SchemaCommand.self,
        ])
}
