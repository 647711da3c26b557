import CMallocArenas
import Logging

/// How many malloc arenas the server process uses (glibc only): capped at two
/// before `main` runs, unless `MALLOC_ARENA_MAX` is set (the reasons and the
/// figures are in `Sources/CMallocArenas/CMallocArenas.c`).
enum MallocArenas {
    /// The cap applied at start, or nil where none was (not glibc, or the
    /// environment chose one).
    static var startLimit: Int? {
        let limit = CMallocArenas_startLimit()
        return limit > 0 ? Int(limit) : nil
    }

    /// Hands the memory malloc holds free back to the system (glibc's
    /// `malloc_trim`; a no-op elsewhere). A batch, a pull page or a follower's
    /// page is freed when it is done, but glibc keeps the pages resident in
    /// case they are needed again, so a server that took a burst of pushes
    /// stayed 10–20 MB larger for good (docs/BENCHMARKS.md).
    static func releaseFreeMemory() {
        _ = CMallocArenas_releaseFreePages()
    }

    /// Releases free memory every `interval` (the background jobs' interval):
    /// a few milliseconds of work each time.
    static func trimService(every interval: Duration, logger: Logger) -> PeriodicService {
        PeriodicService(name: "malloc-trim", interval: interval, logger: logger) { releaseFreeMemory() }
    }
}
