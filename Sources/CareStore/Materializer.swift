import CareModel
import CareSQLite
import Foundation
import GRDB

/// Writes the tables the screens read, from a record's reduced state.
///
/// Every value written here comes from the model (``RecordState``, its field
/// values, ``Visit/status(of:)``, ``Visit/openReviewReasons(of:)``): the store
/// never re-implements a merge rule, so its tables always show the reducer's
/// state of the operations in its log.
enum Materializer {
    static func write(_ state: RecordState, _ db: Database) throws {
        let ref = state.ref
        let reviewReasons = ref.kind == .visit ? Visit.openReviewReasons(of: state).map(\.rawValue) : []
        let conflicted = state.conflictedFields
        try db.run(
            """
            INSERT INTO record (kind, id, operation_count, is_created, conflicted_fields, review_reasons,
                                needs_attention, state)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (kind, id) DO UPDATE SET
                operation_count = excluded.operation_count, is_created = excluded.is_created,
                conflicted_fields = excluded.conflicted_fields, review_reasons = excluded.review_reasons,
                needs_attention = excluded.needs_attention, state = excluded.state
            """,
            [
                .text(ref.kind.rawValue), .text(ref.id.description), .int(Int64(state.operationCount)),
                .bool(state.isCreated), .text(JSONColumn.encode(conflicted)), .text(JSONColumn.encode(reviewReasons)),
                .bool(!conflicted.isEmpty || !reviewReasons.isEmpty), .blob(state.canonicalBytes),
            ])
        // A record shows on a screen once its creating operation has arrived
        // (an update may arrive first).
        guard let creation = state.creations.first else { return }
        switch ref.kind {
        case .visit: try writeVisit(state, reviewReasons: reviewReasons, conflicted: conflicted, db)
        case .visitNote: try writeNote(state, creation: creation, db)
        case .missedCall: try writeMissedCall(state, creation: creation, db)
        case .abuseReport: try writeAbuseReport(state, creation: creation, db)
        default: break
        }
    }

    private static func entries(_ state: RecordState, _ field: String) -> Value {
        guard case .log(let log) = state.fields[field] else { return .list([]) }
        return .list(
            log.entries.map { entry in
                .object(["author": .string(entry.write.author.rawValue), "value": entry.write.value])
            })
    }

    private static func siblings(_ state: RecordState, _ field: String) -> [Value] {
        guard case .register(let register) = state.fields[field] else { return [] }
        return register.siblings.map(\.value)
    }

    private static func writeVisit(
        _ state: RecordState, reviewReasons: [String], conflicted: [String], _ db: Database
    ) throws {
        let id = state.ref.id.description
        let start = state[Visit.Field.scheduledStart]?.intValue ?? 0
        let assigned = (state[Visit.Field.assignedWorkers]?.listValue ?? []).compactMap(\.stringValue)
        try db.run(
            """
            INSERT INTO visit (id, resident, team, scheduled_start, scheduled_end, status, needs_review,
                review_reasons, conflicted_fields, risk_flag, worker_status, attendance_verified, assigned_workers,
                planned_tasks, check_ins, check_outs, tasks_done)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                resident = excluded.resident, team = excluded.team, scheduled_start = excluded.scheduled_start,
                scheduled_end = excluded.scheduled_end, status = excluded.status,
                needs_review = excluded.needs_review, review_reasons = excluded.review_reasons,
                conflicted_fields = excluded.conflicted_fields, risk_flag = excluded.risk_flag,
                worker_status = excluded.worker_status, attendance_verified = excluded.attendance_verified,
                assigned_workers = excluded.assigned_workers, planned_tasks = excluded.planned_tasks,
                check_ins = excluded.check_ins, check_outs = excluded.check_outs,
                tasks_done = excluded.tasks_done
            """,
            [
                .text(id), .text(state[Visit.Field.resident]?.stringValue ?? ""),
                .text(state[Visit.Field.team]?.stringValue ?? ""), .int(start),
                .int(state[Visit.Field.scheduledEnd]?.intValue ?? start), .text(Visit.status(of: state).rawValue),
                .bool(!reviewReasons.isEmpty), .text(JSONColumn.encode(reviewReasons)), .text(JSONColumn.encode(conflicted)),
                .text(orNull: state[Visit.Field.riskFlag]?.stringValue),
                .text(orNull: state[Visit.Field.workerStatus]?.stringValue),
                .bool(state[Visit.Field.attendanceVerified]?.boolValue ?? false), .text(JSONColumn.encode(assigned)),
                .text(JSONColumn.encode(state[Visit.Field.plannedTasks] ?? .list([]))),
                .text(JSONColumn.encode(entries(state, Visit.Field.checkIns))),
                .text(JSONColumn.encode(entries(state, Visit.Field.checkOuts))),
                .text(JSONColumn.encode(entries(state, Visit.Field.tasksDone))),
            ])
        // Related workers: assigned, or who recorded evidence here.
        var related = Set(assigned)
        for field in Visit.evidenceFields {
            if case .log(let log) = state.fields[field] {
                related.formUnion(log.entries.map(\.write.author.rawValue))
            } else if case .register(let register) = state.fields[field] {
                related.formUnion(register.siblings.map(\.author.rawValue))
            }
        }
        // Only the rows that change are written: most writes (a check-in, tasks
        // done) leave the related workers as they were.
        var current: [(worker: String, start: Int64)] = []
        try db.forEachRow("SELECT worker, scheduled_start FROM visit_worker WHERE visit = ?", [.text(id)]) { row in
            current.append((row.text(orNull: 0) ?? "", row.int(1)))
        }
        var kept: Set<String> = []
        for (worker, rowStart) in current {
            if rowStart == start && related.contains(worker) {
                kept.insert(worker)
            } else {
                try db.run(
                    "DELETE FROM visit_worker WHERE worker = ? AND scheduled_start = ? AND visit = ?",
                    [.text(worker), .int(rowStart), .text(id)])
            }
        }
        for worker in related.subtracting(kept).sorted() {
            try db.run(
                "INSERT INTO visit_worker (worker, scheduled_start, visit) VALUES (?, ?, ?)",
                [.text(worker), .int(start), .text(id)])
        }
    }

    private static func writeNote(_ state: RecordState, creation: RecordState.Creation, _ db: Database) throws {
        let versions = siblings(state, VisitNote.Field.text).compactMap(\.stringValue)
        let amendments: Value
        if case .log(let log) = state.fields[VisitNote.Field.amendments] {
            amendments = .list(
                log.entries.map { entry in
                    .object([
                        "author": .string(entry.write.author.rawValue),
                        "text": entry.write.value["text"] ?? .string(""),
                    ])
                })
        } else {
            amendments = .list([])
        }
        try db.run(
            """
            INSERT INTO visit_note (id, visit, author, written_at, text, text_versions, amendments,
                entered_in_error, entered_in_error_reason)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                visit = excluded.visit, author = excluded.author, written_at = excluded.written_at,
                text = excluded.text, text_versions = excluded.text_versions, amendments = excluded.amendments,
                entered_in_error = excluded.entered_in_error,
                entered_in_error_reason = excluded.entered_in_error_reason
            """,
            [
                .text(state.ref.id.description), .text(state[VisitNote.Field.visit]?.stringValue ?? ""),
                .text(creation.author.rawValue), .int(creation.deviceTime),
                .text(state[VisitNote.Field.text]?.stringValue ?? ""), .text(JSONColumn.encode(versions)),
                .text(JSONColumn.encode(amendments)), .bool(state[VisitNote.Field.enteredInError]?.boolValue ?? false),
                .text(orNull: state[VisitNote.Field.enteredInErrorReason]?.stringValue),
            ])
    }

    private static func writeMissedCall(_ state: RecordState, creation: RecordState.Creation, _ db: Database) throws {
        try db.run(
            """
            INSERT INTO missed_call (id, visit, author, reported_at, reason, details, confirmed_by_office)
            VALUES (?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                visit = excluded.visit, author = excluded.author, reported_at = excluded.reported_at,
                reason = excluded.reason, details = excluded.details,
                confirmed_by_office = excluded.confirmed_by_office
            """,
            [
                .text(state.ref.id.description), .text(state[MissedCall.Field.visit]?.stringValue ?? ""),
                .text(creation.author.rawValue), .int(creation.deviceTime),
                .text(state[MissedCall.Field.reason]?.stringValue ?? ""),
                .text(orNull: state[MissedCall.Field.details]?.stringValue),
                .bool(state[MissedCall.Field.confirmedByOffice]?.boolValue ?? false),
            ])
    }

    private static func textEntries(_ state: RecordState, _ field: String, member: String) -> Value {
        guard case .log(let log) = state.fields[field] else { return .list([]) }
        return .list(
            log.entries.map { entry in
                .object([
                    "author": .string(entry.write.author.rawValue), "at": .int(entry.write.timestamp.wallMillis),
                    "text": entry.write.value[member] ?? .string(""),
                ])
            })
    }

    private static func writeAbuseReport(_ state: RecordState, creation: RecordState.Creation, _ db: Database) throws {
        typealias Field = AbuseReport.Field
        try db.run(
            """
            INSERT INTO abuse_report (id, reporter, reported_at, visit, incident_kind, occurred_at,
                severity, status, days_absent, police_reference, injury, witnesses, involved, statement,
                supplements, safeguarding_notes, actions_taken)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET
                reporter = excluded.reporter, reported_at = excluded.reported_at, visit = excluded.visit,
                incident_kind = excluded.incident_kind, occurred_at = excluded.occurred_at,
                severity = excluded.severity, status = excluded.status, days_absent = excluded.days_absent,
                police_reference = excluded.police_reference, injury = excluded.injury,
                witnesses = excluded.witnesses, involved = excluded.involved, statement = excluded.statement,
                supplements = excluded.supplements, safeguarding_notes = excluded.safeguarding_notes,
                actions_taken = excluded.actions_taken
            """,
            [
                .text(state.ref.id.description), .text(creation.author.rawValue), .int(creation.deviceTime),
                .text(orNull: state[Field.visit]?.stringValue), .text(state[Field.incidentKind]?.stringValue ?? ""),
                .int(state[Field.occurredAt]?.intValue ?? 0), .int(state[Field.severity]?.intValue ?? 0),
                .text(state[Field.status]?.stringValue ?? AbuseReport.statuses[0]),
                .int(orNull: state[Field.daysAbsent]?.intValue), .text(orNull: state[Field.policeReference]?.stringValue),
                .int(orNull: state[Field.injury]?.boolValue.map { $0 ? 1 : 0 }),
                .text(orNull: state[Field.witnesses]?.stringValue),
                .text(JSONColumn.encode(state[Field.involved] ?? .list([]))),
                .text(state[Field.statement]?.stringValue ?? ""),
                .text(JSONColumn.encode(textEntries(state, Field.supplements, member: "text"))),
                .text(JSONColumn.encode(textEntries(state, Field.safeguardingNotes, member: "text"))),
                .text(JSONColumn.encode(textEntries(state, Field.actionsTaken, member: "action"))),
            ])
    }
}
