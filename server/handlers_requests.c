/* The privacy requests queue: data subject requests, their due dates (one
 * calendar month, extendable to three), their states, and the receipt that
 * replaces the subject's email once a request is closed. */
#include "server/handlers_requests.h"

#include <stdio.h>
#include <string.h>

#include "server/audit.h"
#include "server/db.h"
#include "server/duedate.h"
#include "server/erase.h"
#include "server/status.h"

#define EMAIL_MAX_CHARS 254
#define TEXT_MAX_CHARS  2000
#define FUTURE_SLACK_S  300 /* a received_at this far ahead is taken as clock skew */
#define REQUEST_COLUMNS                                                                            \
    "r.id, r.type, r.subject_email, r.subject_ref, r.received_at, r.due_at, r.extended_to,"        \
    " r.extension_reason, r.subject_told_at, r.status, r.contact_id, r.outcome,"                   \
    " (SELECT max(a.id) FROM audit a WHERE r.subject_ref IS NOT NULL"                              \
    "  AND a.action = 'request.close' AND a.subject_ref = r.subject_ref)"

static const char *const request_types[] = {"access", "erasure", "rectification", "portability"};
static const char *const request_states[] = {"new", "verified", "in_progress", "done", "rejected"};

static bool in_list(const char *s, const char *const *list, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (strcmp(s, list[i]) == 0)
            return true;
    return false;
}

static bool is_closed(const char *status)
{
    return strcmp(status, "done") == 0 || strcmp(status, "rejected") == 0;
}

static void add_int_or_null(cJSON *o, const char *name, sqlite3_stmt *st, int col)
{
    if (sqlite3_column_type(st, col) == SQLITE_NULL)
        cJSON_AddNullToObject(o, name);
    else
        json_add_int64(o, name, sqlite3_column_int64(st, col));
}

static void add_time_col(cJSON *o, const char *name, sqlite3_stmt *st, int col)
{
    json_add_time(o, name,
                  sqlite3_column_type(st, col) == SQLITE_NULL ? 0 : sqlite3_column_int64(st, col));
}

/* The JSON of the row st holds (REQUEST_COLUMNS); the receipt's time is looked
 * up with at_st (bound and reset here). */
static cJSON *request_json(sqlite3_stmt *st, sqlite3_stmt *at_st)
{
    cJSON *o = cJSON_CreateObject();

    json_add_int64(o, "id", sqlite3_column_int64(st, 0));
    json_add_str(o, "type", (const char *)sqlite3_column_text(st, 1));
    json_add_str(o, "subject_email", (const char *)sqlite3_column_text(st, 2));
    json_add_str(o, "subject_ref", (const char *)sqlite3_column_text(st, 3));
    add_time_col(o, "received_at", st, 4);
    add_time_col(o, "due_at", st, 5);
    add_time_col(o, "extended_to", st, 6);
    json_add_str(o, "extension_reason", (const char *)sqlite3_column_text(st, 7));
    add_time_col(o, "subject_told_at", st, 8);
    json_add_str(o, "status", (const char *)sqlite3_column_text(st, 9));
    add_int_or_null(o, "contact_id", st, 10);
    json_add_str(o, "outcome", (const char *)sqlite3_column_text(st, 11));
    if (sqlite3_column_type(st, 12) == SQLITE_NULL) {
        cJSON_AddNullToObject(o, "receipt");
    } else {
        cJSON *rc = cJSON_AddObjectToObject(o, "receipt");
        json_add_int64(rc, "audit_id", sqlite3_column_int64(st, 12));
        sqlite3_bind_int64(at_st, 1, sqlite3_column_int64(st, 12));
        json_add_time(rc, "at",
                      sqlite3_step(at_st) == SQLITE_ROW ? sqlite3_column_int64(at_st, 0) : 0);
        sqlite3_reset(at_st);
    }
    return o;
}

/* Replies {"privacy_request":{...}} for id; 404 when absent. */
static void request_reply(sqlite3 *db, int64_t id, struct srv_resp *rs)
{
    sqlite3_stmt *st = NULL, *at_st = NULL;
    cJSON *root;
    int r;

    if (sqlite3_prepare_v2(db, "SELECT " REQUEST_COLUMNS " FROM privacy_requests r WHERE r.id = ?1",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db, "SELECT at FROM audit WHERE id = ?1", -1, &at_st, NULL) !=
            SQLITE_OK) {
        json_error(rs, SRV_INTERNAL, NULL);
        goto out;
    }
    sqlite3_bind_int64(st, 1, id);
    r = sqlite3_step(st);
    if (r == SQLITE_DONE) {
        json_error(rs, SRV_NOT_FOUND, "No privacy request with this id.");
        goto out;
    }
    if (r != SQLITE_ROW) {
        json_error(rs, SRV_INTERNAL, NULL);
        goto out;
    }
    root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "privacy_request", request_json(st, at_st));
    json_reply(rs, SRV_OK, root);
out:
    sqlite3_finalize(st);
    sqlite3_finalize(at_st);
}

void handlers_requests_list(const struct srv_req *rq, struct srv_resp *rs)
{
    sqlite3_stmt *st = NULL, *at_st = NULL;
    cJSON *root = NULL, *list;
    long page, per_page;
    int64_t total = 0;
    int r;

    if (router_paging(rq, rs, &page, &per_page) < 0)
        return;
    if (sqlite3_exec(rq->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        goto fail;
    if (sqlite3_prepare_v2(rq->db, "SELECT count(*) FROM privacy_requests", -1, &st, NULL) !=
            SQLITE_OK ||
        sqlite3_step(st) != SQLITE_ROW)
        goto fail;
    total = sqlite3_column_int64(st, 0);
    sqlite3_finalize(st);
    st = NULL;
    if (sqlite3_prepare_v2(rq->db,
                           "SELECT " REQUEST_COLUMNS " FROM privacy_requests r"
                           " ORDER BY r.status IN ('done', 'rejected'),"
                           " coalesce(r.extended_to, r.due_at), r.id LIMIT ?1 OFFSET ?2",
                           -1, &st, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(rq->db, "SELECT at FROM audit WHERE id = ?1", -1, &at_st, NULL) !=
            SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, per_page);
    sqlite3_bind_int64(st, 2, (int64_t)(page - 1) * per_page);
    root = cJSON_CreateObject();
    list = cJSON_AddArrayToObject(root, "privacy_requests");
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        cJSON_AddItemToArray(list, request_json(st, at_st));
    if (r != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    sqlite3_finalize(at_st);
    sqlite3_exec(rq->db, "COMMIT", NULL, NULL, NULL);
    json_add_meta(root, total, per_page);
    json_reply(rs, SRV_OK, root);
    return;
fail:
    sqlite3_finalize(st);
    sqlite3_finalize(at_st);
    if (!sqlite3_get_autocommit(rq->db))
        sqlite3_exec(rq->db, "ROLLBACK", NULL, NULL, NULL);
    cJSON_Delete(root);
    json_error(rs, SRV_INTERNAL, NULL);
}

void handlers_requests_show(const struct srv_req *rq, struct srv_resp *rs)
{
    request_reply(rq->db, rq->ids[0], rs);
}

/* Whether s looks like an email address: one '@' with text on both sides, no
 * spaces or control characters. */
static bool email_plausible(const char *s)
{
    const char *at = strchr(s, '@');

    if (!at || at == s || at[1] == '\0' || strchr(at + 1, '@'))
        return false;
    for (const char *p = s; *p; p++)
        if ((unsigned char)*p <= ' ' || *p == 0x7f)
            return false;
    return true;
}

/* An optional ISO time member: JSON_GET_OK with *out, ABSENT, NULL, or BAD
 * after a 400 response. */
static enum json_get get_time(const cJSON *in, const char *key, int64_t *out, struct srv_resp *rs)
{
    const char *s = NULL;
    char err[128];
    enum json_get g = json_get_str(in, key, 40, &s, err, sizeof err);

    if (g == JSON_GET_BAD) {
        json_error(rs, SRV_BAD_REQUEST, err);
        return g;
    }
    if (g == JSON_GET_OK && duedate_parse_iso(s, out) < 0) {
        json_errorf(rs, SRV_BAD_REQUEST, "%s must be an ISO-8601 UTC time.", key);
        return JSON_GET_BAD;
    }
    return g;
}

void handlers_requests_create(const struct srv_req *rq, struct srv_resp *rs)
{
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(rq->body, "privacy_request");
    const char *type = NULL, *email = NULL;
    sqlite3_stmt *st = NULL;
    int64_t now = db_now(), received = now, id;
    char err[128];
    enum json_get g;

    if (!cJSON_IsObject(in)) {
        json_error(rs, SRV_BAD_REQUEST,
                   "The body must be {\"privacy_request\":{\"type\",\"subject_email\"}}.");
        return;
    }
    g = json_get_str(in, "type", 16, &type, err, sizeof err);
    if (g != JSON_GET_OK || !in_list(type, request_types, 4)) {
        json_error(rs, SRV_BAD_REQUEST,
                   "type must be access, erasure, rectification or portability.");
        return;
    }
    g = json_get_str(in, "subject_email", EMAIL_MAX_CHARS, &email, err, sizeof err);
    if (g != JSON_GET_OK || !email_plausible(email)) {
        json_error(rs, SRV_BAD_REQUEST, "subject_email must be an email address.");
        return;
    }
    g = get_time(in, "received_at", &received, rs);
    if (g == JSON_GET_BAD)
        return;
    if (g == JSON_GET_NULL)
        received = now;
    if (received > now + FUTURE_SLACK_S) {
        json_error(rs, SRV_BAD_REQUEST, "received_at lies in the future.");
        return;
    }
    if (db_begin(rq->db) < 0)
        goto fail;
    if (sqlite3_prepare_v2(rq->db,
                           "INSERT INTO privacy_requests (type, subject_email, received_at, due_at,"
                           " status) VALUES (?1, ?2, ?3, ?4, 'new')",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_text(st, 1, type, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, email, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 3, received);
    sqlite3_bind_int64(st, 4, duedate_due(received));
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    id = sqlite3_last_insert_rowid(rq->db);
    sqlite3_finalize(st);
    st = NULL;
    if (db_commit(rq->db) < 0)
        goto fail;
    request_reply(rq->db, id, rs);
    return;
fail:
    sqlite3_finalize(st);
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}

/* Whether a request may move from status from to status to. */
static bool transition_ok(const char *from, const char *to)
{
    if (strcmp(from, to) == 0)
        return true;
    if (strcmp(to, "rejected") == 0)
        return true; /* from any open state; a closed one is refused earlier */
    return (strcmp(from, "new") == 0 && strcmp(to, "verified") == 0) ||
           (strcmp(from, "verified") == 0 && strcmp(to, "in_progress") == 0) ||
           (strcmp(from, "in_progress") == 0 && strcmp(to, "done") == 0);
}

/* What a PUT body asks for; *_set: the member was given (a NULL value clears). */
struct request_change {
    const char *status;
    bool contact_set, ext_set, reason_set, told_set, outcome_set;
    int64_t contact_id, extended_to, told_at;
    const char *reason, *outcome;
};

/* Reads the PUT body into ch. Returns 0, or -1 after a 400 response. */
static int change_parse(const cJSON *in, struct request_change *ch, struct srv_resp *rs)
{
    char err[128];
    enum json_get g;
    const cJSON *cid;

    memset(ch, 0, sizeof *ch);
    g = json_get_str(in, "status", 16, &ch->status, err, sizeof err);
    if (g == JSON_GET_BAD || g == JSON_GET_NULL ||
        (g == JSON_GET_OK && !in_list(ch->status, request_states, 5))) {
        json_error(rs, SRV_BAD_REQUEST,
                   "status must be new, verified, in_progress, done or rejected.");
        return -1;
    }
    cid = cJSON_GetObjectItemCaseSensitive(in, "contact_id");
    if (cid) {
        ch->contact_set = true;
        if (!cJSON_IsNull(cid) && !json_id_value(cid, &ch->contact_id)) {
            json_error(rs, SRV_BAD_REQUEST, "contact_id must be a contact's id or null.");
            return -1;
        }
    }
    g = get_time(in, "extended_to", &ch->extended_to, rs);
    if (g == JSON_GET_BAD)
        return -1;
    ch->ext_set = g != JSON_GET_ABSENT;
    g = get_time(in, "subject_told_at", &ch->told_at, rs);
    if (g == JSON_GET_BAD)
        return -1;
    ch->told_set = g != JSON_GET_ABSENT;
    g = json_get_str(in, "extension_reason", TEXT_MAX_CHARS, &ch->reason, err, sizeof err);
    if (g == JSON_GET_BAD) {
        json_error(rs, SRV_BAD_REQUEST, err);
        return -1;
    }
    ch->reason_set = g != JSON_GET_ABSENT;
    g = json_get_str(in, "outcome", TEXT_MAX_CHARS, &ch->outcome, err, sizeof err);
    if (g == JSON_GET_BAD) {
        json_error(rs, SRV_BAD_REQUEST, err);
        return -1;
    }
    ch->outcome_set = g != JSON_GET_ABSENT;
    if (!ch->status && !ch->contact_set && !ch->ext_set && !ch->told_set && !ch->reason_set &&
        !ch->outcome_set) {
        json_error(rs, SRV_BAD_REQUEST,
                   "Nothing to change: give status, contact_id, extended_to, extension_reason, "
                   "subject_told_at or outcome.");
        return -1;
    }
    return 0;
}

/* The stored state of a request that a change is checked against. */
struct request_state {
    char status[16];
    int64_t received_at;
    bool has_ext, has_reason, has_outcome;
};

/* Loads id into s: 1 found, 0 absent, -1 failure. */
static int state_load(sqlite3 *db, int64_t id, struct request_state *s)
{
    sqlite3_stmt *st = NULL;
    int r, rc = -1;

    if (sqlite3_prepare_v2(db,
                           "SELECT status, received_at, extended_to IS NOT NULL,"
                           " coalesce(extension_reason, '') <> '', coalesce(outcome, '') <> ''"
                           " FROM privacy_requests WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_int64(st, 1, id);
    r = sqlite3_step(st);
    if (r == SQLITE_DONE) {
        rc = 0;
        goto out;
    }
    if (r != SQLITE_ROW)
        goto out;
    snprintf(s->status, sizeof s->status, "%s", (const char *)sqlite3_column_text(st, 0));
    s->received_at = sqlite3_column_int64(st, 1);
    s->has_ext = sqlite3_column_int(st, 2) != 0;
    s->has_reason = sqlite3_column_int(st, 3) != 0;
    s->has_outcome = sqlite3_column_int(st, 4) != 0;
    rc = 1;
out:
    sqlite3_finalize(st);
    return rc;
}

/* Checks ch against the stored state s. Returns 0, or -1 after a response. */
static int change_check(sqlite3 *db, const struct request_state *s, const struct request_change *ch,
                        struct srv_resp *rs)
{
    bool ext = ch->ext_set ? ch->extended_to != 0 : s->has_ext;
    bool reason = ch->reason_set ? (ch->reason && ch->reason[0]) : s->has_reason;
    bool outcome = ch->outcome_set ? (ch->outcome && ch->outcome[0]) : s->has_outcome;

    if (is_closed(s->status)) {
        json_errorf(rs, SRV_CONFLICT, "This request is closed (%s); it cannot change.", s->status);
        return -1;
    }
    if (ch->status && !transition_ok(s->status, ch->status)) {
        json_errorf(rs, SRV_CONFLICT, "A request cannot go from %s to %s.", s->status, ch->status);
        return -1;
    }
    if (ch->ext_set && ch->extended_to != 0 &&
        !duedate_extension_ok(s->received_at, ch->extended_to)) {
        char limit[32];

        db_iso_time(duedate_extension_limit(s->received_at), limit, sizeof limit);
        json_errorf(rs, SRV_BAD_REQUEST,
                    "extended_to must lie after the due date and no later than %s (three "
                    "months after receipt).",
                    limit);
        return -1;
    }
    if (ext && !reason) {
        json_error(rs, SRV_BAD_REQUEST, "An extension needs an extension_reason.");
        return -1;
    }
    if (ch->told_set && ch->told_at != 0 &&
        (ch->told_at < s->received_at || ch->told_at > db_now() + FUTURE_SLACK_S)) {
        json_error(rs, SRV_BAD_REQUEST, "subject_told_at must lie between the receipt and now.");
        return -1;
    }
    if (ch->status && is_closed(ch->status) && !outcome) {
        json_error(rs, SRV_BAD_REQUEST, "Closing a request needs an outcome.");
        return -1;
    }
    if (ch->contact_set && ch->contact_id != 0) {
        sqlite3_stmt *st = NULL;
        int r = SQLITE_ERROR;

        if (sqlite3_prepare_v2(db, "SELECT 1 FROM contacts WHERE id = ?1", -1, &st, NULL) ==
            SQLITE_OK) {
            sqlite3_bind_int64(st, 1, ch->contact_id);
            r = sqlite3_step(st);
        }
        sqlite3_finalize(st);
        if (r == SQLITE_DONE) {
            json_error(rs, SRV_BAD_REQUEST, "contact_id names no contact.");
            return -1;
        }
        if (r != SQLITE_ROW) {
            json_error(rs, SRV_INTERNAL, NULL);
            return -1;
        }
    }
    return 0;
}

static void bind_opt_int(sqlite3_stmt *st, int flag_i, bool set, int64_t v)
{
    sqlite3_bind_int(st, flag_i, set);
    if (set && v != 0)
        sqlite3_bind_int64(st, flag_i + 1, v);
    else
        sqlite3_bind_null(st, flag_i + 1);
}

static void bind_opt_text(sqlite3_stmt *st, int flag_i, bool set, const char *v)
{
    sqlite3_bind_int(st, flag_i, set);
    if (set && v && v[0])
        sqlite3_bind_text(st, flag_i + 1, v, -1, SQLITE_STATIC);
    else
        sqlite3_bind_null(st, flag_i + 1);
}

/* Replaces the email of closed request id by its reference and writes the
 * receipt. Inside the caller's transaction. */
static int request_close(sqlite3 *db, int64_t id, int64_t actor)
{
    sqlite3_stmt *st = NULL;
    char ref[65];
    int rc = -1;

    if (erase_subject_ref(db, "request", id, ref) < 0)
        goto out;
    if (sqlite3_prepare_v2(db,
                           "UPDATE privacy_requests SET subject_email = NULL, subject_ref = ?1"
                           " WHERE id = ?2",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_text(st, 1, ref, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, id);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto out;
    if (audit_write(db, 0, actor, "request.close", ref, NULL, NULL) == 0)
        rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

void handlers_requests_update(const struct srv_req *rq, struct srv_resp *rs)
{
    const cJSON *in = cJSON_GetObjectItemCaseSensitive(rq->body, "privacy_request");
    struct request_change ch;
    struct request_state s;
    sqlite3_stmt *st = NULL;
    bool closing;
    int r;

    if (!cJSON_IsObject(in)) {
        json_error(rs, SRV_BAD_REQUEST, "The body must be {\"privacy_request\":{...}}.");
        return;
    }
    if (change_parse(in, &ch, rs) < 0)
        return;
    if (db_begin(rq->db) < 0)
        goto fail;
    r = state_load(rq->db, rq->ids[0], &s);
    if (r < 0)
        goto fail;
    if (r == 0) {
        db_rollback(rq->db);
        json_error(rs, SRV_NOT_FOUND, "No privacy request with this id.");
        return;
    }
    if (change_check(rq->db, &s, &ch, rs) < 0) {
        db_rollback(rq->db);
        return;
    }
    if (sqlite3_prepare_v2(rq->db,
                           "UPDATE privacy_requests SET status = coalesce(?1, status),"
                           " contact_id = CASE ?2 WHEN 1 THEN ?3 ELSE contact_id END,"
                           " extended_to = CASE ?4 WHEN 1 THEN ?5 ELSE extended_to END,"
                           " extension_reason = CASE ?6 WHEN 1 THEN ?7 ELSE extension_reason END,"
                           " subject_told_at = CASE ?8 WHEN 1 THEN ?9 ELSE subject_told_at END,"
                           " outcome = CASE ?10 WHEN 1 THEN ?11 ELSE outcome END WHERE id = ?12",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    if (ch.status)
        sqlite3_bind_text(st, 1, ch.status, -1, SQLITE_STATIC);
    bind_opt_int(st, 2, ch.contact_set, ch.contact_id);
    bind_opt_int(st, 4, ch.ext_set, ch.extended_to);
    bind_opt_text(st, 6, ch.reason_set, ch.reason);
    bind_opt_int(st, 8, ch.told_set, ch.told_at);
    bind_opt_text(st, 10, ch.outcome_set, ch.outcome);
    sqlite3_bind_int64(st, 12, rq->ids[0]);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    st = NULL;
    closing = ch.status && is_closed(ch.status);
    if (closing && request_close(rq->db, rq->ids[0], rq->user.id) < 0)
        goto fail;
    if (db_commit(rq->db) < 0)
        goto fail;
    if (closing)
        erase_checkpoint(rq->db); /* the email's old page leaves the WAL */
    request_reply(rq->db, rq->ids[0], rs);
    return;
fail:
    sqlite3_finalize(st);
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}
