/* Profile enrichment of new contacts: the social profile fields a
 * third-party enrichment service would fill, made up from the email here. */
#ifndef CRM_SERVER_ENRICHMENT_H
#define CRM_SERVER_ENRICHMENT_H

#include <sqlite3.h>
#include <stdint.h>

/* When the setting auto_profile_enrichment is on and contact_id has an
 * email, fills its empty facebook, twitter, linkedin and avatar fields and
 * records an "enriched" activity (source "enrichment", the field names, no
 * values). Does nothing when the setting is off or there is no email. Runs
 * inside the caller's transaction. Returns the number of fields filled (0
 * included), or -1 on a database error. */
int enrichment_apply(sqlite3 *db, int64_t contact_id, int64_t now);

#endif
