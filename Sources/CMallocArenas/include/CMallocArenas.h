#ifndef CMALLOCARENAS_H
#define CMALLOCARENAS_H

#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#endif

// Caps glibc's malloc arenas at `count`; returns 0 where there is no glibc
// (Swift's Glibc module does not export mallopt or M_ARENA_MAX).
static inline int CMallocArenas_limit(int count) {
#if defined(__linux__) && defined(__GLIBC__)
    return mallopt(M_ARENA_MAX, count);
#else
    (void)count;
    return 0;
#endif
}

#endif
