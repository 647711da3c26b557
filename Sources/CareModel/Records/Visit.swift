/// A scheduled visit. The office owns the plan (resident, team, assigned
/// workers, window, tasks, cancellation); the assigned workers own what happened
/// at the door (check-ins, check-outs, tasks done). A change of plan never erases
/// recorded evidence: a cancelled, missed or reassigned visit that was attended
/// keeps its evidence and needs review.
public enum Visit {
    /// Field names, as they appear in operations.
    public enum Field {
        public static let resident = "resident"
        public static let team = "team"
        public static let assignedWorkers = "assigned_workers"
        public static let scheduledStart = "scheduled_start"
        public static let scheduledEnd = "scheduled_end"
        public static let plannedTasks = "planned_tasks"
        public static let cancelled = "cancelled"
        public static let cancellationReason = "cancellation_reason"
        public static let markedMissed = "marked_missed"
        public static let markedMissedReason = "marked_missed_reason"
        public static let riskFlag = "risk_flag"
        public static let checkIns = "check_ins"
        public static let checkOuts = "check_outs"
        public static let tasksDone = "tasks_done"
        public static let workerStatus = "worker_status"
        public static let attendanceVerified = "attendance_verified"
        public static let reviewDecisions = "review_decisions"
        public static let alerts = "alerts"
        public static let alertOutcomes = "alert_outcomes"
    }

    /// The fields the office plans with.
    public static let planFields: Set<String> = [
        Field.resident, Field.team, Field.assignedWorkers, Field.scheduledStart, Field.scheduledEnd,
        Field.plannedTasks, Field.cancelled, Field.cancellationReason, Field.markedMissed,
        Field.markedMissedReason, Field.riskFlag, Field.attendanceVerified, Field.reviewDecisions,
    ]

    /// The fields in which assigned workers record what happened.
    public static let evidenceFields: Set<String> = [
        Field.checkIns, Field.checkOuts, Field.tasksDone, Field.workerStatus,
    ]

    /// The fields only the server's own replica writes: alerts it raised about
    /// the visit and how each was resolved (see ``Visit/alerts(of:)``).
    public static let serverFields: Set<String> = [Field.alerts, Field.alertOutcomes]

    /// How attendance was verified at check-in or check-out.
    public static let verificationMethods = ["nfc", "qr", "gps", "telephony", "manual"]

    /// What the worker says they are doing, in order.
    public static let workerStatuses = ["en_route", "arrived", "in_progress", "completed", "could_not_attend"]

    static let attendance: ValueType = .object([
        "time": .required(.timestamp),
        "method": .required(.oneOf(verificationMethods)),
        "latitude_e6": .optional(.integer(-90_000_000...90_000_000)),
        "longitude_e6": .optional(.integer(-180_000_000...180_000_000)),
        "tag": .optional(.text(maxBytes: 200)),
    ])

    /// The keys of a review decision entry.
    public enum DecisionKey {
        /// What was decided, in words.
        public static let decision = "decision"
        /// Why, in short.
        public static let reason = "reason"
        /// The review reason it decides (`duplicate_check_in`, ...); without it,
        /// the decision settles every finding whose writes it has seen.
        public static let finding = "finding"
    }

    /// A review decision entry (visits' and notes' `review_decisions`).
    static let reviewDecision: ValueType = .object([
        DecisionKey.decision: .required(.text(maxBytes: 2_000)),
        DecisionKey.reason: .optional(.text(maxBytes: 64)),
        DecisionKey.finding: .optional(.text(maxBytes: 64)),
    ])

    /// The schema of a visit.
    public static let schema = RecordSchema(
        kind: .visit,
        fields: [
            FieldDescriptor(Field.resident, .name, .immutable, required: true),
            FieldDescriptor(Field.team, .name, .immutable, required: true),
            FieldDescriptor(
                Field.assignedWorkers, .list(.name, maxCount: 4), .multiValue(keepsHistory: true),
                required: true),
            FieldDescriptor(Field.scheduledStart, .timestamp, .multiValue(keepsHistory: false), required: true),
            FieldDescriptor(Field.scheduledEnd, .timestamp, .multiValue(keepsHistory: false), required: true),
            FieldDescriptor(
                Field.plannedTasks, .list(.text(maxBytes: 200), maxCount: 64), .multiValue(keepsHistory: false)),
            FieldDescriptor(Field.cancelled, .boolean, .multiValue(keepsHistory: true)),
            FieldDescriptor(Field.cancellationReason, .text(maxBytes: 2_000), .multiValue(keepsHistory: true)),
            FieldDescriptor(Field.markedMissed, .boolean, .multiValue(keepsHistory: true)),
            FieldDescriptor(
                Field.markedMissedReason, .oneOf(MissedCall.reasons), .multiValue(keepsHistory: true)),
            FieldDescriptor(Field.riskFlag, .text(maxBytes: 200), .multiValue(keepsHistory: false)),
            FieldDescriptor(Field.checkIns, attendance, .appendOnly),
            FieldDescriptor(Field.checkOuts, attendance, .appendOnly),
            FieldDescriptor(
                Field.tasksDone,
                .object([
                    "task": .required(.text(maxBytes: 200)),
                    "quantity": .optional(.integer(1...1_000)),
                    "note": .optional(.text(maxBytes: 2_000)),
                ]), .appendOnly),
            // Where the worker says they are: only the latest matters and the
            // evidence is in check-ins, so losing an older value is harmless.
            FieldDescriptor(Field.workerStatus, .oneOf(workerStatuses), .lastWriterWins),
            FieldDescriptor(Field.attendanceVerified, .boolean, .maximum),
            FieldDescriptor(Field.reviewDecisions, reviewDecision, .appendOnly),
            FieldDescriptor(
                Field.alerts,
                .object([
                    "alert": .required(.oneOf(Alert.Kind.allCases.map(\.rawValue))),
                    "due_at": .required(.timestamp),
                    "raised_at": .required(.timestamp),
                ]), .appendOnly),
            FieldDescriptor(
                Field.alertOutcomes,
                .object([
                    "alert": .required(.oneOf(Alert.Kind.allCases.map(\.rawValue))),
                    "due_at": .required(.timestamp),
                    "outcome": .required(.oneOf(Alert.Outcome.allCases.map(\.rawValue))),
                    "check_in_time": .optional(.timestamp),
                    "resolved_at": .required(.timestamp),
                ]), .appendOnly),
        ])

    /// The status a visit shows, derived from its plan and evidence.
    public enum Status: String, Sendable, Hashable, CaseIterable {
        case scheduled, inProgress = "in_progress", completed, cancelled, missed
    }

    /// Why a visit needs a person to look at it.
    public enum ReviewReason: String, Sendable, Hashable, CaseIterable, Comparable {
        /// A plan field holds concurrent values (siblings).
        case conflictingValues = "conflicting_values"
        /// The visit was cancelled, but a check-in was recorded.
        case attendedButCancelled = "attended_but_cancelled"
        /// The office marked the visit missed, but a check-in was recorded.
        case attendedButMarkedMissed = "attended_but_marked_missed"
        /// Someone not (or no longer) assigned to the visit checked in.
        case attendedByUnassignedWorker = "attended_by_unassigned_worker"
        /// One worker checked in more than once.
        case duplicateCheckIn = "duplicate_check_in"

        public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
    }
}
