#ifndef CSPAWN_H
#define CSPAWN_H

// Child processes for the tests, by posix_spawn: nothing of ours runs in the
// child between fork and exec. (Foundation's Process, in Swift 6.3 on Linux,
// lists /proc/self/fd in the forked child and over-reads a buffer there,
// swift-corelibs-foundation#5472; the child crashed now and then and the test
// run hung.) Plain C types only, so the module builds against any libc headers.

// A pipe whose two ends close on exec. Returns 0, or an errno.
int CSpawn_pipe(int fds[2]);

// Starts `path` with `argv` and `envp` (both NULL-terminated), its standard
// input, output and error on the given descriptors (-1: /dev/null) and every
// other descriptor closed. Returns 0 with the child's pid in `pid`, or an errno.
int CSpawn_start(const char *path, char *const argv[], char *const envp[], int input, int output, int error, int *pid);

// Reaps `pid` (waiting for it unless `noWait`). Returns 1 with `exited` (1: it
// exited with `code`; 0: a signal `code` ended it), 0 while it still runs, or
// -errno.
int CSpawn_wait(int pid, int noWait, int *exited, int *code);

#endif
