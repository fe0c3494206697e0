/* Unit tests of server/fault.c: the SPEC parser, the draw, the refusals and
 * the spoiled bodies. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/fault.h"

static void test_spec_errors(void **state)
{
    char err[200];

    (void)state;
    assert_int_equal(fault_enable("error500", err, sizeof err), -1);
    assert_non_null(strstr(err, "no '='"));
    assert_int_equal(fault_enable("error500=1.5", err, sizeof err), -1);
    assert_int_equal(fault_enable("bogus=0.1", err, sizeof err), -1);
    assert_int_equal(fault_enable("latency=fast", err, sizeof err), -1);
    assert_int_equal(fault_enable("ratelimit=0.1:0", err, sizeof err), -1);
    assert_int_equal(fault_enable("error500=0.6,close=0.6", err, sizeof err), -1);
    assert_non_null(strstr(err, "more than 1"));
    assert_false(fault_enabled());
    assert_int_equal(fault_enable("seed=4,latency=0ms,error500=0.5,close=0.5", err, sizeof err), 0);
    assert_true(fault_enabled());
}

static void test_refusals(void **state)
{
    struct srv_resp rs;
    char err[200];

    (void)state;
    assert_int_equal(fault_enable("error503=1", err, sizeof err), 0);
    memset(&rs, 0, sizeof rs);
    assert_int_equal(fault_before("GET", "/contacts", &rs), FAULT_ERROR503);
    assert_true(fault_refuses(FAULT_ERROR503));
    assert_int_equal(rs.status, 503);
    free(rs.body);

    assert_int_equal(fault_enable("ratelimit=1:7", err, sizeof err), 0);
    memset(&rs, 0, sizeof rs);
    assert_int_equal(fault_before("GET", "/contacts", &rs), FAULT_RATELIMIT);
    assert_int_equal(rs.status, 429);
    assert_int_equal(rs.retry_after, 7);
    free(rs.body);
}

static void test_only_method(void **state)
{
    struct srv_resp rs;
    char err[200];

    (void)state;
    assert_int_equal(fault_enable("error500=1,only=PUT", err, sizeof err), 0);
    memset(&rs, 0, sizeof rs);
    assert_int_equal(fault_before("GET", "/contacts", &rs), FAULT_NONE);
    assert_null(rs.body);
    assert_int_equal(fault_before("PUT", "/contacts/{id}", &rs), FAULT_ERROR500);
    assert_int_equal(rs.status, 500);
    free(rs.body);
}

static void test_seeded_mix(void **state)
{
    struct srv_resp rs;
    char err[200];
    int a[64], b[64], i, kinds = 0, seen[8] = {0};

    (void)state;
    for (int round = 0; round < 2; round++) {
        assert_int_equal(fault_enable("seed=11,error500=0.3,malformed=0.3", err, sizeof err), 0);
        for (i = 0; i < 64; i++) {
            memset(&rs, 0, sizeof rs);
            (round ? b : a)[i] = (int)fault_before("GET", "/x", &rs);
            free(rs.body);
        }
    }
    for (i = 0; i < 64; i++) {
        assert_int_equal(a[i], b[i]); /* the same seed, the same faults */
        seen[a[i]]++;
    }
    for (i = 0; i < 8; i++)
        kinds += seen[i] > 0;
    assert_int_equal(kinds, 3); /* none, error500, malformed: nothing else */
    assert_true(seen[FAULT_NONE] > 0 && seen[FAULT_ERROR500] > 0 && seen[FAULT_MALFORMED] > 0);
}

static void test_spoiled_bodies(void **state)
{
    static const char doc[] = "{\"contact\":{\"id\":1,\"first_name\":\"Ana\"}}";
    struct srv_resp rs;
    char buf[128];
    ssize_t n;

    (void)state;
    memset(&rs, 0, sizeof rs);
    rs.status = 200;
    rs.body = strdup(doc);
    rs.len = strlen(doc);
    fault_after(FAULT_MALFORMED, &rs);
    assert_int_equal(rs.len, strlen(doc) / 2);
    assert_int_equal(rs.status, 200);
    free(rs.body);

    memset(&rs, 0, sizeof rs);
    rs.body = strdup(doc);
    rs.len = strlen(doc);
    fault_after(FAULT_TRUNCATE, &rs);
    assert_null(rs.body);
    assert_non_null(rs.stream_read);
    n = rs.stream_read(rs.stream_cls, 0, buf, sizeof buf);
    assert_int_equal(n, (ssize_t)(strlen(doc) / 2));
    assert_memory_equal(buf, doc, (size_t)n);
    assert_int_equal(rs.stream_read(rs.stream_cls, (uint64_t)n, buf, sizeof buf), -2);
    rs.stream_free(rs.stream_cls);

    memset(&rs, 0, sizeof rs);
    rs.body = strdup(doc);
    rs.len = strlen(doc);
    fault_after(FAULT_CLOSE, &rs);
    assert_int_equal(rs.stream_read(rs.stream_cls, 0, buf, sizeof buf), -2);
    rs.stream_free(rs.stream_cls);

    memset(&rs, 0, sizeof rs);
    rs.body = strdup(doc);
    rs.len = strlen(doc);
    fault_after(FAULT_NONE, &rs);
    assert_int_equal(rs.len, strlen(doc));
    assert_null(rs.stream_read);
    free(rs.body);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_spec_errors),    cmocka_unit_test(test_refusals),
        cmocka_unit_test(test_only_method),    cmocka_unit_test(test_seeded_mix),
        cmocka_unit_test(test_spoiled_bodies),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
