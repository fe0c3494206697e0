/* Unit tests of the strict form decoder of server/handlers_public.c and the
 * endpoint rule and schema upgrade of server/notify.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "server/handlers_public.h"
#include "server/notify.h"

static const char *const names[] = {"first_name", "email", "consent"};

/* Decodes body; returns the decoder's result and fills v and seen. */
static int decode(const char *body, char (*v)[FORM_VALUE_MAX + 1], int *seen)
{
    char err[256];

    return handlers_public_form_decode(body, strlen(body), names, 3, v, seen, err, sizeof err);
}

static void test_form_accepts(void **state)
{
    char v[3][FORM_VALUE_MAX + 1];
    int seen[3];

    (void)state;
    assert_int_equal(decode("first_name=Jos%C3%A9+Maria&email=a%40b.example", v, seen), 0);
    assert_string_equal(v[0], "Jos\xc3\xa9 Maria");
    assert_string_equal(v[1], "a@b.example");
    assert_int_equal(seen[2], 0);
    assert_string_equal(v[2], "");
    assert_int_equal(decode("", v, seen), 0);
    assert_int_equal(seen[0] + seen[1] + seen[2], 0);
    assert_int_equal(decode("consent=yes&email=", v, seen), 0);
    assert_int_equal(seen[1], 1);
    assert_string_equal(v[1], "");
    assert_string_equal(v[2], "yes");
}

static void test_form_refuses(void **state)
{
    static const char *const bad[] = {
        "color=red",            /* unknown field */
        "email=a&email=b",      /* twice */
        "email=%zz",            /* broken escape */
        "email=%4",             /* cut escape */
        "email=%",              /* cut escape */
        "email",                /* no value */
        "=x",                   /* no name */
        "email=a&",             /* trailing separator */
        "&email=a",             /* empty pair */
        "email=a&&consent=yes", /* empty pair */
        "email=a%00b",          /* NUL */
        "email=a%0Ab",          /* control character */
        "email=a%7Fb",          /* DEL */
        "email=%FF",            /* not UTF-8 */
        "email=%C0%AF",         /* overlong */
        "email=a b",            /* raw space */
        "email=a=b",            /* raw '=' */
        "email=\xc3\xa9",       /* raw non-ASCII */
        "ema%zzl=x",            /* a broken escape in a name */
    };
    char v[3][FORM_VALUE_MAX + 1], err[256];
    char big[FORM_BODY_MAX + 16], longv[FORM_VALUE_MAX + 16];
    int seen[3];
    size_t i;

    (void)state;
    for (i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        err[0] = '\0';
        if (handlers_public_form_decode(bad[i], strlen(bad[i]), names, 3, v, seen, err,
                                        sizeof err) != -1)
            fail_msg("accepted: %s", bad[i]);
        assert_true(err[0] != '\0');
    }
    memset(longv, 'x', sizeof longv);
    memcpy(longv, "email=", 6);
    longv[6 + FORM_VALUE_MAX + 1] = '\0';
    assert_int_equal(decode(longv, v, seen), -1);
    longv[6 + FORM_VALUE_MAX] = '\0';
    assert_int_equal(decode(longv, v, seen), 0);
    assert_int_equal(strlen(v[1]), FORM_VALUE_MAX);
    memset(big, 'x', sizeof big);
    assert_int_equal(
        handlers_public_form_decode(big, sizeof big, names, 3, v, seen, err, sizeof err), -1);
}

static void test_form_field_limit(void **state)
{
    static const char *const many[] = {"a", "b", "c", "d", "e", "f", "g", "h", "i"};
    char v[9][FORM_VALUE_MAX + 1], err[256];
    int seen[9];
    const char *ok8 = "a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8";
    const char *bad9 = "a=1&b=2&c=3&d=4&e=5&f=6&g=7&h=8&i=9";

    (void)state;
    assert_int_equal(
        handlers_public_form_decode(ok8, strlen(ok8), many, 9, v, seen, err, sizeof err), 0);
    assert_int_equal(
        handlers_public_form_decode(bad9, strlen(bad9), many, 9, v, seen, err, sizeof err), -1);
}

static void test_public_routes(void **state)
{
    (void)state;
    assert_string_equal(handlers_public_route("/u/abc"), "/u/{token}");
    assert_string_equal(handlers_public_route("/optin/abc"), "/optin/{token}");
    assert_string_equal(handlers_public_route("/forms/1"), "/forms/{id}");
    assert_null(handlers_public_route("/u/"));
    assert_null(handlers_public_route("/u/a/b"));
    assert_null(handlers_public_route("/crm/sales/api/contacts"));
    assert_null(handlers_public_route("/formsx/1"));
}

static void test_endpoint_rule(void **state)
{
    char longurl[NOTIFY_ENDPOINT_MAX + 8];

    (void)state;
    assert_true(notify_endpoint_valid("http://127.0.0.1:8080/notices"));
    assert_true(notify_endpoint_valid("https://processor.example/erasure?x=1"));
    assert_false(notify_endpoint_valid("http://"));
    assert_false(notify_endpoint_valid("https://"));
    assert_false(notify_endpoint_valid("ftp://host/x"));
    assert_false(notify_endpoint_valid("file:///etc/passwd"));
    assert_false(notify_endpoint_valid("http://a b"));
    assert_false(notify_endpoint_valid("http://a\nb"));
    assert_false(notify_endpoint_valid("http://\xc3\xa9.example"));
    memset(longurl, 'a', sizeof longurl);
    memcpy(longurl, "http://", 7);
    longurl[NOTIFY_ENDPOINT_MAX] = '\0';
    assert_true(notify_endpoint_valid(longurl));
    longurl[NOTIFY_ENDPOINT_MAX] = 'a';
    longurl[NOTIFY_ENDPOINT_MAX + 1] = '\0';
    assert_false(notify_endpoint_valid(longurl));
}

/* A database from before the endpoint and attempt columns gains them. */
static void test_schema_upgrade(void **state)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;

    (void)state;
    assert_int_equal(sqlite3_open(":memory:", &db), SQLITE_OK);
    assert_int_equal(sqlite3_exec(db,
                                  "CREATE TABLE processors (id INTEGER PRIMARY KEY, name TEXT,"
                                  " kind TEXT);"
                                  "CREATE TABLE processor_notices (id INTEGER PRIMARY KEY,"
                                  " processor_id INTEGER, audit_id INTEGER, subject_ref TEXT,"
                                  " status TEXT DEFAULT 'pending', created_at INTEGER);"
                                  "CREATE TABLE audit (id INTEGER PRIMARY KEY, action TEXT);"
                                  "INSERT INTO processors (name, kind) VALUES ('p', 'analytics');",
                                  NULL, NULL, NULL),
                     SQLITE_OK);
    assert_int_equal(notify_upgrade(db), 0);
    assert_int_equal(notify_upgrade(db), 0); /* again: nothing to do */
    assert_int_equal(sqlite3_prepare_v2(db, "SELECT endpoint FROM processors", -1, &st, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_int_equal(sqlite3_column_type(st, 0), SQLITE_NULL);
    sqlite3_finalize(st);
    assert_int_equal(notify_enqueue(db, 0, "ref"), 0);
    assert_int_equal(
        sqlite3_prepare_v2(db, "SELECT status, attempts FROM processor_notices", -1, &st, NULL),
        SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "pending");
    assert_int_equal(sqlite3_column_int(st, 1), 0);
    sqlite3_finalize(st);
    /* No endpoint: delivery leaves the notice pending. */
    assert_int_equal(notify_deliver(db), 0);
    sqlite3_close(db);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_form_accepts),     cmocka_unit_test(test_form_refuses),
        cmocka_unit_test(test_form_field_limit), cmocka_unit_test(test_public_routes),
        cmocka_unit_test(test_endpoint_rule),    cmocka_unit_test(test_schema_upgrade),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
