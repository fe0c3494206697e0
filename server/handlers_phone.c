/* GET /phone_numbers and PUT /phone_numbers/{id}: the recording mode of each
 * number, which POST /calls obeys. */
#include "server/handlers_phone.h"

#include <stdio.h>
#include <string.h>

#include "server/audit.h"
#include "server/db.h"
#include "server/status.h"

static cJSON *phone_json(sqlite3_stmt *st)
{
    cJSON *p = cJSON_CreateObject();

    json_add_int64(p, "id", sqlite3_column_int64(st, 0));
    json_add_str(p, "number", (const char *)sqlite3_column_text(st, 1));
    json_add_str(p, "recording", (const char *)sqlite3_column_text(st, 2));
    return p;
}

void handlers_phone_list(const struct srv_req *rq, struct srv_resp *rs)
{
    sqlite3_stmt *st = NULL;
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(root, "phone_numbers");
    int r;

    if (sqlite3_prepare_v2(rq->db, "SELECT id, number, recording FROM phone_numbers ORDER BY id",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        cJSON_AddItemToArray(list, phone_json(st));
    if (r != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    json_reply(rs, SRV_OK, root);
    return;
fail:
    sqlite3_finalize(st);
    cJSON_Delete(root);
    json_error(rs, SRV_INTERNAL, NULL);
}

void handlers_phone_update(const struct srv_req *rq, struct srv_resp *rs)
{
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(rq->body, "phone_number");
    sqlite3_stmt *st = NULL;
    const char *mode = NULL;
    char err[128], ref[48], old[16] = "";
    cJSON *root;
    int r;

    if (!cJSON_IsObject(in) ||
        json_get_str(in, "recording", 16, &mode, err, sizeof err) != JSON_GET_OK ||
        (strcmp(mode, "automatic") != 0 && strcmp(mode, "manual") != 0 &&
         strcmp(mode, "off") != 0)) {
        json_error(rs, SRV_BAD_REQUEST,
                   "The body must be {\"phone_number\":{\"recording\":\"automatic\", \"manual\" "
                   "or \"off\"}}.");
        return;
    }
    if (db_begin(rq->db) < 0)
        goto fail;
    if (sqlite3_prepare_v2(rq->db, "SELECT recording FROM phone_numbers WHERE id = ?1", -1, &st,
                           NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, rq->ids[0]);
    r = sqlite3_step(st);
    if (r == SQLITE_DONE) {
        sqlite3_finalize(st);
        db_rollback(rq->db);
        json_error(rs, SRV_NOT_FOUND, "No phone number with this id.");
        return;
    }
    if (r != SQLITE_ROW)
        goto fail;
    snprintf(old, sizeof old, "%s", (const char *)sqlite3_column_text(st, 0));
    sqlite3_finalize(st);
    st = NULL;
    if (strcmp(old, mode) != 0) {
        if (sqlite3_prepare_v2(rq->db, "UPDATE phone_numbers SET recording = ?1 WHERE id = ?2", -1,
                               &st, NULL) != SQLITE_OK)
            goto fail;
        sqlite3_bind_text(st, 1, mode, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, rq->ids[0]);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto fail;
        sqlite3_finalize(st);
        st = NULL;
        snprintf(ref, sizeof ref, "phone_number:%lld", (long long)rq->ids[0]);
        if (audit_write(rq->db, 0, rq->user.id, "phone_number.update", ref, NULL, NULL) < 0)
            goto fail;
    }
    if (sqlite3_prepare_v2(rq->db, "SELECT id, number, recording FROM phone_numbers WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, rq->ids[0]);
    if (sqlite3_step(st) != SQLITE_ROW)
        goto fail;
    root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "phone_number", phone_json(st));
    sqlite3_finalize(st);
    if (db_commit(rq->db) < 0) {
        cJSON_Delete(root);
        db_rollback(rq->db);
        json_error(rs, SRV_INTERNAL, NULL);
        return;
    }
    json_reply(rs, SRV_OK, root);
    return;
fail:
    sqlite3_finalize(st);
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}
