/* Admin routes over users and processors: permissions, activation, deletion
 * (records transferred, personal data erased, processors notified) and the
 * processors' notice outbox. */
#include "server/handlers_admin_users.h"

#include <stdio.h>
#include <string.h>

#include "server/audit.h"
#include "server/db.h"
#include "server/erase.h"
#include "server/notify.h"
#include "server/handlers_users.h"
#include "server/status.h"

#define USER_COLUMNS                                                                               \
    "id, display_name, email, role, is_active, perm_export_reports, perm_forget_records"

/* The user row as GET /users shows it. */
static cJSON *user_json(sqlite3_stmt *st)
{
    cJSON *u = cJSON_CreateObject(), *perms;
    const char *role = (const char *)sqlite3_column_text(st, 3);
    bool is_admin = role && strcmp(role, "admin") == 0;

    json_add_int64(u, "id", sqlite3_column_int64(st, 0));
    json_add_str(u, "display_name", (const char *)sqlite3_column_text(st, 1));
    json_add_str(u, "email", (const char *)sqlite3_column_text(st, 2));
    cJSON_AddBoolToObject(u, "is_active", sqlite3_column_int(st, 4) != 0);
    cJSON_AddStringToObject(u, "role", is_admin ? "admin" : "agent");
    perms = cJSON_AddObjectToObject(u, "permissions");
    cJSON_AddBoolToObject(perms, "export_reports", is_admin || sqlite3_column_int(st, 5));
    cJSON_AddBoolToObject(perms, "forget_records", is_admin || sqlite3_column_int(st, 6));
    return u;
}

/* Answers {"user":{...}} for user id. */
static void user_reply(const struct srv_req *rq, struct srv_resp *rs, int64_t id)
{
    sqlite3_stmt *st = NULL;
    cJSON *root;

    if (sqlite3_prepare_v2(rq->db, "SELECT " USER_COLUMNS " FROM users WHERE id = ?1", -1, &st,
                           NULL) != SQLITE_OK ||
        (sqlite3_bind_int64(st, 1, id), sqlite3_step(st)) != SQLITE_ROW) {
        sqlite3_finalize(st);
        json_error(rs, SRV_INTERNAL, NULL);
        return;
    }
    root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "user", user_json(st));
    sqlite3_finalize(st);
    json_reply(rs, SRV_OK, root);
}

/* The state of a user that the rules look at. */
struct user_state {
    bool is_admin, is_active;
};

/* 1 and *out for a live (not deleted) user, 0 when none, -1 on error. */
static int user_load(sqlite3 *db, int64_t id, struct user_state *out)
{
    sqlite3_stmt *st = NULL;
    int rc = -1, r;

    if (sqlite3_prepare_v2(db,
                           "SELECT role = 'admin', is_active FROM users"
                           " WHERE id = ?1 AND is_deleted = 0",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        r = sqlite3_step(st);
        if (r == SQLITE_ROW) {
            out->is_admin = sqlite3_column_int(st, 0) != 0;
            out->is_active = sqlite3_column_int(st, 1) != 0;
            rc = 1;
        } else if (r == SQLITE_DONE) {
            rc = 0;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* Active admins other than id, or -1 on error. */
static int64_t other_admins(sqlite3 *db, int64_t id)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;

    if (sqlite3_prepare_v2(db,
                           "SELECT count(*) FROM users WHERE role = 'admin' AND is_active = 1"
                           " AND is_deleted = 0 AND id <> ?1",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return n;
}

/* Writes an audit entry about subject (kind, id) with counts (JSON object
 * text, no personal data). Returns 0 and *audit_id, or -1. */
static int audit(sqlite3 *db, int64_t actor, const char *action, const char *kind, int64_t id,
                 const char *counts, int64_t *audit_id, char ref[65])
{
    if (erase_subject_ref(db, kind, id, ref) < 0)
        return -1;
    return audit_write(db, 0, actor, action, ref, counts, audit_id);
}

/* Runs sql binding (a, b) and returns the rows changed, or -1. Either of a
 * and b may be 0 for SQL NULL when null_zero is set. */
static int64_t exec2(sqlite3 *db, const char *sql, int64_t a, int64_t b, bool null_zero)
{
    sqlite3_stmt *st = NULL;
    int64_t rc = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        if (!(null_zero && a == 0))
            sqlite3_bind_int64(st, 1, a);
        if (!(null_zero && b == 0))
            sqlite3_bind_int64(st, 2, b);
        if (sqlite3_step(st) == SQLITE_DONE)
            rc = sqlite3_changes(db);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Only the listed members may appear in obj; false after a 400. */
static bool members_only(const cJSON *obj, const char *const *allowed, size_t n,
                         struct srv_resp *rs)
{
    const cJSON *it;
    size_t i;

    cJSON_ArrayForEach(it, obj)
    {
        for (i = 0; i < n; i++)
            if (strcmp(it->string, allowed[i]) == 0)
                break;
        if (i == n) {
            json_errorf(rs, SRV_BAD_REQUEST, "%.64s cannot be changed here.", it->string);
            return false;
        }
    }
    return true;
}

/* Loads the live user of rq->ids[0] inside an open transaction; false after
 * a response (404 or 500, transaction rolled back). */
static bool target_user(const struct srv_req *rq, struct srv_resp *rs, struct user_state *u)
{
    switch (user_load(rq->db, rq->ids[0], u)) {
    case 1:
        return true;
    case 0:
        db_rollback(rq->db);
        json_error(rs, SRV_NOT_FOUND, "No user with this id.");
        return false;
    default:
        db_rollback(rq->db);
        json_error(rs, SRV_INTERNAL, NULL);
        return false;
    }
}

void handlers_admin_users_permissions(const struct srv_req *rq, struct srv_resp *rs)
{
    static const char *const allowed[] = {"export_reports", "forget_records"};
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(rq->body, "permissions");
    struct user_state u;
    bool exp = false, fgt = false;
    enum json_get ge, gf;
    char err[256], counts[96], ref[65];
    int64_t id = rq->ids[0];

    if (!cJSON_IsObject(p)) {
        json_error(rs, SRV_BAD_REQUEST, "The body must hold a \"permissions\" object.");
        return;
    }
    if (!members_only(p, allowed, 2, rs))
        return;
    ge = json_get_bool(p, "export_reports", &exp, err, sizeof err);
    gf = json_get_bool(p, "forget_records", &fgt, err, sizeof err);
    if (ge == JSON_GET_BAD || gf == JSON_GET_BAD || ge == JSON_GET_NULL || gf == JSON_GET_NULL) {
        json_error(rs, SRV_BAD_REQUEST, "Each permission must be true or false.");
        return;
    }
    if (ge == JSON_GET_ABSENT && gf == JSON_GET_ABSENT) {
        json_error(rs, SRV_BAD_REQUEST, "Name export_reports, forget_records or both.");
        return;
    }
    if (db_begin(rq->db) < 0)
        goto fail;
    if (!target_user(rq, rs, &u))
        return;
    /* The last active admin keeps both rights: someone must be able to
     * export and to erase. */
    if (u.is_admin && u.is_active && ((ge == JSON_GET_OK && !exp) || (gf == JSON_GET_OK && !fgt))) {
        int64_t others = other_admins(rq->db, id);
        if (others < 0)
            goto fail;
        if (others == 0) {
            db_rollback(rq->db);
            json_error(rs, SRV_CONFLICT,
                       "This is the last admin: their rights cannot be removed; make another "
                       "user admin first.");
            return;
        }
    }
    if ((ge == JSON_GET_OK &&
         exec2(rq->db, "UPDATE users SET perm_export_reports = ?1 WHERE id = ?2", exp, id, false) <
             0) ||
        (gf == JSON_GET_OK &&
         exec2(rq->db, "UPDATE users SET perm_forget_records = ?1 WHERE id = ?2", fgt, id, false) <
             0))
        goto fail;
    snprintf(counts, sizeof counts, "{%s%s%s%s%s}", ge == JSON_GET_OK ? "\"export_reports\":" : "",
             ge == JSON_GET_OK ? (exp ? "1" : "0") : "",
             ge == JSON_GET_OK && gf == JSON_GET_OK ? "," : "",
             gf == JSON_GET_OK ? "\"forget_records\":" : "",
             gf == JSON_GET_OK ? (fgt ? "1" : "0") : "");
    if (audit(rq->db, rq->user.id, "user.permissions", "user", id, counts, NULL, ref) < 0 ||
        db_commit(rq->db) < 0)
        goto fail;
    user_reply(rq, rs, id);
    return;
fail:
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}

void handlers_admin_users_update(const struct srv_req *rq, struct srv_resp *rs)
{
    static const char *const allowed[] = {"is_active", "role"};
    const cJSON *b = cJSON_GetObjectItemCaseSensitive(rq->body, "user");
    struct user_state u;
    bool active = false, to_admin = false;
    const char *role = NULL;
    enum json_get ga, gr;
    char err[256], counts[96], ref[65];
    int64_t id = rq->ids[0], others;

    if (!cJSON_IsObject(b)) {
        json_error(rs, SRV_BAD_REQUEST, "The body must hold a \"user\" object.");
        return;
    }
    if (!members_only(b, allowed, 2, rs))
        return;
    ga = json_get_bool(b, "is_active", &active, err, sizeof err);
    gr = json_get_str(b, "role", 8, &role, err, sizeof err);
    if (ga == JSON_GET_BAD || ga == JSON_GET_NULL) {
        json_error(rs, SRV_BAD_REQUEST, "is_active must be true or false.");
        return;
    }
    if (gr == JSON_GET_BAD || gr == JSON_GET_NULL ||
        (gr == JSON_GET_OK && strcmp(role, "admin") != 0 && strcmp(role, "agent") != 0)) {
        json_error(rs, SRV_BAD_REQUEST, "role must be \"admin\" or \"agent\".");
        return;
    }
    if (ga == JSON_GET_ABSENT && gr == JSON_GET_ABSENT) {
        json_error(rs, SRV_BAD_REQUEST, "Name is_active, role or both.");
        return;
    }
    to_admin = gr == JSON_GET_OK && strcmp(role, "admin") == 0;
    if (db_begin(rq->db) < 0)
        goto fail;
    if (!target_user(rq, rs, &u))
        return;
    if (id == rq->user.id && ga == JSON_GET_OK && !active) {
        db_rollback(rq->db);
        json_error(rs, SRV_CONFLICT, "You cannot deactivate yourself.");
        return;
    }
    /* Would this leave the account without an active admin? */
    if (u.is_admin && u.is_active &&
        ((ga == JSON_GET_OK && !active) || (gr == JSON_GET_OK && !to_admin))) {
        if ((others = other_admins(rq->db, id)) < 0)
            goto fail;
        if (others == 0) {
            db_rollback(rq->db);
            json_error(rs, SRV_CONFLICT, "This is the last admin: make another user admin first.");
            return;
        }
    }
    if ((ga == JSON_GET_OK &&
         exec2(rq->db, "UPDATE users SET is_active = ?1 WHERE id = ?2", active, id, false) < 0) ||
        (gr == JSON_GET_OK &&
         exec2(rq->db,
               "UPDATE users SET role = CASE ?1 WHEN 1 THEN 'admin' ELSE 'agent' END"
               " WHERE id = ?2",
               to_admin, id, false) < 0))
        goto fail;
    snprintf(counts, sizeof counts, "{%s%s%s%s%s}", ga == JSON_GET_OK ? "\"is_active\":" : "",
             ga == JSON_GET_OK ? (active ? "1" : "0") : "",
             ga == JSON_GET_OK && gr == JSON_GET_OK ? "," : "",
             gr == JSON_GET_OK ? "\"admin\":" : "",
             gr == JSON_GET_OK ? (to_admin ? "1" : "0") : "");
    if (audit(rq->db, rq->user.id, "user.update", "user", id, counts, NULL, ref) < 0 ||
        db_commit(rq->db) < 0)
        goto fail;
    user_reply(rq, rs, id);
    return;
fail:
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}

/* Parses transfer_to: 0 when absent; -1 after a 400. */
static int64_t transfer_target(const struct srv_req *rq, struct srv_resp *rs)
{
    const char *t = router_arg(rq, "transfer_to");
    cJSON *s;
    int64_t id = 0;
    bool ok;

    if (!t || !*t)
        return 0;
    s = cJSON_CreateString(t);
    ok = json_id_value(s, &id);
    cJSON_Delete(s);
    if (!ok) {
        json_error(rs, SRV_BAD_REQUEST, "transfer_to must be a user id.");
        return -1;
    }
    return id;
}

/* Adds [{"name","status"}] of the notices of audit entry audit_id. */
static int deletion_processors(sqlite3 *db, int64_t audit_id, cJSON *list)
{
    sqlite3_stmt *st = NULL;
    int r;

    if (sqlite3_prepare_v2(db,
                           "SELECT p.name, n.status FROM processor_notices n"
                           " JOIN processors p ON p.id = n.processor_id"
                           " WHERE n.audit_id = ?1 ORDER BY p.id",
                           -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        return -1;
    }
    sqlite3_bind_int64(st, 1, audit_id);
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *p = cJSON_CreateObject();
        json_add_str(p, "name", (const char *)sqlite3_column_text(st, 0));
        json_add_str(p, "status", (const char *)sqlite3_column_text(st, 1));
        cJSON_AddItemToArray(list, p);
    }
    sqlite3_finalize(st);
    return r == SQLITE_DONE ? 0 : -1;
}

void handlers_admin_users_delete(const struct srv_req *rq, struct srv_resp *rs)
{
    struct user_state u;
    int64_t id = rq->ids[0], to, moved = 0, unassigned = 0, n, audit_id = 0, others;
    char counts[128], ref[65];
    cJSON *root, *d;

    if ((to = transfer_target(rq, rs)) < 0)
        return;
    if (to == id) {
        json_error(rs, SRV_BAD_REQUEST, "transfer_to must be another user than the one deleted.");
        return;
    }
    if (notify_upgrade(rq->db) < 0 || db_begin(rq->db) < 0)
        goto fail;
    if (!target_user(rq, rs, &u))
        return;
    if (id == rq->user.id) {
        db_rollback(rq->db);
        json_error(rs, SRV_CONFLICT, "You cannot delete yourself.");
        return;
    }
    if (u.is_active) {
        db_rollback(rq->db);
        json_error(rs, SRV_CONFLICT, "The user is active: deactivate them first.");
        return;
    }
    if (u.is_admin) {
        if ((others = other_admins(rq->db, id)) < 0)
            goto fail;
        if (others == 0) {
            db_rollback(rq->db);
            json_error(rs, SRV_CONFLICT, "This is the last admin.");
            return;
        }
    }
    if (to) {
        switch (handlers_users_assignable(rq->db, to)) {
        case 1:
            break;
        case 0:
            db_rollback(rq->db);
            json_error(rs, SRV_BAD_REQUEST, "transfer_to must name an active user.");
            return;
        default:
            goto fail;
        }
    }
    /* Contacts and companies go to the new owner, or to no one. */
    if ((n = exec2(rq->db, "UPDATE contacts SET owner_id = ?1 WHERE owner_id = ?2", to, id, true)) <
        0)
        goto fail;
    if (to)
        moved += n;
    else
        unassigned += n;
    if ((n = exec2(rq->db, "UPDATE companies SET owner_id = ?1 WHERE owner_id = ?2", to, id,
                   true)) < 0)
        goto fail;
    if (to)
        moved += n;
    else
        unassigned += n;
    if (exec2(rq->db,
              "UPDATE users SET display_name = NULL, email = NULL, key_hash = NULL,"
              " is_active = 0, is_deleted = 1, perm_export_reports = 0, perm_forget_records = 0"
              " WHERE id = ?1",
              id, 0, false) != 1)
        goto fail;
    snprintf(counts, sizeof counts, "{\"records_transferred\":%lld,\"records_unassigned\":%lld}",
             (long long)moved, (long long)unassigned);
    if (audit(rq->db, rq->user.id, "user.delete", "user", id, counts, &audit_id, ref) < 0 ||
        notify_enqueue(rq->db, audit_id, ref) < 0 || db_commit(rq->db) < 0)
        goto fail;
    /* The erased name and email must not linger in the write-ahead log. */
    erase_checkpoint(rq->db);
    notify_deliver(rq->db);
    root = cJSON_CreateObject();
    d = cJSON_AddObjectToObject(root, "deletion");
    json_add_int64(d, "user_id", id);
    json_add_int64(d, "records_transferred", moved);
    json_add_int64(d, "records_unassigned", unassigned);
    if (deletion_processors(rq->db, audit_id, cJSON_AddArrayToObject(d, "processors")) < 0) {
        cJSON_Delete(root);
        json_error(rs, SRV_INTERNAL, NULL);
        return;
    }
    json_reply(rs, SRV_OK, root);
    return;
fail:
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}

#define PROCESSOR_SQL                                                                              \
    "SELECT p.id, p.name, p.kind, p.endpoint,"                                                     \
    " (SELECT status FROM processor_notices WHERE processor_id = p.id ORDER BY id DESC LIMIT 1),"  \
    " (SELECT count(*) FROM processor_notices WHERE processor_id = p.id AND status = 'pending'),"  \
    " (SELECT count(*) FROM processor_notices WHERE processor_id = p.id AND status = 'done'),"     \
    " (SELECT count(*) FROM processor_notices WHERE processor_id = p.id AND status = 'failed')"    \
    " FROM processors p"

static cJSON *processor_json(sqlite3_stmt *st)
{
    cJSON *p = cJSON_CreateObject(), *n;

    json_add_int64(p, "id", sqlite3_column_int64(st, 0));
    json_add_str(p, "name", (const char *)sqlite3_column_text(st, 1));
    json_add_str(p, "kind", (const char *)sqlite3_column_text(st, 2));
    json_add_str(p, "endpoint", (const char *)sqlite3_column_text(st, 3));
    json_add_str(p, "status", (const char *)sqlite3_column_text(st, 4));
    n = cJSON_AddObjectToObject(p, "notices");
    json_add_int64(n, "pending", sqlite3_column_int64(st, 5));
    json_add_int64(n, "done", sqlite3_column_int64(st, 6));
    json_add_int64(n, "failed", sqlite3_column_int64(st, 7));
    return p;
}

/* Answers {"processor":{...}} for id, or 404. */
static void processor_reply(const struct srv_req *rq, struct srv_resp *rs, int64_t id)
{
    sqlite3_stmt *st = NULL;
    cJSON *root;
    int r;

    if (sqlite3_prepare_v2(rq->db, PROCESSOR_SQL " WHERE p.id = ?1", -1, &st, NULL) != SQLITE_OK) {
        sqlite3_finalize(st);
        json_error(rs, SRV_INTERNAL, NULL);
        return;
    }
    sqlite3_bind_int64(st, 1, id);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW) {
        root = cJSON_CreateObject();
        cJSON_AddItemToObject(root, "processor", processor_json(st));
        json_reply(rs, SRV_OK, root);
    } else if (r == SQLITE_DONE) {
        json_error(rs, SRV_NOT_FOUND, "No processor with this id.");
    } else {
        json_error(rs, SRV_INTERNAL, NULL);
    }
    sqlite3_finalize(st);
}

void handlers_admin_users_processors(const struct srv_req *rq, struct srv_resp *rs)
{
    sqlite3_stmt *st = NULL;
    cJSON *root = NULL, *list;
    int r;

    if (notify_deliver(rq->db) < 0 ||
        sqlite3_prepare_v2(rq->db, PROCESSOR_SQL " ORDER BY p.id", -1, &st, NULL) != SQLITE_OK)
        goto fail;
    root = cJSON_CreateObject();
    list = cJSON_AddArrayToObject(root, "processors");
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        cJSON_AddItemToArray(list, processor_json(st));
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

void handlers_admin_users_processor_update(const struct srv_req *rq, struct srv_resp *rs)
{
    static const char *const allowed[] = {"endpoint"};
    const cJSON *p = cJSON_GetObjectItemCaseSensitive(rq->body, "processor");
    const char *url = NULL;
    sqlite3_stmt *st = NULL;
    char err[256], ref[65];
    enum json_get g;
    int64_t id = rq->ids[0];

    if (!cJSON_IsObject(p)) {
        json_error(rs, SRV_BAD_REQUEST, "The body must hold a \"processor\" object.");
        return;
    }
    if (!members_only(p, allowed, 1, rs))
        return;
    g = json_get_str(p, "endpoint", NOTIFY_ENDPOINT_MAX, &url, err, sizeof err);
    if (g == JSON_GET_ABSENT || g == JSON_GET_BAD ||
        (g == JSON_GET_OK && !notify_endpoint_valid(url))) {
        json_errorf(rs, SRV_BAD_REQUEST,
                    "endpoint must be an http:// or https:// URL of at most %d bytes, or null.",
                    NOTIFY_ENDPOINT_MAX);
        return;
    }
    if (notify_upgrade(rq->db) < 0 || db_begin(rq->db) < 0)
        goto fail;
    if (sqlite3_prepare_v2(rq->db, "UPDATE processors SET endpoint = ?1 WHERE id = ?2", -1, &st,
                           NULL) != SQLITE_OK)
        goto fail;
    if (g == JSON_GET_OK)
        sqlite3_bind_text(st, 1, url, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_changes(rq->db) == 0) {
        db_rollback(rq->db);
        json_error(rs, SRV_NOT_FOUND, "No processor with this id.");
        return;
    }
    if (audit(rq->db, rq->user.id, "processor.update", "processor", id,
              g == JSON_GET_OK ? "{\"endpoint\":1}" : "{\"endpoint\":0}", NULL, ref) < 0 ||
        db_commit(rq->db) < 0)
        goto fail;
    processor_reply(rq, rs, id);
    return;
fail:
    sqlite3_finalize(st);
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}

void handlers_admin_users_processor_retry(const struct srv_req *rq, struct srv_resp *rs)
{
    char counts[48], ref[65];
    int n;

    if ((n = notify_retry(rq->db, rq->ids[0])) < 0)
        goto fail;
    if (n > 0) {
        snprintf(counts, sizeof counts, "{\"notices\":%d}", n);
        if (audit(rq->db, rq->user.id, "processor.retry", "processor", rq->ids[0], counts, NULL,
                  ref) < 0)
            goto fail;
    }
    if (notify_deliver(rq->db) < 0)
        goto fail;
    processor_reply(rq, rs, rq->ids[0]);
    return;
fail:
    json_error(rs, SRV_INTERNAL, NULL);
}
