/* The admin calls: each goes through api.c's raw call and is mapped here by
 * core/admin_json.c; the account export streams through core/http.c into a
 * temporary file that is renamed into place once complete. */
#include "core/api_admin.h"

#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "core/api_internal.h"
#include "core/common_json.h"
#include "core/http.h"

enum admin_call {
    ADM_SETTINGS,
    ADM_PERMISSIONS,
    ADM_PHONES,
    ADM_PHONE_SET,
    ADM_REPORTS,
    ADM_REPORT,
    ADM_REPORT_CSV,
    ADM_ACCOUNT,
    ADM_AUDIT,
    ADM_COMPANY_GONE, /* delete and forget: 404 means done */
    ADM_COMPANY_CONTACTS,
    ADM_ENRICHED,
};

struct pending {
    enum admin_call call;
    admin_done_fn cb;
    void *ud;
};

void admin_reply_free(struct admin_reply **pp)
{
    struct admin_reply *r = pp ? *pp : NULL;
    if (!r)
        return;
    for (size_t i = 0; i < r->n_phones; i++)
        admin_json_phone_clear(&r->phones[i]);
    free(r->phones);
    for (size_t i = 0; i < r->n_report_names; i++)
        free(r->report_names[i]);
    free(r->report_names);
    admin_json_report_clear(&r->report);
    free(r->csv);
    admin_json_account_clear(&r->account);
    for (size_t i = 0; i < r->n_audit; i++)
        admin_json_audit_clear(&r->audit[i]);
    free(r->audit);
    for (size_t i = 0; i < r->n_members; i++)
        admin_json_member_clear(&r->members[i]);
    free(r->members);
    free(r->enriched_ids);
    free(r);
    *pp = NULL;
}

static enum crm_status map_body(enum admin_call call, struct crm_reply *cr, struct admin_reply *r,
                                char *err, size_t errlen)
{
    const char *b = cr->raw ? cr->raw : "";
    size_t n = cr->raw ? cr->raw_len : 0;
    enum crm_status st = CRM_OK;

    switch (call) {
    case ADM_SETTINGS:
        st = admin_json_settings(b, n, &r->settings, err, errlen);
        r->has_settings = st == CRM_OK;
        break;
    case ADM_PHONES:
        st = admin_json_phones(b, n, &r->phones, &r->n_phones, err, errlen);
        break;
    case ADM_PHONE_SET:
        r->phones = common_json_calloc(1, sizeof *r->phones);
        st = admin_json_phone(b, n, r->phones, err, errlen);
        if (st == CRM_OK)
            r->n_phones = 1;
        break;
    case ADM_REPORTS:
        st = admin_json_report_names(b, n, &r->report_names, &r->n_report_names, err, errlen);
        break;
    case ADM_REPORT:
        st = admin_json_report(b, n, &r->report, err, errlen);
        break;
    case ADM_REPORT_CSV:
        r->csv = cr->raw ? cr->raw : common_json_calloc(1, 1);
        r->csv_len = n;
        cr->raw = NULL;
        break;
    case ADM_ACCOUNT:
        st = admin_json_account(b, n, &r->account, err, errlen);
        r->has_account = st == CRM_OK;
        break;
    case ADM_AUDIT:
        st = admin_json_audit(b, n, &r->audit, &r->n_audit, err, errlen);
        break;
    case ADM_COMPANY_CONTACTS:
        st = admin_json_members(b, n, &r->members, &r->n_members, &r->members_present, err, errlen);
        break;
    case ADM_ENRICHED:
        st = admin_json_enriched(b, n, &r->enriched_ids, &r->n_enriched, &r->total_pages, err,
                                 errlen);
        break;
    case ADM_PERMISSIONS:
    case ADM_COMPANY_GONE:
        break;
    }
    return st;
}

static void on_raw(struct crm_reply *cr, void *ud)
{
    struct pending *p = ud;
    struct admin_reply *r = common_json_calloc(1, sizeof *r);
    char err[160] = "";

    r->status = cr->status;
    r->http_code = cr->http_code;
    snprintf(r->message, sizeof r->message, "%s", cr->message);
    if (p->call == ADM_COMPANY_GONE && cr->http_code == 404) {
        r->status = CRM_OK; /* already gone: as API.md 4.1, the client treats it as done */
        r->already_gone = true;
    } else if (cr->status == CRM_OK) {
        enum crm_status st = map_body(p->call, cr, r, err, sizeof err);
        if (st != CRM_OK) {
            r->status = st;
            snprintf(r->message, sizeof r->message, "%s: %s", crm_strerror(st), err);
        }
    }
    crm_reply_free(&cr);
    p->cb(r, p->ud);
    free(p);
}

static struct crm_req *admin_call(struct crm_client *c, enum admin_call call, enum http_method m,
                                  const char *path, char *body, size_t body_len, admin_done_fn cb,
                                  void *ud)
{
    if (!c || !cb) {
        free(body);
        return NULL;
    }
    struct pending *p = common_json_calloc(1, sizeof *p);
    p->call = call;
    p->cb = cb;
    p->ud = ud;
    return api_internal_call_owned(c, m, path, body, body_len, on_raw, p);
}

struct crm_req *api_admin_settings_get(struct crm_client *c, admin_done_fn cb, void *ud)
{
    return admin_call(c, ADM_SETTINGS, HTTP_GET, "/settings/gdpr", NULL, 0, cb, ud);
}

struct crm_req *api_admin_settings_put(struct crm_client *c, const struct admin_settings *s,
                                       admin_done_fn cb, void *ud)
{
    size_t len;
    char *body;

    if (!s)
        return NULL;
    body = admin_json_settings_body(s, &len);
    return admin_call(c, ADM_SETTINGS, HTTP_PUT, "/settings/gdpr", body, len, cb, ud);
}

struct crm_req *api_admin_permissions_put(struct crm_client *c, int64_t user_id,
                                          bool export_reports, bool forget_records,
                                          admin_done_fn cb, void *ud)
{
    char path[64];
    size_t len;
    char *body;

    if (user_id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/users/%" PRId64 "/permissions", user_id);
    body = admin_json_permissions_body(export_reports, forget_records, &len);
    return admin_call(c, ADM_PERMISSIONS, HTTP_PUT, path, body, len, cb, ud);
}

struct crm_req *api_admin_phones(struct crm_client *c, admin_done_fn cb, void *ud)
{
    return admin_call(c, ADM_PHONES, HTTP_GET, "/phone_numbers", NULL, 0, cb, ud);
}

struct crm_req *api_admin_phone_set(struct crm_client *c, int64_t id, enum admin_recording rec,
                                    admin_done_fn cb, void *ud)
{
    char path[64];
    size_t len;
    char *body;

    if (id <= 0 || rec == ADMIN_REC_UNKNOWN)
        return NULL;
    snprintf(path, sizeof path, "/phone_numbers/%" PRId64, id);
    body = admin_json_recording_body(rec, &len);
    return admin_call(c, ADM_PHONE_SET, HTTP_PUT, path, body, len, cb, ud);
}

struct crm_req *api_admin_reports(struct crm_client *c, admin_done_fn cb, void *ud)
{
    return admin_call(c, ADM_REPORTS, HTTP_GET, "/reports", NULL, 0, cb, ud);
}

static bool report_name_ok(const char *name)
{
    size_t n = name ? strlen(name) : 0;
    return n > 0 && n <= 64 && strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_") == n;
}

struct crm_req *api_admin_report(struct crm_client *c, const char *name, admin_done_fn cb, void *ud)
{
    char path[128];

    if (!report_name_ok(name))
        return NULL;
    snprintf(path, sizeof path, "/reports/%s", name);
    return admin_call(c, ADM_REPORT, HTTP_GET, path, NULL, 0, cb, ud);
}

struct crm_req *api_admin_report_csv(struct crm_client *c, const char *name, admin_done_fn cb,
                                     void *ud)
{
    char path[128];

    if (!report_name_ok(name))
        return NULL;
    snprintf(path, sizeof path, "/reports/%s/export", name);
    return admin_call(c, ADM_REPORT_CSV, HTTP_GET, path, NULL, 0, cb, ud);
}

struct crm_req *api_admin_account(struct crm_client *c, admin_done_fn cb, void *ud)
{
    return admin_call(c, ADM_ACCOUNT, HTTP_GET, "/account", NULL, 0, cb, ud);
}

struct crm_req *api_admin_account_cancel(struct crm_client *c, const char *name, admin_done_fn cb,
                                         void *ud)
{
    size_t len;
    char *body;

    if (!name || !name[0])
        return NULL;
    body = admin_json_confirm_body(name, &len);
    return admin_call(c, ADM_ACCOUNT, HTTP_POST, "/account/cancel", body, len, cb, ud);
}

struct crm_req *api_admin_account_restore(struct crm_client *c, admin_done_fn cb, void *ud)
{
    char *body = common_json_calloc(1, 1);
    return admin_call(c, ADM_ACCOUNT, HTTP_POST, "/account/restore", body, 0, cb, ud);
}

struct crm_req *api_admin_audit(struct crm_client *c, admin_done_fn cb, void *ud)
{
    return admin_call(c, ADM_AUDIT, HTTP_GET, "/audit", NULL, 0, cb, ud);
}

struct crm_req *api_admin_company_delete(struct crm_client *c, int64_t id, bool with_contacts,
                                         admin_done_fn cb, void *ud)
{
    char path[96];

    if (id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/sales_accounts/%" PRId64 "%s", id,
             with_contacts ? "?delete_associated_contacts_deals=true" : "");
    return admin_call(c, ADM_COMPANY_GONE, HTTP_DELETE, path, NULL, 0, cb, ud);
}

struct crm_req *api_admin_company_forget(struct crm_client *c, int64_t id, admin_done_fn cb,
                                         void *ud)
{
    char path[64];

    if (id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/sales_accounts/%" PRId64 "/forget", id);
    return admin_call(c, ADM_COMPANY_GONE, HTTP_DELETE, path, NULL, 0, cb, ud);
}

struct crm_req *api_admin_company_contacts(struct crm_client *c, int64_t id, admin_done_fn cb,
                                           void *ud)
{
    char path[96];

    if (id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/sales_accounts/%" PRId64 "?include=contacts", id);
    return admin_call(c, ADM_COMPANY_CONTACTS, HTTP_GET, path, NULL, 0, cb, ud);
}

struct crm_req *api_admin_enriched_page(struct crm_client *c, int64_t view_id, long page,
                                        admin_done_fn cb, void *ud)
{
    char path[128];

    if (view_id <= 0 || page < 1)
        return NULL;
    snprintf(path, sizeof path,
             "/contacts/view/%" PRId64 "?page=%ld&per_page=100&sort=created_at&sort_type=asc",
             view_id, page);
    return admin_call(c, ADM_ENRICHED, HTTP_GET, path, NULL, 0, cb, ud);
}

/* ---- the account export ---- */

struct admin_export {
    struct http *http;
    struct http_req *hreq;
    struct http_stream sink;
    int fd;
    char *path, *tmp;
    long done, total;
    unsigned long long bytes;
    bool write_failed;
    admin_export_done_fn cb;
    void *ud;
};

static bool export_data(const char *buf, size_t len, void *ud)
{
    struct admin_export *x = ud;
    size_t off = 0;

    while (off < len) {
        ssize_t w = write(x->fd, buf + off, len - off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            x->write_failed = true;
            return false;
        }
        off += (size_t)w;
    }
    for (size_t i = 0; i < len; i++)
        if (buf[i] == '\n')
            x->done++;
    x->bytes += len;
    return true;
}

static void export_header(const char *line, size_t len, void *ud)
{
    struct admin_export *x = ud;
    static const char name[] = "x-total-records:";
    char num[32];
    size_t i = sizeof name - 1, j = 0;

    if (len <= i || strncasecmp(line, name, i) != 0)
        return;
    while (i < len && (line[i] == ' ' || line[i] == '\t'))
        i++;
    while (i < len && j < sizeof num - 1 && line[i] >= '0' && line[i] <= '9')
        num[j++] = line[i++];
    num[j] = '\0';
    if (j > 0 && j < 18)
        x->total = strtol(num, NULL, 10);
}

static void export_free(struct admin_export *x)
{
    free(x->path);
    free(x->tmp);
    free(x);
}

static void export_done(struct http_response *res, void *ud)
{
    struct admin_export *x = ud;
    enum crm_status st = res->status;
    struct admin_export_progress final;
    char msg[256];

    x->hreq = NULL;
    snprintf(msg, sizeof msg, "%s", crm_strerror(CRM_OK));
    if (st == CRM_OK && (res->code < 200 || res->code >= 300)) {
        st = crm_status_from_http(res->code);
        if (st == CRM_OK)
            st = CRM_ERR_PROTOCOL;
        if (!common_json_error_message(res->body, res->len, msg, sizeof msg))
            snprintf(msg, sizeof msg, "%s", crm_strerror(st));
    } else if (st != CRM_OK) {
        if (x->write_failed)
            st = errno == ENOSPC ? CRM_ERR_DISK_FULL : CRM_ERR_IO;
        snprintf(msg, sizeof msg, "%s",
                 st == CRM_ERR_CANCELLED || x->write_failed ? crm_strerror(st) : res->error);
    }
    if (st == CRM_OK && (fsync(x->fd) != 0 || close(x->fd) != 0)) {
        x->fd = -1;
        st = CRM_ERR_IO;
        snprintf(msg, sizeof msg, "%s", crm_strerror(st));
    }
    if (x->fd >= 0)
        close(x->fd);
    x->fd = -1;
    if (st == CRM_OK && rename(x->tmp, x->path) != 0) {
        st = CRM_ERR_IO;
        snprintf(msg, sizeof msg, "%s", crm_strerror(st));
    }
    if (st != CRM_OK)
        unlink(x->tmp);
    api_admin_export_progress(x, &final);
    x->cb(st, msg, &final, x->ud);
    export_free(x);
}

struct admin_export *api_admin_export_start(struct crm_client *c, const char *path,
                                            admin_export_done_fn done, void *ud, char *err,
                                            size_t errlen)
{
    struct admin_export *x;
    size_t n;

    if (!c || !path || !path[0] || !done) {
        snprintf(err, errlen, "no file to export to");
        return NULL;
    }
    x = common_json_calloc(1, sizeof *x);
    x->http = api_internal_http(c);
    x->total = -1;
    x->cb = done;
    x->ud = ud;
    n = strlen(path);
    x->path = common_json_alloc(n + 1);
    memcpy(x->path, path, n + 1);
    x->tmp = common_json_alloc(n + 8);
    snprintf(x->tmp, n + 8, "%s.XXXXXX", path);
    x->fd = mkstemp(x->tmp); /* mode 0600 */
    if (x->fd < 0) {
        snprintf(err, errlen, "cannot create a file beside %s: %s", path, strerror(errno));
        export_free(x);
        return NULL;
    }
    x->sink.data = export_data;
    x->sink.header = export_header;
    x->sink.ud = x;
    x->hreq = http_request_stream(x->http, "/export", &x->sink, export_done, x);
    if (!x->hreq) {
        snprintf(err, errlen, "the export could not be started");
        close(x->fd);
        unlink(x->tmp);
        export_free(x);
        return NULL;
    }
    return x;
}

void api_admin_export_progress(const struct admin_export *x, struct admin_export_progress *out)
{
    memset(out, 0, sizeof *out);
    out->total = -1;
    if (!x)
        return;
    out->done = x->done;
    out->total = x->total;
    out->bytes = x->bytes;
}

void api_admin_export_cancel(struct crm_client *c, struct admin_export *x)
{
    (void)c;
    if (x && x->hreq)
        http_cancel(x->http, x->hreq); /* export_done removes the file */
}
