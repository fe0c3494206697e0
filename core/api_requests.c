/* The privacy requests calls over the shared request machinery: each maps
 * its answer into a struct requests_reply. */
#include "core/api_requests.h"

#include <inttypes.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/api_internal.h"
#include "core/common_json.h"

struct pending {
    bool list;
    requests_done_fn cb;
    void *ud;
};

void requests_reply_free(struct requests_reply **pp)
{
    struct requests_reply *r = pp ? *pp : NULL;

    if (!r)
        return;
    for (size_t i = 0; i < r->n_requests; i++)
        requests_json_clear(&r->requests[i]);
    free(r->requests);
    free(r);
    *pp = NULL;
}

static void on_raw(struct crm_reply *cr, void *ud)
{
    struct pending *p = ud;
    struct requests_reply *r = common_json_calloc(1, sizeof *r);
    char err[160] = "";

    r->status = cr->status;
    r->http_code = cr->http_code;
    snprintf(r->message, sizeof r->message, "%s", cr->message);
    if (cr->status == CRM_OK) {
        const char *b = cr->raw ? cr->raw : "";
        size_t n = cr->raw ? cr->raw_len : 0;
        enum crm_status st;

        if (p->list) {
            st = requests_json_list(b, n, &r->requests, &r->n_requests, err, sizeof err);
        } else {
            r->requests = common_json_calloc(1, sizeof *r->requests);
            st = requests_json_one(b, n, r->requests, err, sizeof err);
            if (st == CRM_OK)
                r->n_requests = 1;
        }
        if (st != CRM_OK) {
            r->status = st;
            snprintf(r->message, sizeof r->message, "%s: %s", crm_strerror(st), err);
        }
    }
    crm_reply_free(&cr);
    p->cb(r, p->ud);
    free(p);
}

static struct crm_req *call(struct crm_client *c, bool list, enum http_method m, const char *path,
                            char *body, size_t body_len, requests_done_fn cb, void *ud)
{
    if (!c || !cb) {
        free(body);
        return NULL;
    }
    struct pending *p = common_json_calloc(1, sizeof *p);
    p->list = list;
    p->cb = cb;
    p->ud = ud;
    return api_internal_call_owned(c, m, path, body, body_len, on_raw, p);
}

struct crm_req *api_requests_list(struct crm_client *c, requests_done_fn cb, void *ud)
{
    return call(c, true, HTTP_GET, "/privacy_requests?per_page=100", NULL, 0, cb, ud);
}

struct crm_req *api_requests_create(struct crm_client *c, const char *type, const char *email,
                                    const char *received_at, requests_done_fn cb, void *ud)
{
    size_t len = 0;
    char *body;

    if (!type || !email)
        return NULL;
    body = requests_json_create_body(type, email, received_at, &len);
    return call(c, false, HTTP_POST, "/privacy_requests", body, len, cb, ud);
}

struct crm_req *api_requests_change(struct crm_client *c, int64_t id,
                                    const struct privacy_request_change *ch, requests_done_fn cb,
                                    void *ud)
{
    char path[64];
    size_t len = 0;
    char *body;

    if (id <= 0 || !ch)
        return NULL;
    snprintf(path, sizeof path, "/privacy_requests/%" PRId64, id);
    body = requests_json_change_body(ch, &len);
    return call(c, false, HTTP_PUT, path, body, len, cb, ud);
}
