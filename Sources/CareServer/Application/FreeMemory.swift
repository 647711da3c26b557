import CMallocTrim
import Logging

/// Hands the memory malloc holds free back to the system (glibc's
/// `malloc_trim`; a no-op elsewhere).
///
/// A batch, a pull page or a follower's page is freed when it is done, but
/// glibc keeps the pages resident in case they are needed again, so a server
/// that took a burst of pushes stayed 10–20 MB larger for good
/// (docs/BENCHMARKS.md).
enum FreeMemory {
    static func release() {
        _ = CMallocTrim_releaseFreePages()
    }

    /// Releases free memory every `interval` (the background jobs' interval):
    /// a few milliseconds of work each time.
    static func trimService(every interval: Duration, logger: Logger) -> PeriodicService {
        PeriodicService(name: "malloc-trim", interval: interval, logger: logger) { release() }
    }
}
