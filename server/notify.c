/* The processor-notice outbox: queued inside an erasure's transaction,
 * delivered afterwards by HTTP POST (libcurl) with a bounded number of
 * attempts, the outcome kept on each notice. */
#include "server/notify.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "server/db.h"
#include "server/json.h"

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* Whether the columns this module needs are there. */
static bool columns_present(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    bool ok = sqlite3_prepare_v2(db,
                                 "SELECT p.endpoint, n.attempts, n.last_attempt_at"
                                 " FROM processors p, processor_notices n LIMIT 0",
                                 -1, &st, NULL) == SQLITE_OK;

    sqlite3_finalize(st);
    return ok;
}

int notify_upgrade(sqlite3 *db)
{
    static const char *const alters[] = {
        "ALTER TABLE processors ADD COLUMN endpoint TEXT",
        "ALTER TABLE processor_notices ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0",
        "ALTER TABLE processor_notices ADD COLUMN last_attempt_at INTEGER",
    };
    size_t i;

    if (columns_present(db))
        return 0;
    for (i = 0; i < sizeof alters / sizeof alters[0]; i++)
        sqlite3_exec(db, alters[i], NULL, NULL, NULL); /* fails harmlessly when present */
    return columns_present(db) ? 0 : -1;
}

int notify_enqueue(sqlite3 *db, int64_t audit_id, const char *subject_ref)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(db,
                           "INSERT INTO processor_notices (processor_id, audit_id, subject_ref,"
                           " status, created_at) SELECT id, ?1, ?2, 'pending', ?3 FROM processors",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_int64(st, 1, audit_id);
    sqlite3_bind_text(st, 2, subject_ref, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, db_now());
    rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
out:
    sqlite3_finalize(st);
    return rc;
}

int notify_endpoint_valid(const char *url)
{
    size_t n = strlen(url), i;

    if (n > NOTIFY_ENDPOINT_MAX ||
        (strncmp(url, "http://", 7) != 0 && strncmp(url, "https://", 8) != 0))
        return 0;
    if (n <= (url[4] == 's' ? 8u : 7u))
        return 0;
    for (i = 0; i < n; i++)
        if (url[i] <= ' ' || url[i] > '~')
            return 0;
    return 1;
}

/* One notice to send, copied out of the database before the network. */
struct notice {
    int64_t id, attempts, audit_id;
    char endpoint[NOTIFY_ENDPOINT_MAX + 1];
    char ref[80];
    char action[40];
    bool skip; /* its endpoint failed earlier in this run */
};

static size_t discard(char *ptr, size_t size, size_t nmemb, void *ud)
{
    (void)ptr;
    (void)ud;
    return size * nmemb;
}

/* POSTs the notice; 1 on a 2xx answer, 0 otherwise. */
static int post_notice(const struct notice *n)
{
    CURL *h;
    struct curl_slist *hdr = NULL;
    char body[512], when[32];
    long code = 0;
    int ok = 0;

    pthread_once(&curl_once, curl_init_once);
    db_iso_time(db_now(), when, sizeof when);
    snprintf(body, sizeof body,
             "{\"type\":\"erasure_notice\",\"notice_id\":%lld,\"action\":\"%s\","
             "\"subject_ref\":\"%s\",\"sent_at\":\"%s\"}",
             (long long)n->id, n->action, n->ref, when);
    if (!(h = curl_easy_init()))
        return 0;
    hdr = curl_slist_append(hdr, "Content-Type: application/json");
    curl_easy_setopt(h, CURLOPT_URL, n->endpoint);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)NOTIFY_TIMEOUT_MS);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    if (curl_easy_perform(h) == CURLE_OK &&
        curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK)
        ok = code >= 200 && code < 300;
    curl_slist_free_all(hdr);
    curl_easy_cleanup(h);
    return ok;
}

/* Copies a text column into dst (dstlen bytes); false when it does not fit. */
static int copy_col(sqlite3_stmt *st, int col, char *dst, size_t dstlen)
{
    const char *s = (const char *)sqlite3_column_text(st, col);
    size_t n = s ? strlen(s) : 0;

    if (n >= dstlen)
        return 0;
    memcpy(dst, s ? s : "", n + 1);
    return 1;
}

/* Reads up to NOTIFY_BATCH deliverable notices into v; returns how many or -1. */
static int load_pending(sqlite3 *db, struct notice *v)
{
    sqlite3_stmt *st = NULL;
    int n = 0, r;

    if (sqlite3_prepare_v2(db,
                           "SELECT n.id, n.attempts, p.endpoint, n.subject_ref,"
                           " coalesce(a.action, 'erasure')"
                           " FROM processor_notices n JOIN processors p ON p.id = n.processor_id"
                           " LEFT JOIN audit a ON a.id = n.audit_id"
                           " WHERE n.status = 'pending' AND p.endpoint IS NOT NULL"
                           " ORDER BY n.id LIMIT ?1",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_bind_int(st, 1, NOTIFY_BATCH);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        struct notice *x = &v[n];
        x->id = sqlite3_column_int64(st, 0);
        x->attempts = sqlite3_column_int64(st, 1);
        if (!copy_col(st, 2, x->endpoint, sizeof x->endpoint) ||
            !copy_col(st, 3, x->ref, sizeof x->ref) ||
            !copy_col(st, 4, x->action, sizeof x->action))
            continue;
        n++;
    }
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? n : -1;
}

/* Runs sql binding (a, b, c) and returns the rows changed, or -1. */
static int exec3(sqlite3 *db, const char *sql, int64_t a, int64_t b, int64_t c)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, a);
        sqlite3_bind_int64(st, 2, b);
        sqlite3_bind_int64(st, 3, c);
        if (sqlite3_step(st) == SQLITE_DONE)
            rc = sqlite3_changes(db);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Runs sql binding id and returns the rows changed, or -1. */
static int exec1(sqlite3 *db, const char *sql, int64_t id)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_DONE)
            rc = sqlite3_changes(db);
    }
    sqlite3_finalize(st);
    return rc;
}

int notify_deliver(sqlite3 *db)
{
    struct notice *v;
    struct timespec start;
    int n, i, j, delivered = 0;

    if (notify_upgrade(db) < 0)
        return -1;
    v = json_xmalloc(NOTIFY_BATCH * sizeof *v);
    memset(v, 0, NOTIFY_BATCH * sizeof *v);
    n = load_pending(db, v);
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (i = 0; i < n; i++) {
        int64_t now = db_now(), tries = v[i].attempts + 1;
        struct timespec t;

        /* One run stays short: an endpoint that just failed is not tried
         * again in it, and the run stops after NOTIFY_RUN_MS. */
        clock_gettime(CLOCK_MONOTONIC, &t);
        if ((t.tv_sec - start.tv_sec) * 1000 + (t.tv_nsec - start.tv_nsec) / 1000000 >
            NOTIFY_RUN_MS)
            break;
        if (v[i].skip)
            continue;
        /* Claim this attempt: another caller that read the same row loses. */
        if (exec3(db,
                  "UPDATE processor_notices SET attempts = ?1, last_attempt_at = ?2"
                  " WHERE id = ?3 AND status = 'pending' AND attempts = ?1 - 1",
                  tries, now, v[i].id) != 1)
            continue;
        if (post_notice(&v[i])) {
            if (exec1(db, "UPDATE processor_notices SET status = 'done' WHERE id = ?1", v[i].id) <
                0)
                goto fail;
            delivered++;
        } else {
            for (j = i + 1; j < n; j++)
                if (strcmp(v[j].endpoint, v[i].endpoint) == 0)
                    v[j].skip = true;
            if (tries >= NOTIFY_MAX_ATTEMPTS &&
                exec1(db, "UPDATE processor_notices SET status = 'failed' WHERE id = ?1", v[i].id) <
                    0)
                goto fail;
        }
    }
    free(v);
    return n < 0 ? -1 : delivered;
fail:
    free(v);
    return -1;
}

int notify_retry(sqlite3 *db, int64_t processor_id)
{
    if (notify_upgrade(db) < 0)
        return -1;
    return exec1(db,
                 "UPDATE processor_notices SET status = 'pending', attempts = 0"
                 " WHERE processor_id = ?1 AND status = 'failed'",
                 processor_id);
}
