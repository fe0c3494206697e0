/* JSON <-> records of the admin extensions: settings, phone numbers, reports,
 * the account, the audit log and a company's side-loaded contacts. */
#include "core/admin_json.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common_json.h"
#include "core/sanitize.h"

#define ADMIN_JSON_MAX_ITEMS 100000 /* rows of a list or a report */

/* ---- settings ---- */

enum crm_status admin_json_settings(const char *body, size_t len, struct admin_settings *out,
                                    char *err, size_t errlen)
{
    const cJSON *s;
    cJSON *root =
        common_json_parse_member(body, len, "settings", COMMON_JSON_WANT_OBJECT, &s, err, errlen);

    memset(out, 0, sizeof *out);
    if (!root)
        return CRM_ERR_PROTOCOL;
    out->restrict_email_to_dnd = common_json_bool(s, "restrict_email_to_dnd", false);
    out->auto_profile_enrichment = common_json_bool(s, "auto_profile_enrichment", false);
    out->chat_store_ip = common_json_bool(s, "chat_store_ip", false);
    out->chat_social_enrichment = common_json_bool(s, "chat_social_enrichment", false);
    out->chat_analytics = common_json_bool(s, "chat_analytics", false);
    out->default_unsubscribe_link = common_json_bool(s, "default_unsubscribe_link", false);
    cJSON_Delete(root);
    return CRM_OK;
}

char *admin_json_settings_body(const struct admin_settings *s, size_t *len)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *o = root ? cJSON_AddObjectToObject(root, "settings") : NULL;

    if (!o || !cJSON_AddBoolToObject(o, "restrict_email_to_dnd", s->restrict_email_to_dnd) ||
        !cJSON_AddBoolToObject(o, "auto_profile_enrichment", s->auto_profile_enrichment) ||
        !cJSON_AddBoolToObject(o, "chat_store_ip", s->chat_store_ip) ||
        !cJSON_AddBoolToObject(o, "chat_social_enrichment", s->chat_social_enrichment) ||
        !cJSON_AddBoolToObject(o, "chat_analytics", s->chat_analytics) ||
        !cJSON_AddBoolToObject(o, "default_unsubscribe_link", s->default_unsubscribe_link))
        abort();
    return common_json_print_body(root, len);
}

/* ---- phone numbers ---- */

static enum admin_recording recording_from(const char *s)
{
    if (!s)
        return ADMIN_REC_UNKNOWN;
    if (strcmp(s, "automatic") == 0)
        return ADMIN_REC_AUTOMATIC;
    if (strcmp(s, "manual") == 0)
        return ADMIN_REC_MANUAL;
    if (strcmp(s, "off") == 0)
        return ADMIN_REC_OFF;
    return ADMIN_REC_UNKNOWN;
}

const char *admin_json_recording_name(enum admin_recording rec)
{
    switch (rec) {
    case ADMIN_REC_AUTOMATIC:
        return "automatic";
    case ADMIN_REC_MANUAL:
        return "manual";
    case ADMIN_REC_OFF:
        return "off";
    case ADMIN_REC_UNKNOWN:
    default:
        return "";
    }
}

static bool map_phone(const cJSON *o, struct admin_phone *p, char *err, size_t errlen)
{
    char *rec;

    memset(p, 0, sizeof *p);
    if (!cJSON_IsObject(o) || !common_json_id(common_json_member(o, "id"), &p->id) || p->id <= 0) {
        snprintf(err, errlen, "a phone number has no valid id");
        return false;
    }
    p->number = common_json_str(o, "number", 64);
    rec = common_json_str(o, "recording", 16);
    p->recording = recording_from(rec);
    free(rec);
    return true;
}

enum crm_status admin_json_phones(const char *body, size_t len, struct admin_phone **out, size_t *n,
                                  char *err, size_t errlen)
{
    const cJSON *list, *it;
    cJSON *root = common_json_parse_member(body, len, "phone_numbers", COMMON_JSON_WANT_ARRAY,
                                           &list, err, errlen);
    size_t count, i = 0;

    *out = NULL;
    *n = 0;
    if (!root)
        return CRM_ERR_PROTOCOL;
    count = (size_t)cJSON_GetArraySize(list);
    if (count > ADMIN_JSON_MAX_ITEMS)
        count = ADMIN_JSON_MAX_ITEMS;
    *out = common_json_calloc(count ? count : 1, sizeof **out);
    cJSON_ArrayForEach(it, list)
    {
        if (i == count)
            break;
        if (!map_phone(it, &(*out)[i], err, errlen)) {
            *n = i;
            cJSON_Delete(root);
            return CRM_ERR_PROTOCOL;
        }
        i++;
    }
    *n = i;
    cJSON_Delete(root);
    return CRM_OK;
}

enum crm_status admin_json_phone(const char *body, size_t len, struct admin_phone *out, char *err,
                                 size_t errlen)
{
    const cJSON *o;
    cJSON *root = common_json_parse_member(body, len, "phone_number", COMMON_JSON_WANT_OBJECT, &o,
                                           err, errlen);
    bool ok;

    memset(out, 0, sizeof *out);
    if (!root)
        return CRM_ERR_PROTOCOL;
    ok = map_phone(o, out, err, errlen);
    cJSON_Delete(root);
    return ok ? CRM_OK : CRM_ERR_PROTOCOL;
}

char *admin_json_recording_body(enum admin_recording rec, size_t *len)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *o = root ? cJSON_AddObjectToObject(root, "phone_number") : NULL;

    if (!o || !cJSON_AddStringToObject(o, "recording", admin_json_recording_name(rec)))
        abort();
    return common_json_print_body(root, len);
}

/* ---- reports ---- */

enum crm_status admin_json_report_names(const char *body, size_t len, char ***out, size_t *n,
                                        char *err, size_t errlen)
{
    const cJSON *list, *it;
    cJSON *root =
        common_json_parse_member(body, len, "reports", COMMON_JSON_WANT_ARRAY, &list, err, errlen);
    size_t count, i = 0;

    *out = NULL;
    *n = 0;
    if (!root)
        return CRM_ERR_PROTOCOL;
    count = (size_t)cJSON_GetArraySize(list);
    if (count > 1000)
        count = 1000;
    *out = common_json_calloc(count ? count : 1, sizeof **out);
    cJSON_ArrayForEach(it, list)
    {
        char *name = NULL;
        if (i == count)
            break;
        if (cJSON_IsString(it))
            name = sanitize_str(it->valuestring, strlen(it->valuestring), 64);
        else if (cJSON_IsObject(it))
            name = common_json_str(it, "name", 64);
        if (name && name[0])
            (*out)[i++] = name;
        else
            free(name);
    }
    *n = i;
    cJSON_Delete(root);
    return CRM_OK;
}

enum crm_status admin_json_report(const char *body, size_t len, struct admin_report *out, char *err,
                                  size_t errlen)
{
    const cJSON *rep, *cols, *rows, *it;
    cJSON *root =
        common_json_parse_member(body, len, "report", COMMON_JSON_WANT_OBJECT, &rep, err, errlen);
    size_t nc, nr, i = 0;

    memset(out, 0, sizeof *out);
    if (!root)
        return CRM_ERR_PROTOCOL;
    cols = common_json_member(rep, "columns");
    rows = common_json_member(rep, "rows");
    if (!cJSON_IsArray(cols) || !cJSON_IsArray(rows) || cJSON_GetArraySize(cols) == 0) {
        snprintf(err, errlen, "the report has no columns or rows");
        cJSON_Delete(root);
        return CRM_ERR_PROTOCOL;
    }
    nc = (size_t)cJSON_GetArraySize(cols);
    if (nc > 64)
        nc = 64;
    nr = (size_t)cJSON_GetArraySize(rows);
    if (nr > ADMIN_JSON_MAX_ITEMS)
        nr = ADMIN_JSON_MAX_ITEMS;
    out->columns = common_json_calloc(nc, sizeof *out->columns);
    out->n_columns = nc;
    cJSON_ArrayForEach(it, cols)
    {
        if (i == nc)
            break;
        out->columns[i++] = common_json_value_text(it);
    }
    out->cells = common_json_calloc(nr > 0 ? nr * nc : 1, sizeof *out->cells);
    i = 0;
    cJSON_ArrayForEach(it, rows)
    {
        const cJSON *cell;
        size_t j = 0;
        if (i == nr)
            break;
        if (cJSON_IsArray(it)) {
            cJSON_ArrayForEach(cell, it)
            {
                if (j == nc)
                    break;
                out->cells[i * nc + j++] = common_json_value_text(cell);
            }
        }
        i++;
    }
    out->n_rows = i;
    cJSON_Delete(root);
    return CRM_OK;
}

/* ---- account ---- */

enum crm_status admin_json_account(const char *body, size_t len, struct admin_account *out,
                                   char *err, size_t errlen)
{
    const cJSON *a;
    cJSON *root =
        common_json_parse_member(body, len, "account", COMMON_JSON_WANT_OBJECT, &a, err, errlen);

    memset(out, 0, sizeof *out);
    if (!root)
        return CRM_ERR_PROTOCOL;
    out->name = common_json_str(a, "name", 128);
    out->status = common_json_str(a, "status", 32);
    out->purge_at = common_json_str(a, "purge_at", 40);
    out->call_purge_at = common_json_str(a, "call_data_purge_at", 40);
    cJSON_Delete(root);
    if (!out->name || !out->status) {
        snprintf(err, errlen, "the account has no name or status");
        admin_json_account_clear(out);
        return CRM_ERR_PROTOCOL;
    }
    return CRM_OK;
}

char *admin_json_confirm_body(const char *name, size_t *len)
{
    cJSON *root = cJSON_CreateObject();

    if (!root || !cJSON_AddStringToObject(root, "confirm", name ? name : ""))
        abort();
    return common_json_print_body(root, len);
}

char *admin_json_permissions_body(bool export_reports, bool forget_records, size_t *len)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *o = root ? cJSON_AddObjectToObject(root, "permissions") : NULL;

    if (!o || !cJSON_AddBoolToObject(o, "export_reports", export_reports) ||
        !cJSON_AddBoolToObject(o, "forget_records", forget_records))
        abort();
    return common_json_print_body(root, len);
}

/* ---- audit ---- */

/* {"activities":3,"notes":1} as "activities 3, notes 1". */
static char *counts_text(const cJSON *counts)
{
    char buf[256];
    size_t used = 0;
    const cJSON *it;

    if (!cJSON_IsObject(counts))
        return NULL;
    buf[0] = '\0';
    cJSON_ArrayForEach(it, counts)
    {
        int w;
        if (!it->string || !cJSON_IsNumber(it))
            continue;
        w = snprintf(buf + used, sizeof buf - used, "%s%s %.0f", used ? ", " : "", it->string,
                     it->valuedouble);
        if (w < 0 || (size_t)w >= sizeof buf - used)
            break;
        used += (size_t)w;
    }
    return sanitize_str(buf, used, 0);
}

enum crm_status admin_json_audit(const char *body, size_t len, struct admin_audit **out, size_t *n,
                                 char *err, size_t errlen)
{
    const cJSON *list, *it;
    cJSON *root =
        common_json_parse_member(body, len, "audit", COMMON_JSON_WANT_ARRAY, &list, err, errlen);
    size_t count, i = 0;

    *out = NULL;
    *n = 0;
    if (!root)
        return CRM_ERR_PROTOCOL;
    count = (size_t)cJSON_GetArraySize(list);
    if (count > ADMIN_JSON_MAX_ITEMS)
        count = ADMIN_JSON_MAX_ITEMS;
    *out = common_json_calloc(count ? count : 1, sizeof **out);
    cJSON_ArrayForEach(it, list)
    {
        struct admin_audit *a;
        if (i == count)
            break;
        if (!cJSON_IsObject(it))
            continue;
        a = &(*out)[i++];
        a->id = common_json_value_text(common_json_member(it, "id"));
        a->at = common_json_str(it, "at", 40);
        a->action = common_json_str(it, "action", 64);
        a->subject_ref = common_json_str(it, "subject_ref", 128);
        a->actor_user_id = common_json_get_id(it, "actor_user_id");
        a->counts = counts_text(common_json_member(it, "counts"));
    }
    *n = i;
    cJSON_Delete(root);
    return CRM_OK;
}

/* ---- a company's contacts ---- */

enum crm_status admin_json_members(const char *body, size_t len, struct admin_member **out,
                                   size_t *n, bool *present, char *err, size_t errlen)
{
    cJSON *root = common_json_parse(body, len, err, errlen);
    const cJSON *list, *it;
    size_t count, i = 0;

    *out = NULL;
    *n = 0;
    *present = false;
    if (!root)
        return CRM_ERR_PROTOCOL;
    list = cJSON_IsObject(root) ? common_json_member(root, "contacts") : NULL;
    if (!cJSON_IsArray(list)) {
        cJSON_Delete(root);
        return CRM_OK;
    }
    *present = true;
    count = (size_t)cJSON_GetArraySize(list);
    if (count > ADMIN_JSON_MAX_ITEMS)
        count = ADMIN_JSON_MAX_ITEMS;
    *out = common_json_calloc(count ? count : 1, sizeof **out);
    cJSON_ArrayForEach(it, list)
    {
        struct admin_member *m;
        if (i == count)
            break;
        if (!cJSON_IsObject(it))
            continue;
        m = &(*out)[i++];
        m->id = common_json_get_id(it, "id");
        m->name = common_json_str(it, "display_name", 0);
        if (!m->name) {
            char *f = common_json_str(it, "first_name", 0),
                 *l = common_json_str(it, "last_name", 0);
            char buf[256];
            snprintf(buf, sizeof buf, "%s%s%s", f ? f : "", f && l ? " " : "", l ? l : "");
            m->name = sanitize_str(buf, strlen(buf), 0);
            free(f);
            free(l);
        }
        m->email = common_json_str(it, "email", 0);
    }
    *n = i;
    cJSON_Delete(root);
    return CRM_OK;
}

/* ---- contacts with enriched fields ---- */

enum crm_status admin_json_enriched(const char *body, size_t len, int64_t **ids, size_t *n,
                                    long *total_pages, char *err, size_t errlen)
{
    static const char *const fields[] = {"facebook", "twitter", "linkedin", "avatar"};
    const cJSON *list, *it;
    cJSON *root =
        common_json_parse_member(body, len, "contacts", COMMON_JSON_WANT_ARRAY, &list, err, errlen);
    size_t count, i = 0;
    long total = -1;

    *ids = NULL;
    *n = 0;
    *total_pages = -1;
    if (!root)
        return CRM_ERR_PROTOCOL;
    common_json_meta(root, &total, total_pages);
    count = (size_t)cJSON_GetArraySize(list);
    if (count > ADMIN_JSON_MAX_ITEMS)
        count = ADMIN_JSON_MAX_ITEMS;
    *ids = common_json_calloc(count ? count : 1, sizeof **ids);
    cJSON_ArrayForEach(it, list)
    {
        int64_t id = common_json_get_id(it, "id");
        bool enriched = false;
        if (i == count)
            break;
        for (size_t f = 0; f < sizeof fields / sizeof fields[0]; f++) {
            const cJSON *v = common_json_member(it, fields[f]);
            if (v && !cJSON_IsNull(v) && !(cJSON_IsString(v) && v->valuestring[0] == '\0'))
                enriched = true;
        }
        if (id > 0 && enriched)
            (*ids)[i++] = id;
    }
    *n = i;
    cJSON_Delete(root);
    return CRM_OK;
}

/* ---- release ---- */

void admin_json_phone_clear(struct admin_phone *p)
{
    free(p->number);
    memset(p, 0, sizeof *p);
}

void admin_json_report_clear(struct admin_report *r)
{
    for (size_t i = 0; i < r->n_columns; i++)
        free(r->columns[i]);
    for (size_t i = 0; r->cells && i < r->n_rows * r->n_columns; i++)
        free(r->cells[i]);
    free(r->columns);
    free(r->cells);
    memset(r, 0, sizeof *r);
}

void admin_json_account_clear(struct admin_account *a)
{
    free(a->name);
    free(a->status);
    free(a->purge_at);
    free(a->call_purge_at);
    memset(a, 0, sizeof *a);
}

void admin_json_audit_clear(struct admin_audit *a)
{
    free(a->id);
    free(a->at);
    free(a->action);
    free(a->subject_ref);
    free(a->counts);
    memset(a, 0, sizeof *a);
}

void admin_json_member_clear(struct admin_member *m)
{
    free(m->name);
    free(m->email);
    memset(m, 0, sizeof *m);
}
