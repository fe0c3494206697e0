/* 1:1 emails and consent requests, queued in the outbox (nothing leaves the
 * server here: a delivery relay reads the outbox), with the link tokens that
 * let the contact unsubscribe or confirm consent without an account. */
#include "server/handlers_email.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "server/db.h"
#include "server/handlers_activities.h"
#include "server/status.h"

#define LINK_FALLBACK "http://127.0.0.1"

bool handlers_email_setting(sqlite3 *db, const char *name, bool def)
{
    sqlite3_stmt *st = NULL;
    bool v = def;

    if (sqlite3_prepare_v2(db, "SELECT value FROM settings WHERE name = ?1", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            v = sqlite3_column_int(st, 0) != 0;
    }
    sqlite3_finalize(st);
    return v;
}

bool handlers_email_purpose_valid(const char *s)
{
    size_t i;

    for (i = 0; s[i]; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_') ||
            i >= EMAIL_PURPOSE_MAX)
            return false;
    return i > 0;
}

/* What the rules need to know of a contact. */
struct recipient {
    char email[320];
    bool dnd;
};

/* 1 for a live contact (email may be empty), 0 when none, -1 on error. */
static int recipient_load(sqlite3 *db, int64_t id, struct recipient *r)
{
    sqlite3_stmt *st = NULL;
    int rc = -1, s;

    memset(r, 0, sizeof *r);
    if (sqlite3_prepare_v2(db,
                           "SELECT email, do_not_disturb FROM contacts"
                           " WHERE id = ?1 AND is_deleted = 0",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        s = sqlite3_step(st);
        if (s == SQLITE_ROW) {
            const char *e = (const char *)sqlite3_column_text(st, 0);
            if (e && strlen(e) < sizeof r->email)
                memcpy(r->email, e, strlen(e) + 1);
            r->dnd = sqlite3_column_int(st, 1) != 0;
            rc = 1;
        } else if (s == SQLITE_DONE) {
            rc = 0;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* A fresh random token (EMAIL_TOKEN_LEN hex characters and a NUL). */
static int token_new(char out[EMAIL_TOKEN_LEN + 1])
{
    static const char hex[] = "0123456789abcdef";
    unsigned char raw[EMAIL_TOKEN_LEN / 2];
    size_t i;

    if (getrandom(raw, sizeof raw, 0) != (ssize_t)sizeof raw)
        return -1;
    for (i = 0; i < sizeof raw; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[EMAIL_TOKEN_LEN] = '\0';
    return 0;
}

/* Stores a link token of kind for contact_id, sent to email. */
static int token_store(sqlite3 *db, const char *token, int64_t contact_id, const char *kind,
                       const char *purpose, const char *email)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(
            db,
            "INSERT INTO tokens (token, contact_id, kind, purpose, email, created_at)"
            " VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 2, contact_id);
        sqlite3_bind_text(st, 3, kind, -1, SQLITE_STATIC);
        if (purpose)
            sqlite3_bind_text(st, 4, purpose, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, email, -1, SQLITE_STATIC);
        sqlite3_bind_int64(st, 6, db_now());
        rc = sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(st);
    return rc;
}

/* Queues an outbox entry; returns its id, or -1. */
static int64_t outbox_add(sqlite3 *db, int64_t contact_id, const char *kind, const char *to,
                          const char *subject, const char *body, int64_t user_id)
{
    sqlite3_stmt *st = NULL;
    int64_t id = -1;

    if (sqlite3_prepare_v2(db,
                           "INSERT INTO outbox (contact_id, kind, to_addr, subject, body, status,"
                           " user_id, created_at) VALUES (?1, ?2, ?3, ?4, ?5, 'queued', ?6, ?7)",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, contact_id);
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 3, to, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 4, subject, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 5, body, -1, SQLITE_STATIC);
        if (user_id > 0)
            sqlite3_bind_int64(st, 6, user_id);
        sqlite3_bind_int64(st, 7, db_now());
        if (sqlite3_step(st) == SQLITE_DONE)
            id = sqlite3_last_insert_rowid(db);
    }
    sqlite3_finalize(st);
    return id;
}

/* Loads the live contact of rq->ids[0] inside an open transaction; 1, or 0
 * after a response (404, 409 without an address, 500). */
static int recipient_or_reply(const struct srv_req *rq, struct srv_resp *rs, struct recipient *r)
{
    switch (recipient_load(rq->db, rq->ids[0], r)) {
    case 1:
        break;
    case 0:
        db_rollback(rq->db);
        json_error(rs, SRV_NOT_FOUND, "No live contact with this id.");
        return 0;
    default:
        db_rollback(rq->db);
        json_error(rs, SRV_INTERNAL, NULL);
        return 0;
    }
    if (!r->email[0]) {
        db_rollback(rq->db);
        json_error(rs, SRV_CONFLICT, "The contact has no email address.");
        return 0;
    }
    return 1;
}

static const char *link_base(const struct srv_req *rq)
{
    return rq->base_url && rq->base_url[0] ? rq->base_url : LINK_FALLBACK;
}

void handlers_email_send(const struct srv_req *rq, struct srv_resp *rs)
{
    const cJSON *e = cJSON_GetObjectItemCaseSensitive(rq->body, "email");
    const char *subject = NULL, *body = NULL;
    struct recipient r;
    bool link = false;
    enum json_get g;
    char err[256], token[EMAIL_TOKEN_LEN + 1];
    char *text = NULL;
    size_t cap;
    int64_t id = rq->ids[0], now = db_now(), oid;
    cJSON *data, *root, *out;

    if (!cJSON_IsObject(e)) {
        json_error(rs, SRV_BAD_REQUEST, "The body must hold an \"email\" object.");
        return;
    }
    if (json_get_str(e, "subject", EMAIL_SUBJECT_MAX, &subject, err, sizeof err) != JSON_GET_OK ||
        !subject[0]) {
        json_errorf(rs, SRV_BAD_REQUEST, "subject must be a text of 1 to %d characters.",
                    EMAIL_SUBJECT_MAX);
        return;
    }
    if (json_get_str(e, "body", EMAIL_BODY_MAX, &body, err, sizeof err) != JSON_GET_OK ||
        !body[0]) {
        json_errorf(rs, SRV_BAD_REQUEST, "body must be a text of 1 to %d characters.",
                    EMAIL_BODY_MAX);
        return;
    }
    g = json_get_bool(e, "include_unsubscribe_link", &link, err, sizeof err);
    if (g == JSON_GET_BAD) {
        json_error(rs, SRV_BAD_REQUEST, "include_unsubscribe_link must be true or false.");
        return;
    }
    if (db_begin(rq->db) < 0)
        goto fail;
    if (g != JSON_GET_OK)
        link = handlers_email_setting(rq->db, "default_unsubscribe_link", true);
    if (!recipient_or_reply(rq, rs, &r))
        return;
    if (r.dnd && handlers_email_setting(rq->db, "restrict_email_to_dnd", true)) {
        data = cJSON_CreateObject();
        cJSON_AddStringToObject(data, "source", rq->source);
        cJSON_AddStringToObject(data, "channel", "email");
        cJSON_AddStringToObject(data, "detail", "do_not_disturb");
        if (handlers_activities_add(rq->db, id, rq->user.id, "email_blocked", data, now) < 0 ||
            db_commit(rq->db) < 0)
            goto fail;
        json_error(rs, SRV_UNPROCESSABLE,
                   "The contact is on Do Not Disturb and the account blocks email to them.");
        return;
    }
    cap = strlen(body) + strlen(link_base(rq)) + EMAIL_TOKEN_LEN + 96;
    text = json_xmalloc(cap);
    if (link) {
        if (token_new(token) < 0 ||
            token_store(rq->db, token, id, "unsubscribe", NULL, r.email) < 0)
            goto fail;
        snprintf(text, cap, "%s\n\n--\nTo stop receiving these emails: %s/u/%s\n", body,
                 link_base(rq), token);
    } else {
        snprintf(text, cap, "%s", body);
    }
    if ((oid = outbox_add(rq->db, id, "email", r.email, subject, text, rq->user.id)) < 0)
        goto fail;
    data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "source", rq->source);
    cJSON_AddStringToObject(data, "channel", "email");
    json_add_int64(data, "email_id", oid);
    cJSON_AddBoolToObject(data, "unsubscribe_link", link);
    if (r.dnd)
        cJSON_AddStringToObject(data, "warning", "do_not_disturb");
    if (handlers_activities_add(rq->db, id, rq->user.id, "email_sent", data, now) < 0 ||
        db_commit(rq->db) < 0)
        goto fail;
    free(text);
    root = cJSON_CreateObject();
    out = cJSON_AddObjectToObject(root, "email");
    json_add_int64(out, "id", oid);
    cJSON_AddStringToObject(out, "status", "queued");
    if (r.dnd)
        cJSON_AddStringToObject(root, "warning", "do_not_disturb");
    json_reply(rs, SRV_OK, root);
    return;
fail:
    free(text);
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}

/* 1 when the contact consents to purpose, 0 when not, -1 on error. */
static int has_purpose(sqlite3 *db, int64_t id, const char *purpose)
{
    sqlite3_stmt *st = NULL;
    int rc = -1, s;

    if (sqlite3_prepare_v2(db, "SELECT 1 FROM subscriptions WHERE contact_id = ?1 AND purpose = ?2",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_text(st, 2, purpose, -1, SQLITE_STATIC);
        s = sqlite3_step(st);
        rc = s == SQLITE_ROW ? 1 : s == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(st);
    return rc;
}

void handlers_email_consent_request(const struct srv_req *rq, struct srv_resp *rs)
{
    const char *purpose = NULL;
    struct recipient r;
    char err[256], token[EMAIL_TOKEN_LEN + 1], subject[128], body[512];
    int64_t id = rq->ids[0], oid;
    cJSON *data, *root, *out;
    int has;

    if (json_get_str(rq->body, "purpose", EMAIL_PURPOSE_MAX, &purpose, err, sizeof err) !=
            JSON_GET_OK ||
        !handlers_email_purpose_valid(purpose)) {
        json_errorf(rs, SRV_BAD_REQUEST,
                    "purpose must name a purpose: 1 to %d characters a-z, 0-9 and _.",
                    EMAIL_PURPOSE_MAX);
        return;
    }
    if (db_begin(rq->db) < 0)
        goto fail;
    if (!recipient_or_reply(rq, rs, &r))
        return;
    if ((has = has_purpose(rq->db, id, purpose)) < 0)
        goto fail;
    if (has) {
        db_rollback(rq->db);
        json_error(rs, SRV_CONFLICT, "The contact already consents to this purpose.");
        return;
    }
    if (token_new(token) < 0 || token_store(rq->db, token, id, "optin", purpose, r.email) < 0)
        goto fail;
    snprintf(subject, sizeof subject, "Please confirm: %s", purpose);
    snprintf(body, sizeof body,
             "We would like to send you emails about %s.\n\nTo agree, open this link: "
             "%.300s/optin/%s\n\nIf you do not open it, nothing changes.\n",
             purpose, link_base(rq), token);
    if ((oid = outbox_add(rq->db, id, "optin", r.email, subject, body, rq->user.id)) < 0)
        goto fail;
    data = cJSON_CreateObject();
    cJSON_AddStringToObject(data, "source", rq->source);
    cJSON_AddStringToObject(data, "channel", "email");
    cJSON_AddStringToObject(data, "purpose", purpose);
    json_add_int64(data, "email_id", oid);
    if (handlers_activities_add(rq->db, id, rq->user.id, "opt_in_requested", data, db_now()) < 0 ||
        db_commit(rq->db) < 0)
        goto fail;
    root = cJSON_CreateObject();
    out = cJSON_AddObjectToObject(root, "consent_request");
    json_add_int64(out, "id", oid);
    cJSON_AddStringToObject(out, "purpose", purpose);
    cJSON_AddStringToObject(out, "status", "queued");
    json_reply(rs, SRV_OK, root);
    return;
fail:
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}

void handlers_email_outbox(const struct srv_req *rq, struct srv_resp *rs)
{
    sqlite3_stmt *st = NULL;
    cJSON *root = NULL, *list;
    long page, per_page;
    int64_t total = 0;
    int r;

    if (router_paging(rq, rs, &page, &per_page) < 0)
        return;
    if (sqlite3_prepare_v2(rq->db, "SELECT count(*) FROM outbox", -1, &st, NULL) != SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        goto fail;
    total = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    if (sqlite3_prepare_v2(rq->db,
                           "SELECT id, contact_id, kind, to_addr, subject, body, status, user_id,"
                           " created_at FROM outbox ORDER BY id DESC LIMIT ?1 OFFSET ?2",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, per_page);
    sqlite3_bind_int64(st, 2, (int64_t)(page - 1) * per_page);
    root = cJSON_CreateObject();
    list = cJSON_AddArrayToObject(root, "outbox");
    while ((r = sqlite3_step(st)) == SQLITE_ROW) {
        cJSON *e = cJSON_CreateObject();
        json_add_int64(e, "id", sqlite3_column_int64(st, 0));
        json_add_int64(e, "contact_id", sqlite3_column_int64(st, 1));
        json_add_str(e, "kind", (const char *)sqlite3_column_text(st, 2));
        json_add_str(e, "to", (const char *)sqlite3_column_text(st, 3));
        json_add_str(e, "subject", (const char *)sqlite3_column_text(st, 4));
        json_add_str(e, "body", (const char *)sqlite3_column_text(st, 5));
        json_add_str(e, "status", (const char *)sqlite3_column_text(st, 6));
        if (sqlite3_column_type(st, 7) == SQLITE_NULL)
            cJSON_AddNullToObject(e, "user_id");
        else
            json_add_int64(e, "user_id", sqlite3_column_int64(st, 7));
        json_add_time(e, "created_at", sqlite3_column_int64(st, 8));
        cJSON_AddItemToArray(list, e);
    }
    if (r != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    json_add_meta(root, total, per_page);
    json_reply(rs, SRV_OK, root);
    return;
fail:
    sqlite3_finalize(st);
    cJSON_Delete(root);
    json_error(rs, SRV_INTERNAL, NULL);
}
