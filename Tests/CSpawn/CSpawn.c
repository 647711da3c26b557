#define _GNU_SOURCE
#include "CSpawn.h"

#include <errno.h>
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

int CSpawn_pipe(int fds[2]) {
#if defined(__linux__)
    return pipe2(fds, O_CLOEXEC) == 0 ? 0 : errno;
#else
    // Elsewhere a thread spawning between the two calls may inherit the pipe:
    // its reader then waits for that child too. The tests run on Linux.
    if (pipe(fds) != 0) return errno;
    fcntl(fds[0], F_SETFD, FD_CLOEXEC);
    fcntl(fds[1], F_SETFD, FD_CLOEXEC);
    return 0;
#endif
}

int CSpawn_start(const char *path, char *const argv[], char *const envp[], int input, int output, int error, int *pid) {
    posix_spawn_file_actions_t actions;
    int result = posix_spawn_file_actions_init(&actions);
    if (result != 0) return result;
    const int given[3] = {input, output, error};
    for (int stream = 0; stream < 3 && result == 0; stream++) {
        result = given[stream] < 0
            ? posix_spawn_file_actions_addopen(&actions, stream, "/dev/null", stream == 0 ? O_RDONLY : O_WRONLY, 0)
            : posix_spawn_file_actions_adddup2(&actions, given[stream], stream);
    }
#if defined(__GLIBC__) && (__GLIBC__ > 2 || (__GLIBC__ == 2 && __GLIBC_MINOR__ >= 34))
    // Descriptors opened without close-on-exec elsewhere in the test process stay out of the child.
    if (result == 0) result = posix_spawn_file_actions_addclosefrom_np(&actions, 3);
#endif
    pid_t child = 0;
    if (result == 0) result = posix_spawn(&child, path, &actions, NULL, argv, envp);
    if (result == 0) *pid = child;
    posix_spawn_file_actions_destroy(&actions);
    return result;
}

int CSpawn_wait(int pid, int noWait, int *exited, int *code) {
    int status = 0;
    pid_t reaped;
    do {
        reaped = waitpid(pid, &status, noWait ? WNOHANG : 0);
    } while (reaped < 0 && errno == EINTR);
    if (reaped < 0) return -errno;
    if (reaped == 0) return 0;
    *exited = WIFEXITED(status) ? 1 : 0;
    *code = WIFEXITED(status) ? WEXITSTATUS(status) : WTERMSIG(status);
    return 1;
}
