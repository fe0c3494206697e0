/* Per-key timings for the bench (CRMTUI_KEYTIMES=FILE): read to flushed frame,
 * the first frame with rows, and the connections of the session. */
#include "tui/keytimes.h"

#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "tui/keymap.h"

#define KEYTIMES_PENDING 64

static FILE *kt_file;
static bool kt_rows_seen;
static size_t kt_n;
static struct {
    int key;
    struct timespec at, cpu;
} kt_pending[KEYTIMES_PENDING];

static long long usec_between(const struct timespec *a, const struct timespec *b)
{
    return (long long)(b->tv_sec - a->tv_sec) * 1000000LL + (b->tv_nsec - a->tv_nsec) / 1000;
}

void keytimes_open(void)
{
    const char *path = getenv("CRMTUI_KEYTIMES");
    if (!path || !path[0] || kt_file)
        return;
    kt_file = fopen(path, "w");
}

void keytimes_key(int key)
{
    if (!kt_file || kt_n >= KEYTIMES_PENDING)
        return;
    kt_pending[kt_n].key = key;
    clock_gettime(CLOCK_MONOTONIC, &kt_pending[kt_n].at);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &kt_pending[kt_n].cpu);
    kt_n++;
}

void keytimes_frame(bool rows)
{
    if (!kt_file)
        return;
    struct timespec now, cpu;
    clock_gettime(CLOCK_MONOTONIC, &now);
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &cpu);
    bool wrote = kt_n > 0;
    if (rows && !kt_rows_seen) {
        struct timespec wall;
        clock_gettime(CLOCK_REALTIME, &wall);
        fprintf(kt_file, "first-rows %lld.%09ld %lld\n", (long long)wall.tv_sec, wall.tv_nsec,
                usec_between(&(struct timespec){0, 0}, &cpu));
        kt_rows_seen = true;
        wrote = true;
    }
    for (size_t i = 0; i < kt_n; i++) {
        char name[32];
        keymap_key_name(kt_pending[i].key, name, sizeof(name));
        fprintf(kt_file, "key %s %lld %lld\n", name, usec_between(&kt_pending[i].at, &now),
                usec_between(&kt_pending[i].cpu, &cpu));
    }
    if (wrote)
        fflush(kt_file);
    kt_n = 0;
}

void keytimes_close(long connections)
{
    if (!kt_file)
        return;
    fprintf(kt_file, "connections %ld\n", connections);
    fclose(kt_file);
    kt_file = NULL;
}
