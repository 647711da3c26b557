import ArgumentParser

/// `caresync`: the CareSync command line. Command groups: `admin` (reference
/// data, enrolment codes, devices); `device` (act as one enrolled device);
/// `audit` joins later.
@main
struct CareSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caresync",
        abstract: "CareSync command line: admin, device (and, later, audit).",
        subcommands: [AdminCommand.self, DeviceCommand.self])
}
