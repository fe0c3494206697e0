/* GET /account, POST /account/cancel and /account/restore, and GET /export:
 * the account's lifecycle and its complete export, streamed. */
#include "server/handlers_account.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/audit.h"
#include "server/db.h"
#include "server/erase.h"
#include "server/handlers_contacts.h"
#include "server/lifecycle.h"
#include "server/notify.h"
#include "server/status.h"

#define ACCOUNT_NAME_MAX 255
#define DAY_S            (24 * 3600)

struct account_row {
    char name[ACCOUNT_NAME_MAX + 1];
    bool pending;
    int64_t purge_at, call_data_purge_at;
};

/* 1 with the row, 0 when there is no account, -1 on error. */
static int account_load(sqlite3 *db, struct account_row *a)
{
    sqlite3_stmt *st = NULL;
    int r, rc = -1;

    memset(a, 0, sizeof *a);
    if (sqlite3_prepare_v2(db,
                           "SELECT name, status = 'cancellation_pending', coalesce(purge_at, 0),"
                           " coalesce(call_data_purge_at, 0) FROM account WHERE id = 1",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    r = sqlite3_step(st);
    if (r == SQLITE_DONE)
        rc = 0;
    if (r != SQLITE_ROW)
        goto out;
    snprintf(a->name, sizeof a->name, "%s", (const char *)sqlite3_column_text(st, 0));
    a->pending = sqlite3_column_int(st, 1) != 0;
    a->purge_at = sqlite3_column_int64(st, 2);
    a->call_data_purge_at = sqlite3_column_int64(st, 3);
    rc = 1;
out:
    sqlite3_finalize(st);
    return rc;
}

static void account_reply(struct srv_resp *rs, const struct account_row *a)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *o = cJSON_AddObjectToObject(root, "account");

    cJSON_AddStringToObject(o, "name", a->name);
    cJSON_AddStringToObject(o, "status", a->pending ? "cancellation_pending" : "active");
    json_add_time(o, "purge_at", a->pending ? a->purge_at : 0);
    json_add_time(o, "call_data_purge_at", a->pending ? a->call_data_purge_at : 0);
    cJSON_AddBoolToObject(o, "purged", a->pending && a->purge_at && db_now() >= a->purge_at);
    json_reply(rs, SRV_OK, root);
}

void handlers_account_show(const struct srv_req *rq, struct srv_resp *rs)
{
    struct account_row a;

    if (account_load(rq->db, &a) <= 0) {
        json_error(rs, SRV_INTERNAL, NULL);
        return;
    }
    account_reply(rs, &a);
}

/* Sets the account's status and dates (0: NULL). */
static int account_set(sqlite3 *db, bool pending, int64_t purge_at, int64_t call_at)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(db,
                           "UPDATE account SET status = ?1, purge_at = nullif(?2, 0),"
                           " call_data_purge_at = nullif(?3, 0) WHERE id = 1",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_text(st, 1, pending ? "cancellation_pending" : "active", -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, purge_at);
    sqlite3_bind_int64(st, 3, call_at);
    if (sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(db) == 1)
        rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

void handlers_account_cancel(const struct srv_req *rq, struct srv_resp *rs)
{
    struct account_row a;
    const char *confirm = NULL;
    char err[128], ref[65];
    int64_t now = db_now(), audit_id = 0;

    if (json_get_str(rq->body, "confirm", ACCOUNT_NAME_MAX, &confirm, err, sizeof err) !=
        JSON_GET_OK) {
        json_error(rs, SRV_BAD_REQUEST,
                   "Type the account's name to confirm: {\"confirm\":\"<account name>\"}.");
        return;
    }
    if (db_begin(rq->db) < 0 || account_load(rq->db, &a) <= 0)
        goto fail;
    if (strcmp(confirm, a.name) != 0) {
        db_rollback(rq->db);
        json_error(rs, SRV_BAD_REQUEST, "The confirmation does not match the account's name.");
        return;
    }
    if (a.pending) {
        db_rollback(rq->db);
        json_error(rs, SRV_CONFLICT, "The account's cancellation is already pending.");
        return;
    }
    a.pending = true;
    a.purge_at = now + (int64_t)LIFECYCLE_PURGE_DAYS * DAY_S;
    a.call_data_purge_at = now + (int64_t)LIFECYCLE_CALL_DATA_DAYS * DAY_S;
    if (account_set(rq->db, true, a.purge_at, a.call_data_purge_at) < 0 ||
        erase_subject_ref(rq->db, "account", 1, ref) < 0 ||
        audit_write(rq->db, 0, rq->user.id, "account.cancel", ref, NULL, &audit_id) < 0 ||
        notify_enqueue(rq->db, audit_id, ref) < 0 || db_commit(rq->db) < 0)
        goto fail;
    account_reply(rs, &a);
    return;
fail:
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}

void handlers_account_restore(const struct srv_req *rq, struct srv_resp *rs)
{
    struct account_row a;
    char ref[65];

    if (db_begin(rq->db) < 0 || account_load(rq->db, &a) <= 0)
        goto fail;
    if (!a.pending) {
        db_rollback(rq->db);
        json_error(rs, SRV_CONFLICT, "The account is active: there is nothing to restore.");
        return;
    }
    if (a.purge_at && db_now() >= a.purge_at) {
        db_rollback(rq->db);
        json_error(rs, SRV_CONFLICT, "The purge date has passed: the account cannot be restored.");
        return;
    }
    a.pending = false;
    if (account_set(rq->db, false, 0, 0) < 0 || erase_subject_ref(rq->db, "account", 1, ref) < 0 ||
        audit_write(rq->db, 0, rq->user.id, "account.restore", ref, NULL, NULL) < 0 ||
        db_commit(rq->db) < 0)
        goto fail;
    account_reply(rs, &a);
    return;
fail:
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}

/* The record types of the export, in order. A NULL sql means contacts,
 * rendered as GET /contacts/{id} renders them. */
struct export_table {
    const char *type;
    const char *count_sql;
    const char *sql;
};

static const struct export_table export_tables[] = {
    {"user", "SELECT count(*) FROM users WHERE is_deleted = 0",
     "SELECT id, display_name, email, role, is_active, perm_export_reports AS export_reports,"
     " perm_forget_records AS forget_records, created_at FROM users WHERE is_deleted = 0"
     " ORDER BY id"},
    {"company", "SELECT count(*) FROM companies",
     "SELECT id, name, website, phone, address, city, country, owner_id, is_deleted, deleted_at,"
     " created_at, updated_at FROM companies ORDER BY id"},
    {"deal", "SELECT count(*) FROM deals",
     "SELECT id, name, amount, sales_account_id, created_at FROM deals ORDER BY id"},
    {"contact", "SELECT count(*) FROM contacts", "SELECT id FROM contacts ORDER BY id"},
    {"note", "SELECT count(*) FROM notes",
     "SELECT id, contact_id, description, user_id, created_at, updated_at FROM notes ORDER BY id"},
    {"activity", "SELECT count(*) FROM activities",
     "SELECT id, contact_id, action_type, user_id, action_data, created_at FROM activities"
     " ORDER BY id"},
    {"call", "SELECT count(*) FROM calls",
     "SELECT id, contact_id, phone_number_id, user_id, direction, started_at, duration_s, note"
     " FROM calls ORDER BY id"},
    {"recording", "SELECT count(*) FROM recordings",
     "SELECT id, call_id, length(data) AS bytes, consent_by_user_id, consent_at FROM recordings"
     " ORDER BY id"},
    {"chat", "SELECT count(*) FROM chats",
     "SELECT id, contact_id, started_at, visitor_ip FROM chats ORDER BY id"},
    {"chat_message", "SELECT count(*) FROM chat_messages",
     "SELECT id, chat_id, sender, body, at FROM chat_messages ORDER BY id"},
};
#define N_EXPORT_TABLES ((int)(sizeof export_tables / sizeof export_tables[0]))

struct export_stream {
    sqlite3 *db; /* its own connection, holding one read transaction */
    struct contacts_render *render;
    sqlite3_stmt *st; /* the current table's rows */
    int table;
    char *line; /* the pending line, line_off bytes of it handed over */
    size_t line_len, line_off;
    bool failed;
};

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);

    return n >= m && strcmp(s + n - m, suffix) == 0;
}

/* One row of a plain table as a JSON object; times as ISO-8601, stored JSON
 * parsed. */
static cJSON *row_json(sqlite3_stmt *st)
{
    cJSON *o = cJSON_CreateObject();
    int i, n = sqlite3_column_count(st);

    for (i = 0; i < n; i++) {
        const char *name = sqlite3_column_name(st, i);
        switch (sqlite3_column_type(st, i)) {
        case SQLITE_NULL:
            cJSON_AddNullToObject(o, name);
            break;
        case SQLITE_INTEGER:
            if (ends_with(name, "_at") || strcmp(name, "at") == 0)
                json_add_time(o, name, sqlite3_column_int64(st, i));
            else
                json_add_int64(o, name, sqlite3_column_int64(st, i));
            break;
        default:
            if (strcmp(name, "action_data") == 0)
                cJSON_AddItemToObject(
                    o, name, json_stored((const char *)sqlite3_column_text(st, i), cJSON_Object));
            else
                json_add_str(o, name, (const char *)sqlite3_column_text(st, i));
            break;
        }
    }
    return o;
}

/* Prepares the next line into x->line. Returns 1, 0 at the end, -1 on error. */
static int export_next_line(struct export_stream *x)
{
    for (;;) {
        const struct export_table *t;
        cJSON *rec, *data;
        char *text;
        int r;

        if (x->table >= N_EXPORT_TABLES)
            return 0;
        t = &export_tables[x->table];
        if (!x->st && sqlite3_prepare_v2(x->db, t->sql, -1, &x->st, NULL) != SQLITE_OK)
            return -1;
        r = sqlite3_step(x->st);
        if (r == SQLITE_DONE) {
            sqlite3_finalize(x->st);
            x->st = NULL;
            x->table++;
            continue;
        }
        if (r != SQLITE_ROW)
            return -1;
        if (strcmp(t->type, "contact") == 0)
            data = handlers_contacts_render(x->render, sqlite3_column_int64(x->st, 0), NULL, NULL);
        else
            data = row_json(x->st);
        if (!data)
            return -1;
        rec = cJSON_CreateObject();
        cJSON_AddStringToObject(rec, "type", t->type);
        cJSON_AddItemToObject(rec, "data", data);
        text = cJSON_PrintUnformatted(rec);
        cJSON_Delete(rec);
        if (!text)
            return -1;
        x->line_len = strlen(text);
        x->line = json_xmalloc(x->line_len + 2);
        memcpy(x->line, text, x->line_len);
        cJSON_free(text);
        x->line[x->line_len++] = '\n';
        x->line[x->line_len] = '\0';
        x->line_off = 0;
        return 1;
    }
}

static ssize_t export_read(void *cls, uint64_t pos, char *buf, size_t max)
{
    struct export_stream *x = cls;
    size_t n = 0;

    (void)pos;
    while (n < max && !x->failed) {
        if (x->line && x->line_off < x->line_len) {
            size_t take = x->line_len - x->line_off;
            if (take > max - n)
                take = max - n;
            memcpy(buf + n, x->line + x->line_off, take);
            x->line_off += take;
            n += take;
            continue;
        }
        free(x->line);
        x->line = NULL;
        int r = export_next_line(x);
        if (r < 0)
            x->failed = true;
        if (r <= 0)
            break;
    }
    if (n > 0)
        return (ssize_t)n;
    return x->failed ? -2 : -1;
}

static void export_free(void *cls)
{
    struct export_stream *x = cls;

    if (!x)
        return;
    free(x->line);
    sqlite3_finalize(x->st);
    handlers_contacts_render_free(&x->render);
    if (x->db) {
        sqlite3_exec(x->db, "COMMIT", NULL, NULL, NULL);
        sqlite3_close_v2(x->db);
    }
    free(x);
}

void handlers_account_export(const struct srv_req *rq, struct srv_resp *rs)
{
    struct export_stream *x = json_xmalloc(sizeof *x);
    const char *path = sqlite3_db_filename(rq->db, "main");
    sqlite3_stmt *st = NULL;
    int64_t total = 0;
    char err[256], counts[64];
    int i;

    memset(x, 0, sizeof *x);
    if (!path || !*path || db_open(path, &x->db, err, sizeof err) < 0)
        goto fail;
    /* One read transaction: the count and every line come from one snapshot. */
    if (sqlite3_exec(x->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    for (i = 0; i < N_EXPORT_TABLES; i++) {
        if (sqlite3_prepare_v2(x->db, export_tables[i].count_sql, -1, &st, NULL) != SQLITE_OK ||
            sqlite3_step(st) != SQLITE_ROW)
            goto fail;
        total += sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
        st = NULL;
    }
    if (!(x->render = handlers_contacts_render_new(x->db)))
        goto fail;
    snprintf(counts, sizeof counts, "{\"records\":%lld}", (long long)total);
    if (audit_write(rq->db, 0, rq->user.id, "account.export", NULL, counts, NULL) < 0)
        goto fail;
    json_resp_clear(rs);
    rs->status = SRV_OK;
    rs->content_type = "application/x-ndjson";
    snprintf(rs->header_name, sizeof rs->header_name, "X-Total-Records");
    snprintf(rs->header_value, sizeof rs->header_value, "%lld", (long long)total);
    rs->stream_read = export_read;
    rs->stream_free = export_free;
    rs->stream_cls = x;
    return;
fail:
    sqlite3_finalize(st);
    export_free(x);
    json_error(rs, SRV_INTERNAL, NULL);
}
