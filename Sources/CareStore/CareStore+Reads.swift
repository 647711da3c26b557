public import CareModel
public import Foundation
import GRDB

extension CareStore {
    /// The visits of the store's worker (assigned, or with their evidence)
    /// scheduled to start in `[start, end)` (Unix milliseconds), by start time.
    public func visits(scheduledFrom start: Int64, to end: Int64) async throws(CareStoreError) -> [VisitSummary] {
        let worker = identity.worker.rawValue
        return try await read { db in
            let rows = try Row.fetchAll(
                db,
                sql: """
                    SELECT v.*, \(Self.syncStateSQL("'visit'", "v.id")) AS sync
                    FROM visit_worker w JOIN visit v ON v.id = w.visit
                    WHERE w.worker = ? AND w.scheduled_start >= ? AND w.scheduled_start < ?
                    ORDER BY w.scheduled_start, v.id
                    """,
                arguments: [worker, start, end])
            return try rows.map(Self.visitSummary)
        }
    }

    /// Today's visits: those starting on the calendar day of `date` in `timeZone`.
    public func todaysVisits(on date: Date, in timeZone: TimeZone) async throws(CareStoreError) -> [VisitSummary] {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let start = calendar.startOfDay(for: date)
        let end = calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400)
        return try await visits(
            scheduledFrom: Int64(start.timeIntervalSince1970 * 1000), to: Int64(end.timeIntervalSince1970 * 1000))
    }

    /// A visit with its notes and missed-call records; nil if it is not on the device.
    public func visit(_ id: RecordID) async throws(CareStoreError) -> VisitDetail? {
        try await read { db in
            guard
                let row = try Row.fetchOne(
                    db,
                    sql: "SELECT v.*, \(Self.syncStateSQL("'visit'", "v.id")) AS sync FROM visit v WHERE v.id = ?",
                    arguments: [id.description])
            else { return nil }
            let notes = try Row.fetchAll(
                db,
                sql: """
                    SELECT n.*, \(Self.syncStateSQL("'visit_note'", "n.id")) AS sync FROM visit_note n
                    WHERE n.visit = ? ORDER BY n.written_at, n.id
                    """,
                arguments: [id.description]
            ).map(Self.note)
            let missedCalls = try Row.fetchAll(
                db,
                sql: """
                    SELECT m.*, \(Self.syncStateSQL("'missed_call'", "m.id")) AS sync FROM missed_call m
                    WHERE m.visit = ? ORDER BY m.reported_at, m.id
                    """,
                arguments: [id.description]
            ).map(Self.missedCall)
            let tasks = try JSONColumn.decode(row["tasks_done"]).listValue ?? []
            return VisitDetail(
                summary: try Self.visitSummary(row),
                assignedWorkers: try JSONColumn.strings(row["assigned_workers"]),
                plannedTasks: try JSONColumn.strings(row["planned_tasks"]),
                checkIns: try Self.attendance(row["check_ins"]),
                checkOuts: try Self.attendance(row["check_outs"]),
                tasksDone: tasks.compactMap { entry in
                    guard let worker = entry["author"]?.stringValue.flatMap(WorkerID.init),
                        let task = entry["value"]?["task"]?.stringValue
                    else { return nil }
                    return RecordedTask(
                        worker: worker,
                        task: TaskDone(
                            task: task, quantity: entry["value"]?["quantity"]?.intValue,
                            note: entry["value"]?["note"]?.stringValue))
                },
                conflictedFields: try JSONColumn.strings(row["conflicted_fields"]),
                notes: notes, missedCalls: missedCalls)
        }
    }

    /// A note; nil if it is not on the device.
    public func note(_ id: RecordID) async throws(CareStoreError) -> NoteView? {
        try await read { db in
            try Row.fetchOne(
                db,
                sql: "SELECT n.*, \(Self.syncStateSQL("'visit_note'", "n.id")) AS sync FROM visit_note n WHERE n.id = ?",
                arguments: [id.description]
            ).map(Self.note)
        }
    }

    /// The abuse reports on this device, newest first: a care worker's own; for a
    /// safeguarding lead, every report pulled.
    public func abuseReports() async throws(CareStoreError) -> [AbuseReportView] {
        let worker = identity.worker.rawValue
        let everyone = identity.role == .safeguardingLead || identity.role == .auditor
        return try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT a.*, \(Self.syncStateSQL("'abuse_report'", "a.id")) AS sync FROM abuse_report a
                    WHERE a.reporter = ? OR ? ORDER BY a.reported_at DESC, a.id
                    """,
                arguments: [worker, everyone]
            ).map(Self.abuseReport)
        }
    }

    /// One abuse report; nil if it is not on the device.
    public func abuseReport(_ id: RecordID) async throws(CareStoreError) -> AbuseReportView? {
        try await read { db in
            try Row.fetchOne(
                db,
                sql: """
                    SELECT a.*, \(Self.syncStateSQL("'abuse_report'", "a.id")) AS sync FROM abuse_report a
                    WHERE a.id = ?
                    """,
                arguments: [id.description]
            ).map(Self.abuseReport)
        }
    }

    /// Records that need a person: concurrent values, or a visit's open review reasons.
    public func recordsNeedingReview() async throws(CareStoreError) -> [ReviewItem] {
        try await read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT kind, id, conflicted_fields, review_reasons FROM record
                    WHERE needs_attention = 1 ORDER BY kind, id
                    """
            ).map { row in
                guard let id = RecordID(row["id"] as String) else {
                    throw CareStoreError(.corruptDatabase, "a record id does not parse")
                }
                return ReviewItem(
                    record: RecordRef(kind: RecordKind(rawValue: row["kind"]), id: id),
                    conflictedFields: try JSONColumn.strings(row["conflicted_fields"]),
                    reviewReasons: try JSONColumn.strings(row["review_reasons"]).compactMap(
                        Visit.ReviewReason.init(rawValue:)))
            }
        }
    }

    /// The sync state of one record (``SyncState/acknowledged`` for a record this
    /// device never wrote).
    public func syncState(of record: RecordRef) async throws(CareStoreError) -> SyncState {
        try await read { db in
            let rank = try Int.fetchOne(
                db, sql: "SELECT \(Self.syncStateSQL("?", "?"))",
                arguments: [record.kind.rawValue, record.id.description])
            return Self.syncState(rank)
        }
    }

    /// Upload queue size, rejections and the last contact with the server.
    public func syncStatus() async throws(CareStoreError) -> SyncStatus {
        try await read { db in
            let row = try Row.fetchOne(
                db,
                sql: """
                    SELECT count(*) AS pending,
                           count(*) FILTER (WHERE sent_at IS NULL AND rejected_code IS NULL) AS local_only,
                           count(*) FILTER (WHERE sent_at IS NOT NULL AND rejected_code IS NULL) AS sent,
                           count(*) FILTER (WHERE rejected_code IS NOT NULL) AS rejected,
                           count(*) FILTER (WHERE priority = 0) AS abuse
                    FROM outbox
                    """)!
            let store = try StoreRow.fetch(db)
            return SyncStatus(
                pendingUploadCount: row["pending"], localOnlyCount: row["local_only"], sentCount: row["sent"],
                rejectedCount: row["rejected"], pendingAbuseReportCount: row["abuse"],
                lastSuccessfulSync: store.lastSyncAt, pullCursor: store.pullCursor)
        }
    }

    /// The number of operations waiting for the server's acknowledgement.
    public func pendingUploadCount() async throws(CareStoreError) -> Int {
        try await read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM outbox") ?? 0 }
    }

    /// Every record's state as the reducer's canonical JSON lines, in (kind, id)
    /// order: byte for byte what ``CareState/canonicalBytes()`` gives for the
    /// operations in this store's log. For audits and tests.
    public func canonicalState() async throws(CareStoreError) -> [UInt8] {
        try await read { db in
            var bytes: [UInt8] = []
            let cursor = try Data.fetchCursor(db, sql: "SELECT state FROM record ORDER BY kind, id")
            while let state = try cursor.next() {
                bytes.append(contentsOf: state)
                bytes.append(UInt8(ascii: "\n"))
            }
            return bytes
        }
    }

    // MARK: - Row mapping

    /// A SQL expression giving the sync rank of a record from the outbox:
    /// 0 rejected, 1 local only, 2 sent, NULL acknowledged. The two parameters
    /// are SQL expressions for the kind and the id (column names or `?`).
    ///
    /// The record's operations by this device come from the local op log's
    /// index by record, their outbox rows by counter: the outbox has no index
    /// by record, so that a write has one B-tree fewer to update.
    static func syncStateSQL(_ kind: String, _ id: String) -> String {
        """
        (SELECT min(CASE WHEN o.rejected_code IS NOT NULL THEN 0 WHEN o.sent_at IS NULL THEN 1 ELSE 2 END)
         FROM local_operation p JOIN outbox o ON o.counter = p.counter
         WHERE p.record_kind = \(kind) AND p.record_id = \(id))
        """
    }

    static func syncState(_ rank: Int?) -> SyncState {
        switch rank {
        case 0: .rejected
        case 1: .localOnly
        case 2: .sent
        default: .acknowledged
        }
    }

    static func recordID(_ text: String?) throws -> RecordID {
        guard let text, let id = RecordID(text) else {
            throw CareStoreError(.corruptDatabase, "a record id does not parse")
        }
        return id
    }

    static func workerID(_ text: String?) throws -> WorkerID {
        guard let text, let id = WorkerID(text) else {
            throw CareStoreError(.corruptDatabase, "a worker id does not parse")
        }
        return id
    }

    static func visitSummary(_ row: Row) throws -> VisitSummary {
        VisitSummary(
            id: try recordID(row["id"]), resident: row["resident"], team: row["team"],
            scheduledStart: row["scheduled_start"], scheduledEnd: row["scheduled_end"],
            status: Visit.Status(rawValue: row["status"]) ?? .scheduled,
            reviewReasons: try JSONColumn.strings(row["review_reasons"]).compactMap(
                Visit.ReviewReason.init(rawValue:)),
            riskFlag: row["risk_flag"], workerStatus: row["worker_status"], syncState: syncState(row["sync"]))
    }

    static func attendance(_ text: String) throws -> [AttendanceRecord] {
        (try JSONColumn.decode(text).listValue ?? []).compactMap { entry in
            guard let worker = entry["author"]?.stringValue.flatMap(WorkerID.init),
                let value = entry["value"], let time = value["time"]?.intValue,
                let method = value["method"]?.stringValue
            else { return nil }
            return AttendanceRecord(
                worker: worker, time: time, method: VerificationMethod(rawValue: method),
                latitudeE6: value["latitude_e6"]?.intValue, longitudeE6: value["longitude_e6"]?.intValue,
                tag: value["tag"]?.stringValue)
        }
    }

    static func note(_ row: Row) throws -> NoteView {
        let versions = try JSONColumn.strings(row["text_versions"])
        let amendments = try JSONColumn.decode(row["amendments"]).listValue ?? []
        return NoteView(
            id: try recordID(row["id"]), visit: try recordID(row["visit"]), author: try workerID(row["author"]),
            writtenAt: row["written_at"], text: row["text"], conflictingTexts: versions.count > 1 ? versions : [],
            amendments: amendments.compactMap { entry in
                guard let author = entry["author"]?.stringValue.flatMap(WorkerID.init),
                    let text = entry["text"]?.stringValue
                else { return nil }
                return NoteView.Amendment(author: author, text: text)
            },
            enteredInError: row["entered_in_error"], enteredInErrorReason: row["entered_in_error_reason"],
            syncState: syncState(row["sync"]))
    }

    static func missedCall(_ row: Row) throws -> MissedCallView {
        MissedCallView(
            id: try recordID(row["id"]), visit: try recordID(row["visit"]), author: try workerID(row["author"]),
            reportedAt: row["reported_at"], reason: row["reason"], details: row["details"],
            confirmedByOffice: row["confirmed_by_office"], syncState: syncState(row["sync"]))
    }

    static func entries(_ text: String) throws -> [AbuseReportView.Entry] {
        (try JSONColumn.decode(text).listValue ?? []).compactMap { entry in
            guard let author = entry["author"]?.stringValue.flatMap(WorkerID.init),
                let at = entry["at"]?.intValue, let text = entry["text"]?.stringValue
            else { return nil }
            return AbuseReportView.Entry(author: author, at: at, text: text)
        }
    }

    static func abuseReport(_ row: Row) throws -> AbuseReportView {
        let visit: String? = row["visit"]
        let involved = try JSONColumn.decode(row["involved"]).listValue ?? []
        return AbuseReportView(
            id: try recordID(row["id"]), reporter: try workerID(row["reporter"]), reportedAt: row["reported_at"],
            visit: try visit.map { try recordID($0) }, incidentKind: row["incident_kind"],
            occurredAt: row["occurred_at"], severity: row["severity"], status: row["status"],
            daysAbsent: row["days_absent"], policeReference: row["police_reference"], injury: row["injury"],
            witnesses: row["witnesses"],
            involved: involved.compactMap { person in
                guard let relationship = person["relationship"]?.stringValue else { return nil }
                return AbuseReportDraft.Involved(
                    relationship: relationship, description: person["description"]?.stringValue)
            },
            statement: row["statement"], supplements: try entries(row["supplements"]),
            safeguardingNotes: try entries(row["safeguarding_notes"]),
            actionsTaken: try entries(row["actions_taken"]), syncState: syncState(row["sync"]))
    }
}
