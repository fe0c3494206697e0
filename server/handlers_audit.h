/* GET /audit (admin): the erasure receipts and other audit entries, which
 * hold no personal data. */
#ifndef CRM_SERVER_HANDLERS_AUDIT_H
#define CRM_SERVER_HANDLERS_AUDIT_H

#include "server/router.h"

void handlers_audit_list(const struct srv_req *rq, struct srv_resp *rs);

#endif
