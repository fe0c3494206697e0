/* Unit tests of server/purge.c: the purge runs at start and again at each
 * interval, removes what expired (90 days in the Recycle Bin) and nothing
 * else, and stops at once when asked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "server/db.h"
#include "server/purge.h"
#include "server/seed.h"

#define NOW 1796032800LL /* 2026-11-30T10:00:00Z */
#define DAY 86400LL

static char db_path[64];

static int64_t fixed_clock(void)
{
    return NOW;
}

static void remove_db(void)
{
    char p[80];

    unlink(db_path);
    snprintf(p, sizeof p, "%s-wal", db_path);
    unlink(p);
    snprintf(p, sizeof p, "%s-shm", db_path);
    unlink(p);
}

static int setup(void **state)
{
    sqlite3 *db = NULL;
    char err[256];

    snprintf(db_path, sizeof db_path, "/tmp/test_server_purge.%d.db", (int)getpid());
    remove_db();
    if (db_open(db_path, &db, err, sizeof err) < 0 || seed_account(db, NULL, err, sizeof err) < 0) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    db_set_clock(fixed_clock);
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    sqlite3_close_v2(*state);
    db_set_clock(NULL);
    remove_db();
    return 0;
}

static void add(sqlite3 *db, int64_t id, int deleted, int64_t deleted_at)
{
    sqlite3_stmt *st = NULL;

    assert_int_equal(sqlite3_prepare_v2(db,
                                        "INSERT INTO contacts (id, first_name, is_deleted,"
                                        " deleted_at, created_at, updated_at)"
                                        " VALUES (?1, 'P', ?2, ?3, 1, 1)",
                                        -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int(st, 2, deleted);
    if (deleted)
        sqlite3_bind_int64(st, 3, deleted_at);
    else
        sqlite3_bind_null(st, 3);
    assert_int_equal(sqlite3_step(st), SQLITE_DONE);
    sqlite3_finalize(st);
}

static int exists(sqlite3 *db, int64_t id)
{
    sqlite3_stmt *st = NULL;
    int r;

    assert_int_equal(sqlite3_prepare_v2(db, "SELECT 1 FROM contacts WHERE id = ?1", -1, &st, NULL),
                     SQLITE_OK);
    sqlite3_bind_int64(st, 1, id);
    r = sqlite3_step(st) == SQLITE_ROW;
    sqlite3_finalize(st);
    return r;
}

static double now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Polls until the task has made at least n passes (5 s at most). */
static void wait_passes(struct purge_task *t, long n)
{
    double deadline = now_s() + 5;

    while (purge_passes(t) < n && now_s() < deadline)
        usleep(2000);
    assert_true(purge_passes(t) >= n);
}

static void test_purges_at_start_and_interval(void **state)
{
    sqlite3 *db = *state;
    struct purge_task *t = NULL;
    char err[256];
    long passes;

    add(db, 101, 1, NOW - 91 * DAY); /* expired */
    add(db, 102, 1, NOW - 89 * DAY); /* not yet */
    add(db, 103, 0, 0);              /* live */
    assert_int_equal(purge_start(db_path, 20, &t, err, sizeof err), 0);
    wait_passes(t, 1);
    assert_false(exists(db, 101));
    assert_true(exists(db, 102));
    assert_true(exists(db, 103));
    assert_int_equal(purge_purged(t), 1);

    /* Something expires later: a following pass takes it. */
    assert_int_equal(
        sqlite3_exec(db, "UPDATE contacts SET deleted_at = 1 WHERE id = 102", NULL, NULL, NULL),
        SQLITE_OK);
    passes = purge_passes(t);
    wait_passes(t, passes + 2);
    assert_false(exists(db, 102));
    assert_true(exists(db, 103));
    assert_int_equal(purge_purged(t), 2);
    purge_stop(&t);
    assert_null(t);
    purge_stop(&t); /* NULL is fine */
}

static void test_stops_at_once(void **state)
{
    struct purge_task *t = NULL;
    char err[256];
    double t0;

    (void)state;
    assert_int_equal(purge_start(db_path, PURGE_INTERVAL_MS, &t, err, sizeof err), 0);
    wait_passes(t, 1);
    t0 = now_s();
    purge_stop(&t);
    assert_true(now_s() - t0 < 1.0);
}

static void test_bad_path(void **state)
{
    struct purge_task *t = NULL;
    char err[256] = "";

    (void)state;
    assert_int_equal(purge_start("/nonexistent-dir/x.db", 20, &t, err, sizeof err), -1);
    assert_null(t);
    assert_non_null(strstr(err, "cannot open the database"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_purges_at_start_and_interval, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stops_at_once, setup, teardown),
        cmocka_unit_test(test_bad_path),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
