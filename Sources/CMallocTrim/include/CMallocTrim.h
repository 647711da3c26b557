#ifndef CMALLOCTRIM_H
#define CMALLOCTRIM_H

// `__GLIBC__` comes from <features.h>: without a libc header first, the
// checks below would find it undefined even on glibc.
#if defined(__linux__)
#include <features.h>
#endif
#if defined(__linux__) && defined(__GLIBC__)
#include <malloc.h>
#endif

// Hands the pages malloc holds free back to the system (glibc's
// `malloc_trim(0)`, which Swift's Glibc module does not export); returns 1 if
// it released any, 0 otherwise or where there is no glibc.
static inline int CMallocTrim_releaseFreePages(void) {
#if defined(__linux__) && defined(__GLIBC__)
    return malloc_trim(0);
#else
    return 0;
#endif
}

#endif
