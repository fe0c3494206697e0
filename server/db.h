/* Opening the crm-server database and the transaction helpers every write uses. */
#ifndef CRM_SERVER_DB_H
#define CRM_SERVER_DB_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* Opens (creating when absent) the database at path with the connection
 * settings every connection needs: foreign_keys=ON, journal_mode=WAL,
 * secure_delete=ON, busy_timeout, synchronous=NORMAL, temp_store=MEMORY (a
 * statement journal holds the old content of the pages a statement changes,
 * erased values included, and must not reach a file). Applies the schema.
 * On failure returns -1, writes a sentence into err and leaves *out NULL. */
int db_open(const char *path, sqlite3 **out, char *err, size_t errlen);

/* BEGIN IMMEDIATE / COMMIT / ROLLBACK; 0 on success, -1 on failure. */
int db_begin(sqlite3 *db);
int db_commit(sqlite3 *db);
void db_rollback(sqlite3 *db);

/* VACUUM, with its temporary copy of the database in a file for the time of
 * the rebuild (in memory it would cost the size of the database); that copy
 * holds only the live records. 0 on success, -1 on failure. */
int db_vacuum(sqlite3 *db);

/* Current time in unix seconds (overridable in tests via db_set_clock). */
int64_t db_now(void);
void db_set_clock(int64_t (*clock_fn)(void));

/* Formats unix seconds as ISO-8601 UTC "2026-11-29T10:00:00Z" into out (>= 21 bytes). */
void db_iso_time(int64_t t, char *out, size_t outlen);

#endif
