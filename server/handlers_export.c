/* One contact's complete data for a subject access or portability request:
 * the record, timeline, notes, calls (recording metadata, not the audio),
 * chats with their messages, and the emails queued to them. */
#include "server/handlers_export.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "server/db.h"
#include "server/handlers_activities.h"
#include "server/handlers_calls.h"
#include "server/handlers_contacts.h"
#include "server/handlers_notes.h"
#include "server/status.h"

static void add_opt_id(cJSON *o, const char *name, sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        cJSON_AddNullToObject(o, name);
    else
        json_add_int64(o, name, sqlite3_column_int64(st, col));
}

/* Every activity of the contact, newest first, as GET .../activities shows them. */
static cJSON *activities_of(sqlite3 *db, int64_t contact_id)
{
    sqlite3_stmt *st = NULL;
    cJSON *list = cJSON_CreateArray();

    if (sqlite3_prepare_v2(db,
                           "SELECT id, action_type, user_id, action_data, created_at"
                           " FROM activities WHERE contact_id = ?1"
                           " ORDER BY created_at DESC, id DESC",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, contact_id);
    for (;;) {
        int r = sqlite3_step(st);
        cJSON *a;
        char id[32];
        if (r == SQLITE_DONE)
            break;
        if (r != SQLITE_ROW)
            goto fail;
        a = cJSON_CreateObject();
        snprintf(id, sizeof id, "a-%" PRId64, (int64_t)sqlite3_column_int64(st, 0));
        cJSON_AddStringToObject(a, "id", id);
        json_add_str(a, "action_type", (const char *)sqlite3_column_text(st, 1));
        json_add_time(a, "created_at", sqlite3_column_int64(st, 4));
        add_opt_id(a, "user_id", st, 2);
        cJSON_AddStringToObject(a, "targetable_type", "Contact");
        json_add_int64(a, "targetable_id", contact_id);
        cJSON_AddItemToObject(a, "action_data",
                              json_stored((const char *)sqlite3_column_text(st, 3), cJSON_Object));
        cJSON_AddItemToArray(list, a);
    }
    sqlite3_finalize(st);
    return list;
fail:
    sqlite3_finalize(st);
    cJSON_Delete(list);
    return NULL;
}

/* The outbox entries addressed to the contact, oldest first. */
static cJSON *emails_of(sqlite3 *db, int64_t contact_id)
{
    sqlite3_stmt *st = NULL;
    cJSON *list = cJSON_CreateArray();

    if (sqlite3_prepare_v2(db,
                           "SELECT id, kind, to_addr, subject, body, status, user_id, created_at"
                           " FROM outbox WHERE contact_id = ?1 ORDER BY created_at, id",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, contact_id);
    for (;;) {
        int r = sqlite3_step(st);
        cJSON *e;
        if (r == SQLITE_DONE)
            break;
        if (r != SQLITE_ROW)
            goto fail;
        e = cJSON_CreateObject();
        json_add_int64(e, "id", sqlite3_column_int64(st, 0));
        json_add_str(e, "kind", (const char *)sqlite3_column_text(st, 1));
        json_add_str(e, "to", (const char *)sqlite3_column_text(st, 2));
        json_add_str(e, "subject", (const char *)sqlite3_column_text(st, 3));
        json_add_str(e, "body", (const char *)sqlite3_column_text(st, 4));
        json_add_str(e, "status", (const char *)sqlite3_column_text(st, 5));
        add_opt_id(e, "user_id", st, 6);
        json_add_time(e, "created_at", sqlite3_column_int64(st, 7));
        cJSON_AddItemToArray(list, e);
    }
    sqlite3_finalize(st);
    return list;
fail:
    sqlite3_finalize(st);
    cJSON_Delete(list);
    return NULL;
}

/* Adds list under name to obj; false (nothing added) when list is NULL. */
static bool add_list(cJSON *obj, const char *name, cJSON *list)
{
    if (!list)
        return false;
    cJSON_AddItemToObject(obj, name, list);
    return true;
}

void handlers_export_contact(const struct srv_req *rq, struct srv_resp *rs)
{
    struct contacts_render *render = NULL;
    int64_t id = rq->ids[0], now = db_now();
    cJSON *root = NULL, *ex, *contact, *data;
    bool in_tx = false;

    /* One read transaction: every part describes the same moment. */
    if (sqlite3_exec(rq->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    in_tx = true;
    if (!(render = handlers_contacts_render_new(rq->db)))
        goto fail;
    contact = handlers_contacts_render(render, id, NULL, NULL);
    handlers_contacts_render_free(&render);
    if (!contact) {
        sqlite3_exec(rq->db, "ROLLBACK", NULL, NULL, NULL);
        json_error(rs, SRV_NOT_FOUND, "No contact with this id.");
        return;
    }
    root = cJSON_CreateObject();
    ex = cJSON_AddObjectToObject(root, "export");
    json_add_time(ex, "generated_at", now);
    cJSON_AddItemToObject(ex, "contact", contact);
    if (!add_list(ex, "activities", activities_of(rq->db, id)) ||
        !add_list(ex, "notes", handlers_notes_of_contact(rq->db, id)) ||
        !add_list(ex, "calls", handlers_calls_of_contact(rq->db, id)) ||
        !add_list(ex, "chats", handlers_calls_chats_of_contact(rq->db, id)) ||
        !add_list(ex, "emails", emails_of(rq->db, id)))
        goto fail;
    sqlite3_exec(rq->db, "COMMIT", NULL, NULL, NULL);
    in_tx = false;

    if (db_begin(rq->db) < 0)
        goto fail;
    in_tx = true;
    data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "source", rq->source);
    cJSON_AddStringToObject(data, "format", "json");
    if (handlers_activities_add(rq->db, id, rq->user.id, "exported", data, now) < 0 ||
        db_commit(rq->db) < 0)
        goto fail;
    json_reply(rs, SRV_OK, root);
    return;
fail:
    if (in_tx)
        sqlite3_exec(rq->db, "ROLLBACK", NULL, NULL, NULL);
    cJSON_Delete(root);
    json_error(rs, SRV_INTERNAL, NULL);
}
