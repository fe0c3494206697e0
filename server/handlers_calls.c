/* Calls, recordings and chats of contacts: the lists, logging a call under
 * its number's recording mode, and deleting a call note or a recording, each
 * shown on the contact's timeline. */
#include "server/handlers_calls.h"

#include <stdio.h>
#include <string.h>

#include "server/db.h"
#include "server/erase.h"
#include "server/handlers_activities.h"
#include "server/status.h"

#define CALL_COLUMNS                                                                               \
    "c.id, c.direction, c.started_at, c.duration_s, c.note, c.user_id, c.phone_number_id,"         \
    " r.id, length(r.data), r.consent_by_user_id, r.consent_at"

static void add_opt_id(cJSON *o, const char *name, sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        cJSON_AddNullToObject(o, name);
    else
        json_add_int64(o, name, sqlite3_column_int64(st, col));
}

/* One row of CALL_COLUMNS as JSON. */
static cJSON *call_json(sqlite3_stmt *st)
{
    cJSON *c = cJSON_CreateObject();

    json_add_int64(c, "id", sqlite3_column_int64(st, 0));
    json_add_str(c, "direction", (const char *)sqlite3_column_text(st, 1));
    json_add_time(c, "started_at", sqlite3_column_int64(st, 2));
    json_add_int64(c, "duration_s", sqlite3_column_int64(st, 3));
    json_add_str(c, "note", (const char *)sqlite3_column_text(st, 4));
    add_opt_id(c, "user_id", st, 5);
    add_opt_id(c, "phone_number_id", st, 6);
    if (sqlite3_column_type(st, 7) == SQLITE_NULL) {
        cJSON_AddNullToObject(c, "recording");
    } else {
        cJSON *r = cJSON_AddObjectToObject(c, "recording");
        json_add_int64(r, "id", sqlite3_column_int64(st, 7));
        json_add_int64(r, "bytes", sqlite3_column_int64(st, 8));
        if (sqlite3_column_type(st, 10) == SQLITE_NULL) {
            cJSON_AddNullToObject(r, "consent");
        } else {
            cJSON *k = cJSON_AddObjectToObject(r, "consent");
            add_opt_id(k, "by_user_id", st, 9);
            json_add_time(k, "at", sqlite3_column_int64(st, 10));
        }
    }
    return c;
}

/* The calls that sql (one parameter) selects, as a JSON array; NULL on error. */
static cJSON *calls_query(sqlite3 *db, const char *sql, int64_t param)
{
    sqlite3_stmt *st = NULL;
    cJSON *list = cJSON_CreateArray();

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, param);
    for (;;) {
        int r = sqlite3_step(st);
        if (r == SQLITE_DONE)
            break;
        if (r != SQLITE_ROW)
            goto fail;
        cJSON_AddItemToArray(list, call_json(st));
    }
    sqlite3_finalize(st);
    return list;
fail:
    sqlite3_finalize(st);
    cJSON_Delete(list);
    return NULL;
}

cJSON *handlers_calls_of_contact(sqlite3 *db, int64_t contact_id)
{
    return calls_query(db,
                       "SELECT " CALL_COLUMNS " FROM calls c LEFT JOIN recordings r"
                       " ON r.call_id = c.id WHERE c.contact_id = ?1"
                       " ORDER BY c.started_at DESC, c.id DESC",
                       contact_id);
}

/* The messages of chat_id, oldest first, into list. Returns 0 or -1. */
static int chat_messages(sqlite3_stmt *st, int64_t chat_id, cJSON *list)
{
    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, chat_id);
    for (;;) {
        int r = sqlite3_step(st);
        cJSON *m;
        if (r == SQLITE_DONE)
            return 0;
        if (r != SQLITE_ROW)
            return -1;
        m = cJSON_CreateObject();
        json_add_int64(m, "id", sqlite3_column_int64(st, 0));
        json_add_str(m, "sender", (const char *)sqlite3_column_text(st, 1));
        json_add_str(m, "body", (const char *)sqlite3_column_text(st, 2));
        json_add_time(m, "at", sqlite3_column_int64(st, 3));
        cJSON_AddItemToArray(list, m);
    }
}

cJSON *handlers_calls_chats_of_contact(sqlite3 *db, int64_t contact_id)
{
    sqlite3_stmt *st = NULL, *msgs = NULL;
    cJSON *list = cJSON_CreateArray();

    if (sqlite3_prepare_v2(db,
                           "SELECT id, started_at, visitor_ip FROM chats WHERE contact_id = ?1"
                           " ORDER BY started_at DESC, id DESC",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT id, sender, body, at FROM chat_messages WHERE chat_id = ?1"
                           " ORDER BY at, id",
                           -1, &msgs, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, contact_id);
    for (;;) {
        int r = sqlite3_step(st);
        cJSON *c;
        if (r == SQLITE_DONE)
            break;
        if (r != SQLITE_ROW)
            goto fail;
        c = cJSON_CreateObject();
        cJSON_AddItemToArray(list, c);
        json_add_int64(c, "id", sqlite3_column_int64(st, 0));
        json_add_time(c, "started_at", sqlite3_column_int64(st, 1));
        json_add_str(c, "visitor_ip", (const char *)sqlite3_column_text(st, 2));
        if (chat_messages(msgs, sqlite3_column_int64(st, 0),
                          cJSON_AddArrayToObject(c, "messages")) < 0)
            goto fail;
    }
    sqlite3_finalize(st);
    sqlite3_finalize(msgs);
    return list;
fail:
    sqlite3_finalize(st);
    sqlite3_finalize(msgs);
    cJSON_Delete(list);
    return NULL;
}

/* 1 when contact id exists (live or in the Recycle Bin), 0 when not, -1 on error. */
static int contact_exists(sqlite3 *db, int64_t id, bool live_only)
{
    sqlite3_stmt *st = NULL;
    int rc = -1, r;

    if (sqlite3_prepare_v2(db, "SELECT is_deleted FROM contacts WHERE id = ?1", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        r = sqlite3_step(st);
        if (r == SQLITE_ROW)
            rc = live_only && sqlite3_column_int(st, 0) ? 0 : 1;
        else if (r == SQLITE_DONE)
            rc = 0;
    }
    sqlite3_finalize(st);
    return rc;
}

static void list_reply(const struct srv_req *rq, struct srv_resp *rs, const char *key,
                       cJSON *(*fn)(sqlite3 *, int64_t))
{
    cJSON *root, *list;

    switch (contact_exists(rq->db, rq->ids[0], false)) {
    case 1:
        break;
    case 0:
        json_error(rs, SRV_NOT_FOUND, "No contact with this id.");
        return;
    default:
        json_error(rs, SRV_INTERNAL, NULL);
        return;
    }
    if (!(list = fn(rq->db, rq->ids[0]))) {
        json_error(rs, SRV_INTERNAL, NULL);
        return;
    }
    root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, key, list);
    json_reply(rs, SRV_OK, root);
}

void handlers_calls_list(const struct srv_req *rq, struct srv_resp *rs)
{
    list_reply(rq, rs, "calls", handlers_calls_of_contact);
}

void handlers_calls_chats(const struct srv_req *rq, struct srv_resp *rs)
{
    list_reply(rq, rs, "chats", handlers_calls_chats_of_contact);
}

/* The contact a call belongs to, 0 when the call does not exist, -1 on error. */
static int64_t call_contact(sqlite3 *db, int64_t call_id)
{
    sqlite3_stmt *st = NULL;
    int64_t rc = -1;
    int r;

    if (sqlite3_prepare_v2(db, "SELECT contact_id FROM calls WHERE id = ?1", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int64(st, 1, call_id);
        r = sqlite3_step(st);
        if (r == SQLITE_ROW)
            rc = sqlite3_column_int64(st, 0);
        else if (r == SQLITE_DONE)
            rc = 0;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Runs sql (one parameter: the call id) and returns the rows changed, or -1. */
static int exec_call(sqlite3 *db, const char *sql, int64_t call_id)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, call_id);
        if (sqlite3_step(st) == SQLITE_DONE)
            rc = sqlite3_changes(db);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Deletes one part of a call (sql) and records activity type on its contact. */
static void delete_part(const struct srv_req *rq, struct srv_resp *rs, const char *sql,
                        const char *type, const char *missing)
{
    int64_t call_id = rq->ids[0], contact;
    cJSON *data;
    int n;

    if (db_begin(rq->db) < 0)
        goto fail;
    contact = call_contact(rq->db, call_id);
    if (contact < 0)
        goto fail;
    if (contact == 0) {
        db_rollback(rq->db);
        json_error(rs, SRV_NOT_FOUND, "No call with this id.");
        return;
    }
    n = exec_call(rq->db, sql, call_id);
    if (n < 0)
        goto fail;
    if (n == 0) {
        db_rollback(rq->db);
        json_error(rs, SRV_NOT_FOUND, missing);
        return;
    }
    data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "source", rq->source);
    json_add_int64(data, "call_id", call_id);
    if (handlers_activities_add(rq->db, contact, rq->user.id, type, data, db_now()) < 0 ||
        db_commit(rq->db) < 0)
        goto fail;
    /* What was erased must not linger in the write-ahead log either. */
    erase_checkpoint(rq->db);
    json_reply_text(rs, SRV_OK, "true");
    return;
fail:
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}

void handlers_calls_delete_note(const struct srv_req *rq, struct srv_resp *rs)
{
    delete_part(rq, rs, "UPDATE calls SET note = NULL WHERE id = ?1 AND note IS NOT NULL",
                "call_note_deleted", "This call has no note.");
}

void handlers_calls_delete_recording(const struct srv_req *rq, struct srv_resp *rs)
{
    delete_part(rq, rs, "DELETE FROM recordings WHERE call_id = ?1", "call_recording_deleted",
                "This call has no recording.");
}

/* The recording mode of phone number id into mode (16 bytes): 1, 0 when
 * there is no such number, -1 on error. */
static int number_mode(sqlite3 *db, int64_t id, char mode[16])
{
    sqlite3_stmt *st = NULL;
    int rc = -1, r;

    if (sqlite3_prepare_v2(db, "SELECT recording FROM phone_numbers WHERE id = ?1", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            snprintf(mode, 16, "%s", (const char *)sqlite3_column_text(st, 0));
            rc = 1;
        } else if (r == SQLITE_DONE) {
            rc = 0;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* The parsed body of POST /calls. */
struct call_in {
    int64_t contact_id, number_id, duration;
    const char *direction, *note;
    bool record, record_given, consent;
};

/* Reads the "call" object; 0, or -1 after a 400. */
static int parse_call(const struct srv_req *rq, struct srv_resp *rs, struct call_in *in)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(rq->body, "call"), *k;
    char err[256];
    enum json_get g;

    memset(in, 0, sizeof in[0]);
    if (!cJSON_IsObject(c)) {
        json_error(rs, SRV_BAD_REQUEST, "The body must hold a \"call\" object.");
        return -1;
    }
    if (!json_id_value(cJSON_GetObjectItemCaseSensitive(c, "contact_id"), &in->contact_id)) {
        json_error(rs, SRV_BAD_REQUEST, "contact_id must be a contact id.");
        return -1;
    }
    if (!json_id_value(cJSON_GetObjectItemCaseSensitive(c, "phone_number_id"), &in->number_id)) {
        json_error(rs, SRV_BAD_REQUEST, "phone_number_id must be a phone number id.");
        return -1;
    }
    g = json_get_str(c, "direction", 16, &in->direction, err, sizeof err);
    if (g != JSON_GET_OK ||
        (strcmp(in->direction, "inbound") != 0 && strcmp(in->direction, "outbound") != 0)) {
        json_error(rs, SRV_BAD_REQUEST, "direction must be \"inbound\" or \"outbound\".");
        return -1;
    }
    if (json_get_int(c, "duration_s", 0, CALL_DURATION_MAX, &in->duration, err, sizeof err) ==
            JSON_GET_BAD ||
        json_get_str(c, "note", CALL_NOTE_MAX, &in->note, err, sizeof err) == JSON_GET_BAD) {
        json_error(rs, SRV_BAD_REQUEST, err);
        return -1;
    }
    in->record = true;
    g = json_get_bool(c, "record", &in->record, err, sizeof err);
    if (g == JSON_GET_BAD || g == JSON_GET_NULL) {
        json_error(rs, SRV_BAD_REQUEST, "record must be true or false.");
        return -1;
    }
    in->record_given = g == JSON_GET_OK;
    if (!in->record_given)
        in->record = true;
    k = cJSON_GetObjectItemCaseSensitive(c, "consent");
    if (k && !cJSON_IsNull(k)) {
        if (!cJSON_IsObject(k) ||
            json_get_bool(k, "given", &in->consent, err, sizeof err) != JSON_GET_OK) {
            json_error(rs, SRV_BAD_REQUEST, "consent must be {\"given\":true|false}.");
            return -1;
        }
    }
    return 0;
}

void handlers_calls_create(const struct srv_req *rq, struct srv_resp *rs)
{
    struct call_in in;
    sqlite3_stmt *st = NULL;
    int64_t now = db_now(), call_id;
    char mode[16] = "";
    bool keep = false;
    cJSON *data, *root, *list, *it;

    if (parse_call(rq, rs, &in) < 0)
        return;
    if (db_begin(rq->db) < 0)
        goto fail;
    switch (contact_exists(rq->db, in.contact_id, true)) {
    case 1:
        break;
    case 0:
        db_rollback(rq->db);
        json_error(rs, SRV_NOT_FOUND, "No live contact with this id.");
        return;
    default:
        goto fail;
    }
    switch (number_mode(rq->db, in.number_id, mode)) {
    case 1:
        break;
    case 0:
        db_rollback(rq->db);
        json_error(rs, SRV_NOT_FOUND, "No phone number with this id.");
        return;
    default:
        goto fail;
    }
    if (strcmp(mode, "automatic") == 0) {
        keep = in.record;
    } else if (strcmp(mode, "manual") == 0 && in.record_given && in.record) {
        if (!in.consent) {
            db_rollback(rq->db);
            json_error(rs, SRV_UNPROCESSABLE,
                       "This number records manually: record the caller's consent first.");
            return;
        }
        keep = true;
    }
    if (sqlite3_prepare_v2(rq->db,
                           "INSERT INTO calls (contact_id, phone_number_id, user_id, direction,"
                           " started_at, duration_s, note) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, in.contact_id);
    sqlite3_bind_int64(st, 2, in.number_id);
    sqlite3_bind_int64(st, 3, rq->user.id);
    sqlite3_bind_text(st, 4, in.direction, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, now);
    sqlite3_bind_int64(st, 6, in.duration);
    if (in.note)
        sqlite3_bind_text(st, 7, in.note, -1, SQLITE_STATIC);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    st = NULL;
    call_id = sqlite3_last_insert_rowid(rq->db);
    if (keep) {
        /* No audio travels over this API: the recording holds what the
         * telephony side stores later; consent is kept for manual numbers. */
        if (sqlite3_prepare_v2(rq->db,
                               "INSERT INTO recordings (call_id, data, consent_by_user_id,"
                               " consent_at) VALUES (?1, zeroblob(0), ?2, ?3)",
                               -1, &st, NULL) != SQLITE_OK)
            goto fail;
        sqlite3_bind_int64(st, 1, call_id);
        if (strcmp(mode, "manual") == 0) {
            sqlite3_bind_int64(st, 2, rq->user.id);
            sqlite3_bind_int64(st, 3, now);
        }
        if (sqlite3_step(st) != SQLITE_DONE)
            goto fail;
        sqlite3_finalize(st);
        st = NULL;
    }
    data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "source", rq->source);
    json_add_int64(data, "call_id", call_id);
    cJSON_AddStringToObject(data, "direction", in.direction);
    cJSON_AddBoolToObject(data, "recorded", keep);
    if (handlers_activities_add(rq->db, in.contact_id, rq->user.id, "call_logged", data, now) < 0)
        goto fail;
    if (db_commit(rq->db) < 0)
        goto fail;
    list = calls_query(rq->db,
                       "SELECT " CALL_COLUMNS " FROM calls c LEFT JOIN recordings r"
                       " ON r.call_id = c.id WHERE c.id = ?1",
                       call_id);
    it = list ? cJSON_DetachItemFromArray(list, 0) : NULL;
    cJSON_Delete(list);
    if (!it)
        goto fail_after_commit;
    root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "call", it);
    json_reply(rs, SRV_OK, root);
    return;
fail:
    sqlite3_finalize(st);
    db_rollback(rq->db);
fail_after_commit:
    json_error(rs, SRV_INTERNAL, NULL);
}
