/* core/api_requests.c and core/requests_json.c: the mappers on crafted and
 * hostile bodies, the dates, and the calls against a live crm-server (create,
 * list, change, refusals with the server's sentence, close without the email).
 * Run by with-server.sh. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/api.h"
#include "core/api_requests.h"
#include "tests/common/testutil.h"

static struct crm_client *bruno;

static struct requests_reply *slot;

static void keep(struct requests_reply *r, void *ud)
{
    (void)ud;
    slot = r;
}

/* Spins c until the reply of the call just made arrives. */
static struct requests_reply *wait_reply(struct crm_client *c, struct crm_req *req)
{
    assert_non_null(req);
    for (int i = 0; !slot && i < 20000; i++) {
        crm_client_wait(c, -1, 100);
        crm_client_dispatch(c);
    }
    assert_non_null(slot);
    struct requests_reply *r = slot;
    slot = NULL;
    return r;
}

static void test_mappers(void **state)
{
    (void)state;
    static const char body[] =
        "{\"privacy_requests\":[{\"id\":7,\"type\":\"access\",\"subject_email\":\"a\\u001b[2Jb@x."
        "org\","
        "\"received_at\":\"2026-01-31T09:00:00Z\",\"due_at\":\"2026-02-28T09:00:00Z\","
        "\"status\":\"new\",\"contact_id\":null,\"receipt\":null},"
        "{\"type\":\"erasure\"},7,"
        "{\"id\":\"9\",\"type\":\"erasure\",\"subject_email\":null,\"subject_ref\":\"abc\","
        "\"status\":\"done\",\"contact_id\":42,\"receipt\":{\"audit_id\":5,\"at\":\"2026-03-01T00:"
        "00:00Z\"}}]}";
    struct privacy_request *list = NULL;
    size_t n = 0;
    char err[160];

    assert_int_equal(requests_json_list(body, strlen(body), &list, &n, err, sizeof err), CRM_OK);
    assert_int_equal(n, 2); /* the one without an id and the number are skipped */
    assert_int_equal(list[0].id, 7);
    assert_null(strchr(list[0].subject_email, '\033')); /* sanitized */
    assert_int_equal(list[0].contact_id, 0);
    assert_int_equal(list[0].receipt_id, 0);
    assert_int_equal(list[1].id, 9);
    assert_null(list[1].subject_email);
    assert_string_equal(list[1].subject_ref, "abc");
    assert_int_equal(list[1].contact_id, 42);
    assert_int_equal(list[1].receipt_id, 5);
    assert_string_equal(list[1].receipt_at, "2026-03-01T00:00:00Z");
    assert_true(requests_json_closed(list[1].status));
    assert_false(requests_json_closed(list[0].status));
    for (size_t i = 0; i < n; i++)
        requests_json_clear(&list[i]);
    free(list);

    assert_int_equal(
        requests_json_list("{\"privacy_requests\":{}}", 23, &list, &n, err, sizeof err),
        CRM_ERR_PROTOCOL);
    assert_null(list);
    assert_int_equal(requests_json_list("[", 1, &list, &n, err, sizeof err), CRM_ERR_PROTOCOL);

    int64_t t = 0, due = 0;
    assert_int_equal(requests_json_time("2026-02-28T09:00:00Z", &due), 0);
    assert_int_equal(requests_json_time("2026-03-03T12:00:00Z", &t), 0);
    assert_int_equal(requests_json_days_left(due, t), -3);
    assert_int_equal(requests_json_time("2026-02-18", &t), 0);
    assert_int_equal(requests_json_days_left(due, t), 10);
    assert_int_equal(requests_json_time("yesterday", &t), -1);
    assert_int_equal(requests_json_time("2026-02-18X", &t), -1);

    struct privacy_request_change ch = {.status = "done", .outcome = "a \"quoted\" outcome"};
    size_t len = 0;
    char *b = requests_json_change_body(&ch, &len);
    assert_string_equal(b,
                        "{\"privacy_request\":{\"status\":\"done\",\"outcome\":\"a \\\"quoted\\\" "
                        "outcome\"}}");
    assert_int_equal(len, strlen(b));
    free(b);
}

static void test_live(void **state)
{
    (void)state;
    struct requests_reply *r;
    int64_t id;

    r = wait_reply(bruno, api_requests_create(bruno, "portability", "port.subject@example.org",
                                              "2026-03-31T12:00:00Z", keep, NULL));
    assert_int_equal(r->status, CRM_OK);
    assert_int_equal(r->n_requests, 1);
    id = r->requests[0].id;
    assert_true(id > 0);
    assert_string_equal(r->requests[0].due_at, "2026-04-30T12:00:00Z");
    assert_string_equal(r->requests[0].status, "new");
    requests_reply_free(&r);
    assert_null(r);

    r = wait_reply(bruno, api_requests_list(bruno, keep, NULL));
    assert_int_equal(r->status, CRM_OK);
    bool found = false;
    for (size_t i = 0; i < r->n_requests; i++)
        if (r->requests[i].id == id)
            found = r->requests[i].subject_email &&
                    strcmp(r->requests[i].subject_email, "port.subject@example.org") == 0;
    assert_true(found);
    requests_reply_free(&r);

    /* A refused transition: 409 with the server's sentence. */
    struct privacy_request_change ch = {.status = "done", .outcome = "x"};
    r = wait_reply(bruno, api_requests_change(bruno, id, &ch, keep, NULL));
    assert_int_not_equal(r->status, CRM_OK);
    assert_int_equal(r->http_code, 409);
    assert_non_null(strstr(r->message, "new to done"));
    requests_reply_free(&r);

    /* An extension beyond three months: 400. */
    struct privacy_request_change ext = {.extended_to = "2026-07-01", .extension_reason = "r"};
    r = wait_reply(bruno, api_requests_change(bruno, id, &ext, keep, NULL));
    assert_int_equal(r->http_code, 400);
    requests_reply_free(&r);

    /* Rejected with an outcome: the email is replaced by the reference. */
    struct privacy_request_change rej = {.status = "rejected", .outcome = "Not verifiable"};
    r = wait_reply(bruno, api_requests_change(bruno, id, &rej, keep, NULL));
    assert_int_equal(r->status, CRM_OK);
    assert_string_equal(r->requests[0].status, "rejected");
    assert_null(r->requests[0].subject_email);
    assert_non_null(r->requests[0].subject_ref);
    assert_int_equal(strlen(r->requests[0].subject_ref), 64);
    assert_true(r->requests[0].receipt_id > 0);
    requests_reply_free(&r);

    /* Calls that cannot be made are refused without a callback. */
    assert_null(api_requests_change(bruno, 0, &rej, keep, NULL));
    assert_null(api_requests_create(bruno, NULL, "x@example.org", NULL, keep, NULL));
    assert_null(api_requests_list(bruno, NULL, NULL));
}

static int setup(void **state)
{
    (void)state;
    struct crm_client_opts o = {.url = testutil_env("CRM_TEST_URL"),
                                .api_key = testutil_env("CRM_TEST_KEY_BRUNO"),
                                .max_retries = -1};
    char err[256];
    return crm_client_new(&o, &bruno, err, sizeof err) == CRM_OK ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    crm_client_free(&bruno);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mappers),
        cmocka_unit_test(test_live),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
