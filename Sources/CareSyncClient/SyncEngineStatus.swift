/// What the sync engine is doing, for the app to show.
public enum SyncActivity: Sendable, Hashable {
    /// Not syncing; the last pass finished (or none ran yet).
    case idle
    /// A pass is running.
    case syncing
    /// The server could not be reached after the retries of a pass; local
    /// writes go on and are kept for the next pass.
    case offline
    /// The last pass stopped on an error the server named (or a local one):
    /// `code` is the server's error code, an operation's rejection code, or a
    /// store error code. The next pass tries again.
    case error(code: String)
    /// The server refused the device's credential (`code`: e.g.
    /// `device_revoked`, `expired_credential`). Terminal: the engine does not
    /// sync again; every local record stays on the device; the worker must enrol
    /// again. A new enrolment is a new replica, and the server refuses the old
    /// store's operations under it (`replica_mismatch`): what the old store had
    /// not delivered stays on the device, readable, but is not sent. (Known
    /// gap: credentials are not renewed, and a re-enrolment cannot yet adopt
    /// the old replica.)
    case credentialRejected(code: String)
}

/// Progress through a pull: pages and operations received in this pass.
public struct PullProgress: Sendable, Hashable {
    /// Pages applied so far in this pass.
    public var pages: Int
    /// Operations received so far in this pass (new and already known).
    public var operations: Int
    /// The cursor stored after the last page.
    public var cursor: UInt64
    /// Whether the server said more pages wait.
    public var hasMore: Bool

    public init(pages: Int, operations: Int, cursor: UInt64, hasMore: Bool) {
        self.pages = pages
        self.operations = operations
        self.cursor = cursor
        self.hasMore = hasMore
    }
}

/// A snapshot of the engine's state: one value per change on ``SyncEngine/statusUpdates()``.
public struct SyncEngineStatus: Sendable, Hashable {
    public var activity: SyncActivity
    /// This device's operations the server has not acknowledged yet.
    public var pendingUploadCount: Int
    /// Of those, operations the server refused (they need attention).
    public var rejectedUploadCount: Int
    /// When the device last heard from the server (Unix ms, device clock), nil if never.
    public var lastSuccessfulSync: Int64?
    /// The current or last pass's pull progress; nil before any page.
    public var pull: PullProgress?
    /// Operations the server said it holds whose receipt was missing or did not
    /// verify against the server's key, since the engine started: they were not
    /// recorded as acknowledged (the pass ends with the receipt's error code).
    public var refusedReceiptCount = 0

    public init(
        activity: SyncActivity = .idle, pendingUploadCount: Int = 0, rejectedUploadCount: Int = 0,
        lastSuccessfulSync: Int64? = nil, pull: PullProgress? = nil
    ) {
        self.activity = activity
        self.pendingUploadCount = pendingUploadCount
        self.rejectedUploadCount = rejectedUploadCount
        self.lastSuccessfulSync = lastSuccessfulSync
        self.pull = pull
    }
}
