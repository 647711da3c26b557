import CareModel
import PostgresNIO

// The two statements an ingest group runs while it holds the ingest lock, as
// prepared statements: postgres-nio prepares each once per pooled connection,
// so PostgreSQL parses and plans them once instead of for every group, time
// that every other ingest on the database would otherwise wait through.
// Every value is bound; the texts are constant.

/// Everything the planners of a group of batches need, in one statement
/// (``IngestGroupSnapshot``): each batch's replica head and its stored
/// operations in the range the batch could need (from before its first counter
/// to its last), the log head, the index entries of the records any batch
/// touches, and which of the batches' visits any of their workers is or was
/// assigned to. Each row says which of these it is in its first column; a
/// replica's rows name it in the `id` column, an assignment's its worker in
/// the `owner` column.
struct IngestGroupSnapshotStatement: PostgresPreparedStatement {
    // Every lookup is a LATERAL subquery with LIMIT or OFFSET, which
    // PostgreSQL never flattens into a join: each runs as an index lookup per
    // wanted key, whatever the cached generic plan estimates. (As plain joins
    // on `unnest`, the generic plan chosen while the tables were small hashed
    // a sequential scan of `records`: a snapshot took longer as the table grew.)
    static let sql = """
        WITH found AS (
            SELECT r.kind, r.id, r.visit, r.team, r.owner, r.created_at
            FROM unnest($1::text[], $2::text[]) AS wanted(kind, id)
            CROSS JOIN LATERAL (SELECT kind, id, visit, team, owner, created_at FROM records
                WHERE kind = wanted.kind AND id = wanted.id LIMIT 1) AS r
        )
        SELECT 'replica_head', h.counter, NULL::bigint, NULL::bigint, h.hash, NULL, w.replica, NULL, NULL, NULL
            FROM (SELECT DISTINCT replica FROM unnest($3::text[]) AS w(replica)) AS w
            CROSS JOIN LATERAL (SELECT counter, hash FROM operations
                WHERE replica = w.replica ORDER BY counter DESC LIMIT 1) AS h
        UNION ALL
        SELECT 'stored', o.counter, o.sequence, o.received_at, o.hash, NULL, w.replica, NULL, NULL, NULL
            FROM unnest($3::text[], $4::bigint[], $5::bigint[]) AS w(replica, lowest, highest)
            CROSS JOIN LATERAL (SELECT counter, sequence, received_at, hash FROM operations
                WHERE replica = w.replica AND counter BETWEEN w.lowest AND w.highest OFFSET 0) AS o
        UNION ALL
        (SELECT 'log_head', sequence, NULL, NULL, server_hash, NULL, NULL, NULL, NULL, NULL FROM operations
            ORDER BY sequence DESC LIMIT 1)
        UNION ALL
        SELECT 'record', created_at, NULL, NULL, NULL, kind, id, visit, team, owner FROM found
        UNION ALL
        SELECT 'assigned', NULL, NULL, NULL, NULL, NULL, NULL, v.visit, NULL, a.worker
            FROM (SELECT visit FROM found WHERE visit IS NOT NULL UNION SELECT unnest($7::text[])) AS v(visit)
            CROSS JOIN LATERAL (SELECT worker FROM visit_access
                WHERE visit = v.visit AND worker = ANY($6::text[]) OFFSET 0) AS a
        """

    typealias Row = (String, Int64?, Int64?, Int64?, ByteBuffer?, String?, String?, String?, String?, String?)

    var recordKinds: [String] = []
    var recordIDs: [String] = []
    /// One entry per batch, with the counters it could need.
    var replicas: [String] = []
    var lowestCounters: [Int64] = []
    var highestCounters: [Int64] = []
    var workers: [String] = []
    /// The visits the batches themselves write (a create may assign the worker).
    var batchVisits: [String] = []

    init(_ batches: [IngestBatch]) {
        var references: Set<RecordRef> = []
        var workerIDs: Set<String> = []
        for batch in batches {
            references.formUnion(batch.referencedRecords)
            workerIDs.insert(batch.worker.id.rawValue)
            replicas.append(batch.replica.description)
            let counters = batch.snapshotCounters
            lowestCounters.append(Int64(counters.lowerBound))
            highestCounters.append(Int64(counters.upperBound))
            for operation in batch.operations where operation.record.kind == .visit {
                batchVisits.append(operation.record.id.description)
            }
        }
        recordKinds = references.map { $0.kind.rawValue }
        recordIDs = references.map { $0.id.description }
        workers = Array(workerIDs)
    }

    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 7)
        bindings.append(recordKinds)
        bindings.append(recordIDs)
        bindings.append(replicas)
        bindings.append(lowestCounters)
        bindings.append(highestCounters)
        bindings.append(workers)
        bindings.append(batchVisits)
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Row.self) }
}

/// Everything a group's plan (``IngestPlan/init(writing:)``) writes, in one
/// statement: an `INSERT ... SELECT FROM
/// unnest(...)` per table, all but the last as data-modifying `WITH` parts,
/// which PostgreSQL runs exactly once each whether or not anything refers to
/// them. Empty arrays write nothing. Absent values travel as sentinels turned
/// back into NULL: `''` for text (no id is empty), 0 for times (never 0), an
/// empty stamp. The schedule index and report deadlines merge by
/// ``WorkflowIndexSQL``'s conflict rules.
struct IngestWriteStatement: PostgresPreparedStatement {
    static let sql = """
        WITH logged AS (
            INSERT INTO operations (sequence, replica, counter, kind, record, author, device, visit, team, owner,
                received_at, hash, server_hash, body)
            SELECT sequence, replica, counter, kind, record, author, device, NULLIF(visit, ''), NULLIF(team, ''),
                owner, received_at, hash, server_hash, body
            FROM unnest($1::bigint[], $2::text[], $3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[],
                $8::text[], $9::text[], $10::text[], $11::bigint[], $12::bytea[], $13::bytea[], $14::bytea[])
                AS batch(sequence, replica, counter, kind, record, author, device, visit, team, owner, received_at,
                    hash, server_hash, body)
        ), signed AS (
            -- The first signature of a (replica, counter) is kept, as on SQLite.
            INSERT INTO chain_signatures (replica, counter, head, signature, received_at)
            SELECT * FROM unnest($15::text[], $16::bigint[], $17::bytea[], $18::text[], $19::bigint[])
            ON CONFLICT (replica, counter) DO NOTHING
        ), indexed AS (
            INSERT INTO records (kind, id, visit, team, owner, created_at)
            SELECT kind, id, NULLIF(visit, ''), NULLIF(team, ''), owner, created_at
            FROM unnest($20::text[], $21::text[], $22::text[], $23::text[], $24::text[], $25::bigint[])
                AS batch(kind, id, visit, team, owner, created_at)
        ), scheduled AS (
            INSERT INTO visit_schedule AS s (\(WorkflowIndexSQL.visitColumns.joined(separator: ", ")))
            SELECT visit, NULLIF(team, ''), NULLIF(scheduled_start, 0), NULLIF(start_stamp, ''::bytea),
                NULLIF(scheduled_end, 0), NULLIF(end_stamp, ''::bytea), cancelled, NULLIF(cancelled_stamp, ''::bytea),
                marked_missed, NULLIF(missed_stamp, ''::bytea), office_confirmed, NULLIF(check_in_time, 0),
                NULLIF(check_in_received_at, 0), NULLIF(check_out_time, 0), NULLIF(alert_due_at, 0),
                alert_state::smallint, NULLIF(alert_outcome, '')
            FROM unnest($26::text[], $27::text[], $28::bigint[], $29::bytea[], $30::bigint[], $31::bytea[],
                $32::boolean[], $33::bytea[], $34::boolean[], $35::bytea[], $36::boolean[], $37::bigint[],
                $38::bigint[], $39::bigint[], $40::bigint[], $41::bigint[], $42::text[])
                AS c(visit, team, scheduled_start, start_stamp, scheduled_end, end_stamp, cancelled, cancelled_stamp,
                    marked_missed, missed_stamp, office_confirmed, check_in_time, check_in_received_at,
                    check_out_time, alert_due_at, alert_state, alert_outcome)
            \(WorkflowIndexSQL.visitConflict)
        ), deadlines AS (
            INSERT INTO report_deadlines AS s (\(WorkflowIndexSQL.reportColumns.joined(separator: ", ")))
            SELECT report, NULLIF(received_at, 0), status_rank::smallint, escalation_level::integer
            FROM unnest($43::text[], $44::bigint[], $45::bigint[], $46::bigint[])
                AS c(report, received_at, status_rank, escalation_level)
            \(WorkflowIndexSQL.reportConflict)
        )
        INSERT INTO visit_access (visit, worker, granted_at)
        SELECT * FROM unnest($47::text[], $48::text[], $49::bigint[])
        ON CONFLICT (visit, worker) DO NOTHING
        """

    typealias Row = ()

    let plan: IngestPlan

    /// Whether the plan writes anything at all.
    var isEmpty: Bool {
        plan.operations.isEmpty && plan.signatures.isEmpty && plan.newRecords.isEmpty && plan.grants.isEmpty
            && plan.workflowIndex.isEmpty
    }

    // Closures rather than key paths throughout: in the release build a
    // `map(\.x.y)` here projected each element through the key path runtime,
    // a measurable share of the time the ingest lock is held.
    func makeBindings() throws -> PostgresBindings {
        var bindings = PostgresBindings(capacity: 49)
        let rows = plan.operations
        bindings.append(rows.map { Int64($0.sequence) })
        bindings.append(rows.map { $0.id.replica.description })
        bindings.append(rows.map { Int64($0.id.counter) })
        bindings.append(rows.map { $0.record.kind.rawValue })
        bindings.append(rows.map { $0.record.id.description })
        bindings.append(rows.map { $0.author.rawValue })
        bindings.append(rows.map { $0.device.description })
        bindings.append(rows.map { $0.visit?.description ?? "" })
        bindings.append(rows.map { $0.team?.rawValue ?? "" })
        bindings.append(rows.map { $0.owner.rawValue })
        bindings.append(rows.map { $0.receivedAt })
        bindings.append(rows.map { ByteBuffer(bytes: $0.hash.bytes) })
        bindings.append(rows.map { ByteBuffer(bytes: $0.serverHash) })
        bindings.append(rows.map { ByteBuffer(bytes: $0.body) })

        let signatures = plan.signatures
        bindings.append(signatures.map { $0.replica.description })
        bindings.append(signatures.map { Int64($0.counter) })
        bindings.append(signatures.map { ByteBuffer(bytes: $0.head.bytes) })
        bindings.append(signatures.map { $0.signature })
        bindings.append(signatures.map { $0.receivedAt })

        let entries = plan.newRecords
        bindings.append(entries.map { $0.ref.kind.rawValue })
        bindings.append(entries.map { $0.ref.id.description })
        bindings.append(entries.map { $0.visit?.description ?? "" })
        bindings.append(entries.map { $0.team?.rawValue ?? "" })
        bindings.append(entries.map { $0.owner.rawValue })
        bindings.append(entries.map { Int64($0.createdAt) })

        func time(_ value: Int64?) -> Int64 { value ?? 0 }
        func stamp<Wrapped>(_ value: Stamped<Wrapped>?) -> ByteBuffer { ByteBuffer(bytes: value?.stamp.bytes ?? []) }
        let visits = Array(plan.workflowIndex.visits.values)
        bindings.append(visits.map { $0.visit.description })
        bindings.append(visits.map { $0.team?.rawValue ?? "" })
        bindings.append(visits.map { time($0.scheduledStart?.value) })
        bindings.append(visits.map { stamp($0.scheduledStart) })
        bindings.append(visits.map { time($0.scheduledEnd?.value) })
        bindings.append(visits.map { stamp($0.scheduledEnd) })
        bindings.append(visits.map { $0.cancelled?.value ?? false })
        bindings.append(visits.map { stamp($0.cancelled) })
        bindings.append(visits.map { $0.markedMissed?.value ?? false })
        bindings.append(visits.map { stamp($0.markedMissed) })
        bindings.append(visits.map { $0.officeConfirmed })
        bindings.append(visits.map { time($0.checkInTime) })
        bindings.append(visits.map { time($0.checkInReceivedAt) })
        bindings.append(visits.map { time($0.checkOutTime) })
        bindings.append(visits.map { time($0.alertDueAt) })
        bindings.append(visits.map { Int64($0.alertState.rawValue) })
        bindings.append(visits.map { $0.alertOutcome?.rawValue ?? "" })

        let reports = Array(plan.workflowIndex.reports.values)
        bindings.append(reports.map { $0.report.description })
        bindings.append(reports.map { $0.receivedAt ?? 0 })
        bindings.append(reports.map { $0.statusRank })
        bindings.append(reports.map { $0.escalationLevel })

        // A worker keeps the first grant of a visit: the group's plan holds
        // only the first of each (`IngestPlan(writing:)`), and ON CONFLICT
        // keeps one stored before.
        let grants = plan.grants
        bindings.append(grants.map { $0.visit.description })
        bindings.append(grants.map { $0.worker.rawValue })
        bindings.append(grants.map { Int64($0.grantedAt) })
        return bindings
    }

    func decodeRow(_ row: PostgresRow) throws -> Row {}
}
