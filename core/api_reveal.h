/* The audit call of masked mode: POST /audit/reveal records that the user
 * revealed one field of a contact (the field's name, never its value). */
#ifndef CRM_API_REVEAL_H
#define CRM_API_REVEAL_H

#include <stdint.h>

#include "core/api.h"

/* POST /audit/reveal {"contact_id":id,"field":field} (field "name", "email",
 * "phone", "address", or "all" for a form showing every field). The reply is
 * CRM_OK on 201 (body in raw) or the error. Returns the request (borrowed) or
 * NULL when it could not be queued (cb not called), also for a field that is
 * not one of those five. */
struct crm_req *api_audit_reveal(struct crm_client *c, int64_t contact_id, const char *field,
                                 crm_done_fn cb, void *ud);

#endif
