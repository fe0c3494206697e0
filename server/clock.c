/* The test clock: real time shifted by the number of seconds a file holds,
 * installed into db_now() through db_set_clock. */
#include "server/clock.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/db.h"

static char offset_path[CLOCK_TEST_PATH_MAX];
static bool enabled;

/* The offset the file holds now, 0 when it holds none. */
static int64_t offset_read(void)
{
    char buf[32], *end;
    FILE *f = fopen(offset_path, "r");
    size_t n;
    long long v;

    if (!f)
        return 0;
    n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    buf[n] = '\0';
    errno = 0;
    v = strtoll(buf, &end, 10);
    if (errno || end == buf)
        return 0;
    while (*end == ' ' || *end == '\n' || *end == '\r' || *end == '\t')
        end++;
    if (*end || v > CLOCK_TEST_OFFSET_MAX_S || v < -CLOCK_TEST_OFFSET_MAX_S)
        return 0;
    return (int64_t)v;
}

static int64_t clock_test_now(void)
{
    return (int64_t)time(NULL) + offset_read();
}

int clock_test_enable(const char *offset_file)
{
    size_t n = offset_file ? strlen(offset_file) : 0;

    if (n == 0 || n >= sizeof offset_path)
        return -1;
    memcpy(offset_path, offset_file, n + 1);
    enabled = true;
    db_set_clock(clock_test_now);
    return 0;
}

bool clock_test_enabled(void)
{
    return enabled;
}
