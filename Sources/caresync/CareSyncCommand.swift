import ArgumentParser

/// `caresync`: the CareSync command line. Command groups: `admin` (reference
/// data, enrolment codes, devices); `device` (act as one enrolled device);
/// `audit` (verify, replay, history, export of the signed log).
@main
struct CareSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caresync",
        abstract: "CareSync command line: admin, device, audit.",
        subcommands: [AdminCommand.self, DeviceCommand.self, AuditCommand.self])
}
