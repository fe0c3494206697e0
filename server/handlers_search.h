/* GET /search (prefix search over names, emails, phones) and GET /lookup
 * (exact email match). */
#ifndef CRM_SERVER_HANDLERS_SEARCH_H
#define CRM_SERVER_HANDLERS_SEARCH_H

#include "server/router.h"

#define SEARCH_HITS_MAX 25  /* hits one search answers with */
#define SEARCH_Q_MAX    200 /* characters of q considered */
#define LOOKUP_HITS_MAX 25

void handlers_search_search(const struct srv_req *rq, struct srv_resp *rs);
void handlers_search_lookup(const struct srv_req *rq, struct srv_resp *rs);

#endif
