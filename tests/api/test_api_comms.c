/* core/api_comms.c against a live crm-server: email (with and without the
 * unsubscribe link, Do Not Disturb refused or warned), consent requests and
 * the opt-in link, calls and their note and recording, chats, user
 * permissions, deactivation and deletion with transfer, processors. The
 * server's state is read back after each change. Run by with-server.sh. */
#include <inttypes.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>
#include <cjson/cJSON.h>

#include "core/api.h"
#include "core/api_comms.h"
#include "core/api_internal.h"
#include "tests/common/testutil.h"

static const char *url;
static struct crm_client *ana, *bruno, *carla;
static int64_t all_view, dnd_view, my_view;

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
    return r;
}

static struct crm_reply *ok(struct crm_client *c, struct crm_req *req)
{
    struct crm_reply *r = run(c, req);
    if (r->status != CRM_OK)
        fail_msg("status %s (%ld): %s", crm_strerror(r->status), r->http_code, r->message);
    return r;
}

/* A raw call whose body is parsed as JSON (the test's view of server state). */
static cJSON *get_json(struct crm_client *c, enum http_method m, const char *path, const char *body)
{
    struct crm_reply *r =
        ok(c, api_internal_call_raw(c, m, path, body, body ? strlen(body) : 0, NULL, NULL));
    cJSON *j = cJSON_ParseWithLength(r->raw ? r->raw : "", r->raw_len);
    assert_non_null(j);
    crm_reply_free(&r);
    return j;
}

static int64_t first_row(struct crm_client *c, int64_t view, long i)
{
    struct crm_reply *r =
        ok(c, api_contacts_page(c, view, 1, 100, API_SORT_LAST_NAME, false, NULL, NULL));
    int64_t id;
    assert_true((size_t)i < r->n_rows);
    id = r->rows[i].id;
    crm_reply_free(&r);
    return id;
}

static long view_total(struct crm_client *c, int64_t view)
{
    struct crm_reply *r =
        ok(c, api_contacts_page(c, view, 1, 1, API_SORT_UPDATED, true, NULL, NULL));
    long t = r->total;
    crm_reply_free(&r);
    return t;
}

/* The outbox entry (a copy) whose subject or body contains needle, or NULL. */
static cJSON *outbox_find(const char *needle)
{
    cJSON *root = get_json(ana, HTTP_GET, "/outbox", NULL);
    cJSON *list = cJSON_IsArray(root) ? root : NULL, *it, *found = NULL;

    for (cJSON *k = root->child; !list && k; k = k->next)
        if (cJSON_IsArray(k))
            list = k;
    assert_non_null(list);
    cJSON_ArrayForEach(it, list)
    {
        const char *s = cJSON_GetStringValue(cJSON_GetObjectItem(it, "subject"));
        const char *b = cJSON_GetStringValue(cJSON_GetObjectItem(it, "body"));
        if ((s && strstr(s, needle)) || (b && strstr(b, needle)))
            found = cJSON_Duplicate(it, 1);
    }
    cJSON_Delete(root);
    return found;
}

static const char *entry_body(const cJSON *e)
{
    const char *b = cJSON_GetStringValue(cJSON_GetObjectItem(e, "body"));
    assert_non_null(b);
    return b;
}

/* The activities of a contact: how many have type (and source, when not NULL). */
static int count_activities(int64_t id, const char *type, const char *source)
{
    struct crm_reply *r = ok(ana, api_activities(ana, id, 1, 100, NULL, NULL));
    int n = 0;
    for (size_t i = 0; i < r->n_activities; i++)
        if (r->activities[i].action_type && strcmp(r->activities[i].action_type, type) == 0 &&
            (!source || (r->activities[i].source && strcmp(r->activities[i].source, source) == 0)))
            n++;
    crm_reply_free(&r);
    return n;
}

static void set_setting(const char *name, bool on)
{
    char body[128];
    snprintf(body, sizeof body, "{\"settings\":{\"%s\":%s}}", name, on ? "true" : "false");
    cJSON_Delete(get_json(ana, HTTP_PUT, "/settings/gdpr", body));
}

static int setup(void **state)
{
    struct crm_reply *r;
    (void)state;
    url = testutil_env("CRM_TEST_URL");
    ana = client(testutil_env("CRM_TEST_KEY_ANA"));
    bruno = client(testutil_env("CRM_TEST_KEY_BRUNO"));
    carla = client(testutil_env("CRM_TEST_KEY_CARLA"));
    r = ok(ana, api_views(ana, NULL, NULL));
    for (size_t i = 0; i < r->n_views; i++) {
        if (r->views[i].is_default)
            all_view = r->views[i].id;
        else if (strcmp(r->views[i].name, "Do Not Disturb") == 0)
            dnd_view = r->views[i].id;
        else if (strcmp(r->views[i].name, "My Contacts") == 0)
            my_view = r->views[i].id;
    }
    crm_reply_free(&r);
    return all_view && dnd_view && my_view ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    crm_client_free(&ana);
    crm_client_free(&bruno);
    crm_client_free(&carla);
    return 0;
}

/* A contact that is not on Do Not Disturb. */
static int64_t reachable_contact(long i)
{
    for (long k = i; k < 100; k++) {
        int64_t id = first_row(ana, all_view, k);
        struct crm_reply *r = ok(ana, api_contact(ana, id, NULL, NULL));
        bool dnd = r->contact->do_not_disturb;
        crm_reply_free(&r);
        if (!dnd)
            return id;
    }
    fail_msg("no contact without Do Not Disturb");
    return 0;
}

static void test_email_link(void **state)
{
    int64_t id = reachable_contact(0);
    struct crm_reply *r;
    struct email_result e;
    char err[160];
    cJSON *entry;

    (void)state;
    r = ok(ana, api_comms_email_send(ana, id, "Your order 4411", "Hello,\nit shipped.", true, NULL,
                                     NULL));
    assert_int_equal(comms_json_email_result(r->raw, r->raw_len, &e, err, sizeof err), CRM_OK);
    assert_true(e.id > 0);
    assert_string_equal(e.status, "queued");
    assert_null(e.warning);
    comms_json_email_result_clear(&e);
    crm_reply_free(&r);
    entry = outbox_find("Your order 4411");
    assert_non_null(entry);
    assert_non_null(strstr(entry_body(entry), "it shipped."));
    assert_non_null(strstr(entry_body(entry), "/u/"));
    cJSON_Delete(entry);
    assert_true(count_activities(id, "email_sent", NULL) >= 1);

    /* Without the link, none in the body. */
    r = ok(ana, api_comms_email_send(ana, id, "No link 5512", "Plain text.", false, NULL, NULL));
    crm_reply_free(&r);
    entry = outbox_find("No link 5512");
    assert_non_null(entry);
    assert_null(strstr(entry_body(entry), "/u/"));
    cJSON_Delete(entry);

    /* An agent sends too; bad arguments are not queued. */
    r = ok(bruno, api_comms_email_send(bruno, id, "From Bruno 6613", "Hi", true, NULL, NULL));
    crm_reply_free(&r);
    assert_null(api_comms_email_send(ana, 0, "s", "b", true, NULL, NULL));
    assert_null(api_comms_email_send(ana, id, NULL, "b", true, NULL, NULL));
}

static void test_email_dnd(void **state)
{
    int64_t id = first_row(ana, dnd_view, 0);
    struct crm_reply *r;
    struct email_result e;
    char err[160];
    cJSON *entry;

    (void)state;
    set_setting("restrict_email_to_dnd", true);
    r = run(ana, api_comms_email_send(ana, id, "Blocked 7714", "x", true, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_REFUSED);
    assert_int_equal(r->http_code, 422);
    assert_true(strlen(r->message) > 0);
    crm_reply_free(&r);
    entry = outbox_find("Blocked 7714");
    assert_null(entry);

    set_setting("restrict_email_to_dnd", false);
    r = ok(ana, api_comms_email_send(ana, id, "Warned 8815", "x", true, NULL, NULL));
    assert_int_equal(comms_json_email_result(r->raw, r->raw_len, &e, err, sizeof err), CRM_OK);
    assert_non_null(e.warning);
    assert_string_equal(e.warning, "do_not_disturb");
    comms_json_email_result_clear(&e);
    crm_reply_free(&r);
    entry = outbox_find("Warned 8815");
    assert_non_null(entry);
    cJSON_Delete(entry);
    set_setting("restrict_email_to_dnd", true);
}

static void test_default_link_setting(void **state)
{
    struct crm_reply *r;
    bool on = false;
    char err[160];

    (void)state;
    set_setting("default_unsubscribe_link", false);
    r = ok(ana, api_comms_gdpr_settings(ana, NULL, NULL));
    on = true;
    assert_int_equal(comms_json_default_unsubscribe_link(r->raw, r->raw_len, &on, err, sizeof err),
                     CRM_OK);
    assert_false(on);
    crm_reply_free(&r);
    set_setting("default_unsubscribe_link", true);
    r = ok(ana, api_comms_gdpr_settings(ana, NULL, NULL));
    assert_int_equal(comms_json_default_unsubscribe_link(r->raw, r->raw_len, &on, err, sizeof err),
                     CRM_OK);
    assert_true(on);
    crm_reply_free(&r);
    /* An agent reads the default (the email form uses it) but may not change it. */
    r = ok(bruno, api_comms_gdpr_settings(bruno, NULL, NULL));
    on = false;
    assert_int_equal(comms_json_default_unsubscribe_link(r->raw, r->raw_len, &on, err, sizeof err),
                     CRM_OK);
    assert_true(on);
    crm_reply_free(&r);
    r = run(bruno, api_internal_call_raw(bruno, HTTP_PUT, "/settings/gdpr",
                                         "{\"settings\":{\"default_unsubscribe_link\":false}}", 47,
                                         NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_FORBIDDEN);
    crm_reply_free(&r);
    r = ok(ana, api_comms_gdpr_settings(ana, NULL, NULL));
    assert_int_equal(comms_json_default_unsubscribe_link(r->raw, r->raw_len, &on, err, sizeof err),
                     CRM_OK);
    assert_true(on);
    crm_reply_free(&r);
}

/* The server's root: the base URL without the API prefix. */
static void server_root(char *buf, size_t cap)
{
    const char *p = strstr(url, "/crm/sales/api");
    size_t n = p ? (size_t)(p - url) : strlen(url);
    snprintf(buf, cap, "%.*s", (int)n, url);
}

static void test_consent_request(void **state)
{
    int64_t id = reachable_contact(5);
    struct crm_reply *r;
    cJSON *entry;
    const char *b, *tok;
    char link[512], root[256];
    int before = count_activities(id, "consent_granted", "email_link");
    size_t n;

    (void)state;
    r = ok(ana, api_comms_consent_request(ana, id, "product_updates", NULL, NULL));
    crm_reply_free(&r);
    assert_true(count_activities(id, "opt_in_requested", NULL) >= 1);
    entry = outbox_find("/optin/");
    assert_non_null(entry);
    b = entry_body(entry);
    tok = strstr(b, "/optin/");
    n = strspn(tok + 7, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");
    assert_true(n > 0);
    server_root(root, sizeof root);
    snprintf(link, sizeof link, "%s/optin/%.*s", root, (int)n, tok + 7);
    cJSON_Delete(entry);
    {
        const char *argv[] = {"/usr/bin/env", "curl", "-sf", "-o", "/dev/null", link, NULL};
        assert_int_equal(testutil_run(argv), 0);
    }
    assert_int_equal(count_activities(id, "consent_granted", "email_link"), before + 1);
    assert_null(api_comms_consent_request(ana, id, "", NULL, NULL));
}

/* Logs a recorded call with a note for contact id; returns the call id. */
static int64_t log_call(int64_t id)
{
    cJSON *nums = get_json(ana, HTTP_GET, "/phone_numbers", NULL);
    cJSON *list = cJSON_GetObjectItem(nums, "phone_numbers"), *num;
    char path[64], body[512];
    int64_t num_id, call_id = 0;
    cJSON *res;
    struct crm_reply *r;
    struct call_log *calls;
    size_t n;
    char err[160];

    num = cJSON_GetArrayItem(list, 0);
    assert_non_null(num);
    num_id = (int64_t)cJSON_GetNumberValue(cJSON_GetObjectItem(num, "id"));
    cJSON_Delete(nums);
    snprintf(path, sizeof path, "/phone_numbers/%" PRId64, num_id);
    cJSON_Delete(get_json(ana, HTTP_PUT, path, "{\"phone_number\":{\"recording\":\"automatic\"}}"));
    snprintf(body, sizeof body,
             "{\"call\":{\"contact_id\":%" PRId64 ",\"phone_number_id\":%" PRId64
             ",\"direction\":\"inbound\",\"duration_s\":95,\"note\":\"Asked about invoice 9931\","
             "\"record\":true,\"consent\":{\"given\":true}}}",
             id, num_id);
    res = get_json(ana, HTTP_POST, "/calls", body);
    cJSON_Delete(res);
    r = ok(ana, api_comms_calls(ana, id, NULL, NULL));
    assert_int_equal(comms_json_calls(r->raw, r->raw_len, &calls, &n, err, sizeof err), CRM_OK);
    for (size_t i = 0; i < n; i++)
        if (calls[i].note && strstr(calls[i].note, "invoice 9931") && calls[i].has_recording)
            call_id = calls[i].id;
    comms_json_calls_free(calls, n);
    crm_reply_free(&r);
    assert_true(call_id > 0);
    return call_id;
}

static const struct call_log *find_call(const struct call_log *v, size_t n, int64_t id)
{
    for (size_t i = 0; i < n; i++)
        if (v[i].id == id)
            return &v[i];
    return NULL;
}

static void test_calls(void **state)
{
    int64_t id = first_row(ana, all_view, 7), call_id = log_call(id);
    struct crm_reply *r;
    struct call_log *calls;
    const struct call_log *cl;
    size_t n;
    char err[160];

    (void)state;
    /* An agent may not delete a recording; any user may delete a note. */
    r = run(bruno, api_comms_call_recording_delete(bruno, call_id, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_FORBIDDEN);
    crm_reply_free(&r);

    r = ok(bruno, api_comms_call_note_delete(bruno, call_id, NULL, NULL));
    crm_reply_free(&r);
    r = ok(ana, api_comms_calls(ana, id, NULL, NULL));
    assert_int_equal(comms_json_calls(r->raw, r->raw_len, &calls, &n, err, sizeof err), CRM_OK);
    cl = find_call(calls, n, call_id);
    assert_non_null(cl);
    assert_null(cl->note);
    assert_true(cl->has_recording);
    assert_true(cl->recording_bytes >= 0);
    comms_json_calls_free(calls, n);
    crm_reply_free(&r);
    assert_true(count_activities(id, "call_note_deleted", NULL) >= 1);

    r = ok(ana, api_comms_call_recording_delete(ana, call_id, NULL, NULL));
    crm_reply_free(&r);
    r = ok(ana, api_comms_calls(ana, id, NULL, NULL));
    assert_int_equal(comms_json_calls(r->raw, r->raw_len, &calls, &n, err, sizeof err), CRM_OK);
    cl = find_call(calls, n, call_id);
    assert_non_null(cl);
    assert_false(cl->has_recording);
    comms_json_calls_free(calls, n);
    crm_reply_free(&r);
    assert_true(count_activities(id, "call_recording_deleted", NULL) >= 1);

    /* Gone already, or no such call: 404. */
    r = run(ana, api_comms_call_note_delete(ana, call_id, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_NOT_FOUND);
    crm_reply_free(&r);
    r = run(ana, api_comms_call_note_delete(ana, INT64_C(4999999999), NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_NOT_FOUND);
    crm_reply_free(&r);
}

static void test_chats(void **state)
{
    int64_t id = first_row(ana, all_view, 2);
    struct crm_reply *r;
    struct chat *chats;
    size_t n;
    char err[160];

    (void)state;
    r = ok(ana, api_comms_chats(ana, id, NULL, NULL));
    assert_int_equal(comms_json_chats(r->raw, r->raw_len, &chats, &n, err, sizeof err), CRM_OK);
    for (size_t i = 0; i < n; i++)
        assert_true(chats[i].id > 0);
    comms_json_chats_free(chats, n);
    crm_reply_free(&r);

    r = ok(ana, api_comms_chat_timeline(ana, id, false, NULL, NULL));
    crm_reply_free(&r);
    r = ok(ana, api_contact(ana, id, NULL, NULL));
    assert_false(r->contact->chat_events_timeline);
    crm_reply_free(&r);
    r = ok(ana, api_comms_chat_timeline(ana, id, true, NULL, NULL));
    crm_reply_free(&r);
    r = ok(ana, api_contact(ana, id, NULL, NULL));
    assert_true(r->contact->chat_events_timeline);
    crm_reply_free(&r);

    /* The mapper: messages under their usual names, a chat without an id refused. */
    {
        const char *doc = "{\"chats\":[{\"id\":4,\"started_at\":\"2026-01-02T03:04:05Z\","
                          "\"messages\":[{\"sender\":\"contact\",\"body\":\"hi\"},"
                          "{\"from\":\"agent\",\"text\":\"hello\"}]}]}";
        assert_int_equal(comms_json_chats(doc, strlen(doc), &chats, &n, err, sizeof err), CRM_OK);
        assert_int_equal(n, 1);
        assert_int_equal(chats[0].n_messages, 2);
        assert_string_equal(chats[0].messages[1].text, "hello");
        comms_json_chats_free(chats, n);
        doc = "{\"chats\":[{\"messages\":[]}]}";
        assert_int_equal(comms_json_chats(doc, strlen(doc), &chats, &n, err, sizeof err),
                         CRM_ERR_PROTOCOL);
        assert_null(chats);
    }
}

static const struct user *find_user(const struct crm_reply *r, int64_t id)
{
    for (size_t i = 0; i < r->n_users; i++)
        if (r->users[i].id == id)
            return &r->users[i];
    return NULL;
}

static int64_t user_id_of(struct crm_client *c)
{
    struct crm_reply *r = ok(c, api_users_me(c, NULL, NULL));
    int64_t id = r->user->id;
    crm_reply_free(&r);
    return id;
}

static void test_permissions(void **state)
{
    int64_t bruno_id = user_id_of(bruno);
    struct crm_reply *r;

    (void)state;
    r = ok(ana, api_comms_user_permissions(ana, bruno_id, false, true, NULL, NULL));
    crm_reply_free(&r);
    r = ok(ana, api_users(ana, NULL, NULL));
    assert_false(find_user(r, bruno_id)->perm_export_reports);
    assert_true(find_user(r, bruno_id)->perm_forget_records);
    crm_reply_free(&r);
    r = ok(ana, api_comms_user_permissions(ana, bruno_id, true, false, NULL, NULL));
    crm_reply_free(&r);
    r = ok(ana, api_users(ana, NULL, NULL));
    assert_true(find_user(r, bruno_id)->perm_export_reports);
    assert_false(find_user(r, bruno_id)->perm_forget_records);
    crm_reply_free(&r);
    /* Agents may not change permissions, not even their own. */
    r = run(bruno, api_comms_user_permissions(bruno, bruno_id, true, true, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_FORBIDDEN);
    crm_reply_free(&r);
}

static void test_processors(void **state)
{
    struct crm_reply *r;
    struct processor *p;
    size_t n;
    char err[160];

    (void)state;
    r = ok(ana, api_comms_processors(ana, NULL, NULL));
    assert_int_equal(comms_json_processors(r->raw, r->raw_len, &p, &n, err, sizeof err), CRM_OK);
    assert_true(n >= 1);
    for (size_t i = 0; i < n; i++)
        assert_non_null(p[i].name);
    comms_json_processors_free(p, n);
    crm_reply_free(&r);
    r = run(carla, api_comms_processors(carla, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_FORBIDDEN);
    crm_reply_free(&r);
}

static void test_delete_user(void **state)
{
    int64_t ana_id = user_id_of(ana), bruno_id = user_id_of(bruno), carla_id = user_id_of(carla);
    long carla_had = view_total(carla, my_view), bruno_had = view_total(bruno, my_view);
    struct crm_reply *r;
    struct user_deletion d;
    char err[160];

    (void)state;
    assert_true(carla_had > 0);
    /* An active user is not deleted; an admin not themself. */
    r = run(ana, api_comms_user_delete(ana, carla_id, bruno_id, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_CONFLICT);
    crm_reply_free(&r);
    r = run(ana, api_comms_user_delete(ana, ana_id, 0, NULL, NULL));
    assert_true(r->status == CRM_ERR_CONFLICT || r->status == CRM_ERR_FORBIDDEN ||
                r->status == CRM_ERR_BAD_REQUEST);
    crm_reply_free(&r);
    r = run(bruno, api_comms_user_set_active(bruno, carla_id, false, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_FORBIDDEN);
    crm_reply_free(&r);

    r = ok(ana, api_comms_user_set_active(ana, carla_id, false, NULL, NULL));
    crm_reply_free(&r);
    r = ok(ana, api_users(ana, NULL, NULL));
    assert_false(find_user(r, carla_id)->is_active);
    crm_reply_free(&r);
    r = run(bruno, api_comms_user_delete(bruno, carla_id, bruno_id, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_FORBIDDEN);
    crm_reply_free(&r);

    r = ok(ana, api_comms_user_delete(ana, carla_id, bruno_id, NULL, NULL));
    assert_int_equal(comms_json_deletion(r->raw, r->raw_len, &d, err, sizeof err), CRM_OK);
    assert_true(d.user_id == carla_id);
    /* her contacts, those in the Recycle Bin and her companies */
    assert_true(d.records_transferred >= carla_had);
    assert_true(d.n_processors >= 1);
    for (size_t i = 0; i < d.n_processors; i++) {
        assert_non_null(d.processors[i].name);
        assert_non_null(d.processors[i].status);
        assert_true(strcmp(d.processors[i].status, "pending") == 0 ||
                    strcmp(d.processors[i].status, "done") == 0 ||
                    strcmp(d.processors[i].status, "failed") == 0);
    }
    comms_json_deletion_clear(&d);
    crm_reply_free(&r);
    /* Server state: carla is gone, her contacts are bruno's now. */
    r = ok(ana, api_users(ana, NULL, NULL));
    assert_null(find_user(r, carla_id));
    crm_reply_free(&r);
    assert_int_equal(view_total(bruno, my_view), bruno_had + carla_had);
    r = run(carla, api_users_me(carla, NULL, NULL));
    assert_int_equal(r->status, CRM_ERR_AUTH);
    crm_reply_free(&r);

    /* Unassigned: bruno's contacts keep no owner. */
    int64_t his = first_row(bruno, my_view, 0);
    r = ok(ana, api_comms_user_set_active(ana, bruno_id, false, NULL, NULL));
    crm_reply_free(&r);
    r = ok(ana, api_comms_user_delete(ana, bruno_id, 0, NULL, NULL));
    assert_int_equal(comms_json_deletion(r->raw, r->raw_len, &d, err, sizeof err), CRM_OK);
    assert_true(d.user_id == bruno_id);
    comms_json_deletion_clear(&d);
    crm_reply_free(&r);
    r = ok(ana, api_contact(ana, his, NULL, NULL));
    assert_true(r->contact->owner_id == 0);
    crm_reply_free(&r);
    assert_null(api_comms_user_delete(ana, ana_id, ana_id, NULL, NULL));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_email_link),
        cmocka_unit_test(test_email_dnd),
        cmocka_unit_test(test_default_link_setting),
        cmocka_unit_test(test_consent_request),
        cmocka_unit_test(test_calls),
        cmocka_unit_test(test_chats),
        cmocka_unit_test(test_permissions),
        cmocka_unit_test(test_processors),
        cmocka_unit_test(test_delete_user),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
