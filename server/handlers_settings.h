/* The account's GDPR settings (API.md 4.2): reading them for the routes and
 * for the code whose behaviour they switch, and changing them with their
 * effects and an audit entry. */
#ifndef CRM_SERVER_HANDLERS_SETTINGS_H
#define CRM_SERVER_HANDLERS_SETTINGS_H

#include <sqlite3.h>

#include "server/router.h"

/* The value of the setting name (one of the six of API.md 4.2): 1 on, 0 off;
 * a setting missing from the table counts as on (the seeded default).
 * Returns -1 on a database error or for an unknown name. Usable inside the
 * caller's transaction. */
int handlers_settings_get(sqlite3 *db, const char *name);

/* GET /settings/gdpr: any user (agents see the settings read-only).
 * PUT /settings/gdpr {"settings":{name:bool,...}}: admins (route flag);
 * unknown names or non-booleans answer 400. Turning chat_store_ip off nulls
 * contacts.last_seen_ip and chats.visitor_ip in the same transaction. A
 * change writes one audit entry "settings.update" whose subject_ref lists
 * the changed names. Answers the whole settings object. */
void handlers_settings_show(const struct srv_req *rq, struct srv_resp *rs);
void handlers_settings_update(const struct srv_req *rq, struct srv_resp *rs);

#endif
