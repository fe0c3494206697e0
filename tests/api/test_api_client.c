/* The core client (core/api.c over core/http.c) against a live crm-server:
 * every call, the permission and error statuses, connection reuse, the body
 * cap, cancellation, the debug log. Run by tests/api/with-server.sh. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "core/api.h"
#include "tests/common/testutil.h"

static const char *url, *key_ana, *key_bruno, *key_carla;
static struct crm_client *ana, *bruno, *carla;
static int64_t all_view; /* the default contact view */

static struct crm_client *client(const char *key, size_t max_body, const char *log)
{
    struct crm_client_opts o = {
        .url = url, .api_key = key, .max_body = max_body, .debug_log = log, .max_retries = -1};
    struct crm_client *c = NULL;
    char err[256];
    enum crm_status st = crm_client_new(&o, &c, err, sizeof err);
    if (st != CRM_OK)
        fail_msg("crm_client_new: %s", err);
    return c;
}

/* Runs a request made with a NULL callback to its end. */
static struct crm_reply *run(struct crm_client *c, struct crm_req *req)
{
    struct crm_reply *r = NULL;
    assert_non_null(req);
    crm_client_run(c, req, &r);
    assert_non_null(r);
    return r;
}

static struct crm_reply *ok(struct crm_client *c, struct crm_req *req)
{
    struct crm_reply *r = run(c, req);
    if (r->status != CRM_OK)
        fail_msg("status %s (%ld): %s", crm_strerror(r->status), r->http_code, r->message);
    return r;
}

/* The id of row i of the default view, sorted by last name. */
static int64_t contact_at(long i)
{
    struct crm_reply *r = ok(ana, api_contacts_page(ana, all_view, i / 25 + 1, 25,
                                                    API_SORT_LAST_NAME, false, NULL, NULL));
    int64_t id;
    assert_true((size_t)(i % 25) < r->n_rows);
    id = r->rows[i % 25].id;
    crm_reply_free(&r);
    return id;
}

static int setup(void **state)
{
    struct crm_reply *r;
    (void)state;
    url = testutil_env("CRM_TEST_URL");
    key_ana = testutil_env("CRM_TEST_KEY_ANA");
    key_bruno = testutil_env("CRM_TEST_KEY_BRUNO");
    key_carla = testutil_env("CRM_TEST_KEY_CARLA");
    ana = client(key_ana, 0, NULL);
    bruno = client(key_bruno, 0, NULL);
    carla = client(key_carla, 0, NULL);
    r = ok(ana, api_views(ana, NULL, NULL));
    for (size_t i = 0; i < r->n_views; i++)
        if (r->views[i].is_default)
            all_view = r->views[i].id;
    crm_reply_free(&r);
    return all_view > 0 ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    crm_client_free(&ana);
    crm_client_free(&bruno);
    crm_client_free(&carla);
    return 0;
}

static void test_views(void **state)
{
    struct crm_reply *r = ok(ana, api_views(ana, NULL, NULL));
    bool bin = false;
    int defaults = 0;

    (void)state;
    assert_true(r->n_views >= 4);
    for (size_t i = 0; i < r->n_views; i++) {
        assert_true(r->views[i].id > INT64_C(0xFFFFFFFF)); /* ids past 32 bits */
        defaults += r->views[i].is_default;
        bin = bin || strcmp(r->views[i].name, "Recycle Bin") == 0;
    }
    assert_int_equal(defaults, 1);
    assert_true(bin);
    assert_int_equal(r->http_code, 200);
    crm_reply_free(&r);
    assert_null(r);
}

static void test_contacts_page(void **state)
{
    struct crm_reply *r;
    long total;

    (void)state;
    r = ok(ana, api_contacts_page(ana, all_view, 1, 25, API_SORT_LAST_NAME, false, NULL, NULL));
    assert_int_equal(r->n_rows, 25);
    total = r->total;
    assert_true(total >= 50);
    assert_int_equal(r->total_pages, (total + 24) / 25);
    for (size_t i = 0; i < r->n_rows; i++) {
        assert_true(r->rows[i].id > 0);
        assert_non_null(r->rows[i].name);
        assert_true(r->rows[i].subscription_status >= -1 && r->rows[i].subscription_status <= 2);
    }
    crm_reply_free(&r);
    /* The last page holds the rest; past it, an empty page. */
    r = ok(ana, api_contacts_page(ana, all_view, (total + 24) / 25, 25, API_SORT_LAST_NAME, false,
                                  NULL, NULL));
    assert_int_equal(r->n_rows, (size_t)(total - (total + 24) / 25 * 25 + 25));
    crm_reply_free(&r);
    r = ok(ana, api_contacts_page(ana, all_view, 1000, 25, API_SORT_UPDATED, true, NULL, NULL));
    assert_int_equal(r->n_rows, 0);
    assert_int_equal(r->total, total);
    crm_reply_free(&r);
    /* per_page past 100 is clamped by the client, not refused by the server. */
    r = ok(ana, api_contacts_page(ana, all_view, 1, 500, API_SORT_EMAIL, false, NULL, NULL));
    assert_true(r->n_rows == 100 || r->n_rows == (size_t)total);
    crm_reply_free(&r);
    /* No such view. */
    r = run(ana, api_contacts_page(ana, 12345, 1, 25, API_SORT_UPDATED, false, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_NOT_FOUND);
    assert_int_equal(r->http_code, 404);
    crm_reply_free(&r);
}

static void test_contact_detail(void **state)
{
    int64_t id = contact_at(3);
    struct crm_reply *r = ok(ana, api_contact(ana, id, NULL, NULL));

    (void)state;
    assert_non_null(r->contact);
    assert_true(r->contact->id == id);
    assert_non_null(r->contact->email);
    assert_non_null(r->contact->created_at);
    if (r->contact->owner_id != 0)
        assert_non_null(r->contact->owner_name); /* side-loaded users */
    if (r->contact->sales_account_id != 0)
        assert_non_null(r->contact->company_name);
    assert_true(r->contact->subscription_status >= -1);
    crm_reply_free(&r);
    r = run(ana, api_contact(ana, INT64_C(4999999999), NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_NOT_FOUND);
    assert_true(strlen(r->message) > 0);
    assert_null(r->contact);
    crm_reply_free(&r);
    assert_null(api_contact(ana, 0, NULL, NULL));
}

static void test_update_and_timeline(void **state)
{
    int64_t id = contact_at(4);
    struct contact_patch p = {.owner_id = -1, .sales_account_id = -1};
    struct crm_reply *r;
    bool rectified = false;

    (void)state;
    p.job_title = "Data Protection Officer";
    p.city = "Lisboa";
    r = ok(ana, api_contact_update(ana, id, &p, NULL, NULL));
    assert_non_null(r->contact);
    assert_string_equal(r->contact->job_title, "Data Protection Officer");
    assert_string_equal(r->contact->city, "Lisboa");
    crm_reply_free(&r);
    /* Cleared with an empty string. */
    p.job_title = NULL;
    p.city = "";
    r = ok(ana, api_contact_update(ana, id, &p, NULL, NULL));
    assert_null(r->contact->city);
    assert_string_equal(r->contact->job_title, "Data Protection Officer");
    crm_reply_free(&r);

    r = ok(ana, api_activities(ana, id, 1, 100, NULL, NULL));
    assert_true(r->n_activities >= 2);
    for (size_t i = 0; i < r->n_activities; i++) {
        assert_non_null(r->activities[i].id);
        assert_non_null(r->activities[i].action_type);
        assert_non_null(r->activities[i].created_at);
        rectified = rectified || strcmp(r->activities[i].action_type, "rectified") == 0;
    }
    assert_true(rectified);
    assert_true(r->total >= (long)r->n_activities);
    crm_reply_free(&r);

    /* An invalid value: the server's own message comes back. */
    p.city = NULL;
    p.email = "not an email";
    r = run(ana, api_contact_update(ana, id, &p, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_BAD_REQUEST);
    assert_int_equal(r->http_code, 400);
    assert_string_not_equal(r->message, crm_strerror(CRM_ERR_BAD_REQUEST));
    crm_reply_free(&r);
}

static void test_search_and_lookup(void **state)
{
    int64_t id = contact_at(5);
    struct crm_reply *r = ok(ana, api_contact(ana, id, NULL, NULL));
    char *email = strdup(r->contact->email);
    char *last = r->contact->last_name ? strdup(r->contact->last_name) : NULL;
    bool found = false;

    (void)state;
    crm_reply_free(&r);
    r = ok(ana, api_lookup_email(ana, email, NULL, NULL));
    assert_int_equal(r->n_rows, 1);
    assert_true(r->rows[0].id == id);
    assert_string_equal(r->rows[0].email, email);
    crm_reply_free(&r);

    r = ok(ana, api_search(ana, email, NULL, NULL));
    for (size_t i = 0; i < r->n_hits; i++)
        found = found || (r->hits[i].id == id && strcmp(r->hits[i].type, "contact") == 0);
    assert_true(found);
    crm_reply_free(&r);
    if (last) {
        found = false;
        r = ok(ana, api_search(ana, last, NULL, NULL));
        for (size_t i = 0; i < r->n_hits; i++)
            found = found || r->hits[i].id == id;
        assert_true(found);
        crm_reply_free(&r);
    }
    /* Query text that needs escaping reaches the server intact. */
    r = ok(ana, api_search(ana, "zz&q=x#y %2F", NULL, NULL));
    assert_int_equal(r->n_hits, 0);
    crm_reply_free(&r);
    r = ok(ana, api_lookup_email(ana, "nobody+none@nowhere.example", NULL, NULL));
    assert_int_equal(r->n_rows, 0);
    crm_reply_free(&r);
    assert_null(api_search(ana, "", NULL, NULL));
    free(email);
    free(last);
}

static void test_users(void **state)
{
    struct crm_reply *r;
    bool has_bruno = false;

    (void)state;
    r = ok(ana, api_owners(ana, NULL, NULL));
    assert_true(r->n_users >= 3);
    for (size_t i = 0; i < r->n_users; i++)
        has_bruno = has_bruno || strcmp(r->users[i].display_name, "Bruno Lima") == 0;
    assert_true(has_bruno);
    crm_reply_free(&r);

    r = ok(ana, api_users(ana, NULL, NULL));
    assert_true(r->n_users >= 3);
    for (size_t i = 0; i < r->n_users; i++)
        assert_non_null(r->users[i].role);
    crm_reply_free(&r);

    r = ok(ana, api_users_me(ana, NULL, NULL));
    assert_string_equal(r->user->display_name, "Ana Souza");
    assert_string_equal(r->user->role, "admin");
    crm_reply_free(&r);
    r = ok(bruno, api_users_me(bruno, NULL, NULL));
    assert_string_equal(r->user->role, "agent");
    assert_true(r->user->perm_export_reports);
    assert_false(r->user->perm_forget_records);
    crm_reply_free(&r);
    r = ok(carla, api_users_me(carla, NULL, NULL));
    assert_false(r->user->perm_export_reports);
    assert_true(r->user->perm_forget_records);
    crm_reply_free(&r);

    /* The user list is for admins. */
    r = run(bruno, api_users(bruno, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_FORBIDDEN);
    assert_int_equal(r->http_code, 403);
    assert_true(strlen(r->message) > 0);
    assert_int_equal(r->n_users, 0);
    crm_reply_free(&r);
}

static void test_capabilities(void **state)
{
    struct crm_reply *r = ok(ana, api_capabilities(ana, NULL, NULL));
    (void)state;
    assert_true(r->capabilities & (1u << CAP_AUDIT));
    assert_true(r->capabilities < (1u << CAP_COUNT));
    crm_reply_free(&r);
}

/* A server without the extensions (real Freshsales) answers 404 there: that
 * is success with no capabilities; other calls still report their 404. The
 * old-account base path /api, which crm-server does not serve, stands in. */
static void test_capabilities_absent(void **state)
{
    char base[300];
    const char *prefix = strstr(url, "/crm/sales/api");
    struct crm_client *c;
    struct crm_reply *r;

    (void)state;
    assert_non_null(prefix);
    snprintf(base, sizeof base, "%.*s/api", (int)(prefix - url), url);
    url = base;
    c = client(key_ana, 0, NULL);
    url = testutil_env("CRM_TEST_URL");
    r = run(c, api_capabilities(c, NULL, NULL));
    assert_int_equal(r->status, CRM_OK);
    assert_int_equal(r->http_code, 404);
    assert_int_equal(r->capabilities, 0);
    crm_reply_free(&r);
    r = run(c, api_views(c, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_NOT_FOUND);
    crm_reply_free(&r);
    crm_client_free(&c);
}

static void test_companies(void **state)
{
    struct crm_reply *r = ok(ana, api_company_views(ana, NULL, NULL));
    int64_t view = 0, cid;

    (void)state;
    assert_true(r->n_views >= 1);
    for (size_t i = 0; i < r->n_views; i++)
        if (r->views[i].is_default)
            view = r->views[i].id;
    assert_true(view > 0);
    crm_reply_free(&r);
    r = ok(ana, api_companies_page(ana, view, 1, 10, NULL, NULL));
    assert_true(r->n_companies >= 1);
    assert_true(r->total >= (long)r->n_companies);
    cid = r->companies[0].id;
    assert_non_null(r->companies[0].name);
    crm_reply_free(&r);
    r = ok(ana, api_company(ana, cid, NULL, NULL));
    assert_true(r->company->id == cid);
    assert_non_null(r->company->name);
    crm_reply_free(&r);
    r = run(ana, api_company(ana, INT64_C(999999999999), NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_NOT_FOUND);
    crm_reply_free(&r);
}

static void test_notes(void **state)
{
    int64_t id = contact_at(6);
    struct crm_reply *r;
    bool found = false;

    (void)state;
    r = ok(ana,
           api_note_add(ana, id, "Asked for a copy of their data.\nSent on request.", NULL, NULL));
    assert_non_null(r->note);
    assert_true(r->note->id > 0);
    assert_string_equal(r->note->description, "Asked for a copy of their data.\nSent on request.");
    crm_reply_free(&r);
    r = ok(ana, api_contact(ana, id, NULL, NULL));
    for (size_t i = 0; i < r->contact->n_notes; i++)
        found = found || strcmp(r->contact->notes[i].description,
                                "Asked for a copy of their data.\nSent on request.") == 0;
    assert_true(found);
    crm_reply_free(&r);
}

/* GET /contacts/{id}/export is an extension: raw body when served, else 404. */
static void test_export(void **state)
{
    int64_t id = contact_at(7);
    struct crm_reply *r = run(ana, api_contact_export(ana, id, NULL, NULL));

    (void)state;
    if (r->status == CRM_OK) {
        cJSON *root = cJSON_ParseWithLength(r->raw, r->raw_len);
        assert_non_null(root);
        assert_non_null(cJSON_GetObjectItemCaseSensitive(root, "export"));
        cJSON_Delete(root);
    } else {
        assert_int_equal(r->status, CRM_ERR_NOT_FOUND);
        assert_null(r->raw);
    }
    crm_reply_free(&r);
}

static void test_delete_restore(void **state)
{
    int64_t id = contact_at(8);
    struct crm_reply *r;

    (void)state;
    r = ok(ana, api_contact_delete(ana, id, false, NULL, NULL));
    assert_false(r->already_gone);
    crm_reply_free(&r);
    r = ok(ana, api_contact(ana, id, NULL, NULL)); /* in the Recycle Bin */
    assert_true(r->contact->is_deleted);
    crm_reply_free(&r);
    r = ok(ana, api_contact_restore(ana, id, NULL, NULL));
    assert_true(r->contact->id == id);
    assert_false(r->contact->is_deleted);
    crm_reply_free(&r);
    r = run(ana, api_contact_restore(ana, INT64_C(4999999998), NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_NOT_FOUND);
    crm_reply_free(&r);
}

static void test_forget(void **state)
{
    int64_t id = contact_at(9);
    struct crm_reply *r;

    (void)state;
    /* bruno may not forget: the server says so, in its words. */
    r = run(bruno, api_contact_forget(bruno, id, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_FORBIDDEN);
    assert_int_equal(r->http_code, 403);
    assert_true(strlen(r->message) > 0);
    assert_false(r->already_gone);
    crm_reply_free(&r);
    r = ok(ana, api_contact(ana, id, NULL, NULL)); /* still there */
    crm_reply_free(&r);
    /* carla may. */
    r = ok(carla, api_contact_forget(carla, id, NULL, NULL));
    assert_false(r->already_gone);
    crm_reply_free(&r);
    /* Again: already gone, which counts as done. */
    r = ok(carla, api_contact_forget(carla, id, NULL, NULL));
    assert_true(r->already_gone);
    assert_int_equal(r->http_code, 404);
    crm_reply_free(&r);
    r = run(ana, api_contact(ana, id, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_NOT_FOUND);
    crm_reply_free(&r);
    r = run(ana, api_activities(ana, id, 1, 25, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_NOT_FOUND);
    crm_reply_free(&r);
}

static void test_bad_key(void **state)
{
    struct crm_client *c = client("not-a-key-of-anyone", 0, NULL);
    struct crm_reply *r = run(c, api_views(c, NULL, NULL));

    (void)state;
    assert_int_equal(r->status, CRM_ERR_AUTH);
    assert_int_equal(r->http_code, 401);
    assert_true(strlen(r->message) > 0);
    assert_null(strstr(r->message, "not-a-key-of-anyone"));
    crm_reply_free(&r);
    crm_client_free(&c);
    assert_null(c);
}

static void test_connection_reuse(void **state)
{
    struct crm_client *c = client(key_ana, 0, NULL);

    (void)state;
    for (int i = 0; i < 50; i++) {
        struct crm_reply *r = i % 2 ? ok(c, api_views(c, NULL, NULL))
                                    : ok(c, api_contacts_page(c, all_view, i / 2 + 1, 1,
                                                              API_SORT_UPDATED, true, NULL, NULL));
        crm_reply_free(&r);
    }
    assert_int_equal(crm_client_connections(c), 1);
    crm_client_free(&c);
}

static void test_body_cap(void **state)
{
    struct crm_client *c = client(key_ana, 256, NULL);
    struct crm_reply *r =
        run(c, api_contacts_page(c, all_view, 1, 100, API_SORT_UPDATED, true, NULL, NULL));

    (void)state;
    assert_int_equal(r->status, CRM_ERR_TOO_LARGE);
    assert_int_equal(r->n_rows, 0);
    assert_non_null(strstr(r->message, "256"));
    crm_reply_free(&r);
    /* A small answer still fits. */
    r = run(c, api_capabilities(c, NULL, NULL));
    assert_int_equal(r->status, CRM_OK);
    crm_reply_free(&r);
    crm_client_free(&c);
}

struct tally {
    int calls;
    enum crm_status last;
    int order[8];
};

static void count_reply(struct crm_reply *r, void *ud)
{
    struct tally *t = ud;
    if (t->calls < 8)
        t->order[t->calls] = (int)r->status;
    t->calls++;
    t->last = r->status;
    crm_reply_free(&r);
}

static void test_async_and_cancel(void **state)
{
    struct crm_client *c = client(key_ana, 0, NULL);
    struct tally done = {0}, cancelled = {0};
    struct crm_req *a, *b, *x;

    (void)state;
    a = api_views(c, count_reply, &done);
    b = api_capabilities(c, count_reply, &done);
    x = api_contacts_page(c, all_view, 1, 100, API_SORT_UPDATED, true, count_reply, &cancelled);
    assert_non_null(a);
    assert_non_null(b);
    assert_non_null(x);
    assert_int_equal(crm_client_pending(c), 3);
    crm_req_cancel(c, x);
    assert_int_equal(cancelled.calls, 1);
    assert_int_equal(cancelled.last, CRM_ERR_CANCELLED);
    assert_int_equal(crm_client_pending(c), 2);
    while (crm_client_pending(c) > 0) {
        crm_client_wait(c, -1, 1000);
        crm_client_dispatch(c);
    }
    assert_int_equal(done.calls, 2);
    assert_int_equal(done.order[0], CRM_OK);
    assert_int_equal(done.order[1], CRM_OK);
    assert_int_equal(cancelled.calls, 1);

    /* cancel_all reaches every request; the client still works after. */
    for (int i = 0; i < 4; i++)
        assert_non_null(api_views(c, count_reply, &cancelled));
    crm_client_cancel_all(c);
    assert_int_equal(cancelled.calls, 5);
    assert_int_equal(crm_client_pending(c), 0);
    {
        struct crm_reply *r = ok(c, api_views(c, NULL, NULL));
        crm_reply_free(&r);
    }
    /* Freeing with requests in flight calls no callback. */
    assert_non_null(api_views(c, count_reply, &done));
    crm_client_free(&c);
    assert_int_equal(done.calls, 2);
}

static void test_wait_extra_fd(void **state)
{
    static struct tally t;
    int fds[2];

    (void)state;
    assert_int_equal(pipe(fds), 0);
    assert_non_null(api_views(ana, count_reply, &t));
    assert_int_equal(write(fds[1], "k", 1), 1);
    assert_int_equal(crm_client_wait(ana, fds[0], 5000), 1);
    close(fds[0]);
    close(fds[1]);
    crm_client_cancel_all(ana);
}

static void test_debug_log(void **state)
{
    char path[] = "/tmp/crmtest-debug.XXXXXX";
    int fd = mkstemp(path);
    struct crm_client *c;
    struct crm_reply *r;
    struct stat sb;
    char *log;
    size_t len;

    (void)state;
    assert_true(fd >= 0);
    close(fd);
    assert_int_equal(chmod(path, 0600), 0);
    c = client(key_ana, 0, path);
    r = ok(c, api_views(c, NULL, NULL));
    crm_reply_free(&r);
    r = ok(c, api_search(c, "secret-search-term", NULL, NULL));
    crm_reply_free(&r);
    crm_client_free(&c);
    log = testutil_read_file(path, &len);
    assert_non_null(log);
    assert_non_null(strstr(log, "GET /contacts/filters 200"));
    assert_non_null(strstr(log, "GET /search 200"));
    assert_null(strstr(log, key_ana));
    assert_null(strstr(log, "Token"));
    assert_null(strstr(log, "secret-search-term"));
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    free(log);
    unlink(path);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_views),
        cmocka_unit_test(test_contacts_page),
        cmocka_unit_test(test_contact_detail),
        cmocka_unit_test(test_update_and_timeline),
        cmocka_unit_test(test_search_and_lookup),
        cmocka_unit_test(test_users),
        cmocka_unit_test(test_capabilities),
        cmocka_unit_test(test_capabilities_absent),
        cmocka_unit_test(test_companies),
        cmocka_unit_test(test_notes),
        cmocka_unit_test(test_export),
        cmocka_unit_test(test_delete_restore),
        cmocka_unit_test(test_forget),
        cmocka_unit_test(test_bad_key),
        cmocka_unit_test(test_connection_reuse),
        cmocka_unit_test(test_body_cap),
        cmocka_unit_test(test_async_and_cancel),
        cmocka_unit_test(test_wait_extra_fd),
        cmocka_unit_test(test_debug_log),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
