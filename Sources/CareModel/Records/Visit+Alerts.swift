/// Alerts the server raises about a visit, and how they were resolved.
///
/// Both are append-only fields written only by the server's replica
/// (``Visit/serverFields``): an alert is never deleted; when evidence arrives
/// the server appends an outcome for it. An alert is identified by its kind and
/// its due time, so an outcome names both.
extension Visit {
    /// One alert and its outcome, if resolved.
    public struct Alert: Hashable, Sendable {
        /// What the server noticed.
        public enum Kind: String, Sendable, Hashable, CaseIterable {
            /// No check-in by the scheduled start plus the contract's late tolerance.
            case overdue
        }

        /// How an alert was resolved once check-in evidence arrived.
        public enum Outcome: String, Sendable, Hashable, CaseIterable {
            /// The check-in was made (by the device's clock) on time; it only
            /// reached the server after the alert was raised.
            case deliveredSyncDelayed = "delivered_sync_delayed"
            /// The check-in was made after the alert's due time.
            case late
        }

        public var kind: Kind
        /// When the alert became due (scheduled start + tolerance), Unix ms.
        public var dueAt: Int64
        /// When the server raised it, Unix ms.
        public var raisedAt: Int64
        /// Its outcome, once resolved.
        public var outcome: Outcome?

        public init(kind: Kind, dueAt: Int64, raisedAt: Int64, outcome: Outcome? = nil) {
            self.kind = kind
            self.dueAt = dueAt
            self.raisedAt = raisedAt
            self.outcome = outcome
        }

        /// The value appended to ``Visit/Field/alerts`` to raise it.
        public var raisedEntry: Value {
            ["alert": .string(kind.rawValue), "due_at": .int(dueAt), "raised_at": .int(raisedAt)]
        }

        /// The value appended to ``Visit/Field/alertOutcomes`` to resolve it.
        public func outcomeEntry(_ outcome: Outcome, checkInTime: Int64?, resolvedAt: Int64) -> Value {
            var entry: [String: Value] = [
                "alert": .string(kind.rawValue), "due_at": .int(dueAt), "outcome": .string(outcome.rawValue),
                "resolved_at": .int(resolvedAt),
            ]
            if let checkInTime { entry["check_in_time"] = .int(checkInTime) }
            return .object(entry)
        }

        /// The outcome a check-in made at `checkInTime` (the device's clock) gives.
        public func outcome(forCheckInAt checkInTime: Int64) -> Outcome {
            checkInTime <= dueAt ? .deliveredSyncDelayed : .late
        }
    }

    /// The alerts raised on the visit, in log order, each with its outcome if
    /// one was recorded. The same alert raised twice (two servers racing) is
    /// listed once.
    public static func alerts(of state: RecordState) -> [Alert] {
        var alerts: [Alert] = []
        for entry in entries(state, Field.alerts) {
            guard let kind = entry.write.value["alert"]?.stringValue.flatMap(Alert.Kind.init),
                let dueAt = entry.write.value["due_at"]?.intValue,
                !alerts.contains(where: { $0.kind == kind && $0.dueAt == dueAt })
            else { continue }
            alerts.append(Alert(kind: kind, dueAt: dueAt, raisedAt: entry.write.value["raised_at"]?.intValue ?? dueAt))
        }
        for entry in entries(state, Field.alertOutcomes) {
            let value = entry.write.value
            guard let index = alerts.firstIndex(where: {
                $0.kind.rawValue == value["alert"]?.stringValue && $0.dueAt == value["due_at"]?.intValue
            }), alerts[index].outcome == nil
            else { continue }
            alerts[index].outcome = value["outcome"]?.stringValue.flatMap(Alert.Outcome.init)
        }
        return alerts
    }

    /// The earliest check-in time the device recorded, if any.
    public static func firstCheckInTime(of state: RecordState) -> Int64? {
        entries(state, Field.checkIns).compactMap { $0.write.value["time"]?.intValue }.min()
    }

    /// Whether the office has marked the visit missed (the shown value).
    public static func isMarkedMissed(_ state: RecordState) -> Bool {
        state[Field.markedMissed] == .bool(true)
    }

    /// Whether the visit is cancelled (the shown value).
    public static func isCancelled(_ state: RecordState) -> Bool {
        state[Field.cancelled] == .bool(true)
    }
}
