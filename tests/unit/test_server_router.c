/* Unit tests of server/router.c: route matching with numeric segments, the
 * methods a path allows, and the paging, flag and include parameters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <string.h>

#include "server/router.h"

struct match_case {
    const char *method, *path;
    const char *pattern; /* NULL: no route */
    int64_t id0, id1;
    const char *allow;
};

static const struct match_case match_cases[] = {
    {"GET", "/contacts/filters", "/contacts/filters", 0, 0, ""},
    {"GET", "/contacts/5005390567", "/contacts/{id}", 5005390567LL, 0, ""},
    {"PUT", "/contacts/7", "/contacts/{id}", 7, 0, ""},
    {"DELETE", "/contacts/7/forget", "/contacts/{id}/forget", 7, 0, ""},
    {"GET", "/contacts/7/activities.json", "/contacts/{id}/activities.json", 7, 0, ""},
    {"GET", "/contacts/view/70000000001", "/contacts/view/{id}", 70000000001LL, 0, ""},
    {"POST", "/contacts/bulk_destroy", "/contacts/bulk_destroy", 0, 0, ""},
    {"POST", "/contacts", "/contacts", 0, 0, ""},
    {"POST", "/contacts/7", NULL, 0, 0, "GET, PUT, DELETE"},
    {"DELETE", "/contacts/filters", NULL, 0, 0, "GET"},
    {"GET", "/contacts", NULL, 0, 0, "POST"},
    {"HEAD", "/users/me", NULL, 0, 0, "GET"},
    {"GET", "/contacts/abc", NULL, 0, 0, ""},
    {"GET", "/contacts/0", NULL, 0, 0, ""},
    {"GET", "/contacts/007", NULL, 0, 0, ""},
    {"GET", "/contacts/-7", NULL, 0, 0, ""},
    {"GET", "/contacts/1234567890123456789", NULL, 0, 0, ""},
    {"GET", "/contacts/7/", NULL, 0, 0, ""},
    {"GET", "/contacts//7", NULL, 0, 0, ""},
    {"GET", "/contacts/7/activities/x", NULL, 0, 0, ""},
    {"GET", "", NULL, 0, 0, ""},
    {"GET", "/", NULL, 0, 0, ""},
    {"get", "/users/me", NULL, 0, 0, "GET"},
};

static void test_match_table(void **state)
{
    size_t i;

    (void)state;
    for (i = 0; i < sizeof match_cases / sizeof match_cases[0]; i++) {
        const struct match_case *c = &match_cases[i];
        int64_t ids[2] = {-1, -1};
        char allow[64];
        const struct route *r = router_match(c->method, c->path, ids, allow, sizeof allow);

        if (!c->pattern) {
            if (r)
                fail_msg("%s %s matched %s", c->method, c->path, r->pattern);
            if (strcmp(allow, c->allow) != 0)
                fail_msg("%s %s: allow \"%s\"", c->method, c->path, allow);
            continue;
        }
        if (!r || strcmp(r->pattern, c->pattern) != 0 || strcmp(r->method, c->method) != 0)
            fail_msg("%s %s: matched %s", c->method, c->path, r ? r->pattern : "nothing");
        assert_int_equal(ids[0], c->id0);
        assert_int_equal(ids[1], c->id1);
    }
}

static void test_admin_routes(void **state)
{
    int64_t ids[2];
    char allow[64];

    (void)state;
    assert_true(router_match("GET", "/users", ids, allow, sizeof allow)->flags & ROUTE_ADMIN);
    assert_true(router_match("GET", "/audit", ids, allow, sizeof allow)->flags & ROUTE_ADMIN);
    assert_false(router_match("GET", "/users/me", ids, allow, sizeof allow)->flags & ROUTE_ADMIN);
    assert_true(router_match("PUT", "/notes/3", ids, allow, sizeof allow)->flags & ROUTE_BODY);
    assert_false(router_match("DELETE", "/notes/3", ids, allow, sizeof allow)->flags & ROUTE_BODY);
}

/* Query parameters from a NULL-terminated name/value list. */
static const char *fake_arg(void *ctx, const char *name)
{
    const char *const *kv = ctx;

    for (; kv[0]; kv += 2)
        if (strcmp(kv[0], name) == 0)
            return kv[1];
    return NULL;
}

static struct srv_req req_with(const char *const *kv)
{
    struct srv_req rq;

    memset(&rq, 0, sizeof rq);
    rq.arg = fake_arg;
    rq.arg_ctx = (void *)(uintptr_t)kv;
    return rq;
}

static void test_paging(void **state)
{
    static const struct {
        const char *page, *per_page;
        int rc;
        long want_page, want_per;
    } cases[] = {
        {NULL, NULL, 0, 1, 25},         {"3", "10", 0, 3, 10},
        {"1", "100", 0, 1, 100},        {"1", "101", 0, 1, 100},
        {"1", "999999999", 0, 1, 100},  {"0", NULL, -1, 0, 0},
        {"-1", NULL, -1, 0, 0},         {"", NULL, -1, 0, 0},
        {"2x", NULL, -1, 0, 0},         {"1.0", NULL, -1, 0, 0},
        {"1000000000", NULL, -1, 0, 0}, {"100000000", NULL, 0, 100000000, 25},
        {"100000001", NULL, -1, 0, 0},  {NULL, "0", -1, 0, 0},
        {NULL, "ten", -1, 0, 0},
    };
    size_t i;

    (void)state;
    for (i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        const char *kv[5] = {"page", cases[i].page, "per_page", cases[i].per_page, NULL};
        const char *kv_pp[3] = {"per_page", cases[i].per_page, NULL};
        const char *none[1] = {NULL};
        struct srv_req rq = req_with(cases[i].page ? kv : (cases[i].per_page ? kv_pp : none));
        struct srv_resp rs = {0};
        long page = -1, per = -1;
        int rc = router_paging(&rq, &rs, &page, &per);

        if (rc != cases[i].rc)
            fail_msg("case %zu: rc %d", i, rc);
        if (rc == 0) {
            assert_int_equal(page, cases[i].want_page);
            assert_int_equal(per, cases[i].want_per);
            assert_null(rs.body);
        } else {
            assert_int_equal(rs.status, 400);
            assert_non_null(strstr(rs.body, "\"code\":400"));
        }
        json_resp_clear(&rs);
    }
}

static void test_flags_and_includes(void **state)
{
    const char *kv[] = {"purge", "true",    "keep",        "false", "odd",
                        "TRUE",  "include", "owner,notes", NULL};
    struct srv_req rq = req_with(kv);
    struct srv_resp rs = {0};
    bool b = false;

    (void)state;
    assert_int_equal(router_flag(&rq, &rs, "purge", &b), 0);
    assert_true(b);
    assert_int_equal(router_flag(&rq, &rs, "keep", &b), 0);
    assert_false(b);
    assert_int_equal(router_flag(&rq, &rs, "absent", &b), 0);
    assert_false(b);
    assert_int_equal(router_flag(&rq, &rs, "odd", &b), -1);
    assert_int_equal(rs.status, 400);
    json_resp_clear(&rs);

    assert_true(router_includes(&rq, "owner"));
    assert_true(router_includes(&rq, "notes"));
    assert_false(router_includes(&rq, "own"));
    assert_false(router_includes(&rq, "sales_accounts"));
    assert_string_equal(router_arg(&rq, "keep"), "false");
    assert_null(router_arg(&rq, "nothing"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_match_table),
        cmocka_unit_test(test_admin_routes),
        cmocka_unit_test(test_paging),
        cmocka_unit_test(test_flags_and_includes),
    };
    json_init();
    return cmocka_run_group_tests(tests, NULL, NULL);
}
