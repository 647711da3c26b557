public import CareModel
public import Logging
public import ServiceLifecycle

/// Watches scheduled visits for missing check-ins (DOMAIN.md, "Missed calls").
///
/// Each ``tick()``:
/// 1. resolves raised alerts whose check-in has arrived since: the outcome is
///    `delivered_sync_delayed` when the check-in's device time is at or before
///    the alert's due time, `late` otherwise; the alert stays;
/// 2. raises an *overdue* alert on every visit whose scheduled start plus its
///    contract's late tolerance has passed with no check-in, not cancelled and
///    not confirmed missed.
///
/// Both are operations on the visit written by the server's replica
/// (``ServerReplicaWriter``), so they reach the visit's team's coordinators and
/// assigned workers by pull like any other write. Candidates come from the
/// schedule index (``WorkflowIndex``); each is checked against the visit's
/// reduced state before anything is written. Only a coordinator confirms a
/// missed call: the monitor never does.
public actor OverdueVisitMonitor: Service {
    private let storage: any SyncStorage
    private let writer: ServerReplicaWriter
    private let settings: WorkflowSettings
    private let clock: any WallClock
    private let interval: Duration
    private let logger: Logger
    /// The most visits one tick raises or resolves per step (the rest wait for the next tick).
    private let batchLimit: Int
    /// Where what a tick did is announced (nil: nowhere, as in some tests).
    private let outbox: NotificationOutbox?

    public init(
        storage: any SyncStorage, writer: ServerReplicaWriter, settings: WorkflowSettings, clock: any WallClock,
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
        let service = PeriodicService(name: "overdue_visits", interval: interval, logger: logger) {
            _ = try await self.tick()
        }
        try await service.run()
    }

    /// One pass at the clock's current time; returns what it raised and resolved.
    @discardableResult
    public func tick() async throws -> [WorkflowEvent] {
        let now = clock.nowMillis()
        var events = try await resolveAlerts(now: now)
        for (contract, teams) in settings.selections {
            let candidates = try await storage.overdueCandidates(
                teams, startedBy: now - contract.lateToleranceMillis, limit: batchLimit)
            events += try await raiseAlerts(candidates, contract: contract, now: now)
        }
        if !events.isEmpty { logger.info("overdue visits", metadata: ["events": "\(events.count)"]) }
        try await outbox?.enqueue(events)
        return events
    }

    private func raiseAlerts(_ candidates: [ScheduledVisit], contract: CareContract, now: Int64) async throws
        -> [WorkflowEvent]
    {
        var drafts: [OperationDraft] = []
        var events: [WorkflowEvent] = []
        for candidate in candidates {
            let state = try await state(of: candidate.visit)
            guard let start = state[Visit.Field.scheduledStart]?.intValue,
                start + contract.lateToleranceMillis <= now, Visit.firstCheckInTime(of: state) == nil,
                !Visit.isCancelled(state), !Visit.isMarkedMissed(state)
            else { continue }
            let alert = Visit.Alert(kind: .overdue, dueAt: start + contract.lateToleranceMillis, raisedAt: now)
            guard !Visit.alerts(of: state).contains(where: { $0.kind == alert.kind && $0.dueAt == alert.dueAt }) else {
                continue
            }
            drafts.append(
                OperationDraft(record: state.ref, action: .update, changes: [.append(Visit.Field.alerts, alert.raisedEntry)]))
            events.append(.overdueAlertRaised(visit: candidate.visit, team: candidate.team, dueAt: alert.dueAt))
        }
        return try await writer.write(drafts, events: events, logger: logger)
    }

    private func resolveAlerts(now: Int64) async throws -> [WorkflowEvent] {
        var drafts: [OperationDraft] = []
        var events: [WorkflowEvent] = []
        for candidate in try await storage.resolvableAlerts(limit: batchLimit) {
            let state = try await state(of: candidate.visit)
            guard let checkInTime = Visit.firstCheckInTime(of: state),
                let alert = Visit.alerts(of: state).first(where: { $0.outcome == nil })
            else { continue }
            let outcome = alert.outcome(forCheckInAt: checkInTime)
            drafts.append(
                OperationDraft(
                    record: state.ref, action: .update,
                    changes: [
                        .append(
                            Visit.Field.alertOutcomes,
                            alert.outcomeEntry(outcome, checkInTime: checkInTime, resolvedAt: now))
                    ]))
            events.append(.overdueAlertResolved(visit: candidate.visit, team: candidate.team, outcome: outcome))
        }
        return try await writer.write(drafts, events: events, logger: logger)
    }

    /// The visit's state, reduced from its stored operations.
    private func state(of visit: RecordID) async throws -> RecordState {
        let ref = RecordRef(kind: .visit, id: visit)
        let state = try CareState(reducing: try await storage.operations(on: ref))
        return state[ref] ?? RecordState(ref: ref)
    }
}
