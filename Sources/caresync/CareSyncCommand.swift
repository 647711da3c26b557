import ArgumentParser
import Foundation

/// `caresync`: the CareSync command line. Command groups: `admin` (reference
/// data, enrolment codes, devices); `device` (act as one enrolled device);
/// `audit` (verify, replay, history, export of the signed log).
@main
struct CareSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "caresync",
        abstract: "CareSync command line: admin, device, audit.",
        subcommands: [AdminCommand.self, DeviceCommand.self, AuditCommand.self])

    /// ArgumentParser's own main, but for the audit subcommands: there an
    /// error means the log could not be checked, printed as `Error: <code>:
    /// <message>` with exit status 2, so that a script tells it from a log
    /// verified and found NOT INTACT (1).
    static func main() async {
        let command: any ParsableCommand
        do {
            command = try parseAsRoot()
        } catch {
            exit(withError: error)
        }
        do {
            if var asynchronous = command as? any AsyncParsableCommand {
                try await asynchronous.run()
            } else {
                var synchronous = command
                try synchronous.run()
            }
        } catch let error where command is any AuditSubcommand && !Self.isParserOutcome(error) {
            let description = (error as? CommandFailure)?.description ?? "unreadable_log: \(error)"
            FileHandle.standardError.write(Data("Error: \(description)\n".utf8))
            exit(withError: ExitCode(2))
        } catch {
            exit(withError: error)
        }
    }

    /// An exit status a command chose, or a usage error: ArgumentParser's to report.
    private static func isParserOutcome(_ error: any Error) -> Bool {
        error is ExitCode || error is ValidationError || error is CleanExit
    }
}
