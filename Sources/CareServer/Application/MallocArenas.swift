import CMallocArenas

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
    /// `malloc_trim`, a few milliseconds): for after a burst of work whose
    /// memory is freed, which glibc would otherwise keep resident in case it
    /// is needed again. A no-op elsewhere.
    static func releaseFreeMemory() {
        _ = CMallocArenas_releaseFreePages()
    }
}
