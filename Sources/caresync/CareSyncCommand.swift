import ArgumentParser

/// `caresync`: the CareSync command line. Command groups: `admin` (reference
/// data, enrolment codes, devices); `device` and `audit` join later.
@main
struct CareSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caresync",
        abstract: "CareSync command line: admin (and, later, device simulator and audit).",
        subcommands: [AdminCommand.self])
}
