/* GET/PUT /settings/gdpr: the six account switches, their immediate effects
 * (stored IPs erased when IP storage is turned off) and their audit trail. */
#include "server/handlers_settings.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "server/audit.h"
#include "server/db.h"
#include "server/erase.h"
#include "server/status.h"

static const char *const setting_names[] = {
    "restrict_email_to_dnd",  "auto_profile_enrichment", "chat_store_ip",
    "chat_social_enrichment", "chat_analytics",          "default_unsubscribe_link",
};
#define N_SETTINGS ((int)(sizeof setting_names / sizeof setting_names[0]))

static int setting_index(const char *name)
{
    int i;

    for (i = 0; i < N_SETTINGS; i++)
        if (strcmp(setting_names[i], name) == 0)
            return i;
    return -1;
}

int handlers_settings_get(sqlite3 *db, const char *name)
{
    sqlite3_stmt *st = NULL;
    int r, v = -1;

    if (setting_index(name) < 0)
        return -1;
    if (sqlite3_prepare_v2(db, "SELECT value FROM settings WHERE name = ?1", -1, &st, NULL) !=
        SQLITE_OK)
        goto out;
    sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
    r = sqlite3_step(st);
    if (r == SQLITE_ROW)
        v = sqlite3_column_int(st, 0) != 0;
    else if (r == SQLITE_DONE)
        v = 1;
out:
    sqlite3_finalize(st);
    return v;
}

/* All six values into vals; 0, or -1 on a database error. */
static int settings_load(sqlite3 *db, int vals[N_SETTINGS])
{
    int i;

    for (i = 0; i < N_SETTINGS; i++)
        if ((vals[i] = handlers_settings_get(db, setting_names[i])) < 0)
            return -1;
    return 0;
}

static void settings_reply(struct srv_resp *rs, const int vals[N_SETTINGS])
{
    cJSON *root = cJSON_CreateObject();
    cJSON *s = cJSON_AddObjectToObject(root, "settings");
    int i;

    for (i = 0; i < N_SETTINGS; i++)
        cJSON_AddBoolToObject(s, setting_names[i], vals[i]);
    json_reply(rs, SRV_OK, root);
}

void handlers_settings_show(const struct srv_req *rq, struct srv_resp *rs)
{
    int vals[N_SETTINGS];

    if (settings_load(rq->db, vals) < 0) {
        json_error(rs, SRV_INTERNAL, NULL);
        return;
    }
    settings_reply(rs, vals);
}

/* Runs one statement with an optional text parameter; returns the rows it
 * changed, or -1. */
static int64_t exec_changes(sqlite3 *db, const char *sql, const char *text, int value)
{
    sqlite3_stmt *st = NULL;
    int64_t n = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        goto out;
    if (text)
        sqlite3_bind_text(st, 1, text, -1, SQLITE_STATIC);
    if (sqlite3_bind_parameter_count(st) >= 2)
        sqlite3_bind_int(st, 2, value);
    if (sqlite3_step(st) == SQLITE_DONE)
        n = sqlite3_changes64(db);
out:
    sqlite3_finalize(st);
    return n;
}

static int settings_audit(sqlite3 *db, int64_t actor, const char *names, int64_t ips_erased,
                          int64_t now)
{
    char counts[64];
    snprintf(counts, sizeof counts, "{\"ips_erased\":%lld}", (long long)ips_erased);
    return audit_write(db, now, actor, "settings.update", names, counts, NULL);
}

void handlers_settings_update(const struct srv_req *rq, struct srv_resp *rs)
{
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(rq->body, "settings"), *item;
    int vals[N_SETTINGS], wanted[N_SETTINGS];
    char names[256] = "";
    size_t nlen = 0;
    int64_t ips = 0, n, now = db_now();
    int i, store_ip = setting_index("chat_store_ip");

    if (!cJSON_IsObject(in)) {
        json_error(rs, SRV_BAD_REQUEST, "The body must be {\"settings\":{...}}.");
        return;
    }
    for (i = 0; i < N_SETTINGS; i++)
        wanted[i] = -1;
    cJSON_ArrayForEach(item, in)
    {
        int k = setting_index(item->string);
        if (k < 0) {
            json_error(rs, SRV_BAD_REQUEST, "Unknown setting.");
            return;
        }
        if (!cJSON_IsBool(item)) {
            json_errorf(rs, SRV_BAD_REQUEST, "%s must be true or false.", setting_names[k]);
            return;
        }
        wanted[k] = cJSON_IsTrue(item);
    }
    if (db_begin(rq->db) < 0 || settings_load(rq->db, vals) < 0)
        goto fail;
    for (i = 0; i < N_SETTINGS; i++) {
        if (wanted[i] < 0 || wanted[i] == vals[i])
            continue;
        if (exec_changes(rq->db,
                         "INSERT INTO settings (name, value) VALUES (?1, ?2)"
                         " ON CONFLICT (name) DO UPDATE SET value = excluded.value",
                         setting_names[i], wanted[i]) < 0)
            goto fail;
        vals[i] = wanted[i];
        nlen += (size_t)snprintf(names + nlen, sizeof names - nlen, "%s%s", nlen ? "," : "",
                                 setting_names[i]);
        if (i == store_ip && !wanted[i]) {
            /* Off means the stored addresses go too, in this transaction. */
            if ((n = exec_changes(rq->db,
                                  "UPDATE contacts SET last_seen_ip = NULL"
                                  " WHERE last_seen_ip IS NOT NULL",
                                  NULL, 0)) < 0)
                goto fail;
            ips += n;
            if ((n = exec_changes(rq->db,
                                  "UPDATE chats SET visitor_ip = NULL WHERE visitor_ip IS NOT NULL",
                                  NULL, 0)) < 0)
                goto fail;
            ips += n;
        }
    }
    if (nlen && settings_audit(rq->db, rq->user.id, names, ips, now) < 0)
        goto fail;
    if (db_commit(rq->db) < 0)
        goto fail;
    if (ips > 0)
        erase_checkpoint(rq->db);
    settings_reply(rs, vals);
    return;
fail:
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}
