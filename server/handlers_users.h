/* Users: authentication by API key, /users/me, /users (admin), the owner
 * selector, and the short user records other resources side-load. */
#ifndef CRM_SERVER_HANDLERS_USERS_H
#define CRM_SERVER_HANDLERS_USERS_H

#include <cjson/cJSON.h>

#include "server/router.h"

/* Looks up the active, non-deleted user whose key hashes (SHA-256) to the
 * stored key_hash. Returns 1 and fills *user; 0 when no user has that key;
 * -1 on a database error. */
int handlers_users_auth(sqlite3 *db, const char *key, size_t keylen, struct srv_user *user);

/* {"id","display_name","email","is_active"} of user id, or NULL when absent.
 * The caller owns the result. */
cJSON *handlers_users_brief(sqlite3 *db, int64_t id);

/* Whether id is an active, non-deleted user: 1 yes, 0 no, -1 error. */
int handlers_users_assignable(sqlite3 *db, int64_t id);

void handlers_users_me(const struct srv_req *rq, struct srv_resp *rs);
void handlers_users_list(const struct srv_req *rq, struct srv_resp *rs);
void handlers_users_owners(const struct srv_req *rq, struct srv_resp *rs);

#endif
