#ifndef CMALLOCARENAS_H
#define CMALLOCARENAS_H

// The cap on glibc's malloc arenas that this library applied when the process
// started (see CMallocArenas.c): 2, or 0 where it applied none (not glibc, or
// `MALLOC_ARENA_MAX` was set and glibc took that instead).
int CMallocArenas_startLimit(void);

// Hands the pages malloc holds free back to the system (glibc's
// `malloc_trim(0)`); returns 1 if it released any, 0 otherwise or where there
// is no glibc.
int CMallocArenas_releaseFreePages(void);

#endif
