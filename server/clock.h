/* A test-only clock for crm-server: the real time plus an offset read from a
 * file, so that a test can move the server's clock forward (e.g. past an
 * account's purge dates). Enabled only by `serve --unsafe-test-clock FILE`. */
#ifndef CRM_SERVER_CLOCK_H
#define CRM_SERVER_CLOCK_H

#include <stdbool.h>

#define CLOCK_TEST_PATH_MAX     4096
#define CLOCK_TEST_PURGE_MS     200 /* the purge task's interval while the test clock is on */
#define CLOCK_TEST_OFFSET_MAX_S (100LL * 366 * 24 * 3600)

/* Makes db_now() return time(NULL) plus the whole number of seconds written
 * in offset_file, read again on every call (absent, empty or not a number
 * within +-CLOCK_TEST_OFFSET_MAX_S: 0). The path is copied. Call before any
 * thread starts. Returns 0, or -1 when the path is empty or too long. */
int clock_test_enable(const char *offset_file);

/* Whether clock_test_enable was called. */
bool clock_test_enabled(void);

#endif
