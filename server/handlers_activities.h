/* The contact timeline: recording activities and GET /contacts/{id}/activities. */
#ifndef CRM_SERVER_HANDLERS_ACTIVITIES_H
#define CRM_SERVER_HANDLERS_ACTIVITIES_H

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "server/router.h"

/* The sources an activity may carry (API.md section 3), declared once. */
#define ACTIVITY_SOURCE_LIST(X)                                                                    \
    X("web_form")                                                                                  \
    X("email_link")                                                                                \
    X("quick_action")                                                                              \
    X("api")                                                                                       \
    X("import")                                                                                    \
    X("enrichment")                                                                                \
    X("system")

/* The canonical static string of a known source, or NULL for anything else. */
const char *handlers_activities_source(const char *s);

/* Records one activity of contact_id by user_id (0: none) at time at; takes
 * data (a JSON object, NULL for {}). Run inside the caller's transaction.
 * Returns 0, or -1. */
int handlers_activities_add(sqlite3 *db, int64_t contact_id, int64_t user_id, const char *type,
                            cJSON *data, int64_t at);

/* GET /contacts/{id}/activities (and .json): newest first, paged. */
void handlers_activities_list(const struct srv_req *rq, struct srv_resp *rs);

#endif
