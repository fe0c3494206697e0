/* core/api_admin.c against a live crm-server: settings and their effect,
 * permissions, phone numbers, reports and their CSV, the account's cancel and
 * restore, the audit log, company delete and forget, and the account export
 * streamed to a file (complete, or cancelled with nothing left). Each change
 * is read back from the server. Run by with-server.sh. */
#include <dirent.h>
#include <inttypes.h>
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
#include "core/api_admin.h"
#include "core/api_internal.h"
#include "tests/common/testutil.h"

static const char *url;
static struct crm_client *ana, *bruno, *carla;
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

/* ---- waiting for callbacks ---- */

static void keep(struct admin_reply *r, void *ud)
{
    *(struct admin_reply **)ud = r;
}

static struct admin_reply *slot;

/* Spins c until the reply of the call just made arrives. */
static struct admin_reply *wait_reply(struct crm_client *c, struct crm_req *req)
{
    assert_non_null(req);
    for (int i = 0; !slot && i < 20000; i++) {
        crm_client_wait(c, -1, 100);
        crm_client_dispatch(c);
    }
    assert_non_null(slot);
    struct admin_reply *r = slot;
    slot = NULL;
    return r;
}

#define CALL(c, fn, ...) wait_reply((c), fn((c), __VA_ARGS__, keep, &slot))
#define CALL0(c, fn)     wait_reply((c), fn((c), keep, &slot))

static struct admin_reply *must(struct admin_reply *r)
{
    if (r->status != CRM_OK)
        fail_msg("status %s (%ld): %s", crm_strerror(r->status), r->http_code, r->message);
    return r;
}

static cJSON *get_json(struct crm_client *c, const char *path)
{
    struct crm_reply *r = NULL;
    crm_client_run(c, api_internal_call_raw(c, HTTP_GET, path, NULL, 0, NULL, NULL), &r);
    assert_non_null(r);
    if (r->status != CRM_OK)
        fail_msg("GET %s: %s", path, r->message);
    cJSON *j = cJSON_ParseWithLength(r->raw ? r->raw : "", r->raw_len);
    assert_non_null(j);
    crm_reply_free(&r);
    return j;
}

static int setup(void **state)
{
    struct crm_reply *r = NULL;
    (void)state;
    url = testutil_env("CRM_TEST_URL");
    ana = client(testutil_env("CRM_TEST_KEY_ANA"));
    bruno = client(testutil_env("CRM_TEST_KEY_BRUNO"));
    carla = client(testutil_env("CRM_TEST_KEY_CARLA"));
    crm_client_run(ana, api_views(ana, NULL, NULL), &r);
    for (size_t i = 0; r && i < r->n_views; i++)
        if (r->views[i].is_default)
            all_view = r->views[i].id;
    crm_reply_free(&r);
    return all_view ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    crm_client_free(&ana);
    crm_client_free(&bruno);
    crm_client_free(&carla);
    return 0;
}

/* ---- settings ---- */

/* How many contacts of the first page carry a last_seen_ip. */
static int ips_on_first_pages(void)
{
    int n = 0;
    for (int page = 1; page <= 3; page++) {
        char path[128];
        snprintf(path, sizeof path, "/contacts/view/%" PRId64 "?page=%d&per_page=100", all_view,
                 page);
        cJSON *j = get_json(ana, path), *it;
        cJSON_ArrayForEach(it, cJSON_GetObjectItem(j, "contacts"))
        {
            const cJSON *ids = cJSON_GetObjectItem(it, "id");
            char cpath[64];
            snprintf(cpath, sizeof cpath, "/contacts/%.0f", ids ? ids->valuedouble : 0);
            cJSON *c = get_json(ana, cpath);
            if (cJSON_IsString(
                    cJSON_GetObjectItem(cJSON_GetObjectItem(c, "contact"), "last_seen_ip")))
                n++;
            cJSON_Delete(c);
        }
        cJSON_Delete(j);
    }
    return n;
}

static void test_settings(void **state)
{
    (void)state;
    struct admin_reply *r = must(CALL0(ana, api_admin_settings_get));
    assert_true(r->has_settings);
    struct admin_settings s = r->settings;
    admin_reply_free(&r);
    assert_true(s.chat_store_ip);

    /* The agent reads nothing back it may change: PUT is refused. */
    r = CALL(bruno, api_admin_settings_put, &s);
    assert_int_equal(r->status, CRM_ERR_FORBIDDEN);
    assert_int_equal(r->http_code, 403);
    admin_reply_free(&r);

    /* IPs off: the stored ones are gone, not only the switch. */
    assert_true(ips_on_first_pages() > 0);
    s.chat_store_ip = false;
    s.default_unsubscribe_link = false;
    r = must(CALL(ana, api_admin_settings_put, &s));
    assert_true(r->has_settings);
    assert_false(r->settings.chat_store_ip);
    assert_false(r->settings.default_unsubscribe_link);
    assert_true(r->settings.restrict_email_to_dnd);
    admin_reply_free(&r);
    assert_int_equal(ips_on_first_pages(), 0);
    cJSON *j = get_json(ana, "/settings/gdpr");
    assert_true(
        cJSON_IsFalse(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "settings"), "chat_store_ip")));
    cJSON_Delete(j);
    s.chat_store_ip = true;
    s.default_unsubscribe_link = true;
    r = must(CALL(ana, api_admin_settings_put, &s));
    admin_reply_free(&r);
}

/* ---- permissions and reports ---- */

static void test_reports(void **state)
{
    (void)state;
    struct admin_reply *r = must(CALL0(bruno, api_admin_reports));
    assert_int_equal(r->n_report_names, 3);
    assert_string_equal(r->report_names[0], "contacts_by_owner");
    admin_reply_free(&r);

    r = must(CALL(bruno, api_admin_report, "contacts_by_owner"));
    assert_int_equal(r->report.n_columns, 3);
    assert_true(r->report.n_rows >= 3);
    assert_non_null(r->report.cells[1]);
    admin_reply_free(&r);
    assert_null(api_admin_report(ana, "../users", keep, &slot));
    assert_null(api_admin_report(ana, "", keep, &slot));

    /* bruno may export; carla may not, whatever she asks. */
    r = must(CALL(bruno, api_admin_report_csv, "contacts_by_owner"));
    assert_true(r->csv_len > 0);
    assert_memory_equal(r->csv, "owner_id,owner,contacts", 23);
    admin_reply_free(&r);
    r = CALL(carla, api_admin_report_csv, "contacts_by_owner");
    assert_int_equal(r->status, CRM_ERR_FORBIDDEN);
    admin_reply_free(&r);

    /* Taking bruno's right away takes effect at once. */
    cJSON *users = get_json(ana, "/users"), *it;
    int64_t bruno_id = 0;
    cJSON_ArrayForEach(it, cJSON_GetObjectItem(users, "users"))
    {
        const cJSON *n = cJSON_GetObjectItem(it, "display_name");
        if (cJSON_IsString(n) && strcmp(n->valuestring, "Bruno Lima") == 0)
            bruno_id = (int64_t)cJSON_GetObjectItem(it, "id")->valuedouble;
    }
    cJSON_Delete(users);
    assert_true(bruno_id > 0);
    r = CALL(bruno, api_admin_permissions_put, bruno_id, true, true);
    assert_int_equal(r->status, CRM_ERR_FORBIDDEN);
    admin_reply_free(&r);
    r = must(CALL(ana, api_admin_permissions_put, bruno_id, false, false));
    admin_reply_free(&r);
    r = CALL(bruno, api_admin_report_csv, "contacts_by_owner");
    assert_int_equal(r->status, CRM_ERR_FORBIDDEN);
    admin_reply_free(&r);
    r = must(CALL(ana, api_admin_permissions_put, bruno_id, true, false));
    admin_reply_free(&r);
    r = must(CALL(bruno, api_admin_report_csv, "contacts_by_owner"));
    admin_reply_free(&r);
}

/* ---- phone numbers ---- */

static void test_phones(void **state)
{
    (void)state;
    struct admin_reply *r = must(CALL0(ana, api_admin_phones));
    assert_true(r->n_phones >= 2);
    int64_t id = r->phones[0].id;
    assert_non_null(r->phones[0].number);
    assert_int_not_equal(r->phones[0].recording, ADMIN_REC_UNKNOWN);
    admin_reply_free(&r);

    r = must(CALL(ana, api_admin_phone_set, id, ADMIN_REC_MANUAL));
    assert_int_equal(r->n_phones, 1);
    assert_int_equal(r->phones[0].recording, ADMIN_REC_MANUAL);
    admin_reply_free(&r);
    r = must(CALL0(carla, api_admin_phones));
    for (size_t i = 0; i < r->n_phones; i++)
        if (r->phones[i].id == id)
            assert_int_equal(r->phones[i].recording, ADMIN_REC_MANUAL);
    admin_reply_free(&r);
    r = CALL(carla, api_admin_phone_set, id, ADMIN_REC_OFF);
    assert_int_equal(r->status, CRM_ERR_FORBIDDEN);
    admin_reply_free(&r);
    assert_null(api_admin_phone_set(ana, id, ADMIN_REC_UNKNOWN, keep, &slot));
    r = must(CALL(ana, api_admin_phone_set, id, ADMIN_REC_AUTOMATIC));
    admin_reply_free(&r);
}

/* ---- account ---- */

static void test_account(void **state)
{
    (void)state;
    struct admin_reply *r = must(CALL0(ana, api_admin_account));
    char name[128];
    assert_true(r->has_account);
    assert_string_equal(r->account.status, "active");
    assert_null(r->account.purge_at);
    snprintf(name, sizeof name, "%s", r->account.name);
    admin_reply_free(&r);

    r = CALL0(bruno, api_admin_account);
    assert_int_equal(r->status, CRM_ERR_FORBIDDEN);
    admin_reply_free(&r);
    r = CALL(ana, api_admin_account_cancel, "not the name");
    assert_int_not_equal(r->status, CRM_OK);
    assert_true(r->message[0] != '\0');
    admin_reply_free(&r);
    r = must(CALL0(ana, api_admin_account));
    assert_string_equal(r->account.status, "active");
    admin_reply_free(&r);

    r = must(CALL(ana, api_admin_account_cancel, name));
    assert_string_equal(r->account.status, "cancellation_pending");
    assert_non_null(r->account.purge_at);
    assert_non_null(r->account.call_purge_at);
    /* ISO times compare as strings: calls go first (14 days), all data later (30). */
    assert_true(strcmp(r->account.call_purge_at, r->account.purge_at) < 0);
    admin_reply_free(&r);
    cJSON *j = get_json(ana, "/account");
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetObjectItem(j, "account"), "status")->valuestring,
        "cancellation_pending");
    cJSON_Delete(j);

    r = must(CALL0(ana, api_admin_account_restore));
    assert_string_equal(r->account.status, "active");
    assert_null(r->account.purge_at);
    admin_reply_free(&r);
    assert_null(api_admin_account_cancel(ana, "", keep, &slot));
}

/* ---- companies and the audit log ---- */

static int64_t company_at(long i)
{
    struct crm_reply *views = NULL, *page = NULL;
    int64_t id;
    crm_client_run(ana, api_company_views(ana, NULL, NULL), &views);
    assert_non_null(views);
    assert_true(views->n_views > 0);
    crm_client_run(ana, api_companies_page(ana, views->views[0].id, 1, 100, NULL, NULL), &page);
    assert_non_null(page);
    assert_true((size_t)i < page->n_companies);
    id = page->companies[i].id;
    crm_reply_free(&views);
    crm_reply_free(&page);
    return id;
}

static void test_companies_and_audit(void **state)
{
    (void)state;
    int64_t a = company_at(0), b = company_at(1);
    char path[64];
    struct admin_reply *r = must(CALL(ana, api_admin_company_contacts, a));
    /* The server side-loads the company's contacts: as many as it counts. */
    assert_true(r->members_present);
    snprintf(path, sizeof path, "/sales_accounts/%" PRId64 "?include=contacts", a);
    cJSON *counted = get_json(ana, path);
    assert_int_equal((long)r->n_members,
                     (long)cJSON_GetNumberValue(cJSON_GetObjectItem(counted, "contacts_total")));
    assert_true(r->n_members > 0);
    for (size_t i = 0; i < r->n_members; i++)
        assert_true(r->members[i].id > 0);
    cJSON_Delete(counted);
    admin_reply_free(&r);

    r = must(CALL(ana, api_admin_company_delete, a, false));
    assert_false(r->already_gone);
    admin_reply_free(&r);
    snprintf(path, sizeof path, "/sales_accounts/%" PRId64, a);
    cJSON *j = get_json(ana, path);
    assert_true(
        cJSON_IsTrue(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "sales_account"), "is_deleted")));
    cJSON_Delete(j);

    r = CALL(bruno, api_admin_company_forget, b);
    assert_int_equal(r->status, CRM_ERR_FORBIDDEN);
    admin_reply_free(&r);
    r = must(CALL(ana, api_admin_company_forget, b));
    assert_false(r->already_gone);
    admin_reply_free(&r);
    r = must(CALL(ana, api_admin_company_forget, b));
    assert_true(r->already_gone); /* 404 the second time: done */
    admin_reply_free(&r);

    r = must(CALL0(ana, api_admin_audit));
    bool found = false;
    for (size_t i = 0; i < r->n_audit; i++) {
        const struct admin_audit *e = &r->audit[i];
        assert_non_null(e->action);
        assert_non_null(e->at);
        if (strstr(e->action, "forget") && e->counts && strstr(e->counts, "contacts"))
            found = true;
        /* No personal data: no email anywhere in an entry. */
        assert_null(e->subject_ref ? strchr(e->subject_ref, '@') : NULL);
        assert_null(e->counts ? strchr(e->counts, '@') : NULL);
    }
    assert_true(found);
    admin_reply_free(&r);
    r = CALL0(carla, api_admin_audit);
    assert_int_equal(r->status, CRM_ERR_FORBIDDEN);
    admin_reply_free(&r);
}

/* ---- the account export ---- */

struct export_result {
    bool done;
    long done_records, total;
    enum crm_status st;
    char message[256];
};

static void export_done(enum crm_status st, const char *message,
                        const struct admin_export_progress *final, void *ud)
{
    struct export_result *x = ud;
    x->done = true;
    x->done_records = final->done;
    x->total = final->total;
    x->st = st;
    snprintf(x->message, sizeof x->message, "%s", message);
}

static int files_in(const char *dir)
{
    DIR *d = opendir(dir);
    struct dirent *e;
    int n = 0;
    assert_non_null(d);
    while ((e = readdir(d)))
        if (e->d_name[0] != '.')
            n++;
    closedir(d);
    return n;
}

static void test_export(void **state)
{
    (void)state;
    char dir[] = "/tmp/crm-admin-export.XXXXXX", path[128], err[256], line[4096];
    struct export_result res = {0};
    struct admin_export_progress p;
    struct stat sb;
    long lines = 0, total;
    FILE *f;

    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/all.ndjson", dir);

    /* An agent: the server refuses, no file is left. */
    struct admin_export *x =
        api_admin_export_start(bruno, path, export_done, &res, err, sizeof err);
    assert_non_null(x);
    while (!res.done) {
        crm_client_wait(bruno, -1, 100);
        crm_client_dispatch(bruno);
    }
    assert_int_equal(res.st, CRM_ERR_FORBIDDEN);
    assert_int_equal(files_in(dir), 0);

    /* Cancelled at once: nothing is left either. */
    memset(&res, 0, sizeof res);
    x = api_admin_export_start(ana, path, export_done, &res, err, sizeof err);
    assert_non_null(x);
    api_admin_export_cancel(ana, x);
    assert_true(res.done);
    assert_int_equal(res.st, CRM_ERR_CANCELLED);
    assert_int_equal(files_in(dir), 0);

    /* Complete: as many lines as X-Total-Records, mode 0600. */
    memset(&res, 0, sizeof res);
    x = api_admin_export_start(ana, path, export_done, &res, err, sizeof err);
    assert_non_null(x);
    api_admin_export_progress(x, &p);
    assert_int_equal(p.done, 0);
    while (!res.done) {
        crm_client_wait(ana, -1, 100);
        crm_client_dispatch(ana);
    }
    if (res.st != CRM_OK)
        fail_msg("export: %s", res.message);
    total = res.total;
    assert_true(total > 0);
    assert_int_equal(res.done_records, total);
    assert_int_equal(stat(path, &sb), 0);
    assert_int_equal(sb.st_mode & 0777, 0600);
    f = fopen(path, "r");
    assert_non_null(f);
    while (fgets(line, sizeof line, f)) {
        if (strchr(line, '\n'))
            lines++;
    }
    fclose(f);
    assert_int_equal(lines, total);
    assert_int_equal(files_in(dir), 1);

    /* A folder that does not exist: refused before any request. */
    snprintf(path, sizeof path, "%s/no/such/dir/x.ndjson", dir);
    assert_null(api_admin_export_start(ana, path, export_done, &res, err, sizeof err));
    assert_true(err[0] != '\0');

    snprintf(path, sizeof path, "%s/all.ndjson", dir);
    unlink(path);
    rmdir(dir);
}

/* ---- enriched fields ---- */

static void test_enriched(void **state)
{
    (void)state;
    struct admin_reply *r = must(CALL(ana, api_admin_enriched_page, all_view, 1));
    struct crm_reply *cr = NULL;
    struct contact_patch patch = {.owner_id = -1, .sales_account_id = -1, .clear_enrichment = true};
    assert_true(r->total_pages >= 1);
    assert_true(r->n_enriched > 0);
    int64_t id = r->enriched_ids[0];
    size_t before = r->n_enriched;
    admin_reply_free(&r);
    crm_client_run(ana, api_contact_update(ana, id, &patch, NULL, NULL), &cr);
    assert_non_null(cr);
    assert_int_equal(cr->status, CRM_OK);
    assert_null(cr->contact->facebook);
    assert_null(cr->contact->avatar);
    crm_reply_free(&cr);
    r = must(CALL(ana, api_admin_enriched_page, all_view, 1));
    assert_int_equal(r->n_enriched, before - 1);
    for (size_t i = 0; i < r->n_enriched; i++)
        assert_true(r->enriched_ids[i] != id);
    admin_reply_free(&r);
    assert_null(api_admin_enriched_page(ana, all_view, 0, keep, &slot));
}

/* ---- the mappers on hostile input ---- */

static void test_mappers(void **state)
{
    (void)state;
    char err[128];
    struct admin_report rep;
    struct admin_audit *au = NULL;
    size_t n = 0;
    struct admin_account acc;
    static const char report_bad[] = "{\"report\":{\"columns\":[],\"rows\":[]}}";
    static const char audit_esc[] =
        "{\"audit\":[{\"id\":1,\"at\":\"t\",\"action\":\"x\\u001b[31m\","
        "\"subject_ref\":\"r\\u202e\",\"counts\":{\"a\":2,\"b\":\"no\"}}]}";

    assert_int_equal(admin_json_report(report_bad, sizeof report_bad - 1, &rep, err, sizeof err),
                     CRM_ERR_PROTOCOL);
    assert_int_equal(admin_json_report("[]", 2, &rep, err, sizeof err), CRM_ERR_PROTOCOL);
    assert_int_equal(admin_json_audit(audit_esc, sizeof audit_esc - 1, &au, &n, err, sizeof err),
                     CRM_OK);
    assert_int_equal(n, 1);
    assert_null(strchr(au[0].action, '\x1b'));
    assert_null(strstr(au[0].subject_ref, "\xe2\x80\xae"));
    assert_string_equal(au[0].counts, "a 2");
    admin_json_audit_clear(&au[0]);
    free(au);
    assert_int_equal(admin_json_account("{\"account\":{}}", 14, &acc, err, sizeof err),
                     CRM_ERR_PROTOCOL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_mappers), cmocka_unit_test(test_settings),
        cmocka_unit_test(test_reports), cmocka_unit_test(test_phones),
        cmocka_unit_test(test_account), cmocka_unit_test(test_companies_and_audit),
        cmocka_unit_test(test_export),  cmocka_unit_test(test_enriched),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
