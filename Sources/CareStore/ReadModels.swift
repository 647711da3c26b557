public import CareModel

/// A visit as the day's list shows it.
public struct VisitSummary: Sendable, Hashable {
    public var id: RecordID
    public var resident: String
    public var team: String
    /// Scheduled window, Unix milliseconds.
    public var scheduledStart: Int64
    public var scheduledEnd: Int64
    /// Derived by the model: evidence outranks the plan.
    public var status: Visit.Status
    /// Why the visit needs a person (empty when it does not).
    public var reviewReasons: [Visit.ReviewReason]
    public var riskFlag: String?
    public var workerStatus: String?
    public var syncState: SyncState

    public var needsReview: Bool { !reviewReasons.isEmpty }
}

/// A check-in or check-out.
public struct AttendanceRecord: Sendable, Hashable {
    public var worker: WorkerID
    /// The device clock reading when it was recorded.
    public var time: Int64
    public var method: VerificationMethod
    public var latitudeE6: Int64?
    public var longitudeE6: Int64?
    public var tag: String?
}

/// A task recorded as done, and by whom.
public struct RecordedTask: Sendable, Hashable {
    public var worker: WorkerID
    public var task: TaskDone
}

/// A visit with everything recorded on it.
public struct VisitDetail: Sendable, Hashable {
    public var summary: VisitSummary
    public var assignedWorkers: [String]
    public var plannedTasks: [String]
    public var checkIns: [AttendanceRecord]
    public var checkOuts: [AttendanceRecord]
    public var tasksDone: [RecordedTask]
    /// Plan fields holding concurrent values.
    public var conflictedFields: [String]
    /// Notes, oldest first.
    public var notes: [NoteView]
    /// Missed-call records of the visit (normally at most one).
    public var missedCalls: [MissedCallView]
}

/// A visit note.
public struct NoteView: Sendable, Hashable {
    public struct Amendment: Sendable, Hashable {
        public var author: WorkerID
        public var text: String
    }

    public var id: RecordID
    public var visit: RecordID
    public var author: WorkerID
    /// The writing device's clock reading when the note was created.
    public var writtenAt: Int64
    /// The text shown (the deterministic winner if concurrent edits exist).
    public var text: String
    /// Every concurrent version of the text when edits conflict, winner last;
    /// empty when there is no conflict. Text is never silently dropped.
    public var conflictingTexts: [String]
    public var amendments: [Amendment]
    public var enteredInError: Bool
    public var enteredInErrorReason: String?
    public var syncState: SyncState
}

/// A missed-call record.
public struct MissedCallView: Sendable, Hashable {
    public var id: RecordID
    public var visit: RecordID
    public var author: WorkerID
    public var reportedAt: Int64
    /// One of ``MissedCall/reasons``.
    public var reason: String
    public var details: String?
    public var confirmedByOffice: Bool
    public var syncState: SyncState
}

/// An abuse report as its reporter (or a safeguarding lead) sees it.
public struct AbuseReportView: Sendable, Hashable {
    /// A supplement, safeguarding note or action: appended, never edited.
    public struct Entry: Sendable, Hashable {
        public var author: WorkerID
        /// The writer's hybrid logical clock time (Unix milliseconds).
        public var at: Int64
        public var text: String
    }

    public var id: RecordID
    public var reporter: WorkerID
    /// When it was filed (the reporting device's clock).
    public var reportedAt: Int64
    public var visit: RecordID?
    public var incidentKind: String
    public var occurredAt: Int64
    public var severity: Int64
    /// One of ``AbuseReport/statuses``.
    public var status: String
    public var daysAbsent: Int64?
    public var policeReference: String?
    public var injury: Bool?
    public var witnesses: String?
    public var involved: [AbuseReportDraft.Involved]
    public var statement: String
    public var supplements: [Entry]
    public var safeguardingNotes: [Entry]
    public var actionsTaken: [Entry]
    public var syncState: SyncState
}

/// A record that needs a person: concurrent values to resolve, or a visit's
/// open review reasons.
public struct ReviewItem: Sendable, Hashable {
    public var record: RecordRef
    public var conflictedFields: [String]
    public var reviewReasons: [Visit.ReviewReason]
}

/// The store's upload and download position, for the sync indicator.
public struct SyncStatus: Sendable, Hashable {
    /// Operations the server has not acknowledged (local only, sent or rejected).
    public var pendingUploadCount: Int
    /// Of those, never sent.
    public var localOnlyCount: Int
    /// Of those, sent and waiting for the server's answer.
    public var sentCount: Int
    /// Of those, refused by the server: they need attention.
    public var rejectedCount: Int
    /// Of those, abuse-report operations.
    public var pendingAbuseReportCount: Int
    /// When the device last heard from the server (an acknowledgement or a
    /// pulled page), by the device clock; nil if never.
    public var lastSuccessfulSync: Int64?
    /// The server log position up to which this device has pulled.
    public var pullCursor: UInt64

    /// Whether everything recorded here is on the server.
    public var isFullySynced: Bool { pendingUploadCount == 0 }
}
