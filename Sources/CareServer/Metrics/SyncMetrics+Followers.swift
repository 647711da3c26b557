import CoreMetrics

extension SyncMetrics {
    /// Counts the log positions a follower covered and where it read them:
    /// `caresync_log_follower_positions_total{job, source="memory"|"database"}`.
    /// Positions read from the database mean the follower fell behind its
    /// ``RecentLog`` (or another server wrote them).
    func recordFollowedPositions(job: String, count: UInt64, fromMemory: Bool) {
        CoreMetrics.Counter(
            label: "caresync_log_follower_positions_total",
            dimensions: [("job", job), ("source", fromMemory ? "memory" : "database")], factory: factory
        ).increment(by: Int(count))
    }
}
