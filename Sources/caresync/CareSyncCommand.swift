import ArgumentParser

/// `caresync`: the CareSync command line. Command groups: `admin` (reference
/// data, enrolment codes, devices); `audit` (verify, replay, history, export of the signed log); `device` joins later.
@main
struct CareSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caresync",
        abstract: "CareSync command line: admin, audit (and, later, a device simulator).",
        subcommands: [AdminCommand.self, AuditCommand.self])
}
