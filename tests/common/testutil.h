/* Small helpers shared by the test binaries: files, and a crm-server of the
 * test's own (for rate limits, crashes, big databases). libc only. */
#ifndef CRM_TESTUTIL_H
#define CRM_TESTUTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

/* Reads a whole file into a malloc'd NUL-terminated buffer; NULL on failure.
 * A relative path is taken from $CRM_SRCDIR when set, else the current
 * directory (tests run from the top of the tree). */
char *testutil_read_file(const char *path, size_t *len);

/* The value of an environment variable the test cannot run without; prints
 * a TAP bail-out and exits 1 when it is missing. */
const char *testutil_env(const char *name);

/* Runs argv (NULL-ended, no shell), stdout and stderr to /dev/null; its exit
 * status, or -1. */
int testutil_run(const char *argv[]);

struct testutil_server {
    pid_t pid;
    char url[256]; /* the "listening on" URL, the API prefix */
};

/* Starts `SERVER serve DB --listen 127.0.0.1:0 EXTRA...` (extra NULL-ended,
 * may be NULL) and waits up to 10 s for its "listening on URL" line.
 * False when it did not come up. */
bool testutil_server_start(struct testutil_server *s, const char *server, const char *db,
                           const char *const *extra);
/* Stops the server with sig (SIGTERM, SIGKILL) and reaps it. */
void testutil_server_stop(struct testutil_server *s, int sig);

/* Creates a database with `SERVER init DB --demo N --keys-out KEYS`; true on
 * success. Then testutil_key(KEYS, "ana", buf, cap) reads a user's key. */
bool testutil_server_init(const char *server, const char *db, int demo_n, const char *keys);
bool testutil_key(const char *keys_file, const char *user, char *buf, size_t cap);

#endif
