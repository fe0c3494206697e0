/* GET /contacts/{id}/export (API.md section 4.4): everything the server holds
 * on one contact, in one JSON document. */
#ifndef CRM_SERVER_HANDLERS_EXPORT_H
#define CRM_SERVER_HANDLERS_EXPORT_H

#include "server/router.h"

/* -> {"export":{"generated_at","contact":{as GET /contacts/{id}},
 * "activities":[...],"notes":[...],"calls":[... recording metadata ...],
 * "chats":[... with messages ...],"emails":[outbox entries]}}; records an
 * `exported` activity (after the snapshot). 404 when the contact does not
 * exist (a Recycle Bin contact is exported too). */
void handlers_export_contact(const struct srv_req *rq, struct srv_resp *rs);

#endif
