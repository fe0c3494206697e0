/* Unit tests for core/http.c that need no server: the URL and key policy, the
 * debug log's permissions, escaping, retries against a closed port, waiting
 * on an extra descriptor, cancelling a request that waits to retry. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "core/http.h"

/* Port 1 on loopback: nothing listens there, so connecting is refused. */
#define CLOSED_URL "http://127.0.0.1:1/crm/sales/api"

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static void test_url_policy(void **state)
{
    static const struct {
        const char *url;
        enum crm_status want;
    } cases[] = {
        {"", CRM_ERR_URL},
        {"example.com/crm/sales/api", CRM_ERR_URL},
        {"http://example.com/crm/sales/api", CRM_ERR_URL},
        {"http://10.0.0.1/crm/sales/api", CRM_ERR_URL},
        {"http://128.0.0.1/api", CRM_ERR_URL},
        {"http://[::2]/api", CRM_ERR_URL},
        {"http://localhost.example.com/api", CRM_ERR_URL},
        {"ftp://127.0.0.1/api", CRM_ERR_URL},
        {"file:///etc/passwd", CRM_ERR_URL},
        {"https://user:secret@acme.example/crm/sales/api", CRM_ERR_URL},
        {"https://acme.example/crm/sales/api?x=1", CRM_ERR_URL},
        {"https://acme.example/crm/sales/api", CRM_OK},
        {"HTTPS://acme.example/api/", CRM_OK},
        {"http://127.0.0.1:8080/crm/sales/api", CRM_OK},
        {"http://127.1.2.3/crm/sales/api", CRM_OK},
        {"http://localhost:9/crm/sales/api", CRM_OK},
        {"http://[::1]:9/crm/sales/api", CRM_OK},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        struct http_opts o = {.url = cases[i].url, .api_key = "k3y"};
        struct http *h = (void *)1;
        char err[256] = "";
        enum crm_status st = http_new(&o, &h, err, sizeof err);
        if (st != cases[i].want)
            fail_msg("%s: got %s, want %s (%s)", cases[i].url, crm_strerror(st),
                     crm_strerror(cases[i].want), err);
        if (st == CRM_OK) {
            assert_non_null(h);
            http_free(&h);
            assert_null(h);
        } else {
            assert_null(h);
            assert_true(strlen(err) > 10); /* a sentence, not just a code */
        }
    }
}

static void test_http_refusal_says_why(void **state)
{
    struct http_opts o = {.url = "http://crm.example.com/crm/sales/api", .api_key = "k"};
    struct http *h;
    char err[256];

    (void)state;
    assert_int_equal(http_new(&o, &h, err, sizeof err), CRM_ERR_URL);
    assert_non_null(strstr(err, "https://"));
    assert_non_null(strstr(err, "crm.example.com"));
}

static void test_key_policy(void **state)
{
    static const char *const bad[] = {NULL, "", "a b", "abc\r\nX-Evil: 1", "tab\there"};
    char longkey[2000];
    struct http *h;
    char err[256];

    (void)state;
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        struct http_opts o = {.url = CLOSED_URL, .api_key = bad[i]};
        assert_int_equal(http_new(&o, &h, err, sizeof err), CRM_ERR_KEY);
        assert_null(strstr(err, "X-Evil")); /* the key is never echoed */
    }
    memset(longkey, 'k', sizeof longkey - 1);
    longkey[sizeof longkey - 1] = '\0';
    {
        struct http_opts o = {.url = CLOSED_URL, .api_key = longkey};
        assert_int_equal(http_new(&o, &h, err, sizeof err), CRM_ERR_KEY);
    }
}

static void test_debug_log_permissions(void **state)
{
    char path[] = "/tmp/crmtest-log.XXXXXX";
    int fd = mkstemp(path);
    struct http_opts o = {.url = CLOSED_URL, .api_key = "k", .debug_log = path};
    struct http *h;
    char err[256];
    struct stat sb;

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(chmod(path, 0644), 0);
    assert_int_equal(http_new(&o, &h, err, sizeof err), CRM_ERR_CONFIG);
    assert_non_null(strstr(err, "chmod 600"));
    unlink(path);
    /* A new log is created 0600. */
    assert_int_equal(http_new(&o, &h, err, sizeof err), CRM_OK);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    http_free(&h);
    unlink(path);
}

static void test_escape(void **state)
{
    static const struct {
        const char *in, *out;
    } cases[] = {
        {"", ""},
        {"abc-._~", "abc-._~"},
        {"a b", "a%20b"},
        {"a&b=c?d#e/f", "a%26b%3Dc%3Fd%23e%2Ff"},
        {"ana+tag@example.com", "ana%2Btag%40example.com"},
        {"\xC3\xA9", "%C3%A9"},
        {"%", "%25"},
    };
    (void)state;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *e = http_escape(cases[i].in);
        assert_string_equal(e, cases[i].out);
        free(e);
    }
    assert_string_equal(http_method_name(HTTP_DELETE), "DELETE");
    assert_string_equal(http_method_name(HTTP_PUT), "PUT");
}

struct outcome {
    int calls;
    enum crm_status status;
    long code;
    int attempts;
    char error[256];
};

static void record(struct http_response *res, void *ud)
{
    struct outcome *o = ud;
    o->calls++;
    o->status = res->status;
    o->code = res->code;
    o->attempts = res->attempts;
    snprintf(o->error, sizeof o->error, "%s", res->error);
    assert_non_null(res->body);
}

static void run_until_done(struct http *h, const struct outcome *o, long limit_ms)
{
    long t0 = now_ms();
    while (o->calls == 0 && now_ms() - t0 < limit_ms) {
        http_wait(h, -1, 100);
        http_dispatch(h);
    }
}

static void test_get_retries_then_fails(void **state)
{
    struct http_opts o = {
        .url = CLOSED_URL, .api_key = "k", .max_retries = 2, .retry_budget_ms = 10000};
    struct http *h;
    struct outcome out = {0};
    char err[256];
    long t0;

    (void)state;
    assert_int_equal(http_new(&o, &h, err, sizeof err), CRM_OK);
    t0 = now_ms();
    assert_non_null(http_request(h, HTTP_GET, "/contacts/filters", NULL, 0, record, &out));
    assert_int_equal(http_pending(h), 1);
    run_until_done(h, &out, 15000);
    assert_int_equal(out.calls, 1);
    assert_int_equal(out.status, CRM_ERR_CONNECT);
    assert_int_equal(out.code, 0);
    assert_int_equal(out.attempts, 3);
    assert_non_null(strstr(out.error, "cannot reach the server"));
    /* Two backoffs of at least 250 and 500 ms (jitter keeps half of each). */
    assert_true(now_ms() - t0 >= 700);
    assert_int_equal(http_pending(h), 0);
    http_free(&h);
}

static void test_post_is_not_retried(void **state)
{
    struct http_opts o = {.url = CLOSED_URL, .api_key = "k", .max_retries = 3};
    struct http *h;
    struct outcome out = {0};
    char err[256];

    (void)state;
    assert_int_equal(http_new(&o, &h, err, sizeof err), CRM_OK);
    assert_non_null(http_request(h, HTTP_POST, "/notes", "{}", 2, record, &out));
    run_until_done(h, &out, 5000);
    assert_int_equal(out.status, CRM_ERR_CONNECT);
    assert_int_equal(out.attempts, 1);
    http_free(&h);
}

static void test_retry_budget_bounds_time(void **state)
{
    struct http_opts o = {
        .url = CLOSED_URL, .api_key = "k", .max_retries = 50, .retry_budget_ms = 1500};
    struct http *h;
    struct outcome out = {0};
    char err[256];
    long t0;

    (void)state;
    assert_int_equal(http_new(&o, &h, err, sizeof err), CRM_OK);
    t0 = now_ms();
    assert_non_null(http_request(h, HTTP_DELETE, "/contacts/5/forget", NULL, 0, record, &out));
    run_until_done(h, &out, 10000);
    assert_int_equal(out.status, CRM_ERR_CONNECT);
    assert_true(out.attempts >= 2); /* DELETE is retried */
    assert_true(out.attempts < 50); /* but not past the budget */
    assert_true(now_ms() - t0 < 3000);
    http_free(&h);
}

static void test_cancel_waiting_retry(void **state)
{
    struct http_opts o = {.url = CLOSED_URL, .api_key = "k", .max_retries = 5};
    struct http *h;
    struct outcome out = {0}, other = {0};
    struct http_req *r;
    char err[256];
    long t0 = now_ms();

    (void)state;
    assert_int_equal(http_new(&o, &h, err, sizeof err), CRM_OK);
    r = http_request(h, HTTP_GET, "/contacts/filters", NULL, 0, record, &out);
    assert_non_null(r);
    /* The first attempt fails at once; the request then waits on a timer. */
    while (now_ms() - t0 < 200) {
        http_wait(h, -1, 20);
        http_dispatch(h);
    }
    assert_int_equal(out.calls, 0);
    assert_int_equal(http_pending(h), 1);
    http_cancel(h, r);
    assert_int_equal(out.calls, 1);
    assert_int_equal(out.status, CRM_ERR_CANCELLED);
    assert_int_equal(http_pending(h), 0);
    /* Cancelling again, or an unknown pointer, is ignored. */
    http_cancel(h, r);
    http_cancel(h, (struct http_req *)(void *)&other);
    assert_int_equal(out.calls, 1);
    http_free(&h);
}

static void test_wait_extra_fd(void **state)
{
    struct http_opts o = {.url = CLOSED_URL, .api_key = "k"};
    struct http *h;
    char err[256];
    int fds[2];
    long t0;

    (void)state;
    assert_int_equal(http_new(&o, &h, err, sizeof err), CRM_OK);
    assert_int_equal(pipe(fds), 0);
    /* Nothing in flight and no descriptor: returns at once. */
    t0 = now_ms();
    assert_int_equal(http_wait(h, -1, 5000), 0);
    assert_true(now_ms() - t0 < 1000);
    /* A quiet descriptor: the timeout. */
    assert_int_equal(http_wait(h, fds[0], 50), 0);
    assert_int_equal(write(fds[1], "x", 1), 1);
    assert_int_equal(http_wait(h, fds[0], 5000), 1);
    close(fds[0]);
    close(fds[1]);
    http_free(&h);
}

static void test_free_with_requests_in_flight(void **state)
{
    struct http_opts o = {.url = CLOSED_URL, .api_key = "k"};
    struct http *h;
    struct outcome out = {0};
    char err[256];

    (void)state;
    assert_int_equal(http_new(&o, &h, err, sizeof err), CRM_OK);
    assert_non_null(http_request(h, HTTP_GET, "/a", NULL, 0, record, &out));
    assert_non_null(http_request(h, HTTP_PUT, "/b", "{}", 2, record, &out));
    assert_null(http_request(h, HTTP_GET, "no-slash", NULL, 0, record, &out));
    http_free(&h);
    assert_int_equal(out.calls, 0); /* freed without callbacks */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_url_policy),
        cmocka_unit_test(test_http_refusal_says_why),
        cmocka_unit_test(test_key_policy),
        cmocka_unit_test(test_debug_log_permissions),
        cmocka_unit_test(test_escape),
        cmocka_unit_test(test_get_retries_then_fails),
        cmocka_unit_test(test_post_is_not_retried),
        cmocka_unit_test(test_retry_budget_bounds_time),
        cmocka_unit_test(test_cancel_waiting_retry),
        cmocka_unit_test(test_wait_extra_fd),
        cmocka_unit_test(test_free_with_requests_in_flight),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
