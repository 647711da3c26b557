import ArgumentParser

/// `caresync audit …`: for auditors and inspectors, on the server's database
/// file or on an exported log file alike.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify, replay, trace and export the server's signed operation log; verify receipts.",
        subcommands: [
            VerifyCommand.self, ReplayCommand.self, HistoryCommand.self, ExportCommand.self, ReceiptCommand.self,
        ])
}
