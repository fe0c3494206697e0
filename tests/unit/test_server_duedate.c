/* Unit tests of server/duedate.c: one calendar month after receipt (month
 * ends, leap years, year ends), the extension limit, days left, ISO parsing. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "server/duedate.h"

/* Unix seconds of an ISO time, failing the test when it does not parse. */
static int64_t at(const char *iso)
{
    int64_t t = -1;

    assert_int_equal(duedate_parse_iso(iso, &t), 0);
    return t;
}

static void test_due_ordinary(void **state)
{
    (void)state;
    assert_int_equal(duedate_due(at("2026-03-15T10:20:30Z")), at("2026-04-15T10:20:30Z"));
    assert_int_equal(duedate_due(at("2026-01-01T00:00:00Z")), at("2026-02-01T00:00:00Z"));
}

static void test_due_month_ends(void **state)
{
    (void)state;
    /* 31 January: the last day of February, 28 in a common year, 29 in a leap year. */
    assert_int_equal(duedate_due(at("2026-01-31T09:00:00Z")), at("2026-02-28T09:00:00Z"));
    assert_int_equal(duedate_due(at("2028-01-31T09:00:00Z")), at("2028-02-29T09:00:00Z"));
    assert_int_equal(duedate_due(at("2028-01-30T09:00:00Z")), at("2028-02-29T09:00:00Z"));
    assert_int_equal(duedate_due(at("2028-01-29T09:00:00Z")), at("2028-02-29T09:00:00Z"));
    /* 31 March: 30 April; 31 May: 30 June; 31 August: 30 September. */
    assert_int_equal(duedate_due(at("2026-03-31T12:00:00Z")), at("2026-04-30T12:00:00Z"));
    assert_int_equal(duedate_due(at("2026-05-31T12:00:00Z")), at("2026-06-30T12:00:00Z"));
    assert_int_equal(duedate_due(at("2026-08-31T12:00:00Z")), at("2026-09-30T12:00:00Z"));
    /* 30 April: 30 May (not the month's end). */
    assert_int_equal(duedate_due(at("2026-04-30T12:00:00Z")), at("2026-05-30T12:00:00Z"));
    /* 28 February: 28 March; 29 February of a leap year: 29 March. */
    assert_int_equal(duedate_due(at("2026-02-28T00:00:00Z")), at("2026-03-28T00:00:00Z"));
    assert_int_equal(duedate_due(at("2028-02-29T23:59:59Z")), at("2028-03-29T23:59:59Z"));
}

static void test_due_century_leap_rules(void **state)
{
    (void)state;
    /* 2100 is not a leap year, 2000 and 2400 are. */
    assert_int_equal(duedate_due(at("2100-01-31T00:00:00Z")), at("2100-02-28T00:00:00Z"));
    assert_int_equal(duedate_due(at("2000-01-31T00:00:00Z")), at("2000-02-29T00:00:00Z"));
    assert_int_equal(duedate_due(at("2400-01-31T00:00:00Z")), at("2400-02-29T00:00:00Z"));
}

static void test_due_year_end(void **state)
{
    (void)state;
    assert_int_equal(duedate_due(at("2026-12-31T18:00:00Z")), at("2027-01-31T18:00:00Z"));
    assert_int_equal(duedate_due(at("2026-12-01T00:00:00Z")), at("2027-01-01T00:00:00Z"));
    assert_int_equal(duedate_add_months(at("2026-11-30T00:00:00Z"), 3), at("2027-02-28T00:00:00Z"));
    assert_int_equal(duedate_add_months(at("2026-10-31T00:00:00Z"), 14),
                     at("2027-12-31T00:00:00Z"));
    assert_int_equal(duedate_add_months(at("2026-10-31T00:00:00Z"), 0), at("2026-10-31T00:00:00Z"));
}

static void test_extension_limit(void **state)
{
    int64_t r = at("2026-01-31T10:00:00Z");

    (void)state;
    assert_int_equal(duedate_extension_limit(r), at("2026-04-30T10:00:00Z"));
    assert_int_equal(duedate_extension_limit(at("2026-11-30T08:00:00Z")),
                     at("2027-02-28T08:00:00Z"));
    assert_int_equal(duedate_extension_limit(at("2027-11-30T08:00:00Z")),
                     at("2028-02-29T08:00:00Z"));
    assert_true(duedate_extension_ok(r, at("2026-04-30T10:00:00Z")));
    assert_true(duedate_extension_ok(r, at("2026-03-31T00:00:00Z")));
    assert_false(duedate_extension_ok(r, at("2026-04-30T10:00:01Z"))); /* beyond 3 months */
    assert_false(duedate_extension_ok(r, at("2026-05-01T00:00:00Z")));
    assert_false(duedate_extension_ok(r, at("2026-02-28T10:00:00Z"))); /* not later than due */
    assert_false(duedate_extension_ok(r, at("2026-02-01T00:00:00Z")));
}

static void test_days_left(void **state)
{
    int64_t due = at("2026-02-28T09:00:00Z");

    (void)state;
    assert_int_equal(duedate_days_left(due, at("2026-02-18T23:00:00Z")), 10);
    assert_int_equal(duedate_days_left(due, at("2026-02-28T00:00:00Z")), 0);
    assert_int_equal(duedate_days_left(due, at("2026-02-28T23:59:59Z")), 0);
    assert_int_equal(duedate_days_left(due, at("2026-03-01T00:00:00Z")), -1);
    assert_int_equal(duedate_days_left(due, at("2026-03-03T12:00:00Z")), -3);
}

static void test_parse_iso(void **state)
{
    int64_t t = 42;

    (void)state;
    assert_int_equal(at("1970-01-01T00:00:00Z"), 0);
    assert_int_equal(at("2026-11-29T10:00:00Z"), 1795946400);
    assert_int_equal(at("2026-11-29"), 1795910400);
    assert_int_equal(at("2026-11-29T10:00:00.250Z"), 1795946400);
    assert_int_equal(at("2026-11-29T10:00:00+00:00"), 1795946400);
    assert_int_equal(duedate_parse_iso("2026-02-29T00:00:00Z", &t), -1); /* not a leap year */
    assert_int_equal(duedate_parse_iso("2026-13-01", &t), -1);
    assert_int_equal(duedate_parse_iso("2026-11-29T24:00:00Z", &t), -1);
    assert_int_equal(duedate_parse_iso("2026-11-29T10:00:00", &t), -1);       /* no zone */
    assert_int_equal(duedate_parse_iso("2026-11-29T10:00:00+02:00", &t), -1); /* not UTC */
    assert_int_equal(duedate_parse_iso("2026-11-29x", &t), -1);
    assert_int_equal(duedate_parse_iso("1969-12-31", &t), -1);
    assert_int_equal(duedate_parse_iso("", &t), -1);
    assert_int_equal(duedate_parse_iso(NULL, &t), -1);
    assert_int_equal(t, 42); /* untouched on failure */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_due_ordinary),
        cmocka_unit_test(test_due_month_ends),
        cmocka_unit_test(test_due_century_leap_rules),
        cmocka_unit_test(test_due_year_end),
        cmocka_unit_test(test_extension_limit),
        cmocka_unit_test(test_days_left),
        cmocka_unit_test(test_parse_iso),
    };

    return cmocka_run_group_tests(tests, NULL, NULL);
}
