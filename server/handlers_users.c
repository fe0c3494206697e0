/* Users: API-key authentication, the caller's record, the admin's user list
 * and the owner selector. Keys are compared by their SHA-256 hash only. */
#include "server/handlers_users.h"

#include <string.h>

#include "server/sha256.h"
#include "server/status.h"

#define USER_COLUMNS                                                                               \
    "id, display_name, email, role, is_active, perm_export_reports, perm_forget_records"

int handlers_users_auth(sqlite3 *db, const char *key, size_t keylen, struct srv_user *user)
{
    uint8_t hash[SHA256_LEN];
    sqlite3_stmt *st = NULL;
    int rc = -1;

    sha256(key, keylen, hash);
    if (sqlite3_prepare_v2(db,
                           "SELECT id, role = 'admin', perm_export_reports, perm_forget_records"
                           " FROM users WHERE key_hash = ?1 AND is_active = 1 AND is_deleted = 0",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_blob(st, 1, hash, sizeof hash, SQLITE_STATIC);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        user->id = sqlite3_column_int64(st, 0);
        user->is_admin = sqlite3_column_int(st, 1) != 0;
        user->may_export_reports = user->is_admin || sqlite3_column_int(st, 2) != 0;
        user->may_forget = user->is_admin || sqlite3_column_int(st, 3) != 0;
        rc = 1;
        break;
    case SQLITE_DONE:
        rc = 0;
        break;
    default:
        break;
    }
out:
    sqlite3_finalize(st);
    memset(hash, 0, sizeof hash);
    return rc;
}

/* A user row (USER_COLUMNS) as JSON; full adds role and permissions. */
static cJSON *user_json(sqlite3_stmt *st, bool full)
{
    cJSON *u = cJSON_CreateObject();
    bool is_admin = sqlite3_column_type(st, 3) == SQLITE_TEXT &&
                    strcmp((const char *)sqlite3_column_text(st, 3), "admin") == 0;

    json_add_int64(u, "id", sqlite3_column_int64(st, 0));
    json_add_str(u, "display_name", (const char *)sqlite3_column_text(st, 1));
    json_add_str(u, "email", (const char *)sqlite3_column_text(st, 2));
    cJSON_AddBoolToObject(u, "is_active", sqlite3_column_int(st, 4) != 0);
    if (full) {
        cJSON *perms;
        cJSON_AddStringToObject(u, "role", is_admin ? "admin" : "agent");
        perms = cJSON_AddObjectToObject(u, "permissions");
        cJSON_AddBoolToObject(perms, "export_reports", is_admin || sqlite3_column_int(st, 5));
        cJSON_AddBoolToObject(perms, "forget_records", is_admin || sqlite3_column_int(st, 6));
    }
    return u;
}

cJSON *handlers_users_brief(sqlite3 *db, int64_t id)
{
    sqlite3_stmt *st = NULL;
    cJSON *u = NULL;

    if (sqlite3_prepare_v2(db, "SELECT " USER_COLUMNS " FROM users WHERE id = ?1", -1, &st, NULL) !=
        SQLITE_OK)
        goto out;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) == SQLITE_ROW)
        u = user_json(st, false);
out:
    sqlite3_finalize(st);
    return u;
}

int handlers_users_assignable(sqlite3 *db, int64_t id)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(db,
                           "SELECT 1 FROM users WHERE id = ?1 AND is_active = 1 AND is_deleted = 0",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_int64(st, 1, id);
    switch (sqlite3_step(st)) {
    case SQLITE_ROW:
        rc = 1;
        break;
    case SQLITE_DONE:
        rc = 0;
        break;
    default:
        break;
    }
out:
    sqlite3_finalize(st);
    return rc;
}

/* Answers {"users":[...]} for the rows of sql (USER_COLUMNS, no parameters). */
static void users_reply(const struct srv_req *rq, struct srv_resp *rs, const char *sql, bool full)
{
    sqlite3_stmt *st = NULL;
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(root, "users");

    if (sqlite3_prepare_v2(rq->db, sql, -1, &st, NULL) != SQLITE_OK)
        goto fail;
    for (;;) {
        int r = sqlite3_step(st);
        if (r == SQLITE_DONE)
            break;
        if (r != SQLITE_ROW)
            goto fail;
        cJSON_AddItemToArray(list, user_json(st, full));
    }
    sqlite3_finalize(st);
    json_reply(rs, SRV_OK, root);
    return;
fail:
    sqlite3_finalize(st);
    cJSON_Delete(root);
    json_error(rs, SRV_INTERNAL, NULL);
}

void handlers_users_me(const struct srv_req *rq, struct srv_resp *rs)
{
    sqlite3_stmt *st = NULL;
    cJSON *root;

    if (sqlite3_prepare_v2(rq->db, "SELECT " USER_COLUMNS " FROM users WHERE id = ?1", -1, &st,
                           NULL) != SQLITE_OK ||
        (sqlite3_bind_int64(st, 1, rq->user.id), sqlite3_step(st)) != SQLITE_ROW) {
        sqlite3_finalize(st);
        json_error(rs, SRV_INTERNAL, NULL);
        return;
    }
    root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "user", user_json(st, true));
    sqlite3_finalize(st);
    json_reply(rs, SRV_OK, root);
}

void handlers_users_list(const struct srv_req *rq, struct srv_resp *rs)
{
    users_reply(rq, rs, "SELECT " USER_COLUMNS " FROM users WHERE is_deleted = 0 ORDER BY id",
                true);
}

void handlers_users_owners(const struct srv_req *rq, struct srv_resp *rs)
{
    users_reply(rq, rs,
                "SELECT " USER_COLUMNS " FROM users WHERE is_deleted = 0 AND is_active = 1"
                " ORDER BY display_name COLLATE NOCASE, id",
                false);
}
