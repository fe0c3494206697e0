/* The API calls for email, consent requests, calls, chats, user
 * administration and processors (API.md 4.3, 4.5, 4.6). Each queues a request
 * as core/api.h does; a 2xx reply is CRM_OK with the body in reply->raw,
 * which the comms_json mappers turn into records (core/comms_json.h). */
#ifndef CRM_API_COMMS_H
#define CRM_API_COMMS_H

#include <stdbool.h>
#include <stdint.h>

#include "core/api.h"
#include "core/comms_json.h"

/* Each returns the request (borrowed; valid until its callback returns), or
 * NULL when an argument is invalid or it could not be queued (cb not called). */

/* POST /contacts/{id}/emails. 200: comms_json_email_result (a warning
 * "do_not_disturb" when the account only warns); 422: refused by the setting
 * that blocks email to Do Not Disturb contacts. */
struct crm_req *api_comms_email_send(struct crm_client *c, int64_t contact_id, const char *subject,
                                     const char *body, bool include_unsubscribe_link,
                                     crm_done_fn cb, void *ud);
/* POST /contacts/{id}/consent_requests {"purpose"}: a double opt-in email. */
struct crm_req *api_comms_consent_request(struct crm_client *c, int64_t contact_id,
                                          const char *purpose, crm_done_fn cb, void *ud);
/* GET /contacts/{id}/calls: comms_json_calls. */
struct crm_req *api_comms_calls(struct crm_client *c, int64_t contact_id, crm_done_fn cb, void *ud);
/* DELETE /calls/{id}/note and /calls/{id}/recording (admin). */
struct crm_req *api_comms_call_note_delete(struct crm_client *c, int64_t call_id, crm_done_fn cb,
                                           void *ud);
struct crm_req *api_comms_call_recording_delete(struct crm_client *c, int64_t call_id,
                                                crm_done_fn cb, void *ud);
/* GET /contacts/{id}/chats: comms_json_chats. */
struct crm_req *api_comms_chats(struct crm_client *c, int64_t contact_id, crm_done_fn cb, void *ud);
/* PUT /contacts/{id} {"contact":{"chat_events_timeline":on}}: the contact. */
struct crm_req *api_comms_chat_timeline(struct crm_client *c, int64_t contact_id, bool on,
                                        crm_done_fn cb, void *ud);
/* PUT /users/{id}/permissions (admin): the user (misc_json_user). */
struct crm_req *api_comms_user_permissions(struct crm_client *c, int64_t user_id,
                                           bool export_reports, bool forget_records, crm_done_fn cb,
                                           void *ud);
/* PUT /users/{id} {"user":{"is_active":active}} (admin): the user. */
struct crm_req *api_comms_user_set_active(struct crm_client *c, int64_t user_id, bool active,
                                          crm_done_fn cb, void *ud);
/* DELETE /users/{id}?transfer_to= (admin; transfer_to 0: contacts become
 * unassigned): comms_json_deletion. 409 while the user is active. */
struct crm_req *api_comms_user_delete(struct crm_client *c, int64_t user_id, int64_t transfer_to,
                                      crm_done_fn cb, void *ud);
/* GET /processors (admin): comms_json_processors. */
struct crm_req *api_comms_processors(struct crm_client *c, crm_done_fn cb, void *ud);
/* GET /settings/gdpr (admin): comms_json_default_unsubscribe_link. */
struct crm_req *api_comms_gdpr_settings(struct crm_client *c, crm_done_fn cb, void *ud);

#endif
