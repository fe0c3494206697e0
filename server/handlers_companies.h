/* Companies (sales accounts): their views, one company, soft delete and
 * forget, and the company records contacts side-load. */
#ifndef CRM_SERVER_HANDLERS_COMPANIES_H
#define CRM_SERVER_HANDLERS_COMPANIES_H

#include <cjson/cJSON.h>

#include "server/router.h"

/* The company id as JSON (any state), or NULL when absent or on error. The
 * caller owns the result. */
cJSON *handlers_companies_json(sqlite3 *db, int64_t id);

/* Whether id is a company not in the Recycle Bin: 1 yes, 0 no, -1 error. */
int handlers_companies_live(sqlite3 *db, int64_t id);

void handlers_companies_filters(const struct srv_req *rq, struct srv_resp *rs);
void handlers_companies_view(const struct srv_req *rq, struct srv_resp *rs);
void handlers_companies_show(const struct srv_req *rq, struct srv_resp *rs);
void handlers_companies_delete(const struct srv_req *rq, struct srv_resp *rs);
void handlers_companies_forget(const struct srv_req *rq, struct srv_resp *rs);

#endif
