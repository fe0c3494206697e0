/* Contacts: rendering one as JSON, and the routes that create, read, change,
 * soft-delete, restore and forget them. Every write runs in one BEGIN
 * IMMEDIATE transaction, keeps the search index current and records what it
 * did on the contact's timeline (field names, never their values). */
#include "server/handlers_contacts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "server/db.h"
#include "server/enrichment.h"
#include "server/erase.h"
#include "server/handlers_activities.h"
#include "server/handlers_companies.h"
#include "server/handlers_notes.h"
#include "server/handlers_users.h"
#include "server/search.h"
#include "server/status.h"

enum field_kind {
    FK_NAME,  /* indexed for search */
    FK_PHONE, /* indexed for search; digits and phone punctuation only */
    FK_TEXT
};

/* The writable text fields of a contact: JSON name (= column), the most
 * characters it may hold, its kind. */
#define CONTACT_TEXT_FIELDS(X)                                                                     \
    X(first_name, 255, FK_NAME)                                                                    \
    X(last_name, 255, FK_NAME)                                                                     \
    X(mobile_number, 50, FK_PHONE)                                                                 \
    X(work_number, 50, FK_PHONE)                                                                   \
    X(job_title, 255, FK_TEXT)                                                                     \
    X(department, 255, FK_TEXT)                                                                    \
    X(address, 1000, FK_TEXT)                                                                      \
    X(city, 255, FK_TEXT)                                                                          \
    X(state, 255, FK_TEXT)                                                                         \
    X(zipcode, 32, FK_TEXT)                                                                        \
    X(country, 255, FK_TEXT)                                                                       \
    X(time_zone, 64, FK_TEXT)                                                                      \
    X(unsubscription_reason, 1000, FK_TEXT)                                                        \
    X(facebook, 255, FK_TEXT)                                                                      \
    X(twitter, 255, FK_TEXT)                                                                       \
    X(linkedin, 255, FK_TEXT)                                                                      \
    X(avatar, 2048, FK_TEXT)

struct text_field {
    const char *name;
    size_t max_chars;
    enum field_kind kind;
};

static const struct text_field text_fields[] = {
#define TEXT_FIELD_ITEM(name, max, kind) {#name, max, kind},
    CONTACT_TEXT_FIELDS(TEXT_FIELD_ITEM)
#undef TEXT_FIELD_ITEM
};
#define N_TEXT ((int)(sizeof text_fields / sizeof text_fields[0]))

/* Columns of the contact row, in the order of contact_row_sql. */
enum contact_col {
    CC_ID,
    CC_EMAIL,
#define TEXT_FIELD_ENUM(name, max, kind) CC_##name,
    CONTACT_TEXT_FIELDS(TEXT_FIELD_ENUM)
#undef TEXT_FIELD_ENUM
        CC_OWNER_ID,
    CC_SALES_ACCOUNT_ID,
    CC_LEAD_SCORE,
    CC_DND,
    CC_SUB_STATUS,
    CC_CUSTOM_FIELD,
    CC_TAGS,
    CC_CHAT_TIMELINE,
    CC_LAST_SEEN_IP,
    CC_IS_DELETED,
    CC_CREATED_AT,
    CC_UPDATED_AT
};
#define CC_TEXT0 CC_first_name

#define TEXT_FIELD_SQL(name, max, kind) #name ", "
static const char contact_row_sql[] = "SELECT id, email, " CONTACT_TEXT_FIELDS(
    TEXT_FIELD_SQL) "owner_id, sales_account_id,"
                    " lead_score, do_not_disturb, subscription_status, custom_field, tags,"
                    " chat_events_timeline, last_seen_ip, is_deleted, created_at, updated_at"
                    " FROM contacts WHERE id = ?1";
#undef TEXT_FIELD_SQL

#define EMAILS_MAX        10  /* addresses one contact may hold */
#define EMAIL_MAX_CHARS   254 /* RFC 5321 path limit */
#define LABEL_MAX_CHARS   64
#define TAGS_MAX          50
#define TAG_MAX_CHARS     64
#define CUSTOM_MAX        50 /* custom fields of one contact */
#define CUSTOM_KEY_MAX    64
#define CUSTOM_VALUE_MAX  1000
#define PURPOSES_MAX      16
#define PURPOSE_MAX_CHARS 32
#define LEAD_SCORE_MAX    1000000

static char *xstrdup(const char *s)
{
    size_t n;
    char *p;

    if (!s)
        return NULL;
    n = strlen(s);
    p = json_xmalloc(n + 1);
    memcpy(p, s, n + 1);
    return p;
}

/* ---- rendering ---------------------------------------------------------- */

struct contacts_render {
    sqlite3_stmt *row, *emails, *subs;
};

struct contacts_render *handlers_contacts_render_new(sqlite3 *db)
{
    struct contacts_render *r = json_xmalloc(sizeof *r);

    memset(r, 0, sizeof *r);
    if (sqlite3_prepare_v2(db, contact_row_sql, -1, &r->row, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT id, value, is_primary, label FROM contact_emails"
                           " WHERE contact_id = ?1 ORDER BY is_primary DESC, id",
                           -1, &r->emails, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(db,
                           "SELECT purpose FROM subscriptions WHERE contact_id = ?1"
                           " ORDER BY purpose",
                           -1, &r->subs, NULL) != SQLITE_OK)
        handlers_contacts_render_free(&r);
    return r;
}

void handlers_contacts_render_free(struct contacts_render **pp)
{
    if (!pp || !*pp)
        return;
    sqlite3_finalize((*pp)->row);
    sqlite3_finalize((*pp)->emails);
    sqlite3_finalize((*pp)->subs);
    free(*pp);
    *pp = NULL;
}

static const char *col_text(sqlite3_stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st, col);
}

static void add_display_name(cJSON *c, const char *first, const char *last, const char *email)
{
    char buf[1024];

    if ((first && *first) || (last && *last)) {
        snprintf(buf, sizeof buf, "%s%s%s", first && *first ? first : "",
                 first && *first && last && *last ? " " : "", last && *last ? last : "");
        cJSON_AddStringToObject(c, "display_name", buf);
    } else {
        json_add_str(c, "display_name", email);
    }
}

cJSON *handlers_contacts_render(struct contacts_render *r, int64_t id, int64_t *owner_id,
                                int64_t *company_id)
{
    sqlite3_stmt *st = r->row;
    cJSON *c = NULL, *list;
    int i, rc;

    sqlite3_reset(st);
    sqlite3_bind_int64(st, 1, id);
    if (sqlite3_step(st) != SQLITE_ROW)
        goto fail;

    c = cJSON_CreateObject();
    json_add_int64(c, "id", id);
    json_add_str(c, "first_name", col_text(st, CC_first_name));
    json_add_str(c, "last_name", col_text(st, CC_last_name));
    add_display_name(c, col_text(st, CC_first_name), col_text(st, CC_last_name),
                     col_text(st, CC_EMAIL));
    json_add_str(c, "email", col_text(st, CC_EMAIL));

    list = cJSON_AddArrayToObject(c, "emails");
    sqlite3_reset(r->emails);
    sqlite3_bind_int64(r->emails, 1, id);
    while ((rc = sqlite3_step(r->emails)) == SQLITE_ROW) {
        cJSON *e = cJSON_CreateObject();
        json_add_int64(e, "id", sqlite3_column_int64(r->emails, 0));
        json_add_str(e, "value", col_text(r->emails, 1));
        cJSON_AddBoolToObject(e, "is_primary", sqlite3_column_int(r->emails, 2) != 0);
        json_add_str(e, "label", col_text(r->emails, 3));
        cJSON_AddItemToArray(list, e);
    }
    if (rc != SQLITE_DONE)
        goto fail;

    for (i = 2; i < N_TEXT; i++)
        json_add_str(c, text_fields[i].name, col_text(st, CC_TEXT0 + i));

    if (sqlite3_column_type(st, CC_OWNER_ID) == SQLITE_NULL)
        cJSON_AddNullToObject(c, "owner_id");
    else
        json_add_int64(c, "owner_id", sqlite3_column_int64(st, CC_OWNER_ID));
    if (sqlite3_column_type(st, CC_SALES_ACCOUNT_ID) == SQLITE_NULL)
        cJSON_AddNullToObject(c, "sales_account_id");
    else
        json_add_int64(c, "sales_account_id", sqlite3_column_int64(st, CC_SALES_ACCOUNT_ID));
    if (owner_id)
        *owner_id = sqlite3_column_int64(st, CC_OWNER_ID);
    if (company_id)
        *company_id = sqlite3_column_int64(st, CC_SALES_ACCOUNT_ID);
    json_add_int64(c, "lead_score", sqlite3_column_int64(st, CC_LEAD_SCORE));
    cJSON_AddBoolToObject(c, "do_not_disturb", sqlite3_column_int(st, CC_DND) != 0);
    cJSON_AddNumberToObject(c, "subscription_status", sqlite3_column_int(st, CC_SUB_STATUS));

    list = cJSON_AddArrayToObject(c, "subscription_types");
    sqlite3_reset(r->subs);
    sqlite3_bind_int64(r->subs, 1, id);
    while ((rc = sqlite3_step(r->subs)) == SQLITE_ROW)
        cJSON_AddItemToArray(list, cJSON_CreateString(col_text(r->subs, 0)));
    if (rc != SQLITE_DONE)
        goto fail;

    cJSON_AddItemToObject(c, "custom_field",
                          json_stored(col_text(st, CC_CUSTOM_FIELD), cJSON_Object));
    cJSON_AddItemToObject(c, "tags", json_stored(col_text(st, CC_TAGS), cJSON_Array));
    cJSON_AddBoolToObject(c, "is_deleted", sqlite3_column_int(st, CC_IS_DELETED) != 0);
    json_add_time(c, "created_at", sqlite3_column_int64(st, CC_CREATED_AT));
    json_add_time(c, "updated_at", sqlite3_column_int64(st, CC_UPDATED_AT));
    cJSON_AddBoolToObject(c, "chat_events_timeline", sqlite3_column_int(st, CC_CHAT_TIMELINE) != 0);
    json_add_str(c, "last_seen_ip", col_text(st, CC_LAST_SEEN_IP));
    sqlite3_reset(st);
    sqlite3_reset(r->emails);
    sqlite3_reset(r->subs);
    return c;
fail:
    sqlite3_reset(st);
    sqlite3_reset(r->emails);
    sqlite3_reset(r->subs);
    cJSON_Delete(c);
    return NULL;
}

/* Answers {"contact":{...}} plus the side-loads the include parameter asks for. */
static void contact_reply(const struct srv_req *rq, struct srv_resp *rs, int64_t id,
                          bool side_loads)
{
    struct contacts_render *r = handlers_contacts_render_new(rq->db);
    int64_t owner = 0, company = 0;
    cJSON *root = NULL, *c;

    if (!r)
        goto fail;
    c = handlers_contacts_render(r, id, &owner, &company);
    handlers_contacts_render_free(&r);
    if (!c) {
        json_error(rs, SRV_NOT_FOUND, "No contact with this id.");
        return;
    }
    root = cJSON_CreateObject();
    cJSON_AddItemToObject(root, "contact", c);
    if (side_loads && router_includes(rq, "owner")) {
        cJSON *users = cJSON_AddArrayToObject(root, "users");
        cJSON *u = owner ? handlers_users_brief(rq->db, owner) : NULL;
        if (u)
            cJSON_AddItemToArray(users, u);
    }
    if (side_loads && router_includes(rq, "sales_accounts")) {
        cJSON *companies = cJSON_AddArrayToObject(root, "sales_accounts");
        cJSON *co = company ? handlers_companies_json(rq->db, company) : NULL;
        if (co)
            cJSON_AddItemToArray(companies, co);
    }
    if (side_loads && router_includes(rq, "notes")) {
        cJSON *notes = handlers_notes_of_contact(rq->db, id);
        if (!notes)
            goto fail;
        cJSON_AddItemToObject(root, "notes", notes);
    }
    json_reply(rs, SRV_OK, root);
    return;
fail:
    cJSON_Delete(root);
    json_error(rs, SRV_INTERNAL, NULL);
}

void handlers_contacts_show(const struct srv_req *rq, struct srv_resp *rs)
{
    contact_reply(rq, rs, rq->ids[0], true);
}

/* ---- the stored state of a contact, and what a body changes ------------- */

struct email_entry {
    char value[EMAIL_MAX_CHARS * 4 + 1];
    char label[LABEL_MAX_CHARS * 4 + 1];
    bool has_label;
    bool primary;
};

struct email_list {
    struct email_entry e[EMAILS_MAX];
    int n;
};

struct purpose_set {
    char p[PURPOSES_MAX][PURPOSE_MAX_CHARS + 1];
    int n;
};

/* A contact as stored, with owned copies of its values. */
struct contact_state {
    bool exists;
    char *text[N_TEXT];
    char *email;
    int64_t owner_id, sales_account_id, lead_score;
    int dnd, sub_status, chat_timeline, is_deleted;
    char *custom_field, *tags;
    struct email_list emails;
    struct purpose_set purposes;
};

static void state_clear(struct contact_state *s)
{
    int i;

    for (i = 0; i < N_TEXT; i++)
        free(s->text[i]);
    free(s->email);
    free(s->custom_field);
    free(s->tags);
}

/* The defaults of a new contact (the schema's). */
static void state_new(struct contact_state *s)
{
    memset(s, 0, sizeof *s);
    s->sub_status = 2;
    s->chat_timeline = 1;
    s->custom_field = xstrdup("{}");
    s->tags = xstrdup("[]");
}

static void copy_bounded(char *dst, size_t dstlen, const char *src)
{
    snprintf(dst, dstlen, "%s", src ? src : "");
}

/* Loads contact id. Returns 1, 0 when absent, -1 on error. */
static int state_load(sqlite3 *db, int64_t id, struct contact_state *s)
{
    sqlite3_stmt *st = NULL;
    int rc = -1, i, r;

    state_new(s);
    if (sqlite3_prepare_v2(db, contact_row_sql, -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_int64(st, 1, id);
    r = sqlite3_step(st);
    if (r == SQLITE_DONE) {
        rc = 0;
        goto out;
    }
    if (r != SQLITE_ROW)
        goto out;
    s->exists = true;
    for (i = 0; i < N_TEXT; i++)
        s->text[i] = xstrdup(col_text(st, CC_TEXT0 + i));
    s->email = xstrdup(col_text(st, CC_EMAIL));
    s->owner_id = sqlite3_column_int64(st, CC_OWNER_ID);
    s->sales_account_id = sqlite3_column_int64(st, CC_SALES_ACCOUNT_ID);
    s->lead_score = sqlite3_column_int64(st, CC_LEAD_SCORE);
    s->dnd = sqlite3_column_int(st, CC_DND) != 0;
    s->sub_status = sqlite3_column_int(st, CC_SUB_STATUS);
    s->chat_timeline = sqlite3_column_int(st, CC_CHAT_TIMELINE) != 0;
    s->is_deleted = sqlite3_column_int(st, CC_IS_DELETED) != 0;
    free(s->custom_field);
    free(s->tags);
    s->custom_field = xstrdup(col_text(st, CC_CUSTOM_FIELD) ? col_text(st, CC_CUSTOM_FIELD) : "{}");
    s->tags = xstrdup(col_text(st, CC_TAGS) ? col_text(st, CC_TAGS) : "[]");
    sqlite3_finalize(st);
    st = NULL;

    if (sqlite3_prepare_v2(db,
                           "SELECT value, is_primary, label FROM contact_emails"
                           " WHERE contact_id = ?1 ORDER BY is_primary DESC, id",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_int64(st, 1, id);
    while ((r = sqlite3_step(st)) == SQLITE_ROW && s->emails.n < EMAILS_MAX) {
        struct email_entry *e = &s->emails.e[s->emails.n++];
        copy_bounded(e->value, sizeof e->value, col_text(st, 0));
        e->primary = sqlite3_column_int(st, 1) != 0;
        e->has_label = sqlite3_column_type(st, 2) != SQLITE_NULL;
        copy_bounded(e->label, sizeof e->label, col_text(st, 2));
    }
    if (r != SQLITE_DONE && r != SQLITE_ROW)
        goto out;
    sqlite3_finalize(st);
    st = NULL;

    if (sqlite3_prepare_v2(db,
                           "SELECT purpose FROM subscriptions WHERE contact_id = ?1"
                           " ORDER BY purpose",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_int64(st, 1, id);
    while ((r = sqlite3_step(st)) == SQLITE_ROW && s->purposes.n < PURPOSES_MAX)
        copy_bounded(s->purposes.p[s->purposes.n++], sizeof s->purposes.p[0], col_text(st, 0));
    if (r != SQLITE_DONE && r != SQLITE_ROW)
        goto out;
    rc = 1;
out:
    sqlite3_finalize(st);
    return rc;
}

/* One column a write sets. */
struct col_change {
    const char *column; /* a constant column name */
    int type;           /* SQLITE_TEXT, SQLITE_INTEGER or SQLITE_NULL */
    const char *text;   /* borrowed from the body or from the change set */
    int64_t num;
};

/* Everything a body changes, validated. */
struct contact_changes {
    struct col_change cols[N_TEXT + 12];
    int n_cols;
    const char *fields[N_TEXT + 16]; /* changed field names, for the timeline */
    int n_fields;
    bool reindex;
    bool emails_changed;
    struct email_list emails;
    char primary_email[EMAIL_MAX_CHARS * 4 + 1];
    bool purposes_changed;
    struct purpose_set purposes;
    bool owner_changed;
    int64_t new_owner;
    int new_dnd, new_sub_status;
    char *custom_field, *tags; /* owned */
};

static void changes_clear(struct contact_changes *ch)
{
    free(ch->custom_field);
    free(ch->tags);
}

static void change_field(struct contact_changes *ch, const char *name)
{
    int i;

    for (i = 0; i < ch->n_fields; i++)
        if (strcmp(ch->fields[i], name) == 0)
            return;
    ch->fields[ch->n_fields++] = name;
}

static void change_text(struct contact_changes *ch, const char *column, const char *text)
{
    struct col_change *c = &ch->cols[ch->n_cols++];

    c->column = column;
    c->type = text ? SQLITE_TEXT : SQLITE_NULL;
    c->text = text;
    change_field(ch, column);
}

static void change_int(struct contact_changes *ch, const char *column, int64_t v, bool is_null)
{
    struct col_change *c = &ch->cols[ch->n_cols++];

    c->column = column;
    c->type = is_null ? SQLITE_NULL : SQLITE_INTEGER;
    c->num = v;
    change_field(ch, column);
}

static bool same_text(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static bool phone_valid(const char *s)
{
    int digits = 0;

    for (; *s; s++) {
        if (*s >= '0' && *s <= '9')
            digits++;
        else if (!strchr("+-(). /x", *s))
            return false;
    }
    return digits > 0;
}

/* A pragmatic address check: one '@', a local part of 1-64 characters and a
 * dotted domain, no spaces, controls or the characters RFC 5322 reserves
 * outside quotes (quoted local parts are not accepted). */
static bool email_valid(const char *s)
{
    const char *at = strrchr(s, '@'), *p;
    size_t local, domain;

    if (!at || at == s || json_utf8_chars(s) > EMAIL_MAX_CHARS)
        return false;
    local = (size_t)(at - s);
    domain = strlen(at + 1);
    if (local > 64 || domain < 3 || domain > 253)
        return false;
    for (p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c <= 0x20 || c == 0x7F || strchr("(),:;<>[]\\\"", c))
            return false;
        if (c == '@' && p != at)
            return false;
        if (c == '.' && (p[1] == '.' || p == s || p + 1 == at || p == at + 1 || !p[1]))
            return false;
    }
    if (!strchr(at + 1, '.') || at[1] == '-' || s[strlen(s) - 1] == '-')
        return false;
    return true;
}

/* ASCII case-insensitive comparison, as the email index (COLLATE NOCASE). */
static bool email_same(const char *a, const char *b)
{
    for (; *a && *b; a++, b++) {
        char x = *a, y = *b;
        if (x >= 'A' && x <= 'Z')
            x = (char)(x + 32);
        if (y >= 'A' && y <= 'Z')
            y = (char)(y + 32);
        if (x != y)
            return false;
    }
    return *a == *b;
}

static int email_find(const struct email_list *l, const char *value)
{
    int i;

    for (i = 0; i < l->n; i++)
        if (email_same(l->e[i].value, value))
            return i;
    return -1;
}

static int email_primary(const struct email_list *l)
{
    int i;

    for (i = 0; i < l->n; i++)
        if (l->e[i].primary)
            return i;
    return -1;
}

static bool emails_equal(const struct email_list *a, const struct email_list *b)
{
    int i;

    if (a->n != b->n)
        return false;
    for (i = 0; i < a->n; i++) {
        const struct email_entry *x = &a->e[i], *y = &b->e[i];
        if (strcmp(x->value, y->value) != 0 || x->primary != y->primary ||
            x->has_label != y->has_label || strcmp(x->label, y->label) != 0)
            return false;
    }
    return true;
}

/* Whether two lists differ in more than the primary address's value. */
static bool emails_equal_but_primary(const struct email_list *a, const struct email_list *b)
{
    int i;

    if (a->n != b->n)
        return false;
    for (i = 0; i < a->n; i++) {
        const struct email_entry *x = &a->e[i], *y = &b->e[i];
        if ((!x->primary && strcmp(x->value, y->value) != 0) || x->primary != y->primary ||
            x->has_label != y->has_label || strcmp(x->label, y->label) != 0)
            return false;
    }
    return true;
}

/* Puts the primary address first, as it is stored and served. */
static void emails_primary_first(struct email_list *l)
{
    int p = email_primary(l);
    struct email_entry tmp;

    if (p <= 0)
        return;
    tmp = l->e[p];
    memmove(&l->e[1], &l->e[0], (size_t)p * sizeof l->e[0]);
    l->e[0] = tmp;
}

/* Reads the "emails" array into out. Returns 0, or -1 with err set. */
static int parse_emails(const cJSON *arr, struct email_list *out, char *err, size_t errlen)
{
    const cJSON *it;
    int primaries = 0;

    out->n = 0;
    if (cJSON_IsNull(arr))
        return 0;
    if (!cJSON_IsArray(arr)) {
        snprintf(err, errlen, "emails must be an array.");
        return -1;
    }
    cJSON_ArrayForEach(it, arr)
    {
        const char *value = NULL, *label = NULL;
        bool primary = false, destroy = false;
        struct email_entry *e;

        if (!cJSON_IsObject(it)) {
            snprintf(err, errlen, "Each entry of emails must be an object.");
            return -1;
        }
        if (json_get_bool(it, "_destroy", &destroy, err, errlen) == JSON_GET_BAD)
            return -1;
        if (destroy)
            continue;
        switch (json_get_str(it, "value", EMAIL_MAX_CHARS, &value, err, errlen)) {
        case JSON_GET_BAD:
            return -1;
        case JSON_GET_OK:
            break;
        default:
            snprintf(err, errlen, "Each entry of emails needs a value.");
            return -1;
        }
        if (!email_valid(value)) {
            snprintf(err, errlen, "An address in emails is not a valid email address.");
            return -1;
        }
        if (json_get_bool(it, "is_primary", &primary, err, errlen) == JSON_GET_BAD ||
            json_get_str(it, "label", LABEL_MAX_CHARS, &label, err, errlen) == JSON_GET_BAD)
            return -1;
        if (email_find(out, value) >= 0) {
            snprintf(err, errlen, "emails holds the same address twice.");
            return -1;
        }
        if (out->n >= EMAILS_MAX) {
            snprintf(err, errlen, "A contact may have at most %d email addresses.", EMAILS_MAX);
            return -1;
        }
        e = &out->e[out->n++];
        copy_bounded(e->value, sizeof e->value, value);
        e->has_label = label != NULL;
        copy_bounded(e->label, sizeof e->label, label);
        e->primary = primary;
        primaries += primary;
    }
    if (primaries > 1) {
        snprintf(err, errlen, "Only one address in emails may be primary.");
        return -1;
    }
    if (primaries == 0 && out->n > 0)
        out->e[0].primary = true;
    emails_primary_first(out);
    return 0;
}

/* Whether another contact already holds value: 1 yes, 0 no, -1 error. */
static int email_taken(sqlite3 *db, const char *value, int64_t contact_id)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(db,
                           "SELECT 1 FROM contact_emails WHERE value = ?1 COLLATE NOCASE"
                           " AND contact_id <> ?2 LIMIT 1",
                           -1, &st, NULL) != SQLITE_OK)
        goto out;
    sqlite3_bind_text(st, 1, value, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, contact_id);
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

static bool purpose_valid(const char *p)
{
    size_t n = 0;

    for (; *p; p++, n++)
        if (!((*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '_'))
            return false;
    return n >= 1 && n <= PURPOSE_MAX_CHARS;
}

static bool purpose_has(const struct purpose_set *s, const char *p)
{
    int i;

    for (i = 0; i < s->n; i++)
        if (strcmp(s->p[i], p) == 0)
            return true;
    return false;
}

static int parse_purposes(const cJSON *arr, struct purpose_set *out, char *err, size_t errlen)
{
    const cJSON *it;

    out->n = 0;
    if (cJSON_IsNull(arr))
        return 0;
    if (!cJSON_IsArray(arr)) {
        snprintf(err, errlen, "subscription_types must be an array of strings.");
        return -1;
    }
    cJSON_ArrayForEach(it, arr)
    {
        if (!cJSON_IsString(it) || !purpose_valid(it->valuestring)) {
            snprintf(err, errlen,
                     "subscription_types holds names of 1 to %d characters a-z, 0-9 and _.",
                     PURPOSE_MAX_CHARS);
            return -1;
        }
        if (purpose_has(out, it->valuestring))
            continue;
        if (out->n >= PURPOSES_MAX) {
            snprintf(err, errlen, "A contact may have at most %d subscription types.",
                     PURPOSES_MAX);
            return -1;
        }
        copy_bounded(out->p[out->n++], sizeof out->p[0], it->valuestring);
    }
    return 0;
}

static bool purposes_equal(const struct purpose_set *a, const struct purpose_set *b)
{
    int i;

    if (a->n != b->n)
        return false;
    for (i = 0; i < a->n; i++)
        if (!purpose_has(b, a->p[i]))
            return false;
    return true;
}

static bool custom_key_valid(const char *k)
{
    size_t n = strlen(k);

    if (n < 4 || n > CUSTOM_KEY_MAX || strncmp(k, "cf_", 3) != 0)
        return false;
    for (; *k; k++)
        if (!((*k >= 'a' && *k <= 'z') || (*k >= '0' && *k <= '9') || *k == '_'))
            return false;
    return true;
}

/* Merges the body's custom_field into the stored object: a key set to null
 * is removed; null for the whole member clears every key. */
static int merge_custom(const cJSON *in, const char *stored, char **out, char *err, size_t errlen)
{
    cJSON *obj = json_stored(stored, cJSON_Object);
    const cJSON *it;

    if (cJSON_IsNull(in)) {
        cJSON_Delete(obj);
        obj = cJSON_CreateObject();
    } else if (!cJSON_IsObject(in)) {
        snprintf(err, errlen, "custom_field must be an object.");
        goto fail;
    } else {
        cJSON_ArrayForEach(it, in)
        {
            if (!it->string || !custom_key_valid(it->string)) {
                snprintf(err, errlen,
                         "custom_field keys are cf_ followed by a-z, 0-9 or _ (at most %d "
                         "characters).",
                         CUSTOM_KEY_MAX);
                goto fail;
            }
            cJSON_DeleteItemFromObjectCaseSensitive(obj, it->string);
            if (cJSON_IsNull(it))
                continue;
            if (cJSON_IsString(it)) {
                if (json_utf8_chars(it->valuestring) > CUSTOM_VALUE_MAX) {
                    snprintf(err, errlen, "custom_field values hold at most %d characters.",
                             CUSTOM_VALUE_MAX);
                    goto fail;
                }
            } else if (!cJSON_IsNumber(it) && !cJSON_IsBool(it)) {
                snprintf(err, errlen,
                         "custom_field values must be strings, numbers, booleans or null.");
                goto fail;
            }
            cJSON_AddItemToObject(obj, it->string, cJSON_Duplicate(it, 1));
        }
    }
    if (cJSON_GetArraySize(obj) > CUSTOM_MAX) {
        snprintf(err, errlen, "A contact may have at most %d custom fields.", CUSTOM_MAX);
        goto fail;
    }
    *out = cJSON_PrintUnformatted(obj);
    cJSON_Delete(obj);
    return 0;
fail:
    cJSON_Delete(obj);
    return -1;
}

static int parse_tags(const cJSON *in, char **out, char *err, size_t errlen)
{
    cJSON *arr = cJSON_CreateArray();
    const cJSON *it;

    if (!cJSON_IsNull(in)) {
        if (!cJSON_IsArray(in)) {
            snprintf(err, errlen, "tags must be an array of strings.");
            goto fail;
        }
        cJSON_ArrayForEach(it, in)
        {
            const cJSON *seen;
            bool dup = false;
            if (!cJSON_IsString(it) || !it->valuestring[0] ||
                json_utf8_chars(it->valuestring) > TAG_MAX_CHARS) {
                snprintf(err, errlen, "Each tag must be a string of 1 to %d characters.",
                         TAG_MAX_CHARS);
                goto fail;
            }
            cJSON_ArrayForEach(seen, arr)
            {
                if (strcmp(seen->valuestring, it->valuestring) == 0)
                    dup = true;
            }
            if (dup)
                continue;
            if (cJSON_GetArraySize(arr) >= TAGS_MAX) {
                snprintf(err, errlen, "A contact may have at most %d tags.", TAGS_MAX);
                goto fail;
            }
            cJSON_AddItemToArray(arr, cJSON_CreateString(it->valuestring));
        }
    }
    *out = cJSON_PrintUnformatted(arr);
    cJSON_Delete(arr);
    return 0;
fail:
    cJSON_Delete(arr);
    return -1;
}

/* Reads an integer member that may not be null. */
static enum json_get get_int_strict(const cJSON *obj, const char *key, int64_t min, int64_t max,
                                    int64_t *out, char *err, size_t errlen)
{
    enum json_get g = json_get_int(obj, key, min, max, out, err, errlen);

    if (g == JSON_GET_NULL) {
        snprintf(err, errlen, "%s must be an integer.", key);
        return JSON_GET_BAD;
    }
    return g;
}

static enum json_get get_bool_strict(const cJSON *obj, const char *key, bool *out, char *err,
                                     size_t errlen)
{
    enum json_get g = json_get_bool(obj, key, out, err, errlen);

    if (g == JSON_GET_NULL) {
        snprintf(err, errlen, "%s must be true or false.", key);
        return JSON_GET_BAD;
    }
    return g;
}

/* Validates body object c against the stored state cur (a new contact's
 * defaults for a create) and collects what changes. Reads the database for
 * references. Returns the status to answer (SRV_OK when valid), err set. */
static int collect_changes(sqlite3 *db, int64_t contact_id, const cJSON *c,
                           const struct contact_state *cur, struct contact_changes *ch, char *err,
                           size_t errlen)
{
    const cJSON *member;
    const char *s;
    int64_t v;
    bool b;
    int i, r;

    ch->new_dnd = cur->dnd;
    ch->new_sub_status = cur->sub_status;
    ch->new_owner = cur->owner_id;

    for (i = 0; i < N_TEXT; i++) {
        const struct text_field *f = &text_fields[i];
        s = NULL;
        switch (json_get_str(c, f->name, f->max_chars, &s, err, errlen)) {
        case JSON_GET_BAD:
            return SRV_BAD_REQUEST;
        case JSON_GET_ABSENT:
            continue;
        case JSON_GET_NULL:
            s = NULL;
            break;
        case JSON_GET_OK:
            if (!*s)
                s = NULL;
            break;
        }
        if (s && f->kind == FK_PHONE && !phone_valid(s)) {
            snprintf(err, errlen, "%s holds characters a phone number does not have.", f->name);
            return SRV_BAD_REQUEST;
        }
        if (same_text(s, cur->text[i]))
            continue;
        change_text(ch, f->name, s);
        if (f->kind != FK_TEXT)
            ch->reindex = true;
    }

    /* emails, then email: the list first, then the primary address. */
    ch->emails = cur->emails;
    member = cJSON_GetObjectItemCaseSensitive(c, "emails");
    if (member && parse_emails(member, &ch->emails, err, errlen) < 0)
        return SRV_BAD_REQUEST;
    s = NULL;
    switch (json_get_str(c, "email", EMAIL_MAX_CHARS, &s, err, errlen)) {
    case JSON_GET_BAD:
        return SRV_BAD_REQUEST;
    case JSON_GET_ABSENT:
        break;
    case JSON_GET_NULL:
        s = NULL;
        /* fall through */
    case JSON_GET_OK:
        if (s && !*s)
            s = NULL;
        if (!s) {
            int p = email_primary(&ch->emails);
            if (p >= 0) {
                memmove(&ch->emails.e[p], &ch->emails.e[p + 1],
                        (size_t)(ch->emails.n - p - 1) * sizeof ch->emails.e[0]);
                ch->emails.n--;
                if (ch->emails.n > 0)
                    ch->emails.e[0].primary = true;
            }
        } else {
            int at = email_find(&ch->emails, s), p = email_primary(&ch->emails);
            if (!email_valid(s)) {
                snprintf(err, errlen, "email is not a valid email address.");
                return SRV_BAD_REQUEST;
            }
            if (at >= 0) {
                if (p >= 0)
                    ch->emails.e[p].primary = false;
                ch->emails.e[at].primary = true;
            } else if (p >= 0 && !member) {
                copy_bounded(ch->emails.e[p].value, sizeof ch->emails.e[p].value, s);
            } else {
                if (ch->emails.n >= EMAILS_MAX) {
                    snprintf(err, errlen, "A contact may have at most %d email addresses.",
                             EMAILS_MAX);
                    return SRV_BAD_REQUEST;
                }
                if (p >= 0)
                    ch->emails.e[p].primary = false;
                at = ch->emails.n++;
                memset(&ch->emails.e[at], 0, sizeof ch->emails.e[at]);
                copy_bounded(ch->emails.e[at].value, sizeof ch->emails.e[at].value, s);
                ch->emails.e[at].primary = true;
            }
            emails_primary_first(&ch->emails);
        }
        break;
    }
    if (!emails_equal(&ch->emails, &cur->emails)) {
        int p = email_primary(&ch->emails);
        const char *old_primary = cur->email;

        for (i = 0; i < ch->emails.n; i++) {
            if (email_find(&cur->emails, ch->emails.e[i].value) >= 0)
                continue;
            r = email_taken(db, ch->emails.e[i].value, contact_id);
            if (r < 0)
                return SRV_INTERNAL;
            if (r > 0) {
                snprintf(err, errlen, "Email has already been taken by another contact.");
                return SRV_CONFLICT;
            }
        }
        ch->emails_changed = true;
        ch->reindex = true;
        copy_bounded(ch->primary_email, sizeof ch->primary_email,
                     p >= 0 ? ch->emails.e[p].value : NULL);
        if (!same_text(p >= 0 ? ch->primary_email : NULL, old_primary)) {
            change_text(ch, "email", p >= 0 ? ch->primary_email : NULL);
        }
        if (!emails_equal_but_primary(&ch->emails, &cur->emails))
            change_field(ch, "emails");
    }

    switch (json_get_int(c, "owner_id", 1, JSON_MAX_INT, &v, err, errlen)) {
    case JSON_GET_BAD:
        return SRV_BAD_REQUEST;
    case JSON_GET_ABSENT:
        break;
    case JSON_GET_NULL:
        if (cur->owner_id != 0) {
            change_int(ch, "owner_id", 0, true);
            ch->owner_changed = true;
            ch->new_owner = 0;
        }
        break;
    case JSON_GET_OK:
        if (v == cur->owner_id)
            break;
        r = handlers_users_assignable(db, v);
        if (r < 0)
            return SRV_INTERNAL;
        if (r == 0) {
            snprintf(err, errlen, "owner_id names no active user.");
            return SRV_BAD_REQUEST;
        }
        change_int(ch, "owner_id", v, false);
        ch->owner_changed = true;
        ch->new_owner = v;
        break;
    }

    switch (json_get_int(c, "sales_account_id", 1, JSON_MAX_INT, &v, err, errlen)) {
    case JSON_GET_BAD:
        return SRV_BAD_REQUEST;
    case JSON_GET_ABSENT:
        break;
    case JSON_GET_NULL:
        if (cur->sales_account_id != 0)
            change_int(ch, "sales_account_id", 0, true);
        break;
    case JSON_GET_OK:
        if (v == cur->sales_account_id)
            break;
        r = handlers_companies_live(db, v);
        if (r < 0)
            return SRV_INTERNAL;
        if (r == 0) {
            snprintf(err, errlen, "sales_account_id names no company.");
            return SRV_BAD_REQUEST;
        }
        change_int(ch, "sales_account_id", v, false);
        break;
    }

    if ((r = get_int_strict(c, "lead_score", 0, LEAD_SCORE_MAX, &v, err, errlen)) == JSON_GET_BAD)
        return SRV_BAD_REQUEST;
    if (r == JSON_GET_OK && v != cur->lead_score)
        change_int(ch, "lead_score", v, false);

    if ((r = get_int_strict(c, "subscription_status", 0, 2, &v, err, errlen)) == JSON_GET_BAD)
        return SRV_BAD_REQUEST;
    if (r == JSON_GET_OK && v != cur->sub_status) {
        change_int(ch, "subscription_status", v, false);
        ch->new_sub_status = (int)v;
    }

    if ((r = get_bool_strict(c, "do_not_disturb", &b, err, errlen)) == JSON_GET_BAD)
        return SRV_BAD_REQUEST;
    if (r == JSON_GET_OK && (int)b != cur->dnd) {
        change_int(ch, "do_not_disturb", b, false);
        ch->new_dnd = b;
    }

    if ((r = get_bool_strict(c, "chat_events_timeline", &b, err, errlen)) == JSON_GET_BAD)
        return SRV_BAD_REQUEST;
    if (r == JSON_GET_OK && (int)b != cur->chat_timeline)
        change_int(ch, "chat_events_timeline", b, false);

    member = cJSON_GetObjectItemCaseSensitive(c, "custom_field");
    if (member) {
        if (merge_custom(member, cur->custom_field, &ch->custom_field, err, errlen) < 0)
            return SRV_BAD_REQUEST;
        if (strcmp(ch->custom_field, cur->custom_field) != 0)
            change_text(ch, "custom_field", ch->custom_field);
    }

    member = cJSON_GetObjectItemCaseSensitive(c, "tags");
    if (member) {
        if (parse_tags(member, &ch->tags, err, errlen) < 0)
            return SRV_BAD_REQUEST;
        if (strcmp(ch->tags, cur->tags) != 0)
            change_text(ch, "tags", ch->tags);
    }

    ch->purposes = cur->purposes;
    member = cJSON_GetObjectItemCaseSensitive(c, "subscription_types");
    if (member) {
        if (parse_purposes(member, &ch->purposes, err, errlen) < 0)
            return SRV_BAD_REQUEST;
        if (!purposes_equal(&ch->purposes, &cur->purposes)) {
            ch->purposes_changed = true;
            change_field(ch, "subscription_types");
        }
    }
    return SRV_OK;
}

/* Writes the collected changes of contact id at time now. */
static int apply_changes(sqlite3 *db, int64_t id, const struct contact_changes *ch, int64_t now)
{
    char sql[2048];
    size_t len;
    sqlite3_stmt *st = NULL;
    int i, rc = -1;

    if (ch->n_cols == 0 && !ch->emails_changed && !ch->purposes_changed)
        return 0;
    len = (size_t)snprintf(sql, sizeof sql, "UPDATE contacts SET ");
    for (i = 0; i < ch->n_cols && len < sizeof sql; i++)
        len +=
            (size_t)snprintf(sql + len, sizeof sql - len, "%s = ?%d, ", ch->cols[i].column, i + 1);
    if (len < sizeof sql)
        len += (size_t)snprintf(sql + len, sizeof sql - len, "updated_at = ?%d WHERE id = ?%d",
                                ch->n_cols + 1, ch->n_cols + 2);
    if (len >= sizeof sql)
        goto out;
    if (sqlite3_prepare_v2(db, sql, -1, &st, NULL) != SQLITE_OK)
        goto out;
    for (i = 0; i < ch->n_cols; i++) {
        const struct col_change *c = &ch->cols[i];
        if (c->type == SQLITE_TEXT)
            sqlite3_bind_text(st, i + 1, c->text, -1, SQLITE_STATIC);
        else if (c->type == SQLITE_INTEGER)
            sqlite3_bind_int64(st, i + 1, c->num);
        else
            sqlite3_bind_null(st, i + 1);
    }
    sqlite3_bind_int64(st, ch->n_cols + 1, now);
    sqlite3_bind_int64(st, ch->n_cols + 2, id);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto out;
    sqlite3_finalize(st);
    st = NULL;

    if (ch->emails_changed) {
        if (sqlite3_prepare_v2(db, "DELETE FROM contact_emails WHERE contact_id = ?1", -1, &st,
                               NULL) != SQLITE_OK)
            goto out;
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto out;
        sqlite3_finalize(st);
        st = NULL;
        if (sqlite3_prepare_v2(db,
                               "INSERT INTO contact_emails (contact_id, value, is_primary, label)"
                               " VALUES (?1, ?2, ?3, ?4)",
                               -1, &st, NULL) != SQLITE_OK)
            goto out;
        for (i = 0; i < ch->emails.n; i++) {
            const struct email_entry *e = &ch->emails.e[i];
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_text(st, 2, e->value, -1, SQLITE_STATIC);
            sqlite3_bind_int(st, 3, e->primary);
            if (e->has_label)
                sqlite3_bind_text(st, 4, e->label, -1, SQLITE_STATIC);
            else
                sqlite3_bind_null(st, 4);
            if (sqlite3_step(st) != SQLITE_DONE)
                goto out;
        }
        sqlite3_finalize(st);
        st = NULL;
    }

    if (ch->purposes_changed) {
        if (sqlite3_prepare_v2(db, "DELETE FROM subscriptions WHERE contact_id = ?1", -1, &st,
                               NULL) != SQLITE_OK)
            goto out;
        sqlite3_bind_int64(st, 1, id);
        if (sqlite3_step(st) != SQLITE_DONE)
            goto out;
        sqlite3_finalize(st);
        st = NULL;
        if (sqlite3_prepare_v2(db,
                               "INSERT INTO subscriptions (contact_id, purpose) VALUES (?1, ?2)",
                               -1, &st, NULL) != SQLITE_OK)
            goto out;
        for (i = 0; i < ch->purposes.n; i++) {
            sqlite3_reset(st);
            sqlite3_bind_int64(st, 1, id);
            sqlite3_bind_text(st, 2, ch->purposes.p[i], -1, SQLITE_STATIC);
            if (sqlite3_step(st) != SQLITE_DONE)
                goto out;
        }
        sqlite3_finalize(st);
        st = NULL;
    }

    if (ch->reindex && search_index_contact(db, id) < 0)
        goto out;
    rc = 0;
out:
    sqlite3_finalize(st);
    return rc;
}

static cJSON *source_data(const char *source)
{
    cJSON *d = cJSON_CreateObject();

    cJSON_AddStringToObject(d, "source", source);
    return d;
}

/* The consent entries a change of subscriptions, status or DND calls for. */
static int record_consent(sqlite3 *db, int64_t id, const struct srv_req *rq,
                          const struct contact_state *cur, const struct contact_changes *ch,
                          int64_t now)
{
    int i;

    if ((ch->new_dnd && !cur->dnd) || (ch->new_sub_status == 0 && cur->sub_status != 0)) {
        cJSON *d = source_data(rq->source);
        cJSON_AddStringToObject(d, "channel", "email");
        if (ch->new_dnd && !cur->dnd)
            cJSON_AddStringToObject(d, "detail", "do_not_disturb on");
        if (ch->purposes_changed) {
            cJSON *gone = cJSON_AddArrayToObject(d, "purposes");
            for (i = 0; i < cur->purposes.n; i++)
                if (!purpose_has(&ch->purposes, cur->purposes.p[i]))
                    cJSON_AddItemToArray(gone, cJSON_CreateString(cur->purposes.p[i]));
        }
        if (handlers_activities_add(db, id, rq->user.id, "unsubscribed", d, now) < 0)
            return -1;
    } else if (ch->new_sub_status == 1 && cur->sub_status != 1) {
        cJSON *d = source_data(rq->source);
        cJSON_AddStringToObject(d, "channel", "email");
        if (handlers_activities_add(db, id, rq->user.id, "subscribed", d, now) < 0)
            return -1;
    }
    if (!ch->purposes_changed)
        return 0;
    for (i = 0; i < ch->purposes.n; i++) {
        cJSON *d;
        if (purpose_has(&cur->purposes, ch->purposes.p[i]))
            continue;
        d = source_data(rq->source);
        cJSON_AddStringToObject(d, "channel", "email");
        cJSON_AddStringToObject(d, "purpose", ch->purposes.p[i]);
        if (handlers_activities_add(db, id, rq->user.id, "consent_granted", d, now) < 0)
            return -1;
    }
    for (i = 0; i < cur->purposes.n; i++) {
        cJSON *d;
        if (purpose_has(&ch->purposes, cur->purposes.p[i]))
            continue;
        d = source_data(rq->source);
        cJSON_AddStringToObject(d, "channel", "email");
        cJSON_AddStringToObject(d, "purpose", cur->purposes.p[i]);
        if (handlers_activities_add(db, id, rq->user.id, "consent_withdrawn", d, now) < 0)
            return -1;
    }
    return 0;
}

/* The "contact" object of the body, or NULL after a 400. */
static const cJSON *contact_body(const struct srv_req *rq, struct srv_resp *rs)
{
    const cJSON *c = cJSON_GetObjectItemCaseSensitive(rq->body, "contact");

    if (!cJSON_IsObject(c)) {
        json_error(rs, SRV_BAD_REQUEST, "The body must hold a \"contact\" object.");
        return NULL;
    }
    return c;
}

/* A fresh contact id: above every id in use or ever used (forgotten ids are
 * never given out again) and above CONTACT_ID_BASE. */
static int64_t next_contact_id(sqlite3 *db)
{
    sqlite3_stmt *st = NULL;
    int64_t id = -1;

    if (sqlite3_prepare_v2(db,
                           "SELECT max(coalesce((SELECT max(id) FROM contacts), 0),"
                           " coalesce((SELECT last_id FROM id_high_water WHERE kind = 'contact'),"
                           " 0), ?1) + 1",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, CONTACT_ID_BASE);
        if (sqlite3_step(st) == SQLITE_ROW)
            id = sqlite3_column_int64(st, 0);
    }
    sqlite3_finalize(st);
    return id;
}

void handlers_contacts_create(const struct srv_req *rq, struct srv_resp *rs)
{
    const cJSON *body;
    struct contact_state cur;
    struct contact_changes ch;
    sqlite3_stmt *st = NULL;
    char err[256] = "";
    int64_t id, now = db_now();
    int status;
    cJSON *data;

    if (!(body = contact_body(rq, rs)))
        return;
    state_new(&cur);
    memset(&ch, 0, sizeof ch);
    if (db_begin(rq->db) < 0)
        goto fail;
    if ((id = next_contact_id(rq->db)) < 0)
        goto fail;
    /* A new contact belongs to its creator unless the body names an owner. */
    cur.owner_id = 0;
    status = collect_changes(rq->db, id, body, &cur, &ch, err, sizeof err);
    if (status == SRV_OK && !cJSON_HasObjectItem(body, "owner_id")) {
        change_int(&ch, "owner_id", rq->user.id, false);
        ch.owner_changed = true;
        ch.new_owner = rq->user.id;
    }
    if (status == SRV_OK) {
        bool named = false;
        int i;
        for (i = 0; i < ch.n_cols; i++)
            named = named || ((strcmp(ch.cols[i].column, "first_name") == 0 ||
                               strcmp(ch.cols[i].column, "last_name") == 0) &&
                              ch.cols[i].type == SQLITE_TEXT);
        if (!named && ch.emails.n == 0) {
            status = SRV_BAD_REQUEST;
            snprintf(err, sizeof err, "first_name, last_name or email is required.");
        }
    }
    if (status != SRV_OK) {
        db_rollback(rq->db);
        json_error(rs, status, status == SRV_INTERNAL ? NULL : err);
        goto out;
    }
    if (sqlite3_prepare_v2(rq->db,
                           "INSERT INTO contacts (id, created_at, updated_at) VALUES (?1, ?2, ?2)",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, id);
    sqlite3_bind_int64(st, 2, now);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    st = NULL;
    ch.reindex = true;
    if (apply_changes(rq->db, id, &ch, now) < 0)
        goto fail;
    data = source_data(rq->source);
    if (handlers_activities_add(rq->db, id, rq->user.id, "created", data, now) < 0)
        goto fail;
    /* A new contact starts from "not set": only what the body grants counts. */
    if (record_consent(rq->db, id, rq, &cur, &ch, now) < 0)
        goto fail;
    if (enrichment_apply(rq->db, id, now) < 0)
        goto fail;
    if (db_commit(rq->db) < 0)
        goto fail;
    contact_reply(rq, rs, id, false);
    goto out;
fail:
    sqlite3_finalize(st);
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
out:
    state_clear(&cur);
    changes_clear(&ch);
}

void handlers_contacts_update(const struct srv_req *rq, struct srv_resp *rs)
{
    const cJSON *body;
    struct contact_state cur;
    struct contact_changes ch;
    char err[256] = "";
    int64_t id = rq->ids[0], now = db_now();
    int status, i;

    memset(&cur, 0, sizeof cur);
    memset(&ch, 0, sizeof ch);
    if (!(body = contact_body(rq, rs)))
        return;
    if (db_begin(rq->db) < 0)
        goto fail;
    switch (state_load(rq->db, id, &cur)) {
    case 1:
        break;
    case 0:
        db_rollback(rq->db);
        json_error(rs, SRV_NOT_FOUND, "No contact with this id.");
        goto out;
    default:
        goto fail;
    }
    if (cur.is_deleted) {
        db_rollback(rq->db);
        json_error(rs, SRV_CONFLICT, "The contact is in the Recycle Bin; restore it first.");
        goto out;
    }
    status = collect_changes(rq->db, id, body, &cur, &ch, err, sizeof err);
    if (status == SRV_OK) {
        /* A contact keeps a name or an address. */
        const char *first = cur.text[0], *last = cur.text[1];
        for (i = 0; i < ch.n_cols; i++) {
            if (strcmp(ch.cols[i].column, "first_name") == 0)
                first = ch.cols[i].text;
            else if (strcmp(ch.cols[i].column, "last_name") == 0)
                last = ch.cols[i].text;
        }
        if (!first && !last && ch.emails.n == 0) {
            status = SRV_BAD_REQUEST;
            snprintf(err, sizeof err, "A contact needs a first_name, last_name or email.");
        }
    }
    if (status != SRV_OK) {
        db_rollback(rq->db);
        json_error(rs, status, status == SRV_INTERNAL ? NULL : err);
        goto out;
    }
    if (ch.n_fields > 0) {
        cJSON *data = source_data(rq->source), *fields = cJSON_AddArrayToObject(data, "fields");
        char detail[512];
        size_t len = (size_t)snprintf(detail, sizeof detail, "changed:");

        for (i = 0; i < ch.n_fields; i++) {
            cJSON_AddItemToArray(fields, cJSON_CreateString(ch.fields[i]));
            if (len < sizeof detail)
                len += (size_t)snprintf(detail + len, sizeof detail - len, "%s %s", i ? "," : "",
                                        ch.fields[i]);
        }
        cJSON_AddStringToObject(data, "detail", detail);
        if (apply_changes(rq->db, id, &ch, now) < 0 ||
            handlers_activities_add(rq->db, id, rq->user.id, "rectified", data, now) < 0)
            goto fail;
        if (ch.owner_changed) {
            data = source_data(rq->source);
            if (cur.owner_id)
                json_add_int64(data, "from_user_id", cur.owner_id);
            else
                cJSON_AddNullToObject(data, "from_user_id");
            if (ch.new_owner)
                json_add_int64(data, "to_user_id", ch.new_owner);
            else
                cJSON_AddNullToObject(data, "to_user_id");
            if (handlers_activities_add(rq->db, id, rq->user.id, "owner_changed", data, now) < 0)
                goto fail;
        }
        if (record_consent(rq->db, id, rq, &cur, &ch, now) < 0)
            goto fail;
    }
    if (db_commit(rq->db) < 0)
        goto fail;
    contact_reply(rq, rs, id, false);
    goto out;
fail:
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
out:
    state_clear(&cur);
    changes_clear(&ch);
}

/* is_deleted of contact id: 0 or 1, -1 when absent, -2 on error. */
static int contact_deleted_flag(sqlite3 *db, int64_t id)
{
    sqlite3_stmt *st = NULL;
    int rc = -2;

    if (sqlite3_prepare_v2(db, "SELECT is_deleted FROM contacts WHERE id = ?1", -1, &st, NULL) ==
        SQLITE_OK) {
        sqlite3_bind_int64(st, 1, id);
        switch (sqlite3_step(st)) {
        case SQLITE_ROW:
            rc = sqlite3_column_int(st, 0) != 0;
            break;
        case SQLITE_DONE:
            rc = -1;
            break;
        default:
            break;
        }
    }
    sqlite3_finalize(st);
    return rc;
}

/* Moves live contact id to the Recycle Bin. Returns 1, 0 when it is not a
 * live contact, -1 on error. */
static int soft_delete(sqlite3 *db, int64_t id, int64_t now)
{
    sqlite3_stmt *st = NULL;
    int rc = -1;

    if (sqlite3_prepare_v2(db,
                           "UPDATE contacts SET is_deleted = 1, deleted_at = ?1, updated_at = ?1"
                           " WHERE id = ?2 AND is_deleted = 0",
                           -1, &st, NULL) == SQLITE_OK) {
        sqlite3_bind_int64(st, 1, now);
        sqlite3_bind_int64(st, 2, id);
        if (sqlite3_step(st) == SQLITE_DONE)
            rc = sqlite3_changes(db) > 0;
    }
    sqlite3_finalize(st);
    return rc;
}

void handlers_contacts_delete(const struct srv_req *rq, struct srv_resp *rs)
{
    bool purge = false;
    int r;

    if (router_flag(rq, rs, "purge_call_data", &purge) < 0)
        return;
    if (db_begin(rq->db) < 0)
        goto fail;
    r = soft_delete(rq->db, rq->ids[0], db_now());
    if (r < 0)
        goto fail;
    if (r == 0) {
        db_rollback(rq->db);
        json_error(rs, SRV_NOT_FOUND, "No live contact with this id.");
        return;
    }
    if (purge && erase_call_data(rq->db, rq->ids[0]) < 0)
        goto fail;
    if (db_commit(rq->db) < 0)
        goto fail;
    /* Erased call data must not linger in the write-ahead log either. */
    if (purge)
        erase_checkpoint(rq->db);
    json_reply_text(rs, SRV_OK, "true");
    return;
fail:
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}

void handlers_contacts_forget(const struct srv_req *rq, struct srv_resp *rs)
{
    struct erase_counts counts;

    if (!rq->user.may_forget) {
        json_error(rs, SRV_FORBIDDEN,
                   "You are not permitted to forget records: an admin can grant the permission.");
        return;
    }
    memset(&counts, 0, sizeof counts);
    switch (erase_contact(rq->db, rq->ids[0], rq->user.id, &counts, NULL)) {
    case ERASE_OK:
        json_reply_text(rs, SRV_OK, "true");
        break;
    case ERASE_NOT_FOUND:
        json_error(rs, SRV_NOT_FOUND, "No contact with this id.");
        break;
    default:
        json_error(rs, SRV_INTERNAL, NULL);
        break;
    }
}

void handlers_contacts_restore(const struct srv_req *rq, struct srv_resp *rs)
{
    sqlite3_stmt *st = NULL;
    int64_t id = rq->ids[0], now = db_now();
    int r;

    if (db_begin(rq->db) < 0)
        goto fail;
    r = contact_deleted_flag(rq->db, id);
    if (r == -2)
        goto fail;
    if (r != 1) {
        db_rollback(rq->db);
        if (r == -1)
            json_error(rs, SRV_NOT_FOUND, "No contact with this id.");
        else
            json_error(rs, SRV_CONFLICT, "The contact is not in the Recycle Bin.");
        return;
    }
    if (sqlite3_prepare_v2(rq->db,
                           "UPDATE contacts SET is_deleted = 0, deleted_at = NULL, updated_at = ?1"
                           " WHERE id = ?2",
                           -1, &st, NULL) != SQLITE_OK)
        goto fail;
    sqlite3_bind_int64(st, 1, now);
    sqlite3_bind_int64(st, 2, id);
    if (sqlite3_step(st) != SQLITE_DONE)
        goto fail;
    sqlite3_finalize(st);
    st = NULL;
    if (handlers_activities_add(rq->db, id, rq->user.id, "restored", source_data(rq->source), now) <
            0 ||
        db_commit(rq->db) < 0)
        goto fail;
    contact_reply(rq, rs, id, false);
    return;
fail:
    sqlite3_finalize(st);
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}

void handlers_contacts_bulk_destroy(const struct srv_req *rq, struct srv_resp *rs)
{
    const cJSON *ids = cJSON_GetObjectItemCaseSensitive(rq->body, "selected_ids"), *it;
    int64_t now = db_now(), moved = 0, id;
    char msg[128];
    cJSON *root;
    int n;

    if (!cJSON_IsArray(ids)) {
        json_error(rs, SRV_BAD_REQUEST, "selected_ids must be an array of contact ids.");
        return;
    }
    n = cJSON_GetArraySize(ids);
    if (n < 1 || n > CONTACT_BULK_MAX) {
        json_errorf(rs, SRV_BAD_REQUEST, "selected_ids must hold 1 to %d ids.", CONTACT_BULK_MAX);
        return;
    }
    cJSON_ArrayForEach(it, ids)
    {
        if (!json_id_value(it, &id)) {
            json_error(rs, SRV_BAD_REQUEST, "selected_ids must hold contact ids only.");
            return;
        }
    }
    if (db_begin(rq->db) < 0)
        goto fail;
    cJSON_ArrayForEach(it, ids)
    {
        int r;
        json_id_value(it, &id);
        r = soft_delete(rq->db, id, now);
        if (r < 0)
            goto fail;
        moved += r;
    }
    if (db_commit(rq->db) < 0)
        goto fail;
    root = cJSON_CreateObject();
    snprintf(msg, sizeof msg, "%lld contact%s moved to the Recycle Bin.", (long long)moved,
             moved == 1 ? "" : "s");
    cJSON_AddStringToObject(root, "message", msg);
    json_reply(rs, SRV_OK, root);
    return;
fail:
    db_rollback(rq->db);
    json_error(rs, SRV_INTERNAL, NULL);
}
