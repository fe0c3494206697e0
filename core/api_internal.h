/* The request machinery of core/api.c for the other API modules of core/
 * (core/api_*.c): one call whose reply carries the body as received. */
#ifndef CRM_API_INTERNAL_H
#define CRM_API_INTERNAL_H

#include <stddef.h>

#include "core/api.h"
#include "core/http.h"

/* Queues method path (relative to the base URL, query escaped by the caller)
 * with an optional JSON body (copied). A 2xx reply is CRM_OK with the body in
 * reply->raw / raw_len (owned by the reply); any other answer is mapped as
 * every call is (status, http_code, the server's message). Returns the
 * request (borrowed) or NULL when it could not be queued (cb not called). */
struct crm_req *api_internal_call_raw(struct crm_client *c, enum http_method m, const char *path,
                                      const char *body, size_t body_len, crm_done_fn cb, void *ud);

/* As api_internal_call_raw for a typed call: takes body (may be NULL) and
 * pending (the caller's state, passed to cb as ud) and frees both when the
 * request cannot be queued; body is freed once copied in any case. */
struct crm_req *api_internal_call_owned(struct crm_client *c, enum http_method m, const char *path,
                                        char *body, size_t body_len, crm_done_fn cb, void *pending);

/* As api_internal_call_raw, with the header X-Crm-Source: source (static
 * storage; lower-case letters and '_'), which names where a change came from
 * ("quick_action"). NULL source: no header. */
struct crm_req *api_internal_call_source(struct crm_client *c, enum http_method m, const char *path,
                                         const char *body, size_t body_len, const char *source,
                                         crm_done_fn cb, void *ud);

/* The client's HTTP session, for calls that stream (http_request_stream);
 * borrowed, valid as long as c. NULL for a NULL client. */
struct http *api_internal_http(struct crm_client *c);

#endif
