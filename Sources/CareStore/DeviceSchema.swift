/// The device schema, as versioned migrations.
///
/// `Schema/device.sql` is the contract (the file a non-Swift client reads). Its
/// SQL is embedded here rather than shipped as a bundle resource, so that the
/// store needs no resource lookup at run time (no `Bundle.module`, which differs
/// between SwiftPM on Linux, apps and app extensions); a test checks that every
/// migration here is byte-for-byte the matching section of the file.
enum DeviceSchema {
    /// The migrations in order: a name (recorded by GRDB's migrator once applied)
    /// and the SQL it runs in one transaction.
    static let migrations: [(name: String, sql: String)] = [
        (
            "v1",
            #"""
            -- The store's owner and its replica: exactly one row.
            -- last_counter, head and hlc_* are the persisted LocalReplica (counter of the
            -- last local op, hash of that op, hybrid logical clock); they change in the same
            -- transaction as the op they describe.
            CREATE TABLE store (
                singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
                worker TEXT NOT NULL,
                role TEXT NOT NULL,
                team TEXT,
                replica TEXT NOT NULL,
                device TEXT NOT NULL,
                created_at INTEGER NOT NULL,
                signed_out_at INTEGER,
                last_counter INTEGER NOT NULL CHECK (last_counter >= 0),
                head BLOB NOT NULL CHECK (length(head) = 32),
                hlc_wall INTEGER NOT NULL,
                hlc_logical INTEGER NOT NULL,
                pull_cursor INTEGER NOT NULL DEFAULT 0,
                last_sync_at INTEGER
            );

            -- The op log: every operation this device wrote (is_local = 1) or received
            -- (is_local = 0), keyed by its dot. body is the operation's canonical JSON (the
            -- bytes that are hashed). previous and hash are this device's own hash chain;
            -- they are NULL for received ops, whose chains the server checks.
            -- acknowledged: 1 once the server has the op (always 1 for received ops).
            -- server_sequence: the server's log position, when the server told us.
            CREATE TABLE operation (
                replica TEXT NOT NULL,
                counter INTEGER NOT NULL CHECK (counter >= 1),
                record_kind TEXT NOT NULL,
                record_id TEXT NOT NULL,
                is_local INTEGER NOT NULL CHECK (is_local IN (0, 1)),
                previous BLOB CHECK (previous IS NULL OR length(previous) = 32),
                hash BLOB CHECK (hash IS NULL OR length(hash) = 32),
                body BLOB NOT NULL,
                acknowledged INTEGER NOT NULL CHECK (acknowledged IN (0, 1)),
                server_sequence INTEGER,
                stored_at INTEGER NOT NULL,
                PRIMARY KEY (replica, counter)
            ) WITHOUT ROWID;
            CREATE INDEX operation_by_record ON operation (record_kind, record_id);

            -- The upload queue: one row per local op the server has not acknowledged.
            -- priority 0 = abuse report (goes up first), 1 = everything else.
            -- sent_at NULL: only on this device; set: sent, waiting for the server's answer.
            -- rejected_*: the server refused the op (stable code, message).
            CREATE TABLE outbox (
                counter INTEGER PRIMARY KEY,
                record_kind TEXT NOT NULL,
                record_id TEXT NOT NULL,
                priority INTEGER NOT NULL CHECK (priority IN (0, 1)),
                sent_at INTEGER,
                attempts INTEGER NOT NULL DEFAULT 0,
                rejected_code TEXT,
                rejected_message TEXT
            );
            CREATE INDEX outbox_by_record ON outbox (record_kind, record_id);

            -- Every record any op touched: the reducer's state, as canonical JSON, and what
            -- needs a person (conflicting values, open review reasons).
            CREATE TABLE record (
                kind TEXT NOT NULL,
                id TEXT NOT NULL,
                operation_count INTEGER NOT NULL,
                is_created INTEGER NOT NULL CHECK (is_created IN (0, 1)),
                conflicted_fields TEXT NOT NULL,
                review_reasons TEXT NOT NULL,
                needs_attention INTEGER NOT NULL CHECK (needs_attention IN (0, 1)),
                state BLOB NOT NULL,
                PRIMARY KEY (kind, id)
            ) WITHOUT ROWID;
            CREATE INDEX record_needing_attention ON record (kind, id) WHERE needs_attention = 1;

            -- Screens: one row per created visit, with the values a reader shows.
            CREATE TABLE visit (
                id TEXT PRIMARY KEY,
                resident TEXT NOT NULL,
                team TEXT NOT NULL,
                scheduled_start INTEGER NOT NULL,
                scheduled_end INTEGER NOT NULL,
                status TEXT NOT NULL,
                needs_review INTEGER NOT NULL,
                review_reasons TEXT NOT NULL,
                conflicted_fields TEXT NOT NULL,
                risk_flag TEXT,
                worker_status TEXT,
                attendance_verified INTEGER NOT NULL,
                assigned_workers TEXT NOT NULL,
                planned_tasks TEXT NOT NULL,
                check_ins TEXT NOT NULL,
                check_outs TEXT NOT NULL,
                tasks_done TEXT NOT NULL
            );

            -- The workers related to a visit: assigned to it, or who recorded evidence on it
            -- (they stay related after a reassignment). Drives "today's visits".
            CREATE TABLE visit_worker (
                worker TEXT NOT NULL,
                scheduled_start INTEGER NOT NULL,
                visit TEXT NOT NULL,
                PRIMARY KEY (worker, scheduled_start, visit)
            ) WITHOUT ROWID;
            CREATE INDEX visit_worker_by_visit ON visit_worker (visit, worker);

            CREATE TABLE visit_note (
                id TEXT PRIMARY KEY,
                visit TEXT NOT NULL,
                author TEXT NOT NULL,
                written_at INTEGER NOT NULL,
                text TEXT NOT NULL,
                text_versions TEXT NOT NULL,
                amendments TEXT NOT NULL,
                entered_in_error INTEGER NOT NULL,
                entered_in_error_reason TEXT
            ) WITHOUT ROWID;
            CREATE INDEX visit_note_by_visit ON visit_note (visit, written_at);

            CREATE TABLE missed_call (
                id TEXT PRIMARY KEY,
                visit TEXT NOT NULL,
                author TEXT NOT NULL,
                reported_at INTEGER NOT NULL,
                reason TEXT NOT NULL,
                details TEXT,
                confirmed_by_office INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX missed_call_by_visit ON missed_call (visit);

            -- Abuse reports this device may see: the worker's own (the safeguarding lead's
            -- device: every report it pulled).
            CREATE TABLE abuse_report (
                id TEXT PRIMARY KEY,
                reporter TEXT NOT NULL,
                reported_at INTEGER NOT NULL,
                visit TEXT,
                incident_kind TEXT NOT NULL,
                occurred_at INTEGER NOT NULL,
                severity INTEGER NOT NULL,
                status TEXT NOT NULL,
                days_absent INTEGER,
                police_reference TEXT,
                injury INTEGER,
                witnesses TEXT,
                involved TEXT NOT NULL,
                statement TEXT NOT NULL,
                supplements TEXT NOT NULL,
                safeguarding_notes TEXT NOT NULL,
                actions_taken TEXT NOT NULL
            );
            CREATE INDEX abuse_report_by_reporter ON abuse_report (reporter, reported_at);

            -- Sign-outs, worker switches and wipes, forced or not. A forced one records what
            -- was discarded (counters and chain head of the unacknowledged ops). Never
            -- emptied, not even by a wipe; holds no care content.
            CREATE TABLE store_event (
                at INTEGER NOT NULL,
                action TEXT NOT NULL,
                forced INTEGER NOT NULL CHECK (forced IN (0, 1)),
                worker TEXT NOT NULL,
                replica TEXT NOT NULL,
                unacknowledged_count INTEGER NOT NULL,
                first_unacknowledged INTEGER,
                last_unacknowledged INTEGER,
                head BLOB NOT NULL
            );
            """#
        ),
        (
            "v2",
            #"""
            -- The server's signed receipts for this device's own operations (issue 8): one
            -- per acknowledged local op, checked against the server's key before it was
            -- stored, kept as the server's proof that the office received the op. receipt is
            -- the OperationReceipt as JSON (entry, Merkle path, root, signature), checkable
            -- on its own, offline; received_at and server_sequence repeat its entry's values
            -- for the screens. The first receipt of an op is kept.
            CREATE TABLE receipt (
                counter INTEGER PRIMARY KEY,
                server_sequence INTEGER NOT NULL,
                received_at INTEGER NOT NULL,
                receipt BLOB NOT NULL
            );

            -- The server's Ed25519 public key (32 bytes, base64) that receipts are checked
            -- against, learnt at enrolment; NULL for a store made before receipts (its ops
            -- are acknowledged without receipts until a key is set).
            ALTER TABLE store ADD COLUMN server_key TEXT;
            """#
        ),
        (
            "v3",
            #"""
            -- No index of the outbox by record: the sync state of a record is found from
            -- the op log's index by record (this replica's operations on it) joined to the
            -- outbox by counter. One B-tree fewer to write on every local operation.
            DROP INDEX outbox_by_record;
            """#
        ),
        (
            "v4",
            #"""
            -- The op log in two tables, so that a local write appends instead of inserting
            -- into the middle of B-trees (v3's single WITHOUT ROWID `operation` table
            -- kept this device's operations in the middle of its (replica, counter) key
            -- order, and every local write paid for rebalancing there):
            -- - local_operation: this device's own operations, keyed by counter, which is
            --   the rowid, so appends go to the rightmost leaf; previous and hash are the
            --   device's hash chain; acknowledged: 1 once the server has the op;
            --   server_sequence: the server's log position, when the server told us;
            -- - received_operation: operations of other replicas from the server, keyed by
            --   their dot (this device's own operations coming back are not stored again).
            -- The view `operation` is v3's table, read-only: both, with v3's columns.
            -- Rows are moved as they were; the old table's pages are left free for reuse.
            CREATE TABLE local_operation (
                counter INTEGER PRIMARY KEY CHECK (counter >= 1),
                record_kind TEXT NOT NULL,
                record_id TEXT NOT NULL,
                previous BLOB NOT NULL CHECK (length(previous) = 32),
                hash BLOB NOT NULL CHECK (length(hash) = 32),
                body BLOB NOT NULL,
                acknowledged INTEGER NOT NULL CHECK (acknowledged IN (0, 1)),
                server_sequence INTEGER,
                stored_at INTEGER NOT NULL
            );
            INSERT INTO local_operation (counter, record_kind, record_id, previous, hash, body, acknowledged, server_sequence,
                                         stored_at)
            SELECT counter, record_kind, record_id, previous, hash, body, acknowledged, server_sequence, stored_at
            FROM operation WHERE is_local = 1 ORDER BY counter;
            CREATE INDEX local_operation_by_record ON local_operation (record_kind, record_id);

            CREATE TABLE received_operation (
                replica TEXT NOT NULL,
                counter INTEGER NOT NULL CHECK (counter >= 1),
                record_kind TEXT NOT NULL,
                record_id TEXT NOT NULL,
                body BLOB NOT NULL,
                stored_at INTEGER NOT NULL,
                PRIMARY KEY (replica, counter)
            ) WITHOUT ROWID;
            INSERT INTO received_operation (replica, counter, record_kind, record_id, body, stored_at)
            SELECT replica, counter, record_kind, record_id, body, stored_at FROM operation WHERE is_local = 0;
            CREATE INDEX received_operation_by_record ON received_operation (record_kind, record_id);

            DROP TABLE operation;
            CREATE VIEW operation (replica, counter, record_kind, record_id, is_local, previous, hash, body, acknowledged,
                                   server_sequence, stored_at) AS
            SELECT (SELECT replica FROM store WHERE singleton = 1), counter, record_kind, record_id, 1, previous, hash, body,
                   acknowledged, server_sequence, stored_at
            FROM local_operation
            UNION ALL
            SELECT replica, counter, record_kind, record_id, 0, NULL, NULL, body, 1, NULL, stored_at FROM received_operation;

            -- No query uses the index of abuse reports by reporter: the reports screen
            -- reads the worker's own or every report (`reporter = ? OR ?`), which SQLite
            -- answers by scanning the table (a device holds few reports). One B-tree fewer
            -- to write with every report.
            DROP INDEX abuse_report_by_reporter;
            """#
        ),
    ]
}
