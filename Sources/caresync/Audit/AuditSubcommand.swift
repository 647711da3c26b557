import ArgumentParser
import Foundation

/// An audit subcommand (`verify`, `export`, `replay`, `history`): its work is
/// ``audit()``, and any error from it means the log could not be checked. That
/// is printed as `Error: <code>: <message>` and exits 2, so that a script tells
/// it from a log read and found NOT INTACT, which `verify` exits 1 for.
protocol AuditSubcommand: AsyncParsableCommand {
    func audit() async throws
}

extension AuditSubcommand {
    func run() async throws {
        do {
            try await audit()
        } catch let error where !(error is ExitCode || error is ValidationError || error is CleanExit) {
            // An exit status the command chose, or a usage error, is ArgumentParser's to report.
            let description = (error as? CommandFailure)?.description ?? "unreadable_log: \(error)"
            FileHandle.standardError.write(Data("Error: \(description)\n".utf8))
            throw ExitCode(2)
        }
    }
}
