/* Writing the account's audit log: one entry per GDPR-relevant action, naming
 * its subject by reference, never by a personal value. */
#ifndef CRM_SERVER_AUDIT_H
#define CRM_SERVER_AUDIT_H

#include <sqlite3.h>
#include <stdint.h>

/* Appends an audit entry: at (0: db_now()), actor (<= 0: the system, stored
 * as NULL), action ("contact.forget"), ref (the subject's reference, or
 * NULL) and counts (a JSON object text without personal data; NULL: "{}").
 * Its id in *id_out when not NULL. 0 on success, -1 on failure. */
int audit_write(sqlite3 *db, int64_t at, int64_t actor, const char *action, const char *ref,
                const char *counts, int64_t *id_out);

#endif
