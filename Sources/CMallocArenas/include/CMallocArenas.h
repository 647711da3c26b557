#ifndef CMALLOCARENAS_H
#define CMALLOCARENAS_H

// The cap on glibc's malloc arenas that this library applied when the process
// started (see CMallocArenas.c): 2, or 0 where it applied none (not glibc, or
// `MALLOC_ARENA_MAX` was set and glibc took that instead).
int CMallocArenas_startLimit(void);

#endif
