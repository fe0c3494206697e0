/* Contacts between JSON and the model: pages, lookups, one contact, updates. */
#include "core/contact_json.h"

#include <cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common_json.h"
#include "core/sanitize.h"

#define NO_NAME "(no name)"

/* The raw (unsanitized) string obj[key] when it is a non-empty string. */
static const char *raw_str(const cJSON *obj, const char *key)
{
    const cJSON *it = common_json_member(obj, key);
    return cJSON_IsString(it) && it->valuestring[0] ? it->valuestring : NULL;
}

/* The element of root[array] whose id is id, or NULL. */
static const cJSON *side_load(const cJSON *root, const char *array, int64_t id)
{
    const cJSON *list = common_json_member(root, array), *it;
    int64_t v;

    if (id <= 0 || !cJSON_IsArray(list))
        return NULL;
    cJSON_ArrayForEach(it, list)
    {
        if (cJSON_IsObject(it) && common_json_id(common_json_member(it, "id"), &v) && v == id)
            return it;
    }
    return NULL;
}

/* "email", else the primary (or first) value of "emails"; raw. */
static const char *raw_email(const cJSON *c)
{
    const char *e = raw_str(c, "email");
    const cJSON *list = common_json_member(c, "emails"), *it;
    const char *first = NULL;

    if (e)
        return e;
    if (!cJSON_IsArray(list))
        return NULL;
    cJSON_ArrayForEach(it, list)
    {
        const char *v = cJSON_IsObject(it) ? raw_str(it, "value") : NULL;
        if (!v)
            continue;
        if (cJSON_IsTrue(common_json_member(it, "is_primary")))
            return v;
        if (!first)
            first = v;
    }
    return first;
}

static char *clean(const char *raw)
{
    return raw ? sanitize_str(raw, strlen(raw), 0) : NULL;
}

static char *row_name(const cJSON *c)
{
    const char *dn = raw_str(c, "display_name");
    const char *first = raw_str(c, "first_name"), *last = raw_str(c, "last_name");
    const char *email;

    if (dn)
        return clean(dn);
    if (first || last) {
        size_t a = first ? strlen(first) : 0, b = last ? strlen(last) : 0;
        char *joined = common_json_alloc(a + b + 2), *out;
        size_t n = 0;
        if (first) {
            memcpy(joined, first, a);
            n = a;
        }
        if (first && last)
            joined[n++] = ' ';
        if (last) {
            memcpy(joined + n, last, b);
            n += b;
        }
        out = sanitize_str(joined, n, 0);
        free(joined);
        return out;
    }
    email = raw_email(c);
    return clean(email ? email : NO_NAME);
}

/* The name of the owner (side-loaded "users", or a nested "owner"). */
static char *owner_name(const cJSON *root, const cJSON *c, int64_t owner_id)
{
    const cJSON *u = side_load(root, "users", owner_id);
    const char *name;

    if (!u && cJSON_IsObject(common_json_member(c, "owner")))
        u = common_json_member(c, "owner");
    if (!u)
        return NULL;
    name = raw_str(u, "display_name");
    return clean(name ? name : raw_str(u, "email"));
}

/* The name of the company (side-loaded "sales_accounts", or a nested one). */
static char *company_name(const cJSON *root, const cJSON *c, int64_t account_id)
{
    const cJSON *a = side_load(root, "sales_accounts", account_id);

    if (!a && cJSON_IsObject(common_json_member(c, "sales_account")))
        a = common_json_member(c, "sales_account");
    return a ? clean(raw_str(a, "name")) : NULL;
}

/* One row of a list; ctx is the root, for the side-loaded companies. */
static bool map_row(const cJSON *c, void *slot, const void *ctx, char *err, size_t errlen)
{
    const cJSON *root = ctx;
    struct contact_row *row = slot;
    long ss;

    if (!cJSON_IsObject(c)) {
        snprintf(err, errlen, "a contact in the answer is not an object");
        return false;
    }
    if (!common_json_id(common_json_member(c, "id"), &row->id)) {
        snprintf(err, errlen, "a contact in the answer has no valid id");
        return false;
    }
    row->name = row_name(c);
    row->email = clean(raw_email(c));
    row->company = company_name(root, c, common_json_get_id(c, "sales_account_id"));
    row->do_not_disturb = common_json_bool(c, "do_not_disturb", false);
    ss = common_json_long(c, "subscription_status", -1);
    row->subscription_status = (signed char)(ss >= 0 && ss <= 2 ? ss : -1);
    row->is_deleted = common_json_bool(c, "is_deleted", false);
    return true;
}

static void clear_row(void *slot)
{
    model_contact_row_clear(slot);
}

static enum crm_status map_rows(const cJSON *root, const cJSON *list, struct contact_row **rows,
                                size_t *n, char *err, size_t errlen)
{
    void *arr = NULL;
    enum crm_status st =
        common_json_map_list(list, sizeof **rows, map_row, clear_row, root, &arr, n, err, errlen);

    /* An empty page still has an array: the store copies rows from it. */
    if (st == CRM_OK && !arr)
        arr = common_json_calloc(1, sizeof **rows);
    *rows = arr;
    return st;
}

enum crm_status contact_json_page(const char *body, size_t len, struct contact_row **rows,
                                  size_t *n, long *total, long *total_pages, char *err,
                                  size_t errlen)
{
    const cJSON *list;
    cJSON *root =
        common_json_parse_member(body, len, "contacts", COMMON_JSON_WANT_ARRAY, &list, err, errlen);
    enum crm_status st;

    *rows = NULL;
    *n = 0;
    if (!root)
        return CRM_ERR_PROTOCOL;
    st = map_rows(root, list, rows, n, err, errlen);
    if (st == CRM_OK)
        common_json_meta(root, total, total_pages);
    cJSON_Delete(root);
    return st;
}

enum crm_status contact_json_lookup(const char *body, size_t len, struct contact_row **rows,
                                    size_t *n, char *err, size_t errlen)
{
    cJSON *root;
    const cJSON *list;
    enum crm_status st = CRM_ERR_PROTOCOL;

    *rows = NULL;
    *n = 0;
    root = common_json_parse(body, len, err, errlen);
    if (!root)
        return CRM_ERR_PROTOCOL;
    list = common_json_member(root, "contacts");
    if (cJSON_IsObject(list))
        list = common_json_member(list, "contacts");
    if (!cJSON_IsArray(list)) {
        snprintf(err, errlen, "the answer has no \"contacts\" list");
        goto out;
    }
    st = map_rows(root, list, rows, n, err, errlen);
out:
    cJSON_Delete(root);
    return st;
}

/* Strings of a JSON array (objects contribute their "name"); NULL when none. */
static char **string_list(const cJSON *arr, size_t *n)
{
    const cJSON *it;
    char **out;
    size_t i = 0;

    *n = 0;
    if (cJSON_IsString(arr) && arr->valuestring[0]) {
        out = common_json_alloc(sizeof *out);
        out[0] = clean(arr->valuestring);
        *n = 1;
        return out;
    }
    if (!cJSON_IsArray(arr) || cJSON_GetArraySize(arr) == 0)
        return NULL;
    out = common_json_calloc((size_t)cJSON_GetArraySize(arr), sizeof *out);
    cJSON_ArrayForEach(it, arr)
    {
        const char *s = cJSON_IsString(it)   ? it->valuestring
                        : cJSON_IsObject(it) ? raw_str(it, "name")
                                             : NULL;
        if (s)
            out[i++] = clean(s);
    }
    if (i == 0) {
        free(out);
        return NULL;
    }
    *n = i;
    return out;
}

static void map_emails(const cJSON *c, struct contact *ct)
{
    const cJSON *list = common_json_member(c, "emails"), *it;
    size_t i = 0;

    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0)
        return;
    ct->emails = common_json_calloc((size_t)cJSON_GetArraySize(list), sizeof *ct->emails);
    cJSON_ArrayForEach(it, list)
    {
        const char *v = cJSON_IsObject(it) ? raw_str(it, "value") : NULL;
        if (!v)
            continue;
        ct->emails[i].id = common_json_get_id(it, "id");
        ct->emails[i].value = clean(v);
        ct->emails[i].label = common_json_str(it, "label", 0);
        ct->emails[i].is_primary = common_json_bool(it, "is_primary", false);
        i++;
    }
    ct->n_emails = i;
}

static void map_custom_fields(const cJSON *c, struct contact *ct)
{
    const cJSON *obj = common_json_member(c, "custom_field"), *it;
    size_t i = 0;

    if (!cJSON_IsObject(obj) || cJSON_GetArraySize(obj) == 0)
        return;
    ct->custom_fields =
        common_json_calloc((size_t)cJSON_GetArraySize(obj), sizeof(struct model_kv));
    cJSON_ArrayForEach(it, obj)
    {
        ct->custom_fields[i].name = clean(it->string ? it->string : "");
        ct->custom_fields[i].value = common_json_value_text(it);
        i++;
    }
    ct->n_custom_fields = i;
}

static void map_notes(const cJSON *root, struct contact *ct)
{
    const cJSON *list = common_json_member(root, "notes"), *it;
    size_t i = 0;

    if (!cJSON_IsArray(list) || cJSON_GetArraySize(list) == 0)
        return;
    ct->notes = common_json_calloc((size_t)cJSON_GetArraySize(list), sizeof *ct->notes);
    cJSON_ArrayForEach(it, list)
    {
        int64_t target;
        if (!cJSON_IsObject(it))
            continue;
        /* Side-loaded notes may belong to other records; keep this contact's. */
        target = common_json_get_id(it, "targetable_id");
        if (target != 0 && target != ct->id)
            continue;
        ct->notes[i].id = common_json_get_id(it, "id");
        ct->notes[i].description = common_json_text(it, "description");
        ct->notes[i].user_id = common_json_get_id(it, "user_id");
        if (ct->notes[i].user_id == 0)
            ct->notes[i].user_id = common_json_get_id(it, "creater_id");
        ct->notes[i].created_at = common_json_str(it, "created_at", 0);
        i++;
    }
    ct->n_notes = i;
    if (i == 0) {
        free(ct->notes);
        ct->notes = NULL;
    }
}

enum crm_status contact_json_contact(const char *body, size_t len, struct contact **out, char *err,
                                     size_t errlen)
{
    cJSON *root;
    const cJSON *c;
    struct contact *ct = NULL;
    enum crm_status st = CRM_ERR_PROTOCOL;

    *out = NULL;
    root = common_json_parse(body, len, err, errlen);
    if (!root)
        return CRM_ERR_PROTOCOL;
    c = common_json_member(root, "contact");
    if (!cJSON_IsObject(c)) {
        snprintf(err, errlen, "the answer has no \"contact\" object");
        goto out;
    }
    ct = common_json_calloc(1, sizeof *ct);
    if (!common_json_id(common_json_member(c, "id"), &ct->id)) {
        snprintf(err, errlen, "the contact in the answer has no valid id");
        goto out;
    }
    ct->first_name = common_json_str(c, "first_name", 0);
    ct->last_name = common_json_str(c, "last_name", 0);
    ct->display_name = common_json_str(c, "display_name", 0);
    ct->email = clean(raw_email(c));
    map_emails(c, ct);
    ct->mobile_number = common_json_str(c, "mobile_number", 0);
    ct->work_number = common_json_str(c, "work_number", 0);
    ct->job_title = common_json_str(c, "job_title", 0);
    ct->department = common_json_str(c, "department", 0);
    ct->address = common_json_str(c, "address", 0);
    ct->city = common_json_str(c, "city", 0);
    ct->state = common_json_str(c, "state", 0);
    ct->zipcode = common_json_str(c, "zipcode", 0);
    ct->country = common_json_str(c, "country", 0);
    ct->time_zone = common_json_str(c, "time_zone", 0);
    ct->owner_id = common_json_get_id(c, "owner_id");
    ct->owner_name = owner_name(root, c, ct->owner_id);
    ct->sales_account_id = common_json_get_id(c, "sales_account_id");
    ct->company_name = company_name(root, c, ct->sales_account_id);
    ct->lead_score = common_json_long(c, "lead_score", 0);
    ct->do_not_disturb = common_json_bool(c, "do_not_disturb", false);
    ct->subscription_status = (int)common_json_long(c, "subscription_status", -1);
    if (ct->subscription_status < 0 || ct->subscription_status > 2)
        ct->subscription_status = -1;
    ct->subscription_types =
        string_list(common_json_member(c, "subscription_types"), &ct->n_subscription_types);
    ct->unsubscription_reason = common_json_str(c, "unsubscription_reason", 0);
    ct->facebook = common_json_str(c, "facebook", 0);
    ct->twitter = common_json_str(c, "twitter", 0);
    ct->linkedin = common_json_str(c, "linkedin", 0);
    ct->avatar = common_json_str(c, "avatar", 0);
    map_custom_fields(c, ct);
    ct->tags = string_list(common_json_member(c, "tags"), &ct->n_tags);
    ct->is_deleted = common_json_bool(c, "is_deleted", false);
    ct->chat_events_timeline = common_json_bool(c, "chat_events_timeline", true);
    ct->last_seen_ip = common_json_str(c, "last_seen_ip", 0);
    ct->created_at = common_json_str(c, "created_at", 0);
    ct->updated_at = common_json_str(c, "updated_at", 0);
    map_notes(root, ct);
    *out = ct;
    ct = NULL;
    st = CRM_OK;
out:
    model_contact_free(&ct);
    cJSON_Delete(root);
    return st;
}

static void add_patch_str(cJSON *obj, const char *key, const char *value)
{
    if (!value)
        return;
    if (!(value[0] ? cJSON_AddStringToObject(obj, key, value) : cJSON_AddNullToObject(obj, key)))
        abort();
}

static void add_patch_id(cJSON *obj, const char *key, int64_t id)
{
    char buf[32];

    if (id < 0)
        return;
    if (id == 0) {
        if (!cJSON_AddNullToObject(obj, key))
            abort();
        return;
    }
    /* Raw text keeps ids past 2^53 exact. */
    snprintf(buf, sizeof buf, "%" PRId64, id);
    if (!cJSON_AddRawToObject(obj, key, buf))
        abort();
}

char *contact_json_patch(const struct contact_patch *p, size_t *len)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *c = root ? cJSON_AddObjectToObject(root, "contact") : NULL;
    if (!c)
        abort();
    add_patch_str(c, "first_name", p->first_name);
    add_patch_str(c, "last_name", p->last_name);
    add_patch_str(c, "email", p->email);
    add_patch_str(c, "mobile_number", p->mobile_number);
    add_patch_str(c, "work_number", p->work_number);
    add_patch_str(c, "job_title", p->job_title);
    add_patch_str(c, "department", p->department);
    add_patch_str(c, "address", p->address);
    add_patch_str(c, "city", p->city);
    add_patch_str(c, "state", p->state);
    add_patch_str(c, "zipcode", p->zipcode);
    add_patch_str(c, "country", p->country);
    add_patch_id(c, "owner_id", p->owner_id);
    add_patch_id(c, "sales_account_id", p->sales_account_id);
    if (p->clear_enrichment) {
        static const char *const enriched[] = {"facebook", "twitter", "linkedin", "avatar"};
        for (size_t i = 0; i < sizeof enriched / sizeof enriched[0]; i++)
            if (!cJSON_GetObjectItemCaseSensitive(c, enriched[i]) &&
                !cJSON_AddNullToObject(c, enriched[i]))
                abort();
    }
    return common_json_print_body(root, len);
}
