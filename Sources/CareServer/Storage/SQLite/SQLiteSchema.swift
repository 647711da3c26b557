import GRDB

/// The server's SQLite schema, as versioned migrations. `Schema/server.sqlite.sql`
/// is these statements in order (a test checks they agree).
enum SQLiteSchema {
    /// Migrations by identifier, oldest first. Never edit a released one: add a new one.
    static let migrations: [(identifier: String, sql: String)] = [
        ("v1", version1), ("v2", version2), ("v3", version3), ("v4", version4), ("v5", version5), ("v6", version6),
    ]

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        for migration in migrations {
            migrator.registerMigration(migration.identifier) { db in
                try db.execute(sql: migration.sql)
            }
        }
        return migrator
    }

    static let version1 = """
        -- Reference data, managed by admins.
        CREATE TABLE workers (
            id TEXT PRIMARY KEY NOT NULL,
            roles TEXT NOT NULL,                 -- comma-separated, sorted
            teams TEXT NOT NULL,                 -- comma-separated, sorted
            active INTEGER NOT NULL DEFAULT 1
        ) WITHOUT ROWID;

        CREATE TABLE residents (
            id TEXT PRIMARY KEY NOT NULL,
            team TEXT NOT NULL
        ) WITHOUT ROWID;

        -- One-time enrolment codes, kept only as SHA-256.
        CREATE TABLE enrolment_codes (
            code_hash BLOB PRIMARY KEY NOT NULL,
            worker TEXT NOT NULL REFERENCES workers(id),
            created_at INTEGER NOT NULL,         -- Unix ms
            expires_at INTEGER NOT NULL,
            used_at INTEGER,
            used_by_device TEXT
        ) WITHOUT ROWID;

        -- Enrolled devices: one replica each; the bearer token kept only as SHA-256.
        CREATE TABLE devices (
            id TEXT PRIMARY KEY NOT NULL,
            worker TEXT NOT NULL REFERENCES workers(id),
            replica TEXT NOT NULL UNIQUE,
            public_key TEXT NOT NULL,            -- Ed25519, 32 bytes, base64
            token_hash BLOB NOT NULL UNIQUE,
            enrolled_at INTEGER NOT NULL,
            expires_at INTEGER NOT NULL,
            revoked_at INTEGER
        ) WITHOUT ROWID;

        -- The server log: every stored operation, in sequence order, chained.
        CREATE TABLE operations (
            sequence INTEGER PRIMARY KEY,        -- global log position, 1, 2, 3, ...
            replica TEXT NOT NULL,
            counter INTEGER NOT NULL,
            kind TEXT NOT NULL,
            record TEXT NOT NULL,
            author TEXT NOT NULL,
            device TEXT NOT NULL,
            visit TEXT,                          -- the visit it belongs to (NULL for abuse reports)
            team TEXT,                           -- that visit's team (NULL for abuse reports)
            owner TEXT NOT NULL,                 -- the record's creator (an abuse report's reporter)
            received_at INTEGER NOT NULL,        -- server receive time, Unix ms
            hash BLOB NOT NULL,                  -- replica chain: SHA-256(previous hash || body)
            server_hash BLOB NOT NULL,           -- server chain, see ServerLogChain
            body BLOB NOT NULL,                  -- canonical encoding of the operation
            UNIQUE (replica, counter)
        );
        CREATE INDEX operations_by_visit ON operations(visit, sequence);
        CREATE INDEX operations_by_team ON operations(team, sequence);
        CREATE INDEX operations_by_owner ON operations(owner, sequence);

        -- The record index: what access decisions need, fixed at create.
        CREATE TABLE records (
            kind TEXT NOT NULL,
            id TEXT NOT NULL,
            visit TEXT,
            team TEXT,
            owner TEXT NOT NULL,
            created_at INTEGER NOT NULL,         -- sequence of the create
            PRIMARY KEY (kind, id)
        ) WITHOUT ROWID;

        -- Who was ever assigned to which visit, from which log position.
        CREATE TABLE visit_access (
            visit TEXT NOT NULL,
            worker TEXT NOT NULL,
            granted_at INTEGER NOT NULL,         -- sequence of the assigning operation
            PRIMARY KEY (visit, worker)
        ) WITHOUT ROWID;
        CREATE INDEX visit_access_by_worker ON visit_access(worker, granted_at);
        """

    /// Device signatures over their chain heads (the auditor-replay issue).
    static let version2 = """
        -- Each device's Ed25519 signature over its replica's chain head after a push,
        -- kept when the signed operation is stored: with the enrolled public key, an
        -- auditor checks that the replica's stored operations are the device's own.
        CREATE TABLE chain_signatures (
            replica TEXT NOT NULL,
            counter INTEGER NOT NULL,            -- the last operation covered
            head BLOB NOT NULL,                  -- the replica chain hash after it
            signature TEXT NOT NULL,             -- base64 Ed25519 signature
            received_at INTEGER NOT NULL,        -- Unix ms
            PRIMARY KEY (replica, counter)
        ) WITHOUT ROWID;
        """

    /// The server's own replica (the care-workflows issue).
    static let version3 = """
        -- The server's own replica, which writes what the server decides (alerts,
        -- escalations), and its Ed25519 key, which signs that replica's chain heads
        -- and the receipts of pushes. One row, made by the first instance to start;
        -- the replica is also registered in `devices` (worker `caresync-server`).
        CREATE TABLE server_identity (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            replica TEXT NOT NULL,
            device TEXT NOT NULL,
            private_key BLOB NOT NULL,           -- Ed25519 seed, 32 bytes
            created_at INTEGER NOT NULL          -- Unix ms
        );
        """

    /// The care workflows' schedule index and abuse-report deadlines (issue 8, part A).
    static let version4 = """
        -- One row per visit: the fields the overdue monitor and the workflow lists
        -- read, kept by ingest from the operations that write them. Registers keep the
        -- value of the write with the greatest stamp (HLC, replica, counter: the
        -- model's winner order, as bytes); check-in and check-out times keep the
        -- earliest device time; flags and alert_state only rise.
        CREATE TABLE visit_schedule (
            visit TEXT PRIMARY KEY NOT NULL,
            team TEXT,
            scheduled_start INTEGER,             -- Unix ms
            start_stamp BLOB,
            scheduled_end INTEGER,
            end_stamp BLOB,
            cancelled INTEGER NOT NULL DEFAULT FALSE,
            cancelled_stamp BLOB,
            marked_missed INTEGER NOT NULL DEFAULT FALSE,
            missed_stamp BLOB,
            office_confirmed INTEGER NOT NULL DEFAULT FALSE, -- a missed call confirmed by the office
            check_in_time INTEGER,               -- earliest check-in, device clock
            check_in_received_at INTEGER,        -- server receive time of the first check-in
            check_out_time INTEGER,              -- earliest check-out, device clock
            alert_due_at INTEGER,                -- the overdue alert's due time
            alert_state INTEGER NOT NULL DEFAULT 0, -- 0 none, 1 raised, 2 resolved
            alert_outcome TEXT
        ) WITHOUT ROWID;
        CREATE INDEX visit_schedule_by_team ON visit_schedule(team, scheduled_start);
        -- What the overdue scan reads: visits still waiting for their first check-in
        -- (with their team, so a contract's teams are filtered in the index).
        CREATE INDEX visit_schedule_pending ON visit_schedule(scheduled_start, team)
            WHERE check_in_received_at IS NULL AND alert_state = 0 AND cancelled = FALSE
                AND marked_missed = FALSE AND office_confirmed = FALSE;
        -- Raised alerts whose check-in has arrived: the next tick resolves them.
        CREATE INDEX visit_schedule_resolvable ON visit_schedule(visit)
            WHERE alert_state = 1 AND check_in_received_at IS NOT NULL;

        -- One row per abuse report: when the server received it, how far its status
        -- has moved, and how many times the server escalated it.
        CREATE TABLE report_deadlines (
            report TEXT PRIMARY KEY NOT NULL,
            received_at INTEGER,                 -- server receive time of the create, Unix ms
            status_rank INTEGER NOT NULL DEFAULT 0, -- 0 submitted, 1 acknowledged, ...
            escalation_level INTEGER NOT NULL DEFAULT 0
        ) WITHOUT ROWID;
        CREATE INDEX report_deadlines_unacknowledged ON report_deadlines(received_at) WHERE status_rank = 0;
        """

    /// Background jobs (issue 8): log followers' cursors, the notification
    /// outbox and the review queue. Nothing here is ever deleted.
    static let version5 = """
        -- How far each log follower has handled the server log (see LogFollower).
        CREATE TABLE job_cursors (
            job TEXT PRIMARY KEY NOT NULL,
            sequence INTEGER NOT NULL,       -- last log sequence whose effects are stored
            updated_at INTEGER NOT NULL      -- Unix ms
        ) WITHOUT ROWID;

        -- The notification outbox: one row per notification, unique by idempotency key.
        -- Ids and kinds only: never care-record content (the receiver fetches details).
        CREATE TABLE notifications (
            key TEXT PRIMARY KEY NOT NULL,   -- idempotency key, sent as Idempotency-Key
            kind TEXT NOT NULL,              -- e.g. abuse_report_created, visit_overdue
            audience TEXT NOT NULL,          -- safeguarding or coordinators (from the subject's kind)
            subject_kind TEXT NOT NULL,
            subject_id TEXT NOT NULL,
            team TEXT,                       -- the subject's team (NULL for abuse reports)
            created_at INTEGER NOT NULL      -- Unix ms
        ) WITHOUT ROWID;

        -- One delivery per notification and webhook; failing ones stay, with their last error.
        CREATE TABLE notification_deliveries (
            key TEXT NOT NULL REFERENCES notifications(key),
            webhook TEXT NOT NULL,           -- the URL
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at INTEGER,         -- Unix ms; NULL once delivered
            last_error TEXT,
            delivered_at INTEGER,
            PRIMARY KEY (key, webhook)
        ) WITHOUT ROWID;
        CREATE INDEX notification_deliveries_due ON notification_deliveries(next_attempt_at)
            WHERE delivered_at IS NULL;

        -- What needs a person: found by the review indexer, resolved (never deleted) by a decision.
        CREATE TABLE review_items (
            id TEXT PRIMARY KEY NOT NULL,
            reason TEXT NOT NULL,            -- a Visit.ReviewReason, concurrent_note_versions or clock_skew
            record_kind TEXT NOT NULL,       -- visit or visit_note
            record_id TEXT NOT NULL,
            team TEXT,                       -- the record's team, from the record index
            opened_sequence INTEGER NOT NULL, -- the log entry that raised it
            opened_at INTEGER NOT NULL,      -- its receive time, Unix ms
            resolved_at INTEGER,
            resolved_by TEXT,                -- who decided, or wrote what settled it
            resolution_sequence INTEGER      -- the decision's (or settling write's) log position
        ) WITHOUT ROWID;
        CREATE UNIQUE INDEX review_items_open ON review_items(record_id, reason) WHERE resolved_at IS NULL;
        CREATE INDEX review_items_by_team ON review_items(team, opened_sequence);

        -- Reports stored before this migration are not new: their notifier starts after them.
        INSERT INTO job_cursors (job, sequence, updated_at)
        SELECT 'abuse-report-notifier', COALESCE(MAX(sequence), 0), 0 FROM operations;
        """


    /// The quarantine of rejected operations (issue 8).
    static let version6 = """
        -- Operations the server refused, kept for review with their reason: rejected
        -- operations are quarantined, never discarded. Written by ingest in the batch's
        -- transaction; the same operation pushed again adds no row.
        CREATE TABLE quarantine (
            id INTEGER PRIMARY KEY,              -- listing order
            replica TEXT NOT NULL,
            counter INTEGER NOT NULL,
            digest BLOB NOT NULL,                -- SHA-256 of body
            device TEXT NOT NULL,
            worker TEXT NOT NULL,
            kind TEXT NOT NULL,                  -- the record's kind and id
            record TEXT NOT NULL,
            visit TEXT,                          -- its visit and team, when the server knows them
            team TEXT,
            code TEXT NOT NULL,                  -- the rejection's stable code
            message TEXT NOT NULL,
            received_at INTEGER NOT NULL,        -- server receive time, Unix ms
            body BLOB NOT NULL,                  -- canonical encoding of the operation, as pushed
            UNIQUE (replica, counter, digest)
        );
        CREATE INDEX quarantine_by_team ON quarantine(team, id);
        """
}
