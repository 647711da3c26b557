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
    private let storage: any SyncStorage
    private let writer: ServerReplicaWriter
    private let settings: AbuseReportSettings
    private let clock: any WallClock
    private let interval: Duration
    private let logger: Logger
    private let batchLimit: Int
    /// Where what a tick did is announced (nil: nowhere, as in some tests).
    private let outbox: NotificationOutbox?

    public init(
        storage: any SyncStorage, writer: ServerReplicaWriter, settings: AbuseReportSettings, clock: any WallClock,
        interval: Duration, logger: Logger, batchLimit: Int = 500,
        outbox: NotificationOutbox? = nil
    ) {
        self.storage = storage
        self.writer = writer
        self.settings = settings
        self.clock = clock
        self.interval = interval
        self.logger = logger
        self.batchLimit = batchLimit
        self.outbox = outbox
    }

    /// Ticks every interval until graceful shutdown (``PeriodicService``).
    public nonisolated func run() async throws {
        let service = PeriodicService(name: "abuse_report_deadlines", interval: interval, logger: logger) {
            _ = try await self.tick()
        }
        try await service.run()
    }

    /// One pass at the clock's current time; returns the escalations it wrote.
    @discardableResult
    public func tick() async throws -> [WorkflowEvent] {
        let now = clock.nowMillis()
        let contacts = settings.safeguardingContacts
        var drafts: [OperationDraft] = []
        var events: [WorkflowEvent] = []
        for report in try await storage.unacknowledgedReports(limit: batchLimit) {
            // One escalation per tick and report: the next one waits its own deadline period.
            let level = report.escalationLevel + 1
            let dueAt = settings.dueAt(receivedAt: report.receivedAt, level: report.escalationLevel)
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
        let stored = try await writer.write(drafts, events: events, logger: logger)
        if !stored.isEmpty {
            logger.info("abuse reports escalated", metadata: ["escalations": "\(stored.count)"])
        }
        try await outbox?.enqueue(stored)
        return stored
    }

    private var generator = SystemRandomNumberGenerator()
}
