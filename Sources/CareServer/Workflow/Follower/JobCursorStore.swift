/// Where log followers keep their cursors (table `job_cursors`), durably, so a
/// restarted server resumes each job where its stored effects end.
public protocol JobCursorStore: Sendable {
    /// The last log sequence `job` has handled; 0 when it never ran.
    func jobCursor(_ job: String) async throws -> UInt64

    /// Moves `job`'s cursor to `sequence`, never back: of two servers following
    /// the same log, the one behind cannot undo the other's progress.
    func advanceJobCursor(_ job: String, to sequence: UInt64, at time: Int64) async throws
}
