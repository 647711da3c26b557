public import CareModel
import Foundation
public import Logging
public import ServiceLifecycle

/// Escalates abuse reports nobody acknowledged in time (DOMAIN.md,
/// "Zero-tolerance abuse reports").
///
/// A report still `submitted` when its deadline passes (the server receive time
/// of its create plus the provider's acknowledgement deadline) is escalated to
/// the first safeguarding contact; each further deadline period escalates to
/// the next contact, until the list ends. Each escalation is an
/// ``AbuseEscalation`` record created by the server's replica: readable by
/// safeguarding leads and auditors only, and listed by `caresync audit history
/// <report>` with the report's own acknowledgement and status changes.
public actor AbuseReportDeadlineMonitor: Service {
    private let environment: MonitorEnvironment
    private let settings: AbuseReportSettings

    public init(environment: MonitorEnvironment, settings: AbuseReportSettings) {
        self.environment = environment
        self.settings = settings
    }

    /// Ticks every interval until graceful shutdown (``PeriodicService``).
    public nonisolated func run() async throws {
        try await environment.runPeriodically(name: "abuse_report_deadlines") { _ = try await self.tick() }
    }

    /// One pass at the clock's current time; returns the escalations it wrote.
    @discardableResult
    public func tick() async throws -> [WorkflowEvent] {
        let now = environment.clock.nowMillis()
        let contacts = settings.safeguardingContacts
        var drafts: [OperationDraft] = []
        var events: [WorkflowEvent] = []
        let due = try await environment.storage.reportsDueForEscalation(
            now: now, deadlineMillis: settings.deadlineMillis, levels: contacts.count, limit: environment.batchLimit)
        for report in due {
            // One escalation per tick and report: the next one waits its own deadline period.
            let level = report.escalationLevel + 1
            let dueAt = settings.dueAt(receivedAt: report.receivedAt, level: report.escalationLevel)
            // The query's own rule, checked again where the escalation is written.
            guard level <= contacts.count, dueAt <= now else { continue }
            let contact = contacts[level - 1]
            let escalation = RecordID(uuid: .version7(unixMillis: now, using: &generator))
            drafts.append(
                OperationDraft(
                    record: RecordRef(kind: .abuseEscalation, id: escalation), action: .create,
                    changes: [
                        .set(AbuseEscalation.Field.report, .string(report.report.description)),
                        .set(AbuseEscalation.Field.level, .int(Int64(level))),
                        .set(AbuseEscalation.Field.contact, .string(contact.rawValue)),
                        .set(AbuseEscalation.Field.dueAt, .int(dueAt)),
                    ]))
            events.append(
                .abuseReportEscalated(report: report.report, escalation: escalation, level: level, contact: contact))
        }
        let stored = try await environment.write(drafts, events: events)
        if !stored.isEmpty {
            environment.logger.info("abuse reports escalated", metadata: ["escalations": "\(stored.count)"])
        }
        return stored
    }

    private var generator = SystemRandomNumberGenerator()
}
