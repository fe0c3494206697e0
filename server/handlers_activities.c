/* The contact timeline: every activity is a row with free-form action_data,
 * served newest first with string ids "a-<n>". */
#include "server/handlers_activities.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/status.h"

static const char *const activity_sources[] = {
#define ACTIVITY_SOURCE_ITEM(s) s,
    ACTIVITY_SOURCE_LIST(ACTIVITY_SOURCE_ITEM)
#undef ACTIVITY_SOURCE_ITEM
};

const char *handlers_activities_source(const char *s)
{
    size_t i;

    if (!s)
        return NULL;
    for (i = 0; i < sizeof activity_sources / sizeof activity_sources[0]; i++)
        if (strcmp(s, activity_sources[i]) == 0)
            return activity_sources[i];
    return NULL;
}

int handlers_activities_add(sqlite3 *db, int64_t contact_id, int64_t user_id, const char *type,
                            cJSON *data, int64_t at)
{
    sqlite3_stmt *st = NULL;
    char *text;
    int rc = -1;

    if (!data)
        data = cJSON_CreateObject();
    text = cJSON_PrintUnformatted(data);
    cJSON_Delete(data);
    if (sqlite3_prepare_v2(db,
                           "INSERT INTO activities (contact_id, action_type, user_id, action_data,"
                           " created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_int64(st, 1, contact_id);
    sqlite3_bind_text(st, 2, type, -1, SQLITE_STATIC);
    if (user_id > 0)
        sqlite3_bind_int64(st, 3, user_id);
    else
        sqlite3_bind_null(st, 3);
    sqlite3_bind_text(st, 4, text ? text : "{}", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 5, at);
    if (sqlite3_step(st) == SQLITE_DONE)
        rc = 0;
out:
    sqlite3_finalize(st);
    free(text);
    return rc;
}

void handlers_activities_list(const struct srv_req *rq, struct srv_resp *rs)
{
    sqlite3_stmt *st = NULL;
    cJSON *root = NULL, *list;
    long page, per_page;
    int64_t total = -1, contact_id = rq->ids[0];

    if (router_paging(rq, rs, &page, &per_page) < 0)
        return;
    if (sqlite3_prepare_v2(rq->db,
                           "SELECT (SELECT count(*) FROM activities WHERE contact_id = c.id)"
                           " FROM contacts c WHERE c.id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, contact_id);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        total = sqlite3_column_int64(st, 0);
        break;
    case SQLITE_DONE:
        sqlite3_finalize(st);
        json_error(rs, SRV_NOT_FOUND, "No contact with this id.");
        return;
    default:
        goto fail;
    }
    sqlite3_finalize(st);
    st = NULL;

    if (sqlite3_prepare_v2(rq->db,
                           "SELECT id, action_type, user_id, action_data, created_at"
                           " FROM activities WHERE contact_id = ?1"
                           " ORDER BY created_at DESC, id DESC LIMIT ?2 OFFSET ?3",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, contact_id);
    sqlite3_bind_int64(st, 2, per_page);
    sqlite3_bind_int64(st, 3, (int64_t)(page - 1) * per_page);
    root = cJSON_CreateObject();
    list = cJSON_AddArrayToObject(root, "activities");
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
        if (sqlite3_column_type(st, 2) == SQLITE_NULL)
            cJSON_AddNullToObject(a, "user_id");
        else
            json_add_int64(a, "user_id", sqlite3_column_int64(st, 2));
        cJSON_AddStringToObject(a, "targetable_type", "Contact");
        json_add_int64(a, "targetable_id", contact_id);
        cJSON_AddItemToObject(a, "action_data",
                              json_stored((const char *)sqlite3_column_text(st, 3), cJSON_Object));
        cJSON_AddItemToArray(list, a);
    }
    sqlite3_finalize(st);
    json_add_meta(root, total, per_page);
    json_reply(rs, SRV_OK, root);
    return;
fail:
    sqlite3_finalize(st);
    cJSON_Delete(root);
    json_error(rs, SRV_INTERNAL, NULL);
}
