/// The server's PostgreSQL schema, as versioned migrations, applied in order by
/// ``PostgresMigrator`` and recorded in `schema_migrations`. `Schema/server.postgres.sql`
/// is these statements in order (a test checks they agree). The tables and
/// columns are those of the SQLite schema, in PostgreSQL's types.
enum PostgresSchema {
    /// Migrations by identifier, oldest first. Never edit a released one: add a new one.
    static let migrations: [(identifier: String, sql: String)] = [
        ("v1", version1), ("v2", version2), ("v3", version3), ("v4", version4), ("v5", version5), ("v6", version6),
    ]

    static let version1 = """
        -- Reference data, managed by admins.
        CREATE TABLE workers (
            id TEXT PRIMARY KEY,
            roles TEXT NOT NULL,                 -- comma-separated, sorted
            teams TEXT NOT NULL,                 -- comma-separated, sorted
            active BOOLEAN NOT NULL DEFAULT TRUE
        );

        CREATE TABLE residents (
            id TEXT PRIMARY KEY,
            team TEXT NOT NULL
        );

        -- One-time enrolment codes, kept only as SHA-256.
        CREATE TABLE enrolment_codes (
            code_hash BYTEA PRIMARY KEY,
            worker TEXT NOT NULL REFERENCES workers(id),
            created_at BIGINT NOT NULL,          -- Unix ms
            expires_at BIGINT NOT NULL,
            used_at BIGINT,
            used_by_device TEXT
        );

        -- Enrolled devices: one replica each; the bearer token kept only as SHA-256.
        CREATE TABLE devices (
            id TEXT PRIMARY KEY,
            worker TEXT NOT NULL REFERENCES workers(id),
            replica TEXT NOT NULL UNIQUE,
            public_key TEXT NOT NULL,            -- Ed25519, 32 bytes, base64
            token_hash BYTEA NOT NULL UNIQUE,
            enrolled_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            revoked_at BIGINT
        );

        -- The server log: every stored operation, in sequence order, chained.
        -- `sequence` is assigned by the ingest planner under the ingest lock (see
        -- docs/ARCHITECTURE.md), never by a PostgreSQL sequence: it has no gaps and
        -- commits in order.
        CREATE TABLE operations (
            sequence BIGINT PRIMARY KEY,         -- global log position, 1, 2, 3, ...
            replica TEXT NOT NULL,
            counter BIGINT NOT NULL,
            kind TEXT NOT NULL,
            record TEXT NOT NULL,
            author TEXT NOT NULL,
            device TEXT NOT NULL,
            visit TEXT,                          -- the visit it belongs to (NULL for abuse reports)
            team TEXT,                           -- that visit's team (NULL for abuse reports)
            owner TEXT NOT NULL,                 -- the record's creator (an abuse report's reporter)
            received_at BIGINT NOT NULL,         -- server receive time, Unix ms
            hash BYTEA NOT NULL,                 -- replica chain: SHA-256(previous hash || body)
            server_hash BYTEA NOT NULL,          -- server chain, see ServerLogChain
            body BYTEA NOT NULL,                 -- canonical encoding of the operation
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
            created_at BIGINT NOT NULL,          -- sequence of the create
            PRIMARY KEY (kind, id)
        );

        -- Who was ever assigned to which visit, from which log position.
        CREATE TABLE visit_access (
            visit TEXT NOT NULL,
            worker TEXT NOT NULL,
            granted_at BIGINT NOT NULL,          -- sequence of the assigning operation
            PRIMARY KEY (visit, worker)
        );
        CREATE INDEX visit_access_by_worker ON visit_access(worker, granted_at);
        """

    /// Device signatures over their chain heads (the auditor-replay issue).
    static let version2 = """
        -- Each device's Ed25519 signature over its replica's chain head after a push,
        -- kept when the signed operation is stored: with the enrolled public key, an
        -- auditor checks that the replica's stored operations are the device's own.
        CREATE TABLE chain_signatures (
            replica TEXT NOT NULL,
            counter BIGINT NOT NULL,             -- the last operation covered
            head BYTEA NOT NULL,                 -- the replica chain hash after it
            signature TEXT NOT NULL,             -- base64 Ed25519 signature
            received_at BIGINT NOT NULL,         -- Unix ms
            PRIMARY KEY (replica, counter)
        );
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
            private_key BYTEA NOT NULL,          -- Ed25519 seed, 32 bytes
            created_at BIGINT NOT NULL           -- Unix ms
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
            visit TEXT PRIMARY KEY,
            team TEXT,
            scheduled_start BIGINT,              -- Unix ms
            start_stamp BYTEA,
            scheduled_end BIGINT,
            end_stamp BYTEA,
            cancelled BOOLEAN NOT NULL DEFAULT FALSE,
            cancelled_stamp BYTEA,
            marked_missed BOOLEAN NOT NULL DEFAULT FALSE,
            missed_stamp BYTEA,
            office_confirmed BOOLEAN NOT NULL DEFAULT FALSE, -- a missed call confirmed by the office
            check_in_time BIGINT,                -- earliest check-in, device clock
            check_in_received_at BIGINT,         -- server receive time of the first check-in
            check_out_time BIGINT,               -- earliest check-out, device clock
            alert_due_at BIGINT,                 -- the overdue alert's due time
            alert_state SMALLINT NOT NULL DEFAULT 0, -- 0 none, 1 raised, 2 resolved
            alert_outcome TEXT
        );
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
            report TEXT PRIMARY KEY,
            received_at BIGINT,                  -- server receive time of the create, Unix ms
            status_rank SMALLINT NOT NULL DEFAULT 0, -- 0 submitted, 1 acknowledged, ...
            escalation_level INTEGER NOT NULL DEFAULT 0
        );
        CREATE INDEX report_deadlines_unacknowledged ON report_deadlines(received_at) WHERE status_rank = 0;
        """

    /// Background jobs (issue 8): log followers' cursors, the notification
    /// outbox and the review queue. Nothing here is ever deleted.
    static let version5 = """
        -- How far each log follower has handled the server log (see LogFollower).
        CREATE TABLE job_cursors (
            job TEXT PRIMARY KEY,
            sequence BIGINT NOT NULL,        -- last log sequence whose effects are stored
            updated_at BIGINT NOT NULL       -- Unix ms
        );

        -- The notification outbox: one row per notification, unique by idempotency key.
        -- Ids and kinds only: never care-record content (the receiver fetches details).
        CREATE TABLE notifications (
            key TEXT PRIMARY KEY,            -- idempotency key, sent as Idempotency-Key
            kind TEXT NOT NULL,              -- e.g. abuse_report_created, visit_overdue
            audience TEXT NOT NULL,          -- safeguarding or coordinators (from the subject's kind)
            subject_kind TEXT NOT NULL,
            subject_id TEXT NOT NULL,
            team TEXT,                       -- the subject's team (NULL for abuse reports)
            created_at BIGINT NOT NULL       -- Unix ms
        );

        -- One delivery per notification and webhook; failing ones stay, with their last error.
        CREATE TABLE notification_deliveries (
            key TEXT NOT NULL REFERENCES notifications(key),
            webhook TEXT NOT NULL,           -- the URL
            attempts INTEGER NOT NULL DEFAULT 0,
            next_attempt_at BIGINT,          -- Unix ms; NULL once delivered
            last_error TEXT,
            delivered_at BIGINT,
            PRIMARY KEY (key, webhook)
        );
        CREATE INDEX notification_deliveries_due ON notification_deliveries(next_attempt_at)
            WHERE delivered_at IS NULL;

        -- What needs a person: found by the review indexer, resolved (never deleted) by a decision.
        CREATE TABLE review_items (
            id TEXT PRIMARY KEY,
            reason TEXT NOT NULL,            -- a Visit.ReviewReason, concurrent_note_versions or clock_skew
            record_kind TEXT NOT NULL,       -- visit or visit_note
            record_id TEXT NOT NULL,
            team TEXT,                       -- the record's team, from the record index
            opened_sequence BIGINT NOT NULL, -- the log entry that raised it
            opened_at BIGINT NOT NULL,       -- its receive time, Unix ms
            resolved_at BIGINT,
            resolved_by TEXT,                -- who decided, or wrote what settled it
            resolution_sequence BIGINT       -- the decision's (or settling write's) log position
        );
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
            id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY, -- listing order
            replica TEXT NOT NULL,
            counter BIGINT NOT NULL,
            digest BYTEA NOT NULL,               -- SHA-256 of body
            device TEXT NOT NULL,
            worker TEXT NOT NULL,
            kind TEXT NOT NULL,                  -- the record's kind and id
            record TEXT NOT NULL,
            visit TEXT,                          -- its visit and team, when the server knows them
            team TEXT,
            code TEXT NOT NULL,                  -- the rejection's stable code
            message TEXT NOT NULL,
            received_at BIGINT NOT NULL,         -- server receive time, Unix ms
            body BYTEA NOT NULL,                 -- canonical encoding of the operation, as pushed
            UNIQUE (replica, counter, digest)
        );
        CREATE INDEX quarantine_by_team ON quarantine(team, id);
        """
}
