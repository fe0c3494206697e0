/* Account purge after a cancellation: call data at call_data_purge_at,
 * everything at purge_at, run from the periodic purge task. Each pass is
 * idempotent: what was erased stays erased, and an empty pass writes nothing. */
#include "server/lifecycle.h"

#include <stdbool.h>
#include <stdio.h>

#include "server/audit.h"
#include "server/db.h"
#include "server/erase.h"
#include "server/notify.h"

/* Runs sql (no parameters); returns the rows it changed, or -1. */
static int64_t exec_changes(sqlite3 *db, const char *sql)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_DONE)
        n = sqlite3_changes64(db);
    sqlite3_finalize(st);
    return n;
}

/* Erases every call recording and call note. Returns how many, or -1. */
static int64_t purge_call_data(sqlite3 *db, int64_t now)
{
    int64_t recordings, notes, audit_id;
    char counts[96], ref[65];

    if (db_begin(db) < 0)
        return -1;
    if ((recordings = exec_changes(db, "DELETE FROM recordings")) < 0 ||
        (notes = exec_changes(db, "UPDATE calls SET note = NULL WHERE note IS NOT NULL")) < 0)
        goto fail;
    if (recordings + notes > 0) {
        snprintf(counts, sizeof counts, "{\"recordings\":%lld,\"call_notes\":%lld}",
                 (long long)recordings, (long long)notes);
        if (erase_subject_ref(db, "account", 1, ref) < 0 ||
            audit_write(db, now, 0, "account.call_data_purge", ref, counts, &audit_id) < 0)
            goto fail;
    }
    if (db_commit(db) < 0)
        goto fail;
    if (recordings + notes > 0)
        erase_checkpoint(db);
    return recordings + notes;
fail:
    db_rollback(db);
    return -1;
}

/* Erases all the account's data. Returns how many records, or -1. */
static int64_t purge_all(sqlite3 *db, int64_t now)
{
    int64_t contacts, companies, requests, users, audit_id;
    char counts[160], ref[65];

    if (db_begin(db) < 0)
        return -1;
    /* Every table with personal data about a contact cascades from contacts. */
    if ((contacts = exec_changes(db, "DELETE FROM contacts")) < 0 ||
        (companies = exec_changes(db, "DELETE FROM companies")) < 0 ||
        exec_changes(db, "DELETE FROM deals") < 0 ||
        (requests = exec_changes(db, "DELETE FROM privacy_requests")) < 0 ||
        (users = exec_changes(db, "UPDATE users SET display_name = NULL, email = NULL"
                                  " WHERE display_name IS NOT NULL OR email IS NOT NULL")) < 0)
        goto fail;
    if (contacts + companies + requests + users > 0) {
        snprintf(counts, sizeof counts,
                 "{\"contacts\":%lld,\"companies\":%lld,\"privacy_requests\":%lld,"
                 "\"users\":%lld}",
                 (long long)contacts, (long long)companies, (long long)requests, (long long)users);
        if (erase_subject_ref(db, "account", 1, ref) < 0 ||
            audit_write(db, now, 0, "account.purge", ref, counts, &audit_id) < 0 ||
            notify_enqueue(db, audit_id, ref) < 0)
            goto fail;
    }
    if (db_commit(db) < 0)
        goto fail;
    if (contacts + companies + requests + users > 0) {
        /* secure_delete zeroes freed cells; the rebuild also drops pages the
         * erased rows left in the free list, then the WAL is emptied. */
        erase_checkpoint(db);
        db_vacuum(db);
        erase_checkpoint(db);
    }
    return contacts + companies + requests + users;
fail:
    db_rollback(db);
    return -1;
}

int64_t lifecycle_run_due(sqlite3 *db, int64_t now)
{
    sqlite3_stmt *st = NULL;
    bool pending = false;
    int64_t purge_at = 0, call_at = 0, n, total = 0;

    if (sqlite3_prepare_v2(db,
                           "SELECT status = 'cancellation_pending', coalesce(purge_at, 0),"
                           " coalesce(call_data_purge_at, 0) FROM account WHERE id = 1",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    if (sqlite3_step(st) == SQLITE_ROW) {
        pending = sqlite3_column_int(st, 0) != 0;
        purge_at = sqlite3_column_int64(st, 1);
        call_at = sqlite3_column_int64(st, 2);
    }
    sqlite3_finalize(st);
    st = NULL;
    if (!pending)
        return 0;
    if (call_at && now >= call_at) {
        if ((n = purge_call_data(db, now)) < 0)
            return -1;
        total += n;
    }
    if (purge_at && now >= purge_at) {
        if ((n = purge_all(db, now)) < 0)
            return -1;
        total += n;
    }
    return total;
fail:
    sqlite3_finalize(st);
    return -1;
}
