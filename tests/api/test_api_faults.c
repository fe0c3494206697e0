/* The core client when the server misbehaves: rate limiting (429 with
 * Retry-After), a server that stops answering, one killed with a request in
 * flight, cancelling a request the server never answers. Each test starts a
 * crm-server of its own on the test database. */
#include <dirent.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cmocka.h>

#include "core/api.h"
#include "tests/common/testutil.h"

static const char *server_bin, *db, *key;

static long now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

static struct crm_client *client_at(const char *url, int max_retries, long stall_ms,
                                    const char *log)
{
    struct crm_client_opts o = {.url = url,
                                .api_key = key,
                                .max_retries = max_retries,
                                .stall_timeout_ms = stall_ms,
                                .retry_budget_ms = 3000,
                                .debug_log = log};
    struct crm_client *c = NULL;
    char err[256];
    if (crm_client_new(&o, &c, err, sizeof err) != CRM_OK)
        fail_msg("crm_client_new: %s", err);
    return c;
}

static struct crm_reply *run(struct crm_client *c, struct crm_req *req)
{
    struct crm_reply *r = NULL;
    assert_non_null(req);
    crm_client_run(c, req, &r);
    assert_non_null(r);
    return r;
}

/* Moves transfers on for ms milliseconds. */
static void pump(struct crm_client *c, long ms)
{
    long t0 = now_ms();
    while (now_ms() - t0 < ms) {
        crm_client_wait(c, -1, 20);
        crm_client_dispatch(c);
    }
}

/* True when every thread of pid is stopped (state T in /proc). */
static bool all_stopped(pid_t pid)
{
    char dir[64], path[384], buf[512];
    bool stopped = true;
    int n = 0;
    snprintf(dir, sizeof dir, "/proc/%d/task", (int)pid);
    DIR *d = opendir(dir);
    if (!d)
        return false;
    for (struct dirent *e; stopped && (e = readdir(d));) {
        if (e->d_name[0] == '.')
            continue;
        snprintf(path, sizeof path, "%s/%s/stat", dir, e->d_name);
        FILE *f = fopen(path, "r");
        size_t got = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
        if (f)
            fclose(f);
        buf[got] = '\0';
        /* "TID (comm) S ...": the state follows the last ')' */
        const char *rp = strrchr(buf, ')');
        stopped = rp && rp[1] == ' ' && (rp[2] == 'T' || rp[2] == 't');
        n++;
    }
    closedir(d);
    return stopped && n > 0;
}

/* Stops pid with SIGSTOP and waits until each of its threads has stopped:
 * the signal is only queued when kill returns, and a thread still running
 * could answer a request sent right after. */
static void stop_process(pid_t pid)
{
    assert_int_equal(kill(pid, SIGSTOP), 0);
    for (int i = 0; i < 400 && !all_stopped(pid); i++) {
        struct timespec pause = {0, 5 * 1000 * 1000L};
        nanosleep(&pause, NULL);
    }
    assert_true(all_stopped(pid));
}

/* Binds (without listening) the loopback port of url, so that connecting to
 * it is refused and no other program can start listening there while the
 * test runs. Returns the socket to close. */
static int hold_port(const char *url)
{
    const char *colon = strrchr(url, ':');
    int port = colon ? (int)strtol(colon + 1, NULL, 10) : 0;
    assert_true(port > 0 && port < 65536);
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0)
        fail_msg("port %d was taken by another program as soon as the server died", port);
    return fd;
}

/* The test's own server; stopped by the teardown even when a test fails. */
static struct testutil_server srv;

static int stop_server(void **state)
{
    (void)state;
    testutil_server_stop(&srv, SIGKILL);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    server_bin = testutil_env("CRM_TEST_SERVER");
    db = testutil_env("CRM_TEST_DB");
    key = testutil_env("CRM_TEST_KEY_ANA");
    return 0;
}

static void test_rate_limited(void **state)
{
    static const char *const args[] = {"--rate-limit", "3", NULL};
    char log[] = "/tmp/crmtest-429.XXXXXX";
    struct crm_client *c;
    struct crm_reply *r;
    char *text;
    long t0;
    int fd = mkstemp(log);

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    assert_true(testutil_server_start(&srv, server_bin, db, args));
    c = client_at(srv.url, 3, 0, log);
    for (int i = 0; i < 3; i++) {
        r = run(c, api_capabilities(c, NULL, NULL));
        assert_int_equal(r->status, CRM_OK);
        crm_reply_free(&r);
    }
    /* The fourth is refused. Retry-After (the rest of a one-minute window) is
     * past the 3 s retry budget: the client does not retry early, it reports. */
    t0 = now_ms();
    r = run(c, api_views(c, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_RATE_LIMIT);
    assert_int_equal(r->http_code, 429);
    assert_true(r->retry_after_s >= 1 && r->retry_after_s <= 60);
    assert_true(strlen(r->message) > 0);
    assert_int_equal(r->n_views, 0);
    assert_true(now_ms() - t0 < 2000);
    crm_reply_free(&r);
    crm_client_free(&c);
    testutil_server_stop(&srv, SIGTERM);

    /* One attempt of GET /contacts/filters in the log: no retry inside the
     * Retry-After wait. */
    text = testutil_read_file(log, NULL);
    assert_non_null(text);
    assert_non_null(strstr(text, "GET /contacts/filters 429"));
    assert_null(strstr(text, "attempt 2"));
    free(text);
    unlink(log);
}

static void test_server_killed_mid_request(void **state)
{
    struct crm_client *c;
    struct crm_req *req;
    struct crm_reply *r;

    (void)state;
    assert_true(testutil_server_start(&srv, server_bin, db, NULL));
    c = client_at(srv.url, -1, 0, NULL);
    r = run(c, api_views(c, NULL, NULL)); /* up and answering */
    assert_int_equal(r->status, CRM_OK);
    crm_reply_free(&r);
    /* Stopped, it takes the request (the kernel queues it) but never answers. */
    stop_process(srv.pid);
    req = api_contacts_page(c, 70000000001, 1, 100, API_SORT_UPDATED, true, NULL, NULL);
    assert_non_null(req);
    pump(c, 300);
    assert_int_equal(crm_client_pending(c), 1);
    testutil_server_stop(&srv, SIGKILL);
    assert_int_equal(crm_client_run(c, req, &r), CRM_ERR_CONNECT);
    assert_int_equal(r->http_code, 0);
    assert_int_equal(r->n_rows, 0);
    assert_non_null(strstr(r->message, crm_strerror(CRM_ERR_CONNECT)));
    crm_reply_free(&r);
    /* With the server gone, the next call fails at once, cleanly. */
    r = run(c, api_views(c, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_CONNECT);
    crm_reply_free(&r);
    crm_client_free(&c);
}

static void test_killed_then_retries_give_up(void **state)
{
    struct crm_client *c;
    struct crm_req *req;
    struct crm_reply *r;
    long t0;

    (void)state;
    assert_true(testutil_server_start(&srv, server_bin, db, NULL));
    c = client_at(srv.url, 2, 0, NULL);
    stop_process(srv.pid);
    req = api_views(c, NULL, NULL);
    pump(c, 200);
    testutil_server_stop(&srv, SIGKILL);
    int held = hold_port(srv.url);
    t0 = now_ms();
    assert_int_equal(crm_client_run(c, req, &r), CRM_ERR_CONNECT);
    /* Two retries with backoff, inside the 3 s budget. */
    assert_true(now_ms() - t0 >= 500);
    assert_true(now_ms() - t0 < 4000);
    close(held);
    crm_reply_free(&r);
    crm_client_free(&c);
}

static void test_stall_timeout(void **state)
{
    struct crm_client *c;
    struct crm_reply *r;
    long t0;

    (void)state;
    assert_true(testutil_server_start(&srv, server_bin, db, NULL));
    c = client_at(srv.url, -1, 1000, NULL);
    stop_process(srv.pid);
    t0 = now_ms();
    r = run(c, api_views(c, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_TIMEOUT);
    assert_true(now_ms() - t0 >= 900);
    assert_true(now_ms() - t0 < 5000);
    crm_reply_free(&r);
    crm_client_free(&c);
    testutil_server_stop(&srv, SIGKILL);
}

struct seen {
    int calls;
    enum crm_status status;
};

static void on_done(struct crm_reply *r, void *ud)
{
    struct seen *s = ud;
    s->calls++;
    s->status = r->status;
    crm_reply_free(&r);
}

static void test_cancel_unanswered(void **state)
{
    struct crm_client *c;
    struct crm_req *req;
    struct seen seen = {0};
    long t0;

    (void)state;
    assert_true(testutil_server_start(&srv, server_bin, db, NULL));
    c = client_at(srv.url, 3, 0, NULL);
    stop_process(srv.pid);
    req = api_views(c, on_done, &seen);
    assert_non_null(req);
    pump(c, 200);
    assert_int_equal(seen.calls, 0);
    t0 = now_ms();
    crm_req_cancel(c, req);
    assert_int_equal(seen.calls, 1);
    assert_int_equal(seen.status, CRM_ERR_CANCELLED);
    assert_int_equal(crm_client_pending(c), 0);
    assert_true(now_ms() - t0 < 100);
    crm_client_free(&c);
    testutil_server_stop(&srv, SIGKILL);
}

static struct crm_reply *views_with_ca(const char *at, const char *ca)
{
    struct crm_client_opts o = {.url = at, .api_key = key, .ca_file = ca, .max_retries = -1};
    struct crm_client *c = NULL;
    struct crm_reply *r;
    char err[256];

    if (crm_client_new(&o, &c, err, sizeof err) != CRM_OK)
        fail_msg("crm_client_new: %s", err);
    r = run(c, api_views(c, NULL, NULL));
    crm_client_free(&c);
    return r;
}

/* HTTPS is verified always: an unknown CA is refused, ca_file admits it. */
static void test_tls_verification(void **state)
{
    static const char *const args[] = {"--tls-cert", "tests/fixtures/tls/cert.pem", "--tls-key",
                                       "tests/fixtures/tls/key.pem", NULL};
    struct crm_reply *r;
    char by_name[300];
    const char *port;

    (void)state;
    assert_true(testutil_server_start(&srv, server_bin, db, args));
    assert_int_equal(strncmp(srv.url, "https://127.0.0.1:", 18), 0);
    r = views_with_ca(srv.url, NULL);
    assert_int_equal(r->status, CRM_ERR_TLS);
    assert_int_equal(r->http_code, 0);
    assert_non_null(strstr(r->message, crm_strerror(CRM_ERR_TLS)));
    crm_reply_free(&r);
    r = views_with_ca(srv.url, "tests/fixtures/tls/cert.pem");
    assert_int_equal(r->status, CRM_OK);
    assert_true(r->n_views >= 4);
    crm_reply_free(&r);
    /* The name is checked too: the certificate holds 127.0.0.1, not localhost. */
    port = srv.url + 18;
    snprintf(by_name, sizeof by_name, "https://localhost:%s", port);
    r = views_with_ca(by_name, "tests/fixtures/tls/cert.pem");
    assert_int_equal(r->status, CRM_ERR_TLS);
    crm_reply_free(&r);
    testutil_server_stop(&srv, SIGTERM);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_teardown(test_rate_limited, stop_server),
        cmocka_unit_test_teardown(test_server_killed_mid_request, stop_server),
        cmocka_unit_test_teardown(test_killed_then_retries_give_up, stop_server),
        cmocka_unit_test_teardown(test_stall_timeout, stop_server),
        cmocka_unit_test_teardown(test_cancel_unanswered, stop_server),
        cmocka_unit_test_teardown(test_tls_verification, stop_server),
    };
    return cmocka_run_group_tests(tests, setup, NULL);
}
