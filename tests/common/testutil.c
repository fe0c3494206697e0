/* Small helpers shared by the test binaries: files and a private crm-server. */
#include "tests/common/testutil.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

char *testutil_read_file(const char *path, size_t *len)
{
    char full[4096];
    const char *dir = getenv("CRM_SRCDIR");
    FILE *f;
    char *buf = NULL;
    long size;

    if (path[0] != '/' && dir && dir[0])
        snprintf(full, sizeof full, "%s/%s", dir, path);
    else
        snprintf(full, sizeof full, "%s", path);
    f = fopen(full, "rb");
    if (!f)
        return NULL;
    if (fseek(f, 0, SEEK_END) != 0 || (size = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0)
        goto out;
    buf = malloc((size_t)size + 1);
    if (!buf)
        goto out;
    if (fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
        goto out;
    }
    buf[size] = '\0';
    if (len)
        *len = (size_t)size;
out:
    fclose(f);
    return buf;
}

const char *testutil_env(const char *name)
{
    const char *v = getenv(name);
    if (!v || !v[0]) {
        printf("Bail out! %s is not set (run this test through tests/api/with-server.sh)\n", name);
        exit(1);
    }
    return v;
}

/* Forks and execs argv with stdout to out_fd (-1: /dev/null), stderr to /dev/null. */
static pid_t spawn(const char *argv[], int out_fd)
{
    pid_t pid = fork();

    if (pid != 0)
        return pid;
    int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
        dup2(out_fd >= 0 ? out_fd : null, 1);
        dup2(null, 2);
    }
    execv(argv[0], (char *const *)(void *)argv);
    _exit(127);
}

int testutil_run(const char *argv[])
{
    int status;
    pid_t pid = spawn(argv, -1);

    if (pid < 0)
        return -1;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

static long elapsed_ms(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

bool testutil_server_start(struct testutil_server *s, const char *server, const char *db,
                           const char *const *extra)
{
    const char *argv[32];
    char out_path[] = "/tmp/crmtest-serve.XXXXXX";
    int n = 0, fd;
    struct timespec t0;
    bool up = false;

    memset(s, 0, sizeof *s);
    argv[n++] = server;
    argv[n++] = "serve";
    argv[n++] = db;
    argv[n++] = "--listen";
    argv[n++] = "127.0.0.1:0";
    for (int i = 0; extra && extra[i] && n < 31; i++)
        argv[n++] = extra[i];
    argv[n] = NULL;
    /* stdout goes to a file, not a pipe: a server that writes more later must
     * neither block on a full pipe nor die of SIGPIPE. */
    fd = mkstemp(out_path);
    if (fd < 0)
        return false;
    unlink(out_path);
    s->pid = spawn(argv, fd);
    if (s->pid < 0) {
        close(fd);
        s->pid = 0;
        return false;
    }
    clock_gettime(CLOCK_MONOTONIC, &t0);
    while (!up && elapsed_ms(&t0) < 10000 && waitpid(s->pid, NULL, WNOHANG) == 0) {
        char buf[1024], *line, *nl;
        ssize_t r = pread(fd, buf, sizeof buf - 1, 0);
        struct timespec pause = {0, 10 * 1000 * 1000};

        buf[r > 0 ? r : 0] = '\0';
        line = strstr(buf, "listening on ");
        if (line && (nl = strchr(line, '\n')) != NULL) {
            *nl = '\0';
            snprintf(s->url, sizeof s->url, "%s", line + strlen("listening on "));
            up = true;
        } else {
            nanosleep(&pause, NULL); /* polling the file, 10 ms a round */
        }
    }
    close(fd);
    if (!up)
        testutil_server_stop(s, SIGKILL);
    return up;
}

void testutil_server_stop(struct testutil_server *s, int sig)
{
    if (s->pid <= 0)
        return;
    kill(s->pid, sig);
    while (waitpid(s->pid, NULL, 0) < 0 && errno == EINTR)
        ;
    s->pid = 0;
}

bool testutil_server_init(const char *server, const char *db, int demo_n, const char *keys)
{
    char n[16];
    const char *argv[] = {server, "init", db, "--demo", n, "--keys-out", keys, NULL};

    snprintf(n, sizeof n, "%d", demo_n);
    return testutil_run(argv) == 0;
}

bool testutil_key(const char *keys_file, const char *user, char *buf, size_t cap)
{
    FILE *f = fopen(keys_file, "r");
    char line[512], name[64], role[64], key[256];
    bool found = false;

    if (!f)
        return false;
    while (!found && fgets(line, sizeof line, f)) {
        if (sscanf(line, "%63s %63s %255s", name, role, key) == 3 && strcmp(name, user) == 0) {
            snprintf(buf, cap, "%s", key);
            found = true;
        }
    }
    fclose(f);
    return found;
}
