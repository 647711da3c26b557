import ArgumentParser

/// `caresync device …`: a command line that acts as one enrolled device — its
/// own store file, its own credential — so a person can try the whole system
/// from a terminal: enrol, plan (coordinators), record, sync, look at the status.
struct DeviceCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "device",
        abstract: "Act as a device: enrol, list visits, record what happened, sync, show the status.",
        subcommands: [
            EnrolCommand.self, VisitsCommand.self, ShowVisitCommand.self, PlanVisitCommand.self, CheckInCommand.self, CheckOutCommand.self,
            NoteCommand.self, MissedCallCommand.self, ReportAbuseCommand.self, SyncCommand.self, StatusCommand.self,
            ReceiptExportCommand.self,
        ])
}
