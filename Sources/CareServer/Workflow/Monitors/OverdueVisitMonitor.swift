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
    private let environment: MonitorEnvironment
    private let settings: WorkflowSettings

    public init(environment: MonitorEnvironment, settings: WorkflowSettings) {
        self.environment = environment
        self.settings = settings
    }

    /// Ticks every interval until graceful shutdown (``PeriodicService``).
    public nonisolated func run() async throws {
        try await environment.runPeriodically(name: "overdue_visits") { _ = try await self.tick() }
    }

    /// One pass at the clock's current time; returns what it raised and resolved.
    @discardableResult
    public func tick() async throws -> [WorkflowEvent] {
        let now = environment.clock.nowMillis()
        var events = try await resolveAlerts(now: now)
        for (contract, teams) in settings.selections {
            let candidates = try await environment.storage.overdueCandidates(
                teams, startedBy: now - contract.lateToleranceMillis, limit: environment.batchLimit)
            events += try await raiseAlerts(candidates, contract: contract, now: now)
        }
        if !events.isEmpty { environment.logger.info("overdue visits", metadata: ["events": "\(events.count)"]) }
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
        return try await environment.write(drafts, events: events)
    }

    private func resolveAlerts(now: Int64) async throws -> [WorkflowEvent] {
        var drafts: [OperationDraft] = []
        var events: [WorkflowEvent] = []
        for candidate in try await environment.storage.resolvableAlerts(limit: environment.batchLimit) {
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
        return try await environment.write(drafts, events: events)
    }

    /// The visit's state, reduced from its stored operations.
    private func state(of visit: RecordID) async throws -> RecordState {
        let ref = RecordRef(kind: .visit, id: visit)
        let state = try CareState(reducing: try await environment.storage.operations(on: ref))
        return state[ref] ?? RecordState(ref: ref)
    }
}
