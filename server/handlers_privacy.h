/* The erasure preview: what forgetting a contact would remove and what stays,
 * before anything is removed (an extension of API.md section 4.1). */
#ifndef CRM_SERVER_HANDLERS_PRIVACY_H
#define CRM_SERVER_HANDLERS_PRIVACY_H

#include "server/router.h"

/* GET /contacts/{id}/forget_preview: {"preview":{"erase":{counts},"keep":
 * {"company":{"id","name"}|null,"deals":N}}}; 403 without the forget
 * permission, 404 when the contact does not exist. */
void handlers_privacy_forget_preview(const struct srv_req *rq, struct srv_resp *rs);

#endif
