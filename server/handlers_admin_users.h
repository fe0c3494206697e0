/* User administration and third-party processors (API.md sections 4.3 and
 * 4.6), admins only: permissions, activation, deletion with the transfer of
 * the user's records and erasure notices, and the processors with the state
 * of their notices. Every change writes an audit entry naming the actor and
 * what changed, without personal data. */
#ifndef CRM_SERVER_HANDLERS_ADMIN_USERS_H
#define CRM_SERVER_HANDLERS_ADMIN_USERS_H

#include "server/router.h"

/* PUT /users/{id}/permissions {"permissions":{"export_reports"?:bool,
 * "forget_records"?:bool}} -> {"user":{...}} as GET /users shows it; audit
 * "user.permissions". 404 for an absent or deleted user. */
void handlers_admin_users_permissions(const struct srv_req *rq, struct srv_resp *rs);

/* PUT /users/{id} {"user":{"is_active"?:bool,"role"?:"admin"|"agent"}} ->
 * {"user":{...}}; audit "user.update". 409 when it would deactivate the
 * caller, or leave no active admin. */
void handlers_admin_users_update(const struct srv_req *rq, struct srv_resp *rs);

/* DELETE /users/{id}?transfer_to={other} -> {"deletion":{"user_id",
 * "records_transferred","records_unassigned","processors":[{"name",
 * "status"}]}}. The user's contacts and companies go to transfer_to (an
 * active user) or become unassigned; their name, email and key are erased;
 * audit "user.delete"; one erasure notice per processor, delivery attempted
 * before answering. 409 for an active user, the caller, or the last admin;
 * 400 for a bad transfer_to; 404 when absent or already deleted. */
void handlers_admin_users_delete(const struct srv_req *rq, struct srv_resp *rs);

/* GET /processors -> {"processors":[{"id","name","kind","endpoint","status"
 * (of the newest notice, or null),"notices":{"pending","done","failed"}}]};
 * pending notices are attempted first. */
void handlers_admin_users_processors(const struct srv_req *rq, struct srv_resp *rs);

/* PUT /processors/{id} {"processor":{"endpoint":"http(s)://..."|null}} ->
 * {"processor":{...}}; audit "processor.update". */
void handlers_admin_users_processor_update(const struct srv_req *rq, struct srv_resp *rs);

/* POST /processors/{id}/retry: its failed notices go back to pending and are
 * attempted again -> {"processor":{...}}; audit "processor.retry" with their
 * number when there were any. 404 when no such processor. */
void handlers_admin_users_processor_retry(const struct srv_req *rq, struct srv_resp *rs);

#endif
