/* Notes on contacts. Any user may add one; only its author or an admin may
 * change or delete it. Adding one records a note_added activity that names
 * the note, never its text. */
#include "server/handlers_notes.h"

#include <string.h>

#include "server/db.h"
#include "server/handlers_activities.h"
#include "server/status.h"

#define NOTE_COLUMNS "id, contact_id, description, user_id, created_at, updated_at"

static cJSON *note_json(sqlite3_stmt *st)
{
    cJSON *n = cJSON_CreateObject();

    json_add_int64(n, "id", sqlite3_column_int64(st, 0));
    json_add_str(n, "description", (const char *)sqlite3_column_text(st, 2));
    cJSON_AddStringToObject(n, "targetable_type", "Contact");
    json_add_int64(n, "targetable_id", sqlite3_column_int64(st, 1));
    if (sqlite3_column_type(st, 3) == SQLITE_NULL)
        cJSON_AddNullToObject(n, "user_id");
    else
        json_add_int64(n, "user_id", sqlite3_column_int64(st, 3));
    json_add_time(n, "created_at", sqlite3_column_int64(st, 4));
    json_add_time(n, "updated_at", sqlite3_column_int64(st, 5));
    return n;
}

cJSON *handlers_notes_of_contact(sqlite3 *db, int64_t contact_id)
{
    sqlite3_stmt *st = NULL;
    cJSON *list = cJSON_CreateArray();

    if (sqlite3_prepare_v2(db,
                           "SELECT " NOTE_COLUMNS " FROM notes WHERE contact_id = ?1"
                           " ORDER BY created_at DESC, id DESC",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, contact_id);
    for (;;) {
        int r = sqlite3_step(st);
        if (r == SQLITE_DONE)
            break;
        if (r != SQLITE_ROW)
            goto fail;
        cJSON_AddItemToArray(list, note_json(st));
    }
    sqlite3_finalize(st);
    return list;
fail:
    sqlite3_finalize(st);
    cJSON_Delete(list);
    return NULL;
}

/* Answers {"note":{...}} for note id. */
static void note_reply(const struct srv_req *rq, struct srv_resp *rs, int64_t id)
{
    sqlite3_stmt *st = NULL;
    cJSON *root;

    if (sqlite3_prepare_v2(rq->db, "SELECT " NOTE_COLUMNS " FROM notes WHERE id = ?1", -1, &st,
                           NULL) != SQLITE_OK ||
        (sqlite3_bind_int64(st, 1, id), sqlite3_step(st)) != SQLITE_ROW) {
        sqlite3_finalize(st);
        json_error(rs, SRV_INTERNAL, NULL);
        return;
    }
    root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "note", note_json(st));
    sqlite3_finalize(st);
    json_reply(rs, SRV_OK, root);
}

/* The "note" object of the body, with a valid description. Returns NULL
 * after setting a 400 response. */
static const cJSON *note_body(const struct srv_req *rq, struct srv_resp *rs, const char **text)
{
    const cJSON *note = cJSON_GetObjectItemCaseSensitive(rq->body, "note");
    char err[160];
    const char *p;

    if (!cJSON_IsObject(note)) {
        json_error(rs, SRV_BAD_REQUEST, "The body must hold a \"note\" object.");
        return NULL;
    }
    switch (json_get_str(note, "description", NOTE_MAX_CHARS, text, err, sizeof err)) {
    case JSON_GET_BAD:
        json_error(rs, SRV_BAD_REQUEST, err);
        return NULL;
    case JSON_GET_OK:
        break;
    default:
        json_error(rs, SRV_BAD_REQUEST, "description is required.");
        return NULL;
    }
    for (p = *text; *p == ' ' || *p == '\t' || *p == '\n' || *p == '\r'; p++)
        ;
    if (!*p) {
        json_error(rs, SRV_BAD_REQUEST, "description must not be empty.");
        return NULL;
    }
    return note;
}

void handlers_notes_create(const struct srv_req *rq, struct srv_resp *rs)
{
    const cJSON *note, *target;
    const char *text = NULL, *type = NULL;
    sqlite3_stmt *st = NULL;
    int64_t contact_id = 0, note_id, now = db_now();
    char err[160];
    cJSON *data;

    if (!(note = note_body(rq, rs, &text)))
        return;
    if (json_get_str(note, "targetable_type", 32, &type, err, sizeof err) != JSON_GET_OK ||
        strcmp(type, "Contact") != 0) {
        json_error(rs, SRV_BAD_REQUEST, "targetable_type must be \"Contact\".");
        return;
    }
    target = cJSON_GetObjectItemCaseSensitive(note, "targetable_id");
    if (!target || !json_id_value(target, &contact_id)) {
        json_error(rs, SRV_BAD_REQUEST, "targetable_id must be a contact id.");
        return;
    }

    if (db_begin(rq->db) < 0)
        goto fail;
    if (sqlite3_prepare_v2(rq->db, "SELECT is_deleted FROM contacts WHERE id = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, contact_id);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        if (sqlite3_column_int(st, 0)) {
            sqlite3_finalize(st);
            db_rollback(rq->db);
            json_error(rs, SRV_CONFLICT, "The contact is in the Recycle Bin; restore it first.");
            return;
        }
        break;
    case SQLITE_DONE:
        sqlite3_finalize(st);
        db_rollback(rq->db);
        json_error(rs, SRV_NOT_FOUND, "No contact with this id.");
        return;
    default:
        goto fail;
    }
    sqlite3_finalize(st);
    st = NULL;

    if (sqlite3_prepare_v2(rq->db,
                           "INSERT INTO notes (contact_id, description, user_id, created_at,"
                           " updated_at) VALUES (?1, ?2, ?3, ?4, ?4)",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, contact_id);
    sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, rq->user.id);
    sqlite3_bind_int64(st, 4, now);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    note_id = sqlite3_last_insert_rowid(rq->db);
    sqlite3_finalize(st);
    st = NULL;

    data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "source", rq->source);
    json_add_int64(data, "note_id", note_id);
    if (handlers_activities_add(rq->db, contact_id, rq->user.id, "note_added", data, now) < 0 ||
        db_commit(rq->db) < 0)
        goto fail;
    note_reply(rq, rs, note_id);
    return;
fail:
    sqlite3_finalize(st);
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}

/* Checks that note id exists and that the caller may change it, inside the
 * caller's transaction. Returns 0, or -1 after setting the response. */
static int note_writable(const struct srv_req *rq, struct srv_resp *rs, int64_t id)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(rq->db,
                           "SELECT n.user_id, c.is_deleted FROM notes n"
                           " JOIN contacts c ON c.id = n.contact_id WHERE n.id = ?1",
                           -1, &st, NULL) != SQLITE_OK) {
        json_error(rs, SRV_INTERNAL, NULL);
        goto out;
    }
    sqlite3_bind_int64(st, 1, id);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        if (!rq->user.is_admin && (sqlite3_column_type(st, 0) == SQLITE_NULL ||
                                   sqlite3_column_int64(st, 0) != rq->user.id))
            json_error(rs, SRV_FORBIDDEN, "Only the note's author or an admin may change it.");
        else if (sqlite3_column_int(st, 1))
            json_error(rs, SRV_CONFLICT, "The contact is in the Recycle Bin; restore it first.");
        else
            rc = 0;
        break;
    case SQLITE_DONE:
        json_error(rs, SRV_NOT_FOUND, "No note with this id.");
        break;
    default:
        json_error(rs, SRV_INTERNAL, NULL);
        break;
    }
out:
    sqlite3_finalize(st);
    return rc;
}

void handlers_notes_update(const struct srv_req *rq, struct srv_resp *rs)
{
    const char *text = NULL;
    sqlite3_stmt *st = NULL;

    if (!note_body(rq, rs, &text))
        return;
    if (db_begin(rq->db) < 0)
        goto fail;
    if (note_writable(rq, rs, rq->ids[0]) < 0) {
        db_rollback(rq->db);
        return;
    }
    if (sqlite3_prepare_v2(rq->db,
                           "UPDATE notes SET description = ?1, updated_at = ?2 WHERE id = ?3", -1,
                           &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, db_now());
    sqlite3_bind_int64(st, 3, rq->ids[0]);
    if (sqlite3_step(st) != SQLITE_DONE || db_commit(rq->db) < 0)
        goto fail;
    sqlite3_finalize(st);
    note_reply(rq, rs, rq->ids[0]);
    return;
fail:
    sqlite3_finalize(st);
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}

void handlers_notes_delete(const struct srv_req *rq, struct srv_resp *rs)
{
    sqlite3_stmt *st = NULL;

    if (db_begin(rq->db) < 0)
        goto fail;
    if (note_writable(rq, rs, rq->ids[0]) < 0) {
        db_rollback(rq->db);
        return;
    }
    if (sqlite3_prepare_v2(rq->db, "DELETE FROM notes WHERE id = ?1", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, rq->ids[0]);
    if (sqlite3_step(st) != SQLITE_DONE || db_commit(rq->db) < 0)
        goto fail;
    sqlite3_finalize(st);
    json_reply_text(rs, SRV_OK, "true");
    return;
fail:
    sqlite3_finalize(st);
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}
