/* Opening the crm-server database with the settings every connection needs,
 * the transaction helpers every write uses, and the clock. */
#include "server/db.h"

#include <stdio.h>
#include <time.h>

#include "server/schema.h"

#define DB_BUSY_TIMEOUT_MS 5000

static int64_t (*db_clock)(void);

static int64_t db_system_clock(void)
{
    return (int64_t)time(NULL);
}

/* Runs SQL that takes no parameters (pragmas, the schema, transaction verbs). */
static int db_exec(sqlite3 *db, const char *sql, char *err, size_t errlen)
{
    char *msg = NULL;
    if (sqlite3_exec(db, sql, NULL, NULL, &msg) == SQLITE_OK)
        return 0;
    if (err && errlen)
        snprintf(err, errlen, "%s", msg ? msg : sqlite3_errmsg(db));
    sqlite3_free(msg);
    return -1;
}

int db_open(const char *path, sqlite3 **out, char *err, size_t errlen)
{
    sqlite3 *db = NULL;
    char why[256] = "";
    int version = 0;
    sqlite3_stmt *st = NULL;
    int rc = -1;

    *out = NULL;
    if (sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK) {
        snprintf(why, sizeof why, "%s", db ? sqlite3_errmsg(db) : "out of memory");
        goto out;
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, DB_BUSY_TIMEOUT_MS);
    if (db_exec(db,
                "PRAGMA foreign_keys=ON; PRAGMA secure_delete=ON; PRAGMA journal_mode=WAL;"
                " PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;",
                why, sizeof why) < 0)
        goto out;

    if (sqlite3_prepare_v2(db, "PRAGMA user_version", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW) {
        snprintf(why, sizeof why, "%s", sqlite3_errmsg(db));
        goto out;
    }
    version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (version > SCHEMA_VERSION) {
        snprintf(why, sizeof why, "the database was made by a newer crm-server (schema %d)",
                 version);
        goto out;
    }

    /* The schema is idempotent; applying it on every open also brings in
     * indexes added since the file was created. */
    if (db_begin(db) < 0) {
        snprintf(why, sizeof why, "%s", sqlite3_errmsg(db));
        goto out;
    }
    if (db_exec(db, schema_sql, why, sizeof why) < 0) {
        db_rollback(db);
        goto out;
    }
    if (version != SCHEMA_VERSION) {
        char sql[64];
        snprintf(sql, sizeof sql, "PRAGMA user_version=%d", SCHEMA_VERSION);
        if (db_exec(db, sql, why, sizeof why) < 0) {
            db_rollback(db);
            goto out;
        }
    }
    if (db_commit(db) < 0) {
        snprintf(why, sizeof why, "%s", sqlite3_errmsg(db));
        db_rollback(db);
        goto out;
    }
    *out = db;
    db = NULL;
    rc = 0;
out:
    sqlite3_finalize(st);
    if (rc < 0 && err && errlen)
        snprintf(err, errlen, "cannot open the database %s: %s", path, why);
    sqlite3_close_v2(db);
    return rc;
}

int db_begin(sqlite3 *db)
{
    return db_exec(db, "BEGIN IMMEDIATE", NULL, 0);
}

int db_commit(sqlite3 *db)
{
    return db_exec(db, "COMMIT", NULL, 0);
}

void db_rollback(sqlite3 *db)
{
    if (!sqlite3_get_autocommit(db))
        db_exec(db, "ROLLBACK", NULL, 0);
}

int db_vacuum(sqlite3 *db)
{
    if (db_exec(db, "PRAGMA temp_store=FILE", NULL, 0) < 0)
        return -1;
    int rc = db_exec(db, "VACUUM", NULL, 0);
    if (db_exec(db, "PRAGMA temp_store=MEMORY", NULL, 0) < 0)
        rc = -1;
    return rc;
}

int64_t db_now(void)
{
    return db_clock ? db_clock() : db_system_clock();
}

void db_set_clock(int64_t (*clock_fn)(void))
{
    db_clock = clock_fn;
}

void db_iso_time(int64_t t, char *out, size_t outlen)
{
    struct tm tm;
    time_t tt = (time_t)t;

    if (!out || outlen == 0)
        return;
    if (!gmtime_r(&tt, &tm) || strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
        snprintf(out, outlen, "%s", "1970-01-01T00:00:00Z");
}
