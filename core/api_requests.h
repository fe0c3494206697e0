/* The calls of the privacy requests queue (API.md 4.9, capability
 * privacy_requests): list, create, change. Asynchronous, as core/api.h. */
#ifndef CRM_API_REQUESTS_H
#define CRM_API_REQUESTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/api.h"
#include "core/requests_json.h"

/* A reply: status, http_code and message as in struct crm_reply; requests
 * holds the list (api_requests_list) or the one request created or changed. */
struct requests_reply {
    enum crm_status status;
    long http_code;
    char message[256];
    struct privacy_request *requests;
    size_t n_requests;
};

typedef void (*requests_done_fn)(struct requests_reply *reply, void *ud);

/* Frees the reply and its requests; sets *pp to NULL. */
void requests_reply_free(struct requests_reply **pp);

/* Each returns the request (borrowed, for crm_req_cancel) or NULL when it could
 * not be queued (cb not called). cb receives the reply and owns it. */
/* GET /privacy_requests?per_page=100: the queue as the server sorts it. */
struct crm_req *api_requests_list(struct crm_client *c, requests_done_fn cb, void *ud);
/* POST /privacy_requests; received_at NULL: now. */
struct crm_req *api_requests_create(struct crm_client *c, const char *type, const char *email,
                                    const char *received_at, requests_done_fn cb, void *ud);
/* PUT /privacy_requests/{id}. */
struct crm_req *api_requests_change(struct crm_client *c, int64_t id,
                                    const struct privacy_request_change *ch, requests_done_fn cb,
                                    void *ud);

#endif
