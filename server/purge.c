/* The recycle-bin purge of a running server: one thread that wakes at a
 * fixed interval (or at once to stop) and asks server/erase.c to purge
 * what has expired. Its log lines carry counts only. */
#include "server/purge.h"

#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/db.h"
#include "server/erase.h"
#include "server/json.h"
#include "server/lifecycle.h"
#include "server/notify.h"

struct purge_task {
    pthread_t thread;
    pthread_mutex_t lock;
    pthread_cond_t wake;
    bool stop;
    long interval_ms;
    long passes;
    int64_t purged;
    sqlite3 *db;
};

static void *purge_run(void *arg)
{
    struct purge_task *t = arg;

    for (;;) {
        struct timespec until;
        int64_t n = erase_purge_expired(t->db, db_now());

        if (n > 0)
            fprintf(stderr, "crm-server: purged %lld expired records\n", (long long)n);
        else if (n < 0)
            fprintf(stderr, "crm-server: the purge of expired records failed\n");
        /* A cancelled account's purge dates (server/lifecycle.c). */
        int64_t erased = lifecycle_run_due(t->db, db_now());
        if (erased > 0)
            fprintf(stderr, "crm-server: the account purge erased %lld records\n",
                    (long long)erased);
        else if (erased < 0)
            fprintf(stderr, "crm-server: the account purge failed\n");
        /* Erasure notices to the processors that have an endpoint (server/notify.c). */
        if (notify_deliver(t->db) < 0)
            fprintf(stderr, "crm-server: delivering erasure notices failed\n");
        clock_gettime(CLOCK_MONOTONIC, &until);
        until.tv_sec += t->interval_ms / 1000;
        until.tv_nsec += (t->interval_ms % 1000) * 1000000L;
        if (until.tv_nsec >= 1000000000L) {
            until.tv_sec++;
            until.tv_nsec -= 1000000000L;
        }
        pthread_mutex_lock(&t->lock);
        t->passes++;
        if (n > 0)
            t->purged += n;
        pthread_cond_broadcast(&t->wake);
        while (!t->stop && pthread_cond_timedwait(&t->wake, &t->lock, &until) == 0)
            ;
        if (t->stop) {
            pthread_mutex_unlock(&t->lock);
            return NULL;
        }
        pthread_mutex_unlock(&t->lock);
    }
}

int purge_start(const char *db_path, long interval_ms, struct purge_task **out, char *err,
                size_t errlen)
{
    struct purge_task *t = json_xmalloc(sizeof *t);
    pthread_condattr_t ca;

    *out = NULL;
    memset(t, 0, sizeof *t);
    t->interval_ms = interval_ms > 0 ? interval_ms : PURGE_INTERVAL_MS;
    if (db_open(db_path, &t->db, err, errlen) < 0) {
        free(t);
        return -1;
    }
    pthread_mutex_init(&t->lock, NULL);
    pthread_condattr_init(&ca);
    pthread_condattr_setclock(&ca, CLOCK_MONOTONIC);
    pthread_cond_init(&t->wake, &ca);
    pthread_condattr_destroy(&ca);
    if (pthread_create(&t->thread, NULL, purge_run, t) != 0) {
        snprintf(err, errlen, "cannot start the purge thread");
        pthread_cond_destroy(&t->wake);
        pthread_mutex_destroy(&t->lock);
        sqlite3_close_v2(t->db);
        free(t);
        return -1;
    }
    *out = t;
    return 0;
}

long purge_passes(struct purge_task *t)
{
    long n;

    pthread_mutex_lock(&t->lock);
    n = t->passes;
    pthread_mutex_unlock(&t->lock);
    return n;
}

int64_t purge_purged(struct purge_task *t)
{
    int64_t n;

    pthread_mutex_lock(&t->lock);
    n = t->purged;
    pthread_mutex_unlock(&t->lock);
    return n;
}

void purge_stop(struct purge_task **pp)
{
    struct purge_task *t;

    if (!pp || !*pp)
        return;
    t = *pp;
    pthread_mutex_lock(&t->lock);
    t->stop = true;
    pthread_cond_broadcast(&t->wake);
    pthread_mutex_unlock(&t->lock);
    pthread_join(t->thread, NULL);
    pthread_cond_destroy(&t->wake);
    pthread_mutex_destroy(&t->lock);
    sqlite3_close_v2(t->db);
    free(t);
    *pp = NULL;
}
