/* POST /audit/reveal: a masked-mode client showed one field of a contact;
 * the server records who, which contact (subject_ref) and which field. */
#ifndef CRM_SERVER_HANDLERS_REVEAL_H
#define CRM_SERVER_HANDLERS_REVEAL_H

#include "server/router.h"

/* Body {"contact_id":N,"field":"name"|"email"|"phone"|"address"}. Writes the
 * audit entry {action "contact.reveal", subject_ref HMAC of the contact,
 * counts {"field":FIELD}} (never the value) and answers 201 {"audit":{"id"}}.
 * 400 for another body, 404 for an unknown contact. Any user may call it. */
void handlers_reveal_create(const struct srv_req *rq, struct srv_resp *rs);

#endif
