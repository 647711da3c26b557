import CMallocArenas

#if canImport(Glibc)
import Glibc
#endif

/// How many malloc arenas the server process uses (glibc only).
///
/// glibc gives a thread that meets contention on an arena a new one, up to
/// eight per core, and each arena keeps memory it has freed: a server whose
/// event-loop, database and job threads all allocate ends up with resident
/// memory that grows with its thread count rather than its load. Two arenas
/// kept the server's resident memory at 200 open connections at 113 MB where
/// the default measured 139–159 MB, with ingest throughput unchanged
/// (docs/BENCHMARKS.md). `MALLOC_ARENA_MAX`, when set, wins.
enum MallocArenas {
    static let serverDefault = 2

    /// Applies ``serverDefault`` unless the environment sets `MALLOC_ARENA_MAX`.
    static func limitForServer() {
        #if canImport(Glibc)
        guard getenv("MALLOC_ARENA_MAX") == nil else { return }
        _ = CMallocArenas_limit(Int32(serverDefault))
        #endif
    }
}
