/* The account's phone numbers and how each records calls (API.md 4.6). */
#ifndef CRM_SERVER_HANDLERS_PHONE_H
#define CRM_SERVER_HANDLERS_PHONE_H

#include "server/router.h"

/* GET /phone_numbers (any user): {"phone_numbers":[{"id","number","recording"}]}. */
void handlers_phone_list(const struct srv_req *rq, struct srv_resp *rs);

/* PUT /phone_numbers/{id} {"phone_number":{"recording":"automatic"|"manual"|"off"}}
 * (admins, route flag): 400 for another value, 404 for no such number;
 * writes an audit entry "phone_number.update" (subject_ref "phone_number:ID",
 * no personal data) when the mode changes. Answers {"phone_number":{...}}. */
void handlers_phone_update(const struct srv_req *rq, struct srv_resp *rs);

#endif
