#include "CMallocArenas.h"

// `__GLIBC__` comes from <features.h>: without a libc header first, the
// checks below would find it undefined even on glibc.
#if defined(__linux__)
#include <features.h>
#endif
#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#include <stdlib.h>
#endif

// glibc gives a thread that meets contention on an arena a new one, up to
// eight per core, and each arena keeps the memory freed into it: a server whose
// event-loop, database and job threads all allocate ends up with resident
// memory that grows with its thread count rather than its load. Two arenas keep
// the server's resident memory at 200 open connections well under its 150 MB
// budget with ingest throughput unchanged (docs/BENCHMARKS.md).
//
// Applied by a constructor, before `main` and so before any thread exists:
// glibc fixes its arena limit once threads have made arenas of their own, and
// the same `mallopt` made when the server starts (after the Swift runtime's and
// the event loops' threads have allocated) measured 145-149 MB where the
// environment variable, read at the first allocation, measured 113 MB. The
// server programs (caresync-server, and caresync-bench, whose server benchmark
// runs one) link this target; the CareServer library does not, so a process
// embedding it (the test suite among them) keeps glibc's defaults.
// `MALLOC_ARENA_MAX`, when set, wins.
static int appliedLimit = 0;

#if defined(__linux__) && defined(__GLIBC__)
__attribute__((constructor)) static void CMallocArenas_limitAtStart(void) {
    if (getenv("MALLOC_ARENA_MAX") != NULL) return;
    if (mallopt(M_ARENA_MAX, 2) == 1) appliedLimit = 2;
}
#endif

int CMallocArenas_startLimit(void) { return appliedLimit; }
