/* The calls of the contact quick actions that core/api.h does not have: the
 * erasure preview, the audit entry of a forget, unsubscribe and edit made as
 * a quick action (X-Crm-Source: quick_action). Asynchronous like every api_*
 * call; the answer comes through a typed callback. */
#ifndef CRM_API_ACTIONS_H
#define CRM_API_ACTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/actions_json.h"
#include "core/api.h"

/* The answer of one call. status and message as in struct crm_reply; the
 * payload the call names is filled on CRM_OK. Borrowed: valid during the
 * callback only (take contact by setting it to NULL). */
struct actions_reply {
    enum crm_status status;
    long http_code;
    char message[256];
    struct forget_preview preview; /* api_forget_preview */
    struct audit_entry audit;      /* api_audit_newest_forget, when audit_found */
    bool audit_found;
    struct contact *contact; /* api_contact_unsubscribe, api_contact_rectify */
};

typedef void (*actions_done_fn)(struct actions_reply *reply, void *ud);

/* Each returns the request (borrowed; crm_req_cancel calls cb with
 * CRM_ERR_CANCELLED) or NULL when it could not be queued (cb not called). */

/* GET /contacts/{id}/forget_preview: what a forget would erase and keep. */
struct crm_req *api_forget_preview(struct crm_client *c, int64_t id, actions_done_fn cb, void *ud);
/* GET /audit: the newest contact.forget entry (audit_found false when none). */
struct crm_req *api_audit_newest_forget(struct crm_client *c, actions_done_fn cb, void *ud);
/* PUT /contacts/{id}: do_not_disturb on, unsubscribed, no purposes; the
 * server records it as a quick action. */
struct crm_req *api_contact_unsubscribe(struct crm_client *c, int64_t id, actions_done_fn cb,
                                        void *ud);
/* PUT /contacts/{id} with the changed fields of patch, as a quick action. */
struct crm_req *api_contact_rectify(struct crm_client *c, int64_t id,
                                    const struct contact_patch *patch, actions_done_fn cb,
                                    void *ud);

/* For an export assembled on the client (servers without contact_export):
 * the bodies as received, in reply->raw of a plain crm_reply. GET
 * /contacts/{id}?include=notes, and one page of 100 timeline entries. */
struct crm_req *api_contact_raw(struct crm_client *c, int64_t id, crm_done_fn cb, void *ud);
struct crm_req *api_activities_raw(struct crm_client *c, int64_t id, long page, crm_done_fn cb,
                                   void *ud);

#endif
