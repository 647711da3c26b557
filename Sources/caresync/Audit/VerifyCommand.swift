import ArgumentParser
import CareAudit

/// `caresync audit verify`: exits 0 when the log is intact, 1 with each finding
/// located (sequence, device, replica and counter) when it is not.
struct VerifyCommand: AuditSubcommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Recompute every device chain, signature, counter run and the server log chain.")

    @OptionGroup var source: AuditSourceOptions

    func audit() async throws {
        let progress = ProgressLine("verified")
        let report = try await AuditVerification.verify(try await source.openSource(), progress: progress.update)
        progress.finish()
        if source.json {
            try source.printJSON(report)
        } else {
            print(report.isIntact ? "intact" : "NOT INTACT: \(report.findings.count + report.findingsOmitted) finding(s)")
            for finding in report.findings { print("  " + finding.description) }
            if report.findingsOmitted > 0 { print("  … and \(report.findingsOmitted) more") }
            print("operations: \(report.operations), replicas: \(report.replicas), "
                + "signatures verified: \(report.signaturesVerified), not yet covered by a signature: \(report.unsignedOperations)")
            print("log head: sequence \(report.lastSequence), server hash \(report.lastServerHash)")
        }
        if !report.isIntact { throw ExitCode(1) }
    }
}
