/* API test of api_audit_reveal against crm-server: a reveal writes one
 * contact.reveal audit entry naming the field, never the value; an unknown
 * field is not sent; an unknown contact is refused. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/api_internal.h"
#include "core/api_reveal.h"
#include "tests/common/testutil.h"

static struct crm_client *ana, *bruno;

static struct crm_client *client(const char *key)
{
    struct crm_client_opts o = {
        .url = testutil_env("CRM_TEST_URL"), .api_key = key, .max_retries = -1};
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

static void test_reveal_is_audited(void **state)
{
    (void)state;
    struct crm_reply *r = run(bruno, api_audit_reveal(bruno, 3, "email", NULL, NULL));
    assert_int_equal(r->status, CRM_OK);
    assert_int_equal(r->http_code, 201);
    crm_reply_free(&r);
    r = run(ana, api_contact(ana, 3, NULL, NULL));
    assert_int_equal(r->status, CRM_OK);
    char email[256];
    snprintf(email, sizeof email, "%s", r->contact->email);
    crm_reply_free(&r);

    /* the newest audit entry, as the admin reads it */
    r = run(ana, api_internal_call_raw(ana, HTTP_GET, "/audit?per_page=1", NULL, 0, NULL, NULL));
    assert_int_equal(r->status, CRM_OK);
    assert_non_null(r->raw);
    assert_non_null(strstr(r->raw, "\"action\":\"contact.reveal\""));
    assert_non_null(strstr(r->raw, "\"field\":\"email\""));
    assert_non_null(strstr(r->raw, "\"subject_ref\":\""));
    assert_null(strstr(r->raw, email));
    crm_reply_free(&r);
}

static void test_unknown_field_not_sent(void **state)
{
    (void)state;
    assert_null(api_audit_reveal(bruno, 3, "ssn", NULL, NULL));
    assert_null(api_audit_reveal(bruno, 3, NULL, NULL, NULL));
    assert_null(api_audit_reveal(bruno, 0, "name", NULL, NULL));
}

static void test_unknown_contact_refused(void **state)
{
    (void)state;
    struct crm_reply *r = run(bruno, api_audit_reveal(bruno, 987654321, "name", NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_NOT_FOUND);
    crm_reply_free(&r);
}

static int setup(void **state)
{
    (void)state;
    ana = client(testutil_env("CRM_TEST_KEY_ANA"));
    bruno = client(testutil_env("CRM_TEST_KEY_BRUNO"));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    crm_client_free(&ana);
    crm_client_free(&bruno);
    return 0;
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_reveal_is_audited),
        cmocka_unit_test(test_unknown_field_not_sent),
        cmocka_unit_test(test_unknown_contact_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
