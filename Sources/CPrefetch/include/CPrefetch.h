#ifndef CPREFETCH_H
#define CPREFETCH_H

// Asks the processor to start loading the cache line at `address` for a read
// soon (the compiler's prefetch hint, which Swift does not expose). Only a
// hint: it never faults, whatever the address, and changes no result.
static inline void CPrefetch_read(const void *address) {
#if defined(__GNUC__) || defined(__clang__)
    __builtin_prefetch(address, 0, 3);
#else
    (void)address;
#endif
}

#endif
