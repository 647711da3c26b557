/// A push waiting for its group of the storage's group commit
/// (``GroupCommit``): the batch, and the planner that decides it.
struct PendingIngest: Sendable {
    let batch: IngestBatch
    let planner: IngestPlanner
}
