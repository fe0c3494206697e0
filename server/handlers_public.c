/* Pages for the contact, without an account: unsubscribe and opt-in links
 * from emails, and the web forms with their unticked consent box. Every
 * change is recorded on the contact's timeline with its source (email_link,
 * web_form), null as the user. */
#include "server/handlers_public.h"

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server/db.h"
#include "server/handlers_activities.h"
#include "server/handlers_contacts.h"
#include "server/handlers_email.h"
#include "server/status.h"

#define PAGE_MAX 4096

/* ---- pages ---- */

/* Appends s to out (cap bytes, used *len) with HTML escapes. */
static void esc(char *out, size_t cap, size_t *len, const char *s)
{
    for (; s && *s && *len + 7 < cap; s++) {
        const char *r = NULL;
        switch (*s) {
        case '<':
            r = "&lt;";
            break;
        case '>':
            r = "&gt;";
            break;
        case '&':
            r = "&amp;";
            break;
        case '"':
            r = "&quot;";
            break;
        case '\'':
            r = "&#39;";
            break;
        default:
            break;
        }
        if (r) {
            size_t n = strlen(r);
            memcpy(out + *len, r, n);
            *len += n;
        } else {
            out[(*len)++] = *s;
        }
    }
    out[*len] = '\0';
}

/* Appends literal text. */
static void lit(char *out, size_t cap, size_t *len, const char *s)
{
    size_t n = strlen(s);

    if (*len + n >= cap)
        n = cap - *len - 1;
    memcpy(out + *len, s, n);
    *len += n;
    out[*len] = '\0';
}

/* Sets rs to an HTML page: title (escaped), then body_html (trusted markup). */
static void page(struct srv_resp *rs, int status, const char *title, const char *body_html)
{
    char *out = json_xmalloc(PAGE_MAX);
    size_t len = 0;

    out[0] = '\0';
    lit(out, PAGE_MAX, &len,
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<title>");
    esc(out, PAGE_MAX, &len, title);
    lit(out, PAGE_MAX, &len, "</title></head>\n<body>\n<h1>");
    esc(out, PAGE_MAX, &len, title);
    lit(out, PAGE_MAX, &len, "</h1>\n");
    lit(out, PAGE_MAX, &len, body_html);
    lit(out, PAGE_MAX, &len, "\n</body></html>\n");
    json_resp_clear(rs);
    rs->status = status;
    rs->body = out;
    rs->len = len;
    rs->content_type = "text/html; charset=utf-8";
}

/* A page whose one paragraph is text (escaped). */
static void message(struct srv_resp *rs, int status, const char *title, const char *text)
{
    char p[1024];
    size_t len = 0;

    p[0] = '\0';
    lit(p, sizeof p, &len, "<p>");
    esc(p, sizeof p, &len, text);
    lit(p, sizeof p, &len, "</p>");
    page(rs, status, title, p);
}

/* ---- the form decoder ---- */

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Decodes n bytes of s into out (cap bytes with the NUL); -1 when malformed
 * or too long. */
static int pct_decode(const char *s, size_t n, char *out, size_t cap)
{
    size_t i, o = 0;

    for (i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '+') {
            c = ' ';
        } else if (c == '%') {
            int hi, lo;
            if (i + 2 >= n)
                return -1;
            hi = hexval(s[i + 1]);
            lo = hexval(s[i + 2]);
            if (hi < 0 || lo < 0)
                return -1;
            c = hi * 16 + lo;
            i += 2;
        } else if (c <= ' ' || c >= 0x7f || c == '=' || c == '&') {
            return -1; /* raw bytes outside the URL-safe set are not encoded forms */
        }
        if (c < 0x20 || c == 0x7f || o + 1 >= cap)
            return -1;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    return json_utf8_valid(out, o) ? 0 : -1;
}

int handlers_public_form_decode(const char *body, size_t len, const char *const *names, size_t n,
                                char (*values)[FORM_VALUE_MAX + 1], int *seen, char *err,
                                size_t errlen)
{
    size_t pos = 0, pairs = 0, i;
    char name[64];

    for (i = 0; i < n; i++) {
        seen[i] = 0;
        values[i][0] = '\0';
    }
    if (len > FORM_BODY_MAX) {
        snprintf(err, errlen, "The form is larger than %d bytes.", FORM_BODY_MAX);
        return -1;
    }
    while (pos < len) {
        const char *pair = body + pos, *amp = memchr(pair, '&', len - pos), *eq;
        size_t plen = amp ? (size_t)(amp - pair) : len - pos;

        if (++pairs > FORM_FIELDS_MAX) {
            snprintf(err, errlen, "The form has more than %d fields.", FORM_FIELDS_MAX);
            return -1;
        }
        eq = memchr(pair, '=', plen);
        if (plen == 0 || !eq || eq == pair) {
            snprintf(err, errlen, "The form is not in name=value form.");
            return -1;
        }
        if (pct_decode(pair, (size_t)(eq - pair), name, sizeof name) < 0) {
            snprintf(err, errlen, "A field name of the form is not valid.");
            return -1;
        }
        for (i = 0; i < n && strcmp(name, names[i]) != 0; i++)
            ;
        if (i == n) {
            snprintf(err, errlen, "The form has a field it does not know.");
            return -1;
        }
        if (seen[i]) {
            snprintf(err, errlen, "The field %s appears twice.", names[i]);
            return -1;
        }
        if (pct_decode(eq + 1, plen - (size_t)(eq + 1 - pair), values[i], FORM_VALUE_MAX + 1) < 0) {
            snprintf(err, errlen, "The field %s is not valid or longer than %d bytes.", names[i],
                     FORM_VALUE_MAX);
            return -1;
        }
        seen[i] = 1;
        pos += plen + (amp ? 1 : 0);
        if (amp && pos == len) {
            snprintf(err, errlen, "The form is not in name=value form.");
            return -1;
        }
    }
    return 0;
}

/* ---- shared steps ---- */

static cJSON *link_data(const char *source, const char *purpose, const char *email)
{
    cJSON *d = cJSON_CreateObject();

    cJSON_AddStringToObject(d, "source", source);
    cJSON_AddStringToObject(d, "channel", "email");
    if (purpose)
        cJSON_AddStringToObject(d, "purpose", purpose);
    if (email)
        cJSON_AddStringToObject(d, "email", email);
    return d;
}

/* Runs sql with the contact id (and optional text ?2); rows changed or -1. */
static int exec_contact(sqlite3 *db, const char *sql, int64_t id, const char *text)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (text)
            sqlite3_bind_text(st, 2, text, -1, SQLITE_TRANSIENT);
        if (sqlite3_step(st) == SQLITE_DONE)
            rc = sqlite3_changes(db);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Sets the contact's updated_at (and what sql adds) at time now; rows or -1. */
static int touch(sqlite3 *db, const char *sql, int64_t id, int64_t now)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        sqlite3_bind_int64(st, 2, now);
        if (sqlite3_step(st) == SQLITE_DONE)
            rc = sqlite3_changes(db);
    }
    sqlite3_finalize(st);
    return rc;
}

/* Grants purpose to contact id (subscription, status subscribed) and records
 * consent_granted with data (taken). Returns 1 granted, 0 already held, -1. */
static int grant(sqlite3 *db, int64_t id, const char *purpose, bool lift_dnd, cJSON *data)
{
    int64_t now = db_now();
    int n;

    n = exec_contact(db,
                     "INSERT OR IGNORE INTO subscriptions (contact_id, purpose) VALUES (?1, ?2)",
                     id, purpose);
    if (n <= 0) {
        cJSON_Delete(data);
        return n;
    }
    if (lift_dnd && exec_contact(db,
                                 "UPDATE contacts SET do_not_disturb = 0 WHERE id = ?1"
                                 " AND do_not_disturb = 1",
                                 id, NULL) == 1)
        cJSON_AddStringToObject(data, "detail", "do_not_disturb off");
    if (touch(db, "UPDATE contacts SET subscription_status = 1, updated_at = ?2 WHERE id = ?1", id,
              now) < 0) {
        cJSON_Delete(data);
        return -1;
    }
    return handlers_activities_add(db, id, 0, "consent_granted", data, now) < 0 ? -1 : 1;
}

/* The token's contact, purpose and email: 1, 0 when unknown, -1 on error. */
static int token_find(sqlite3 *db, const char *token, const char *kind, int64_t *contact,
                      char *purpose, size_t plen, char *email, size_t elen)
{
    sqlite3_stmt *st = NULL;
    int rc = -1, s;

    if (strlen(token) != EMAIL_TOKEN_LEN || strspn(token, "0123456789abcdef") != EMAIL_TOKEN_LEN)
        return 0;
    if (sqlite3_prepare_v2(db,
                           "SELECT contact_id, coalesce(purpose, ''), coalesce(email, '')"
                           " FROM tokens WHERE token = ?1 AND kind = ?2",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, token, -1, SQLITE_STATIC);
        sqlite3_bind_text(st, 2, kind, -1, SQLITE_STATIC);
        s = sqlite3_step(st);
        if (s == SQLITE_ROW) {
            *contact = sqlite3_column_int64(st, 0);
            snprintf(purpose, plen, "%s", (const char *)sqlite3_column_text(st, 1));
            snprintf(email, elen, "%s", (const char *)sqlite3_column_text(st, 2));
            rc = 1;
        } else if (s == SQLITE_DONE) {
            rc = 0;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* ---- /u/{token} ---- */

static void unsubscribe(sqlite3 *db, const char *token, struct srv_resp *rs)
{
    sqlite3_stmt *st = NULL;
    char purpose[64], email[320];
    int64_t id = 0, now = db_now();
    cJSON *removed, *d, *it;
    bool dnd = false;
    int status = 0, r;

    if (db_begin(db) < 0)
        goto fail;
    r = token_find(db, token, "unsubscribe", &id, purpose, sizeof purpose, email, sizeof email);
    if (r < 0)
        goto fail;
    if (r == 0) {
        db_rollback(db);
        message(rs, SRV_NOT_FOUND, "Link not valid",
                "This unsubscribe link is not valid, or its contact no longer exists.");
        return;
    }
    if (sqlite3_prepare_v2(db,
                           "SELECT do_not_disturb, subscription_status FROM contacts WHERE id = ?1",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW)
        goto fail;
    dnd = sqlite3_column_int(st, 0) != 0;
    status = sqlite3_column_int(st, 1);
    sqlite3_finalize(st);
    removed = cJSON_CreateArray();
    if (sqlite3_prepare_v2(db, "SELECT purpose FROM subscriptions WHERE contact_id = ?1 ORDER BY 1",
                           -1, &st, NULL) != SQLITE_OK) {
        cJSON_Delete(removed);
        goto fail;
    }
    sqlite3_bind_int64(st, 1, id);
    while ((r = sqlite3_step(st)) == SQLITE_ROW)
        cJSON_AddItemToArray(removed, cJSON_CreateString((const char *)sqlite3_column_text(st, 0)));
    sqlite3_finalize(st);
    st = NULL;
    if (r != SQLITE_DONE) {
        cJSON_Delete(removed);
        goto fail;
    }
    if (dnd && status == 0 && cJSON_GetArraySize(removed) == 0) {
        cJSON_Delete(removed);
        db_rollback(db);
        message(rs, SRV_OK, "Unsubscribed",
                "You were already unsubscribed: you get no more emails.");
        return;
    }
    cJSON_ArrayForEach(it, removed)
    {
        if (handlers_activities_add(db, id, 0, "consent_withdrawn",
                                    link_data("email_link", it->valuestring, email), now) < 0) {
            cJSON_Delete(removed);
            goto fail;
        }
    }
    d = link_data("email_link", NULL, email);
    cJSON_AddStringToObject(d, "detail", "do_not_disturb on");
    cJSON_AddItemToObject(d, "purposes", removed);
    if (exec_contact(db, "DELETE FROM subscriptions WHERE contact_id = ?1", id, NULL) < 0 ||
        touch(db,
              "UPDATE contacts SET do_not_disturb = 1, subscription_status = 0,"
              " updated_at = ?2 WHERE id = ?1",
              id, now) < 0 ||
        handlers_activities_add(db, id, 0, "unsubscribed", d, now) < 0 || db_commit(db) < 0)
        goto fail;
    message(rs, SRV_OK, "Unsubscribed",
            "You are unsubscribed: you will get no more emails from us.");
    return;
fail:
    sqlite3_finalize(st);
    db_rollback(db);
    message(rs, SRV_INTERNAL, "Something went wrong", "Please try the link again later.");
}

/* ---- /optin/{token} ---- */

static void optin(sqlite3 *db, const char *token, struct srv_resp *rs)
{
    char purpose[64], email[320], text[160];
    int64_t id = 0;
    int r;

    if (db_begin(db) < 0)
        goto fail;
    r = token_find(db, token, "optin", &id, purpose, sizeof purpose, email, sizeof email);
    if (r < 0)
        goto fail;
    if (r == 0) {
        db_rollback(db);
        message(rs, SRV_NOT_FOUND, "Link not valid",
                "This confirmation link is not valid, or its contact no longer exists.");
        return;
    }
    /* Following the link proves the address: consent, and DND lifted. */
    r = grant(db, id, purpose, true, link_data("email_link", purpose, email));
    if (r < 0 || db_commit(db) < 0)
        goto fail;
    snprintf(text, sizeof text, "%s: you will get emails about %s.",
             r ? "Thank you" : "You had already confirmed", purpose);
    message(rs, SRV_OK, "Confirmed", text);
    return;
fail:
    db_rollback(db);
    message(rs, SRV_INTERNAL, "Something went wrong", "Please try the link again later.");
}

/* ---- /forms/{id} ---- */

struct form {
    int64_t id;
    char name[128];
    char purpose[64];
};

/* 1 and *f, 0 when no such form, -1 on error. */
static int form_load(sqlite3 *db, const char *idtext, struct form *f)
{
    sqlite3_stmt *st = NULL;
    int rc = -1, s;
    size_t i, n = strlen(idtext);

    if (n == 0 || n > 9 || idtext[0] == '0')
        return 0;
    f->id = 0;
    for (i = 0; i < n; i++) {
        if (idtext[i] < '0' || idtext[i] > '9')
            return 0;
        f->id = f->id * 10 + (idtext[i] - '0');
    }
    if (sqlite3_prepare_v2(db, "SELECT name, purpose FROM forms WHERE id = ?1", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int64(st, 1, f->id);
        s = sqlite3_step(st);
        if (s == SQLITE_ROW) {
            snprintf(f->name, sizeof f->name, "%s", (const char *)sqlite3_column_text(st, 0));
            snprintf(f->purpose, sizeof f->purpose, "%s", (const char *)sqlite3_column_text(st, 1));
            rc = 1;
        } else if (s == SQLITE_DONE) {
            rc = 0;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

static void form_page(const struct form *f, struct srv_resp *rs)
{
    char html[2048];
    size_t len = 0;
    char action[64];

    html[0] = '\0';
    snprintf(action, sizeof action, "/forms/%lld", (long long)f->id);
    lit(html, sizeof html, &len, "<form method=\"post\" action=\"");
    lit(html, sizeof html, &len, action);
    lit(html, sizeof html, &len,
        "\" accept-charset=\"utf-8\">\n"
        "<p><label>First name <input name=\"first_name\" maxlength=\"100\"></label></p>\n"
        "<p><label>Last name <input name=\"last_name\" maxlength=\"100\"></label></p>\n"
        "<p><label>Email <input name=\"email\" type=\"email\" required "
        "maxlength=\"254\"></label></p>\n"
        "<p><label><input type=\"checkbox\" name=\"consent\" value=\"yes\"> "
        "Yes, send me emails about ");
    esc(html, sizeof html, &len, f->purpose);
    lit(html, sizeof html, &len,
        ". I can unsubscribe at any time.</label></p>\n"
        "<p><button type=\"submit\">Send</button></p>\n</form>");
    page(rs, SRV_OK, f->name, html);
}

/* The live contact whose address is email: its id, 0 when none, -1. */
static int64_t contact_by_email(sqlite3 *db, const char *email)
{
    sqlite3_stmt *st = NULL;
    int64_t id = -1;
    int s;

    if (sqlite3_prepare_v2(
            db,
            "SELECT c.id FROM contact_emails e JOIN contacts c ON c.id = e.contact_id"
            " WHERE e.value = ?1 COLLATE NOCASE AND c.is_deleted = 0"
            " ORDER BY c.id LIMIT 1",
            -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, email, -1, SQLITE_STATIC);
        s = sqlite3_step(st);
        id = s == SQLITE_ROW ? sqlite3_column_int64(st, 0) : s == SQLITE_DONE ? 0 : -1;
    }
    sqlite3_finalize(st);
    return id;
}

/* Runs a contacts route as the web form (no user, source web_form) with the
 * body {"contact":c} (taken). Returns the HTTP status; *id receives the
 * contact id on 200; err the first error message otherwise. */
static int as_form(sqlite3 *db, router_fn fn, int64_t id_in, cJSON *c, int64_t *id, char *err,
                   size_t errlen)
{
    struct srv_req rq;
    struct srv_resp rs;
    cJSON *body = cJSON_CreateObject(), *reply;
    int status;

    memset(&rq, 0, sizeof rq);
    memset(&rs, 0, sizeof rs);
    cJSON_AddItemToObject(body, "contact", c);
    rq.db = db;
    rq.ids[0] = id_in;
    rq.body = body;
    rq.source = "web_form";
    fn(&rq, &rs);
    status = rs.status;
    reply = rs.body ? cJSON_ParseWithLength(rs.body, rs.len) : NULL;
    err[0] = '\0';
    if (status == SRV_OK) {
        const cJSON *cc = cJSON_GetObjectItemCaseSensitive(reply, "contact");
        if (!json_id_value(cJSON_GetObjectItemCaseSensitive(cc, "id"), id))
            status = SRV_INTERNAL;
    } else {
        const cJSON *m = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(reply, "errors"), "message");
        const cJSON *first = cJSON_IsArray(m) ? cJSON_GetArrayItem(m, 0) : m;
        snprintf(err, errlen, "%s", cJSON_IsString(first) ? first->valuestring : "");
    }
    cJSON_Delete(reply);
    cJSON_Delete(body);
    free(rs.body);
    return status;
}

/* Names the contact lacks, filled from the form (never overwritten). */
static cJSON *missing_names(sqlite3 *db, int64_t id, const char *first, const char *last)
{
    sqlite3_stmt *st = NULL;
    cJSON *c = NULL;

    if (sqlite3_prepare_v2(db,
                           "SELECT first_name IS NULL, last_name IS NULL FROM contacts"
                           " WHERE id = ?1",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) == SQLITE_ROW) {
            if (sqlite3_column_int(st, 0) && first[0]) {
                c = cJSON_CreateObject();
                cJSON_AddStringToObject(c, "first_name", first);
            }
            if (sqlite3_column_int(st, 1) && last[0]) {
                if (!c)
                    c = cJSON_CreateObject();
                cJSON_AddStringToObject(c, "last_name", last);
            }
        }
    }
    sqlite3_finalize(st);
    return c;
}

static void form_submit(sqlite3 *db, const struct form *f, const char *ctype, const char *body,
                        size_t len, struct srv_resp *rs)
{
    static const char *const names[] = {"first_name", "last_name", "email", "consent"};
    char values[4][FORM_VALUE_MAX + 1], err[256], text[320];
    int seen[4], status, r = 0;
    bool consent = false;
    int64_t id = 0;
    cJSON *c, *d;

    if (!ctype || strncasecmp(ctype, "application/x-www-form-urlencoded", 33) != 0 ||
        (ctype[33] != '\0' && ctype[33] != ';')) {
        message(rs, SRV_BAD_REQUEST, "Form not sent",
                "The form must be sent as application/x-www-form-urlencoded.");
        return;
    }
    if (len > FORM_BODY_MAX) {
        message(rs, SRV_TOO_LARGE, "Form not sent", "The form is too large.");
        return;
    }
    if (handlers_public_form_decode(body, len, names, 4, values, seen, err, sizeof err) < 0) {
        message(rs, SRV_BAD_REQUEST, "Form not sent", err);
        return;
    }
    if (seen[3]) {
        if (strcmp(values[3], "yes") != 0 && strcmp(values[3], "on") != 0) {
            message(rs, SRV_BAD_REQUEST, "Form not sent",
                    "The consent box has a value it does not know.");
            return;
        }
        consent = true;
    }
    if (!values[2][0]) {
        message(rs, SRV_BAD_REQUEST, "Form not sent", "An email address is required.");
        return;
    }
    id = contact_by_email(db, values[2]);
    if (id < 0)
        goto fail;
    if (id == 0) {
        c = cJSON_CreateObject();
        if (values[0][0])
            cJSON_AddStringToObject(c, "first_name", values[0]);
        if (values[1][0])
            cJSON_AddStringToObject(c, "last_name", values[1]);
        cJSON_AddStringToObject(c, "email", values[2]);
        cJSON_AddNullToObject(c, "owner_id");
        status = as_form(db, handlers_contacts_create, 0, c, &id, err, sizeof err);
    } else if ((c = missing_names(db, id, values[0], values[1])) != NULL) {
        status = as_form(db, handlers_contacts_update, id, c, &id, err, sizeof err);
    } else {
        status = SRV_OK;
    }
    if (status == SRV_BAD_REQUEST) {
        message(rs, SRV_BAD_REQUEST, "Form not sent", err[0] ? err : "The form is not valid.");
        return;
    }
    if (status != SRV_OK)
        goto fail;
    if (consent) {
        /* Anyone can type an address here: consent is recorded, but Do Not
         * Disturb is lifted only by the double opt-in link. */
        if (db_begin(db) < 0)
            goto fail;
        d = link_data("web_form", f->purpose, NULL);
        json_add_int64(d, "form_id", f->id);
        cJSON_AddStringToObject(d, "form_name", f->name);
        r = grant(db, id, f->purpose, false, d);
        if (r < 0 || db_commit(db) < 0) {
            db_rollback(db);
            goto fail;
        }
    }
    snprintf(text, sizeof text, "Thank you.%s%s%s", consent ? " You will get emails about " : "",
             consent ? f->purpose : "", consent ? "." : "");
    message(rs, SRV_OK, f->name, text);
    return;
fail:
    message(rs, SRV_INTERNAL, "Something went wrong", "Please send the form again later.");
}

/* ---- dispatch ---- */

static const struct {
    const char *prefix, *name, *methods;
} public_routes[] = {
    {"/u/", "/u/{token}", "GET"},
    {"/optin/", "/optin/{token}", "GET"},
    {"/forms/", "/forms/{id}", "GET, POST"},
};

static int route_index(const char *path)
{
    size_t i, n;

    for (i = 0; i < sizeof public_routes / sizeof public_routes[0]; i++) {
        n = strlen(public_routes[i].prefix);
        if (strncmp(path, public_routes[i].prefix, n) == 0 && path[n] && !strchr(path + n, '/'))
            return (int)i;
    }
    return -1;
}

const char *handlers_public_route(const char *path)
{
    int i = route_index(path);

    return i < 0 ? NULL : public_routes[i].name;
}

void handlers_public_serve(sqlite3 *db, const char *method, const char *path,
                           const char *content_type, const char *body, size_t len,
                           struct srv_resp *rs)
{
    int i = route_index(path);
    const char *arg;
    struct form f;

    if (i < 0) {
        message(rs, SRV_NOT_FOUND, "Not found", "There is no page here.");
        return;
    }
    arg = path + strlen(public_routes[i].prefix);
    if (strcmp(method, "GET") != 0 && !(i == 2 && strcmp(method, "POST") == 0)) {
        message(rs, SRV_METHOD_NOT_ALLOWED, "Not allowed", "This page does not take that method.");
        snprintf(rs->allow, sizeof rs->allow, "%s", public_routes[i].methods);
        return;
    }
    if (i == 0) {
        unsubscribe(db, arg, rs);
        return;
    }
    if (i == 1) {
        optin(db, arg, rs);
        return;
    }
    switch (form_load(db, arg, &f)) {
    case 1:
        break;
    case 0:
        message(rs, SRV_NOT_FOUND, "Not found", "There is no such form.");
        return;
    default:
        message(rs, SRV_INTERNAL, "Something went wrong", "Please try again later.");
        return;
    }
    if (strcmp(method, "GET") == 0)
        form_page(&f, rs);
    else
        form_submit(db, &f, content_type, body, len, rs);
}
