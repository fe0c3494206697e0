/* The CRM API, typed and asynchronous: builds each call's URL and body, hands
 * it to core/http.c, maps the answer with the JSON mappers into a crm_reply. */
#include "core/api.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/activity_json.h"
#include "core/api_internal.h"
#include "core/common_json.h"
#include "core/contact_json.h"
#include "core/http.h"
#include "core/misc_json.h"
#include "core/sanitize.h"

enum call {
    CALL_VIEWS,
    CALL_CONTACTS_PAGE,
    CALL_CONTACT,
    CALL_CONTACT_UPDATE,
    CALL_CONTACT_DELETE,
    CALL_CONTACT_FORGET,
    CALL_CONTACT_RESTORE,
    CALL_ACTIVITIES,
    CALL_SEARCH,
    CALL_LOOKUP,
    CALL_OWNERS,
    CALL_USERS,
    CALL_USERS_ME,
    CALL_CAPABILITIES,
    CALL_COMPANY_VIEWS,
    CALL_COMPANIES_PAGE,
    CALL_COMPANY,
    CALL_CONTACT_EXPORT,
    CALL_NOTE_ADD,
    CALL_RAW,
};

struct crm_req {
    struct crm_req *prev, *next; /* in c->reqs until delivered (or run) */
    struct crm_client *c;
    struct http_req *hreq; /* while in flight */
    enum call call;
    crm_done_fn cb;
    void *ud;
    int64_t id;           /* the record the call is about, for fallbacks */
    long page;            /* activities fallback */
    int per_page;         /* activities fallback */
    bool tried_json_path; /* activities: /activities.json after a 404 */
    bool done;            /* finished; reply waits for crm_client_run */
    const char *source;   /* X-Crm-Source (static storage), or NULL */
    struct crm_reply *reply;
};

struct crm_client {
    struct http *http;
    struct crm_req *reqs;
};

static void link_req(struct crm_client *c, struct crm_req *q)
{
    q->prev = NULL;
    q->next = c->reqs;
    if (c->reqs)
        c->reqs->prev = q;
    c->reqs = q;
}

static void unlink_req(struct crm_client *c, struct crm_req *q)
{
    if (q->prev)
        q->prev->next = q->next;
    else
        c->reqs = q->next;
    if (q->next)
        q->next->prev = q->prev;
    q->prev = q->next = NULL;
}

static bool req_known(const struct crm_client *c, const struct crm_req *req)
{
    for (const struct crm_req *q = c->reqs; q; q = q->next)
        if (q == req)
            return true;
    return false;
}

enum crm_status crm_client_new(const struct crm_client_opts *opts, struct crm_client **out,
                               char *err, size_t errlen)
{
    struct http_opts ho;
    struct crm_client *c;
    enum crm_status st;

    *out = NULL;
    if (!opts) {
        snprintf(err, errlen, "no client options");
        return CRM_ERR_INVALID;
    }
    memset(&ho, 0, sizeof ho);
    ho.url = opts->url;
    ho.api_key = opts->api_key;
    ho.ca_file = opts->ca_file;
    ho.debug_log = opts->debug_log;
    ho.connect_timeout_ms = opts->connect_timeout_ms;
    ho.stall_timeout_ms = opts->stall_timeout_ms;
    ho.max_body = opts->max_body;
    ho.max_retries = opts->max_retries;
    ho.retry_budget_ms = opts->retry_budget_ms;
    ho.max_connections = opts->max_connections;
    c = common_json_calloc(1, sizeof *c);
    st = http_new(&ho, &c->http, err, errlen);
    if (st != CRM_OK) {
        free(c);
        return st;
    }
    *out = c;
    return CRM_OK;
}

void crm_reply_free(struct crm_reply **pp)
{
    struct crm_reply *r = pp ? *pp : NULL;
    if (!r)
        return;
    for (size_t i = 0; i < r->n_views; i++)
        model_view_clear(&r->views[i]);
    free(r->views);
    for (size_t i = 0; i < r->n_rows; i++)
        model_contact_row_clear(&r->rows[i]);
    free(r->rows);
    model_contact_free(&r->contact);
    for (size_t i = 0; i < r->n_activities; i++)
        model_activity_clear(&r->activities[i]);
    free(r->activities);
    for (size_t i = 0; i < r->n_hits; i++)
        model_search_hit_clear(&r->hits[i]);
    free(r->hits);
    for (size_t i = 0; i < r->n_users; i++)
        model_user_clear(&r->users[i]);
    free(r->users);
    if (r->user) {
        model_user_clear(r->user);
        free(r->user);
    }
    for (size_t i = 0; i < r->n_companies; i++)
        model_company_clear(&r->companies[i]);
    free(r->companies);
    if (r->company) {
        model_company_clear(r->company);
        free(r->company);
    }
    if (r->note) {
        model_note_clear(r->note);
        free(r->note);
    }
    free(r->raw);
    free(r);
    *pp = NULL;
}

static void free_req(struct crm_req *q)
{
    crm_reply_free(&q->reply);
    free(q);
}

void crm_client_free(struct crm_client **pp)
{
    struct crm_client *c = pp ? *pp : NULL;
    if (!c)
        return;
    http_free(&c->http); /* aborts transfers without callbacks */
    while (c->reqs) {
        struct crm_req *q = c->reqs;
        unlink_req(c, q);
        free_req(q);
    }
    free(c);
    *pp = NULL;
}

int crm_client_wait(struct crm_client *c, int extra_fd, int timeout_ms)
{
    return http_wait(c->http, extra_fd, timeout_ms);
}

void crm_client_dispatch(struct crm_client *c)
{
    http_dispatch(c->http);
}

int crm_client_pending(const struct crm_client *c)
{
    return c ? http_pending(c->http) : 0;
}

long crm_client_connections(const struct crm_client *c)
{
    return c ? http_connections(c->http) : 0;
}

void crm_req_cancel(struct crm_client *c, struct crm_req *req)
{
    if (!c || !req || !req_known(c, req) || req->done || !req->hreq)
        return;
    http_cancel(c->http, req->hreq); /* calls on_http with CRM_ERR_CANCELLED */
}

void crm_client_cancel_all(struct crm_client *c)
{
    bool again = true;

    /* Restart after each cancel: a callback may queue or cancel requests. */
    while (c && again) {
        again = false;
        for (struct crm_req *q = c->reqs; q; q = q->next) {
            if (!q->done && q->hreq) {
                http_cancel(c->http, q->hreq);
                again = true;
                break;
            }
        }
    }
}

enum crm_status crm_client_run(struct crm_client *c, struct crm_req *req, struct crm_reply **out)
{
    enum crm_status st;

    *out = NULL;
    if (!c || !req || !req_known(c, req) || req->cb)
        return CRM_ERR_INVALID;
    while (!req->done) {
        http_wait(c->http, -1, 1000);
        http_dispatch(c->http);
    }
    unlink_req(c, req);
    *out = req->reply;
    req->reply = NULL;
    st = (*out)->status;
    free_req(req);
    return st;
}

/* ---- replies ---- */

static void set_message(struct crm_reply *r, const char *text)
{
    char *clean = sanitize_str(text, strlen(text), sizeof r->message - 1);
    snprintf(r->message, sizeof r->message, "%s", clean);
    free(clean);
}

static void unreadable(struct crm_reply *r, enum crm_status st, const char *why)
{
    char buf[sizeof r->message];
    r->status = st;
    snprintf(buf, sizeof buf, "%s: %s", crm_strerror(st), why);
    set_message(r, buf);
}

/* A non-2xx answer the call treats as success, or false. */
static bool benign_error(struct crm_req *q, const struct http_response *res, struct crm_reply *r)
{
    if (res->code != 404)
        return false;
    switch (q->call) {
    case CALL_CONTACT_FORGET:
        r->already_gone = true; /* API.md 4.1: the client treats it as done */
        return true;
    case CALL_CONTACT_DELETE:
        /* Only when the 404 answers a retry: the first attempt did the work. */
        if (res->attempts > 1) {
            r->already_gone = true;
            return true;
        }
        return false;
    case CALL_CAPABILITIES:
        r->capabilities = 0; /* real Freshsales: no extensions */
        return true;
    default:
        return false;
    }
}

static void map_success(struct crm_req *q, struct http_response *res, struct crm_reply *r)
{
    char err[160] = "";
    const char *b = res->body;
    size_t n = res->len;
    enum crm_status st = CRM_OK;

    switch (q->call) {
    case CALL_VIEWS:
    case CALL_COMPANY_VIEWS:
        st = misc_json_views(b, n, &r->views, &r->n_views, err, sizeof err);
        break;
    case CALL_CONTACTS_PAGE:
        st = contact_json_page(b, n, &r->rows, &r->n_rows, &r->total, &r->total_pages, err,
                               sizeof err);
        break;
    case CALL_CONTACT:
    case CALL_CONTACT_UPDATE:
    case CALL_CONTACT_RESTORE:
        st = contact_json_contact(b, n, &r->contact, err, sizeof err);
        break;
    case CALL_CONTACT_DELETE:
    case CALL_CONTACT_FORGET:
        st = misc_json_delete(b, n, err, sizeof err);
        break;
    case CALL_ACTIVITIES:
        st = activity_json_list(b, n, &r->activities, &r->n_activities, &r->total, &r->total_pages,
                                err, sizeof err);
        break;
    case CALL_SEARCH:
        st = misc_json_search(b, n, &r->hits, &r->n_hits, err, sizeof err);
        break;
    case CALL_LOOKUP:
        st = contact_json_lookup(b, n, &r->rows, &r->n_rows, err, sizeof err);
        break;
    case CALL_OWNERS:
    case CALL_USERS:
        st = misc_json_users(b, n, &r->users, &r->n_users, err, sizeof err);
        break;
    case CALL_USERS_ME:
        st = misc_json_user(b, n, &r->user, err, sizeof err);
        break;
    case CALL_CAPABILITIES:
        st = misc_json_capabilities(b, n, &r->capabilities, err, sizeof err);
        break;
    case CALL_COMPANIES_PAGE:
        st = misc_json_companies(b, n, &r->companies, &r->n_companies, &r->total, &r->total_pages,
                                 err, sizeof err);
        break;
    case CALL_COMPANY:
        st = misc_json_company(b, n, &r->company, err, sizeof err);
        break;
    case CALL_CONTACT_EXPORT:
    case CALL_RAW:
        r->raw = res->body; /* the body as received, taken from http */
        r->raw_len = res->len;
        res->body = NULL;
        break;
    case CALL_NOTE_ADD:
        st = misc_json_note(b, n, &r->note, err, sizeof err);
        break;
    }
    if (st != CRM_OK)
        unreadable(r, st, err);
    else
        r->status = CRM_OK;
}

static struct crm_reply *make_reply(struct crm_req *q, struct http_response *res)
{
    struct crm_reply *r = common_json_calloc(1, sizeof *r);

    r->http_code = res->code;
    r->retry_after_s = res->retry_after_s;
    r->total = -1;
    r->total_pages = -1;
    if (res->status != CRM_OK) {
        r->status = res->status;
        set_message(r, res->error[0] ? res->error : crm_strerror(res->status));
        return r;
    }
    if (res->code >= 200 && res->code < 300) {
        map_success(q, res, r);
    } else if (benign_error(q, res, r)) {
        r->status = CRM_OK;
    } else {
        r->status = crm_status_from_http(res->code);
        if (r->status == CRM_OK) /* a 1xx or 3xx that reached us: no redirects are followed */
            r->status = CRM_ERR_PROTOCOL;
        if (!common_json_error_message(res->body, res->len, r->message, sizeof r->message))
            snprintf(r->message, sizeof r->message, "%s", crm_strerror(r->status));
    }
    if (r->status == CRM_OK && !r->message[0])
        snprintf(r->message, sizeof r->message, "%s", crm_strerror(CRM_OK));
    return r;
}

static struct crm_req *send_req(struct crm_client *c, struct crm_req *q, enum http_method m,
                                const char *path, const char *body, size_t body_len);

static void on_http(struct http_response *res, void *ud)
{
    struct crm_req *q = ud;
    struct crm_client *c = q->c;
    struct crm_reply *reply;

    q->hreq = NULL;
    /* Some accounts serve the timeline only with the .json suffix. */
    if (q->call == CALL_ACTIVITIES && res->status == CRM_OK && res->code == 404 &&
        !q->tried_json_path) {
        char path[160];
        q->tried_json_path = true;
        snprintf(path, sizeof path, "/contacts/%" PRId64 "/activities.json?page=%ld&per_page=%d",
                 q->id, q->page, q->per_page);
        unlink_req(c, q);
        if (send_req(c, q, HTTP_GET, path, NULL, 0))
            return;
        link_req(c, q); /* could not queue: report the 404 */
    }
    reply = make_reply(q, res);
    if (q->cb) {
        unlink_req(c, q);
        q->cb(reply, q->ud);
        free(q);
        return;
    }
    q->done = true;
    q->reply = reply;
}

/* Links q and sends it; frees q and returns NULL when it cannot be queued. */
static struct crm_req *send_req(struct crm_client *c, struct crm_req *q, enum http_method m,
                                const char *path, const char *body, size_t body_len)
{
    link_req(c, q);
    q->hreq = http_request_source(c->http, m, path, body, body_len, q->source, on_http, q);
    if (!q->hreq) {
        unlink_req(c, q);
        if (!q->tried_json_path)
            free(q);
        return NULL;
    }
    return q;
}

static struct crm_req *call(struct crm_client *c, enum call kind, enum http_method m,
                            const char *path, const char *body, size_t body_len, crm_done_fn cb,
                            void *ud)
{
    struct crm_req *q;

    if (!c)
        return NULL;
    q = common_json_calloc(1, sizeof *q);
    q->c = c;
    q->call = kind;
    q->cb = cb;
    q->ud = ud;
    return send_req(c, q, m, path, body, body_len);
}

struct crm_req *api_internal_call_raw(struct crm_client *c, enum http_method m, const char *path,
                                      const char *body, size_t body_len, crm_done_fn cb, void *ud)
{
    if (!path)
        return NULL;
    return call(c, CALL_RAW, m, path, body, body_len, cb, ud);
}

struct crm_req *api_internal_call_owned(struct crm_client *c, enum http_method m, const char *path,
                                        char *body, size_t body_len, crm_done_fn cb, void *pending)
{
    struct crm_req *q = api_internal_call_raw(c, m, path, body, body ? body_len : 0, cb, pending);
    free(body);
    if (!q)
        free(pending);
    return q;
}

/* ---- the calls ---- */

static const char *sort_name(enum api_sort s)
{
    switch (s) {
    case API_SORT_CREATED:
        return "created_at";
    case API_SORT_LAST_NAME:
        return "last_name";
    case API_SORT_FIRST_NAME:
        return "first_name";
    case API_SORT_EMAIL:
        return "email";
    case API_SORT_UPDATED:
    default:
        return "updated_at";
    }
}

static int clamp_per_page(int per_page)
{
    return per_page < 1 ? 25 : per_page > 100 ? 100 : per_page;
}

struct crm_req *api_views(struct crm_client *c, crm_done_fn cb, void *ud)
{
    return call(c, CALL_VIEWS, HTTP_GET, "/contacts/filters", NULL, 0, cb, ud);
}

struct crm_req *api_contacts_page(struct crm_client *c, int64_t view_id, long page, int per_page,
                                  enum api_sort sort, bool descending, crm_done_fn cb, void *ud)
{
    char path[256];

    if (view_id <= 0 || page < 1)
        return NULL;
    snprintf(path, sizeof path,
             "/contacts/view/%" PRId64
             "?page=%ld&per_page=%d&sort=%s&sort_type=%s&include=owner,sales_accounts",
             view_id, page, clamp_per_page(per_page), sort_name(sort), descending ? "desc" : "asc");
    return call(c, CALL_CONTACTS_PAGE, HTTP_GET, path, NULL, 0, cb, ud);
}

struct crm_req *api_contact(struct crm_client *c, int64_t id, crm_done_fn cb, void *ud)
{
    char path[128];

    if (id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/contacts/%" PRId64 "?include=owner,sales_accounts,notes", id);
    return call(c, CALL_CONTACT, HTTP_GET, path, NULL, 0, cb, ud);
}

struct crm_req *api_contact_update(struct crm_client *c, int64_t id,
                                   const struct contact_patch *patch, crm_done_fn cb, void *ud)
{
    char path[64];
    char *body;
    size_t len;
    struct crm_req *q;

    if (id <= 0 || !patch)
        return NULL;
    snprintf(path, sizeof path, "/contacts/%" PRId64, id);
    body = contact_json_patch(patch, &len);
    q = call(c, CALL_CONTACT_UPDATE, HTTP_PUT, path, body, len, cb, ud);
    free(body);
    return q;
}

struct crm_req *api_contact_delete(struct crm_client *c, int64_t id, bool purge_call_data,
                                   crm_done_fn cb, void *ud)
{
    char path[96];

    if (id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/contacts/%" PRId64 "%s", id,
             purge_call_data ? "?purge_call_data=true" : "");
    return call(c, CALL_CONTACT_DELETE, HTTP_DELETE, path, NULL, 0, cb, ud);
}

struct crm_req *api_contact_forget(struct crm_client *c, int64_t id, crm_done_fn cb, void *ud)
{
    char path[64];

    if (id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/contacts/%" PRId64 "/forget", id);
    return call(c, CALL_CONTACT_FORGET, HTTP_DELETE, path, NULL, 0, cb, ud);
}

struct crm_req *api_contact_restore(struct crm_client *c, int64_t id, crm_done_fn cb, void *ud)
{
    char path[64];

    if (id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/contacts/%" PRId64 "/restore", id);
    return call(c, CALL_CONTACT_RESTORE, HTTP_POST, path, "", 0, cb, ud);
}

struct crm_req *api_activities(struct crm_client *c, int64_t contact_id, long page, int per_page,
                               crm_done_fn cb, void *ud)
{
    char path[160];
    struct crm_req *q;

    if (!c || contact_id <= 0 || page < 1)
        return NULL;
    per_page = clamp_per_page(per_page);
    snprintf(path, sizeof path, "/contacts/%" PRId64 "/activities?page=%ld&per_page=%d", contact_id,
             page, per_page);
    q = common_json_calloc(1, sizeof *q);
    q->c = c;
    q->call = CALL_ACTIVITIES;
    q->cb = cb;
    q->ud = ud;
    q->id = contact_id;
    q->page = page;
    q->per_page = per_page;
    return send_req(c, q, HTTP_GET, path, NULL, 0);
}

/* GET prefix + escaped q + suffix. */
static struct crm_req *query_call(struct crm_client *c, enum call kind, const char *prefix,
                                  const char *q, const char *suffix, crm_done_fn cb, void *ud)
{
    char *esc, *path;
    size_t n;
    struct crm_req *req;

    if (!q || !q[0])
        return NULL;
    esc = http_escape(q);
    n = strlen(prefix) + strlen(esc) + strlen(suffix) + 1;
    path = common_json_alloc(n);
    snprintf(path, n, "%s%s%s", prefix, esc, suffix);
    req = call(c, kind, HTTP_GET, path, NULL, 0, cb, ud);
    free(path);
    free(esc);
    return req;
}

struct crm_req *api_search(struct crm_client *c, const char *q, crm_done_fn cb, void *ud)
{
    return query_call(c, CALL_SEARCH, "/search?q=", q, "&include=contact", cb, ud);
}

struct crm_req *api_lookup_email(struct crm_client *c, const char *email, crm_done_fn cb, void *ud)
{
    return query_call(c, CALL_LOOKUP, "/lookup?q=", email, "&f=email&entities=contact", cb, ud);
}

struct crm_req *api_owners(struct crm_client *c, crm_done_fn cb, void *ud)
{
    return call(c, CALL_OWNERS, HTTP_GET, "/selector/owners", NULL, 0, cb, ud);
}

struct crm_req *api_users(struct crm_client *c, crm_done_fn cb, void *ud)
{
    return call(c, CALL_USERS, HTTP_GET, "/users", NULL, 0, cb, ud);
}

struct crm_req *api_users_me(struct crm_client *c, crm_done_fn cb, void *ud)
{
    return call(c, CALL_USERS_ME, HTTP_GET, "/users/me", NULL, 0, cb, ud);
}

struct crm_req *api_capabilities(struct crm_client *c, crm_done_fn cb, void *ud)
{
    return call(c, CALL_CAPABILITIES, HTTP_GET, "/capabilities", NULL, 0, cb, ud);
}

struct crm_req *api_company_views(struct crm_client *c, crm_done_fn cb, void *ud)
{
    return call(c, CALL_COMPANY_VIEWS, HTTP_GET, "/sales_accounts/filters", NULL, 0, cb, ud);
}

struct crm_req *api_companies_page(struct crm_client *c, int64_t view_id, long page, int per_page,
                                   crm_done_fn cb, void *ud)
{
    char path[160];

    if (view_id <= 0 || page < 1)
        return NULL;
    snprintf(path, sizeof path, "/sales_accounts/view/%" PRId64 "?page=%ld&per_page=%d", view_id,
             page, clamp_per_page(per_page));
    return call(c, CALL_COMPANIES_PAGE, HTTP_GET, path, NULL, 0, cb, ud);
}

struct crm_req *api_company(struct crm_client *c, int64_t id, crm_done_fn cb, void *ud)
{
    char path[64];

    if (id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/sales_accounts/%" PRId64, id);
    return call(c, CALL_COMPANY, HTTP_GET, path, NULL, 0, cb, ud);
}

struct crm_req *api_contact_export(struct crm_client *c, int64_t id, crm_done_fn cb, void *ud)
{
    char path[64];

    if (id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/contacts/%" PRId64 "/export", id);
    return call(c, CALL_CONTACT_EXPORT, HTTP_GET, path, NULL, 0, cb, ud);
}

struct crm_req *api_note_add(struct crm_client *c, int64_t contact_id, const char *text,
                             crm_done_fn cb, void *ud)
{
    char *body;
    size_t len;
    struct crm_req *q;

    if (contact_id <= 0 || !text)
        return NULL;
    body = misc_json_note_body(contact_id, text, &len);
    q = call(c, CALL_NOTE_ADD, HTTP_POST, "/notes", body, len, cb, ud);
    free(body);
    return q;
}

struct crm_req *api_internal_call_source(struct crm_client *c, enum http_method m, const char *path,
                                         const char *body, size_t body_len, const char *source,
                                         crm_done_fn cb, void *ud)
{
    struct crm_req *q;

    if (!c)
        return NULL;
    q = common_json_calloc(1, sizeof *q);
    q->c = c;
    q->call = CALL_RAW;
    q->source = source;
    q->cb = cb;
    q->ud = ud;
    return send_req(c, q, m, path, body, body_len);
}

struct http *api_internal_http(struct crm_client *c)
{
    return c ? c->http : NULL;
}
