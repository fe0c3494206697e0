/* The calls of the contact quick actions: built on api_internal.h's raw
 * calls, their bodies read by core/actions_json.c and core/contact_json.c. */
#include "core/api_actions.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/api_internal.h"
#include "core/common_json.h"
#include "core/contact_json.h"

#define QUICK_SOURCE "quick_action"

enum actions_call { ACTIONS_PREVIEW, ACTIONS_AUDIT, ACTIONS_CONTACT };

struct actions_ctx {
    enum actions_call call;
    actions_done_fn cb;
    void *ud;
};

static void map_body(enum actions_call call, const struct crm_reply *raw, struct actions_reply *r)
{
    char err[160] = "";
    enum crm_status st = CRM_OK;
    const char *body = raw->raw ? raw->raw : "";
    size_t len = raw->raw ? raw->raw_len : 0;

    switch (call) {
    case ACTIONS_PREVIEW:
        st = actions_json_forget_preview(body, len, &r->preview, err, sizeof err);
        break;
    case ACTIONS_AUDIT:
        st = actions_json_audit_newest(body, len, "contact.forget", &r->audit, &r->audit_found, err,
                                       sizeof err);
        break;
    case ACTIONS_CONTACT:
        st = contact_json_contact(body, len, &r->contact, err, sizeof err);
        break;
    }
    if (st != CRM_OK) {
        r->status = st;
        snprintf(r->message, sizeof r->message, "%s: %s", crm_strerror(st), err);
    }
}

static void on_raw(struct crm_reply *raw, void *ud)
{
    struct actions_ctx *ctx = ud;
    struct actions_reply r;

    memset(&r, 0, sizeof r);
    r.status = raw->status;
    r.http_code = raw->http_code;
    snprintf(r.message, sizeof r.message, "%s", raw->message);
    if (raw->status == CRM_OK)
        map_body(ctx->call, raw, &r);
    crm_reply_free(&raw);
    ctx->cb(&r, ctx->ud);
    model_contact_free(&r.contact);
    free(ctx);
}

static struct crm_req *send_call(struct crm_client *c, enum actions_call call, enum http_method m,
                                 const char *path, const char *body, size_t len, const char *source,
                                 actions_done_fn cb, void *ud)
{
    struct actions_ctx *ctx;
    struct crm_req *q;

    if (!c || !cb)
        return NULL;
    ctx = common_json_calloc(1, sizeof *ctx);
    ctx->call = call;
    ctx->cb = cb;
    ctx->ud = ud;
    q = api_internal_call_source(c, m, path, body, len, source, on_raw, ctx);
    if (!q)
        free(ctx);
    return q;
}

struct crm_req *api_forget_preview(struct crm_client *c, int64_t id, actions_done_fn cb, void *ud)
{
    char path[80];

    if (id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/contacts/%" PRId64 "/forget_preview", id);
    return send_call(c, ACTIONS_PREVIEW, HTTP_GET, path, NULL, 0, NULL, cb, ud);
}

struct crm_req *api_audit_newest_forget(struct crm_client *c, actions_done_fn cb, void *ud)
{
    return send_call(c, ACTIONS_AUDIT, HTTP_GET, "/audit?page=1&per_page=25", NULL, 0, NULL, cb,
                     ud);
}

struct crm_req *api_contact_unsubscribe(struct crm_client *c, int64_t id, actions_done_fn cb,
                                        void *ud)
{
    char path[64];
    size_t len;
    char *body;
    struct crm_req *q;

    if (id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/contacts/%" PRId64, id);
    body = actions_json_unsubscribe_body(&len);
    q = send_call(c, ACTIONS_CONTACT, HTTP_PUT, path, body, len, QUICK_SOURCE, cb, ud);
    free(body);
    return q;
}

struct crm_req *api_contact_rectify(struct crm_client *c, int64_t id,
                                    const struct contact_patch *patch, actions_done_fn cb, void *ud)
{
    char path[64];
    size_t len;
    char *body;
    struct crm_req *q;

    if (id <= 0 || !patch)
        return NULL;
    snprintf(path, sizeof path, "/contacts/%" PRId64, id);
    body = contact_json_patch(patch, &len);
    q = send_call(c, ACTIONS_CONTACT, HTTP_PUT, path, body, len, QUICK_SOURCE, cb, ud);
    free(body);
    return q;
}

struct crm_req *api_contact_raw(struct crm_client *c, int64_t id, crm_done_fn cb, void *ud)
{
    char path[80];

    if (id <= 0)
        return NULL;
    snprintf(path, sizeof path, "/contacts/%" PRId64 "?include=notes", id);
    return api_internal_call_raw(c, HTTP_GET, path, NULL, 0, cb, ud);
}

struct crm_req *api_activities_raw(struct crm_client *c, int64_t id, long page, crm_done_fn cb,
                                   void *ud)
{
    char path[120];

    if (id <= 0 || page < 1)
        return NULL;
    snprintf(path, sizeof path, "/contacts/%" PRId64 "/activities?page=%ld&per_page=100", id, page);
    return api_internal_call_raw(c, HTTP_GET, path, NULL, 0, cb, ud);
}
