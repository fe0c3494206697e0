/* The one writer of audit entries. */
#include "server/audit.h"

#include <stddef.h>

#include "server/db.h"

int audit_write(sqlite3 *db, int64_t at, int64_t actor, const char *action, const char *ref,
                const char *counts, int64_t *id_out)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(db,
                           "INSERT INTO audit (at, actor_user_id, action, subject_ref, counts)"
                           " VALUES (?1, ?2, ?3, ?4, ?5)",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_int64(st, 1, at > 0 ? at : db_now());
    if (actor > 0)
        sqlite3_bind_int64(st, 2, actor);
    else
        sqlite3_bind_null(st, 2);
    sqlite3_bind_text(st, 3, action, -1, SQLITE_STATIC);
    if (ref)
        sqlite3_bind_text(st, 4, ref, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, 4);
    sqlite3_bind_text(st, 5, counts ? counts : "{}", -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto out;
    if (id_out)
        *id_out = sqlite3_last_insert_rowid(db);
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}
