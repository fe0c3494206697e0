/* Unit tests of server/db.c: the connection settings, the schema and its
 * version, transactions, the clock and ISO times, and the storage rules the
 * schema carries (cascades, foreign keys, ids never reused). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "server/db.h"
#include "server/schema.h"

static char db_path[64];

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

    snprintf(db_path, sizeof db_path, "/tmp/test_server_db.%d.db", (int)getpid());
    remove_db();
    if (db_open(db_path, &db, err, sizeof err) < 0)
        return -1;
    *state = db;
    return 0;
}

static int teardown(void **state)
{
    sqlite3_close_v2(*state);
    remove_db();
    return 0;
}

static int64_t int_of(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t v = -999;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        v = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    return v;
}

static const char *text_of(sqlite3 *db, const char *sql, char *buf, size_t len)
{
    sqlite3_stmt *st = NULL;

    buf[0] = '\0';
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        snprintf(buf, len, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    return buf;
}

static void test_settings(void **state)
{
    sqlite3 *db = *state;
    char buf[32];

    assert_int_equal(int_of(db, "PRAGMA foreign_keys"), 1);
    assert_int_equal(int_of(db, "PRAGMA secure_delete"), 1);
    assert_string_equal(text_of(db, "PRAGMA journal_mode", buf, sizeof buf), "wal");
    assert_int_equal(int_of(db, "PRAGMA synchronous"), 1); /* NORMAL */
    assert_int_equal(int_of(db, "PRAGMA busy_timeout"), 5000);
    assert_int_equal(int_of(db, "PRAGMA user_version"), SCHEMA_VERSION);
    assert_int_equal(int_of(db, "SELECT count(*) FROM sqlite_master WHERE name = 'contacts'"), 1);
}

static void test_reopen_and_newer_schema(void **state)
{
    sqlite3 *db = *state, *again = NULL;
    char err[256] = "";

    /* A second connection to the same file: the schema is applied again, harmlessly. */
    assert_int_equal(db_open(db_path, &again, err, sizeof err), 0);
    assert_int_equal(int_of(again, "PRAGMA foreign_keys"), 1);
    sqlite3_close_v2(again);
    again = NULL;

    assert_int_equal(sqlite3_exec(db, "PRAGMA user_version = 99", NULL, NULL, NULL), SQLITE_OK);
    assert_int_equal(db_open(db_path, &again, err, sizeof err), -1);
    assert_null(again);
    assert_non_null(strstr(err, "newer crm-server"));
    assert_int_equal(db_open("/nonexistent-dir/x.db", &again, err, sizeof err), -1);
    assert_non_null(strstr(err, "cannot open the database"));
}

static void test_transactions(void **state)
{
    sqlite3 *db = *state;

    assert_int_equal(db_begin(db), 0);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO contacts (id, first_name, created_at, updated_at)"
                                  " VALUES (10, 'Kept', 1, 1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(db_commit(db), 0);
    assert_int_equal(db_begin(db), 0);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO contacts (id, first_name, created_at, updated_at)"
                                  " VALUES (11, 'Dropped', 1, 1)",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    db_rollback(db);
    db_rollback(db); /* outside a transaction: harmless */
    assert_int_equal(int_of(db, "SELECT count(*) FROM contacts"), 1);
    assert_int_equal(db_commit(db), -1); /* nothing to commit */
}

static void test_storage_rules(void **state)
{
    sqlite3 *db = *state;

    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO contacts (id, first_name, created_at, updated_at)"
                                  " VALUES (5000000007, 'Top', 1, 1);"
                                  "INSERT INTO notes (contact_id, description, created_at,"
                                  " updated_at) VALUES (5000000007, 'n', 1, 1);"
                                  "INSERT INTO search_terms (term, contact_id)"
                                  " VALUES ('top', 5000000007);",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    /* Foreign keys hold: no note for a contact that does not exist. */
    assert_int_not_equal(sqlite3_exec(db,
                                      "INSERT INTO notes (contact_id, description, created_at,"
                                      " updated_at) VALUES (424242, 'orphan', 1, 1)",
                                      NULL, NULL, NULL),
                         SQLITE_OK);
    /* Deleting the contact takes what refers to it, and remembers its id. */
    assert_int_equal(
        sqlite3_exec(db, "DELETE FROM contacts WHERE id = 5000000007", NULL, NULL, NULL),
        SQLITE_OK);
    assert_int_equal(int_of(db, "SELECT count(*) FROM notes"), 0);
    assert_int_equal(int_of(db, "SELECT count(*) FROM search_terms"), 0);
    assert_int_equal(int_of(db, "SELECT last_id FROM id_high_water WHERE kind = 'contact'"),
                     5000000007LL);
    assert_int_equal(sqlite3_exec(db,
                                  "INSERT INTO contacts (id, first_name, created_at, updated_at)"
                                  " VALUES (3, 'Low', 1, 1); DELETE FROM contacts WHERE id = 3;",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(int_of(db, "SELECT last_id FROM id_high_water WHERE kind = 'contact'"),
                     5000000007LL);
}

static int64_t fixed_clock(void)
{
    return 1796032800; /* 2026-11-30T10:00:00Z */
}

static void test_clock_and_time(void **state)
{
    char iso[32];

    (void)state;
    db_set_clock(fixed_clock);
    assert_int_equal(db_now(), 1796032800);
    db_iso_time(db_now(), iso, sizeof iso);
    assert_string_equal(iso, "2026-11-30T10:00:00Z");
    db_set_clock(NULL);
    assert_true(db_now() > 1700000000);
    db_iso_time(0, iso, sizeof iso);
    assert_string_equal(iso, "1970-01-01T00:00:00Z");
    db_iso_time(951782400, iso, sizeof iso); /* a leap day */
    assert_string_equal(iso, "2000-02-29T00:00:00Z");
    db_iso_time(1796032800, iso, 10); /* too small: a safe empty result */
    assert_true(strlen(iso) < 10);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
        cmocka_unit_test_setup_teardown(test_reopen_and_newer_schema, setup, teardown),
        cmocka_unit_test_setup_teardown(test_transactions, setup, teardown),
        cmocka_unit_test_setup_teardown(test_storage_rules, setup, teardown),
        cmocka_unit_test(test_clock_and_time),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
