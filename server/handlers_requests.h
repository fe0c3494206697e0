/* GET/POST /privacy_requests, GET/PUT /privacy_requests/{id}: the queue of
 * data subject requests (access, erasure, rectification, portability) with
 * their legal due dates. Admins and agents alike may read and work the queue. */
#ifndef CRM_SERVER_HANDLERS_REQUESTS_H
#define CRM_SERVER_HANDLERS_REQUESTS_H

#include "server/router.h"

/* The queue, open requests first, each part by effective due date (extended_to
 * when set, else due_at), then id; paged (page, per_page). → {"privacy_requests":
 * [...],"meta":{...}}. */
void handlers_requests_list(const struct srv_req *rq, struct srv_resp *rs);

/* One request → {"privacy_request":{...}}; 404 when absent. */
void handlers_requests_show(const struct srv_req *rq, struct srv_resp *rs);

/* {"privacy_request":{"type","subject_email","received_at"?}}: a new request,
 * status new, due one calendar month after receipt (received_at defaults to
 * now and may not lie in the future). → 200 {"privacy_request":{...}}. */
void handlers_requests_create(const struct srv_req *rq, struct srv_resp *rs);

/* {"privacy_request":{"status"?,"contact_id"?,"extended_to"?,"extension_reason"?,
 * "subject_told_at"?,"outcome"?}}. Status moves new -> verified -> in_progress
 * -> done, or to rejected from any open state (409 otherwise, and for any change
 * to a closed request). An extension lies after the due date and at most three
 * months after receipt, with a reason (400 otherwise). Closing needs an outcome.
 * When a request is closed its subject_email is replaced by subject_ref (HMAC of
 * "request:ID") and an audit entry "request.close" with that reference is its
 * receipt ("receipt":{"audit_id","at"}). → 200 {"privacy_request":{...}}. */
void handlers_requests_update(const struct srv_req *rq, struct srv_resp *rs);

#endif
