/* The audit log, newest first and paged: who did what to which subject
 * reference, and the counts of what an erasure removed. */
#include "server/handlers_audit.h"

#include "server/status.h"

void handlers_audit_list(const struct srv_req *rq, struct srv_resp *rs)
{
    sqlite3_stmt *st = NULL;
    cJSON *root = NULL, *list;
    long page, per_page;
    int64_t total = 0;
    int r;

    if (router_paging(rq, rs, &page, &per_page) < 0)
        return;
    if (sqlite3_exec(rq->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    if (sqlite3_prepare_v2(rq->db, "SELECT count(*) FROM audit", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        goto fail;
    total = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(rq->db,
                           "SELECT id, at, actor_user_id, action, subject_ref, counts FROM audit"
                           " ORDER BY id DESC LIMIT ?1 OFFSET ?2",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, per_page);
    sqlite3_bind_int64(st, 2, (int64_t)(page - 1) * per_page);
    root = cJSON_CreateObject();
    list = cJSON_AddArrayToObject(root, "audit");
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *a = cJSON_CreateObject();
        json_add_int64(a, "id", sqlite3_column_int64(st, 0));
        json_add_time(a, "at", sqlite3_column_int64(st, 1));
        if (sqlite3_column_type(st, 2) == SQLITE_NULL)
            cJSON_AddNullToObject(a, "actor_user_id");
        else
            json_add_int64(a, "actor_user_id", sqlite3_column_int64(st, 2));
        json_add_str(a, "action", (const char *)sqlite3_column_text(st, 3));
        json_add_str(a, "subject_ref", (const char *)sqlite3_column_text(st, 4));
        cJSON_AddItemToObject(a, "counts",
                              json_stored((const char *)sqlite3_column_text(st, 5), cJSON_Object));
        cJSON_AddItemToArray(list, a);
    }
    if (r != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    sqlite3_exec(rq->db, "COMMIT", NULL, NULL, NULL);
    json_add_meta(root, total, per_page);
    json_reply(rs, SRV_OK, root);
    return;
fail:
    sqlite3_finalize(st);
    if (!sqlite3_get_autocommit(rq->db))
        sqlite3_exec(rq->db, "ROLLBACK", NULL, NULL, NULL);
    cJSON_Delete(root);
    json_error(rs, SRV_INTERNAL, NULL);
}
