/* The API's routes, declared once in a table (server/router.c), the request
 * every handler receives, and the query-parameter helpers they share. */
#ifndef CRM_SERVER_ROUTER_H
#define CRM_SERVER_ROUTER_H

#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "server/json.h"

#define ROUTER_PREFIX "/crm/sales/api"

/* The caller, authenticated by their API key. */
struct srv_user {
    int64_t id;
    bool is_admin;
    bool may_export_reports; /* effective: admins always may */
    bool may_forget;         /* effective: admins always may */
};

/* One request as a handler sees it. Everything is borrowed for the call. */
struct srv_req {
    sqlite3 *db;          /* this thread's connection */
    struct srv_user user; /* the caller */
    int64_t ids[2];       /* the numeric path segments, in order */
    const cJSON *body;    /* the parsed body of a ROUTE_BODY route, else NULL */
    const char *source;   /* X-Crm-Source when it names a known source, else "api" */
    const char *(*arg)(void *ctx, const char *name); /* query parameter lookup */
    void *arg_ctx;
    const char *base_url; /* "http://HOST" as the client addressed the server (for links in
                             emails), or NULL when its Host header is missing or unusual */
};

typedef void (*router_fn)(const struct srv_req *rq, struct srv_resp *rs);

enum router_flags {
    ROUTE_BODY = 1u << 0,  /* takes a JSON object body */
    ROUTE_ADMIN = 1u << 1, /* admins only: 403 for agents */
};

struct route {
    const char *method;
    const char *pattern; /* relative to ROUTER_PREFIX; "{id}" is a numeric segment; also the
                            route's name in the log */
    router_fn fn;
    unsigned flags;
};

/* Finds the route for method and path (relative to ROUTER_PREFIX) and fills
 * ids from the numeric segments. Returns NULL when none matches; then allow
 * receives the methods the path accepts ("GET, PUT"), empty when the path
 * matches no route at all. */
const struct route *router_match(const char *method, const char *path, int64_t ids[2], char *allow,
                                 size_t allowlen);

/* The query parameter name, or NULL. */
const char *router_arg(const struct srv_req *rq, const char *name);

/* page (1-based, default 1) and per_page (default 25, at most 100) from the
 * query. Returns 0, or -1 after setting a 400 response. */
int router_paging(const struct srv_req *rq, struct srv_resp *rs, long *page, long *per_page);

/* A boolean query flag ("true"/"false", absent: false). Returns 0, or -1
 * after setting a 400 response. */
int router_flag(const struct srv_req *rq, struct srv_resp *rs, const char *name, bool *out);

/* Whether the comma-separated include parameter names item. */
bool router_includes(const struct srv_req *rq, const char *item);

#endif
