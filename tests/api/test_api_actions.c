/* The quick-action calls (core/api_actions.c) against a live crm-server: the
 * erasure preview and its permission, unsubscribe and rectify recorded as
 * quick actions, the audit entry of a forget (no personal data in it), and
 * an export assembled on the client matching the server's own. Run by
 * tests/api/with-server.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "core/api_actions.h"
#include "core/export.h"
#include "tests/common/testutil.h"

static const char *url, *key_ana, *key_bruno;
static struct crm_client *ana, *bruno;
static int64_t all_view;

static struct crm_client *client(const char *key)
{
    struct crm_client_opts o = {.url = url, .api_key = key, .max_retries = -1};
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
    if (r->status != CRM_OK)
        fail_msg("status %s (%ld): %s", crm_strerror(r->status), r->http_code, r->message);
    return r;
}

/* A typed answer, copied out of the callback. */
struct answer {
    bool done;
    struct actions_reply r;
    struct contact *contact;
};

static void on_answer(struct actions_reply *r, void *ud)
{
    struct answer *a = ud;
    a->done = true;
    a->r = *r;
    a->contact = r->contact; /* taken */
    r->contact = NULL;
    a->r.contact = NULL;
}

static void wait_answer(struct crm_client *c, struct answer *a)
{
    for (int i = 0; i < 2000 && !a->done; i++) {
        crm_client_wait(c, -1, 50);
        crm_client_dispatch(c);
    }
    assert_true(a->done);
}

static int64_t contact_at(long i)
{
    struct crm_reply *r =
        run(ana, api_contacts_page(ana, all_view, 1, 50, API_SORT_LAST_NAME, false, NULL, NULL));
    assert_true((size_t)i < r->n_rows);
    int64_t id = r->rows[i].id;
    crm_reply_free(&r);
    return id;
}

static int setup(void **state)
{
    (void)state;
    url = testutil_env("CRM_TEST_URL");
    key_ana = testutil_env("CRM_TEST_KEY_ANA");
    key_bruno = testutil_env("CRM_TEST_KEY_BRUNO");
    ana = client(key_ana);
    bruno = client(key_bruno);
    struct crm_reply *r = run(ana, api_views(ana, NULL, NULL));
    for (size_t i = 0; i < r->n_views; i++)
        if (r->views[i].name && strcmp(r->views[i].name, "All Contacts") == 0)
            all_view = r->views[i].id;
    crm_reply_free(&r);
    assert_true(all_view > 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    crm_client_free(&ana);
    crm_client_free(&bruno);
    return 0;
}

static void test_forget_preview(void **state)
{
    (void)state;
    int64_t id = contact_at(0);
    struct answer a = {0};
    assert_non_null(api_forget_preview(ana, id, on_answer, &a));
    wait_answer(ana, &a);
    assert_int_equal(a.r.status, CRM_OK);
    for (int i = 0; i < FORGET_COUNT; i++)
        assert_true(a.r.preview.erase[i] >= 0);
    assert_true(a.r.preview.erase[FORGET_ACTIVITIES] > 0);
    assert_true(a.r.preview.deals_kept >= 0);

    /* bruno may not forget: the preview is refused too */
    struct answer b = {0};
    assert_non_null(api_forget_preview(bruno, id, on_answer, &b));
    wait_answer(bruno, &b);
    assert_int_equal(b.r.status, CRM_ERR_FORBIDDEN);
    assert_true(strlen(b.r.message) > 0);

    struct answer c = {0};
    assert_non_null(api_forget_preview(ana, 999999999, on_answer, &c));
    wait_answer(ana, &c);
    assert_int_equal(c.r.status, CRM_ERR_NOT_FOUND);

    assert_null(api_forget_preview(ana, 0, on_answer, &c));
    assert_null(api_forget_preview(ana, id, NULL, NULL));
}

/* The newest timeline entry of type, or NULL; in r. */
static const struct activity *newest(struct crm_reply *r, const char *type)
{
    const struct activity *best = NULL;
    for (size_t i = 0; i < r->n_activities; i++) {
        const struct activity *x = &r->activities[i];
        if (x->action_type && strcmp(x->action_type, type) == 0 &&
            (!best || strcmp(x->created_at, best->created_at) >= 0))
            best = x;
    }
    return best;
}

static void test_unsubscribe_is_a_quick_action(void **state)
{
    (void)state;
    int64_t id = contact_at(1);
    struct answer a = {0};
    assert_non_null(api_contact_unsubscribe(ana, id, on_answer, &a));
    wait_answer(ana, &a);
    assert_int_equal(a.r.status, CRM_OK);
    assert_non_null(a.contact);
    assert_true(a.contact->do_not_disturb);
    assert_int_equal(a.contact->subscription_status, 0);
    assert_int_equal(a.contact->n_subscription_types, 0);
    model_contact_free(&a.contact);

    struct crm_reply *r = run(ana, api_activities(ana, id, 1, 100, NULL, NULL));
    const struct activity *u = newest(r, "unsubscribed");
    assert_non_null(u);
    assert_non_null(u->source);
    assert_string_equal(u->source, "quick_action");
    assert_int_equal(u->user_id, 1);
    crm_reply_free(&r);
}

static void test_rectify_sends_only_changes(void **state)
{
    (void)state;
    int64_t id = contact_at(2);
    struct crm_reply *before = run(ana, api_contact(ana, id, NULL, NULL));
    struct contact_patch p;
    memset(&p, 0, sizeof p);
    p.owner_id = -1;
    p.sales_account_id = -1;
    p.city = "Coimbra";
    struct answer a = {0};
    assert_non_null(api_contact_rectify(ana, id, &p, on_answer, &a));
    wait_answer(ana, &a);
    assert_int_equal(a.r.status, CRM_OK);
    assert_non_null(a.contact);
    assert_string_equal(a.contact->city, "Coimbra");
    /* what was not in the patch stays */
    if (before->contact->email)
        assert_string_equal(a.contact->email, before->contact->email);
    assert_int_equal(a.contact->owner_id, before->contact->owner_id);
    model_contact_free(&a.contact);
    crm_reply_free(&before);

    struct crm_reply *r = run(ana, api_activities(ana, id, 1, 100, NULL, NULL));
    const struct activity *x = newest(r, "rectified");
    assert_non_null(x);
    assert_non_null(x->source);
    assert_string_equal(x->source, "quick_action");
    crm_reply_free(&r);

    /* a bad email is refused by the server with its message */
    p.city = NULL;
    p.email = "not an email";
    struct answer b = {0};
    assert_non_null(api_contact_rectify(ana, id, &p, on_answer, &b));
    wait_answer(ana, &b);
    assert_int_not_equal(b.r.status, CRM_OK);
    assert_true(strlen(b.r.message) > 0);
}

static void test_forget_leaves_an_audit_entry(void **state)
{
    (void)state;
    int64_t id = contact_at(3);
    struct crm_reply *c = run(ana, api_contact(ana, id, NULL, NULL));
    char email[256];
    snprintf(email, sizeof email, "%s", c->contact->email ? c->contact->email : "@@none@@");
    crm_reply_free(&c);

    struct crm_reply *f = run(ana, api_contact_forget(ana, id, NULL, NULL));
    assert_false(f->already_gone);
    crm_reply_free(&f);

    struct answer a = {0};
    assert_non_null(api_audit_newest_forget(ana, on_answer, &a));
    wait_answer(ana, &a);
    assert_int_equal(a.r.status, CRM_OK);
    assert_true(a.r.audit_found);
    assert_true(a.r.audit.id > 0);
    assert_int_equal(a.r.audit.actor_user_id, 1);
    assert_true(strlen(a.r.audit.subject_ref) >= 16);
    assert_non_null(strstr(a.r.audit.counts, "activities"));
    assert_true(strlen(a.r.audit.at) > 0);
    /* no personal data: neither the email nor the id as text */
    assert_null(strstr(a.r.audit.subject_ref, email));
    assert_null(strstr(a.r.audit.counts, email));

    /* forgetting it again counts as done */
    f = run(ana, api_contact_forget(ana, id, NULL, NULL));
    assert_true(f->already_gone);
    crm_reply_free(&f);

    /* the audit is for admins */
    struct answer b = {0};
    assert_non_null(api_audit_newest_forget(bruno, on_answer, &b));
    wait_answer(bruno, &b);
    assert_int_equal(b.r.status, CRM_ERR_FORBIDDEN);
}

static void test_assembled_export_matches(void **state)
{
    (void)state;
    int64_t id = contact_at(4);
    char err[256];
    struct export_doc *want = NULL, *got = NULL;

    struct crm_reply *contact = run(ana, api_contact_raw(ana, id, NULL, NULL));
    assert_non_null(contact->raw);
    const char *pages[8];
    size_t lens[8], n_pages = 0;
    struct crm_reply *page_replies[8];
    for (long p = 1; p <= 8; p++) {
        struct crm_reply *r = run(ana, api_activities_raw(ana, id, p, NULL, NULL));
        size_t n = 0;
        long total_pages = -1;
        assert_int_equal(
            actions_json_page_count(r->raw, r->raw_len, &n, &total_pages, err, sizeof err), CRM_OK);
        page_replies[n_pages] = r;
        pages[n_pages] = r->raw;
        lens[n_pages++] = r->raw_len;
        if (total_pages > 0 ? p >= total_pages : n < 100)
            break;
    }
    assert_int_equal(export_doc_assemble(contact->raw, contact->raw_len, pages, lens, n_pages, NULL,
                                         0, NULL, &got, err, sizeof err),
                     CRM_OK);
    /* the server's own, fetched after: it records an "exported" entry */
    struct crm_reply *server = run(ana, api_contact_export(ana, id, NULL, NULL));
    assert_int_equal(export_doc_parse(server->raw, server->raw_len, &want, err, sizeof err),
                     CRM_OK);
    crm_reply_free(&server);
    size_t count_want[EXPORT_KIND_COUNT] = {0}, count_got[EXPORT_KIND_COUNT] = {0};
    for (size_t i = 0; i < want->n_records; i++)
        count_want[want->records[i].kind]++;
    for (size_t i = 0; i < got->n_records; i++)
        count_got[got->records[i].kind]++;
    assert_int_equal(count_got[EXPORT_CONTACT], 1);
    assert_true(count_got[EXPORT_ACTIVITY] > 0);
    /* the server's export may add its own "exported" entry: at most one more */
    assert_true(count_want[EXPORT_ACTIVITY] >= count_got[EXPORT_ACTIVITY]);
    assert_true(count_want[EXPORT_ACTIVITY] <= count_got[EXPORT_ACTIVITY] + 1);
    assert_int_equal(count_got[EXPORT_NOTE], count_want[EXPORT_NOTE]);
    export_doc_free(&want);
    export_doc_free(&got);
    for (size_t i = 0; i < n_pages; i++)
        crm_reply_free(&page_replies[i]);
    crm_reply_free(&contact);
}

static void test_cancel_calls_back(void **state)
{
    (void)state;
    struct answer a = {0};
    struct crm_req *q = api_forget_preview(ana, contact_at(5), on_answer, &a);
    assert_non_null(q);
    crm_req_cancel(ana, q);
    assert_true(a.done);
    assert_int_equal(a.r.status, CRM_ERR_CANCELLED);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_forget_preview),
        cmocka_unit_test(test_unsubscribe_is_a_quick_action),
        cmocka_unit_test(test_rectify_sends_only_changes),
        cmocka_unit_test(test_forget_leaves_an_audit_entry),
        cmocka_unit_test(test_assembled_export_matches),
        cmocka_unit_test(test_cancel_calls_back),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
