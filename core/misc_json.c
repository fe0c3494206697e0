/* Views, search hits, users, capabilities, companies, notes, DELETE answers. */
#include "core/misc_json.h"

#include <cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common_json.h"

static bool need_object_id(const cJSON *it, int64_t *id, const char *what, char *err, size_t errlen)
{
    if (!cJSON_IsObject(it)) {
        snprintf(err, errlen, "a %s in the answer is not an object", what);
        return false;
    }
    if (!common_json_id(common_json_member(it, "id"), id)) {
        snprintf(err, errlen, "a %s in the answer has no valid id", what);
        return false;
    }
    return true;
}

/* ---- views ---- */

static bool map_view(const cJSON *it, void *slot, const void *ctx, char *err, size_t errlen)
{
    struct view *v = slot;

    (void)ctx;
    if (!need_object_id(it, &v->id, "view", err, errlen))
        return false;
    v->name = common_json_str(it, "name", 0);
    v->is_default = common_json_bool(it, "is_default", false);
    return true;
}

static void clear_view(void *slot)
{
    model_view_clear(slot);
}

enum crm_status misc_json_views(const char *body, size_t len, struct view **out, size_t *n,
                                char *err, size_t errlen)
{
    void *arr = NULL;
    enum crm_status st =
        common_json_map_member(body, len, "filters", COMMON_JSON_WANT_ARRAY, sizeof **out, map_view,
                               clear_view, &arr, n, NULL, NULL, err, errlen);

    *out = arr;
    return st;
}

/* ---- search ---- */

static bool map_hit(const cJSON *it, void *slot, const void *ctx, char *err, size_t errlen)
{
    struct search_hit *h = slot;

    (void)ctx;
    if (!need_object_id(it, &h->id, "search hit", err, errlen))
        return false;
    h->type = common_json_str(it, "type", 0);
    h->name = common_json_str(it, "name", 0);
    h->email = common_json_str(it, "email", 0);
    return true;
}

static void clear_hit(void *slot)
{
    model_search_hit_clear(slot);
}

enum crm_status misc_json_search(const char *body, size_t len, struct search_hit **out, size_t *n,
                                 char *err, size_t errlen)
{
    void *arr = NULL;
    enum crm_status st =
        common_json_map_member(body, len, NULL, COMMON_JSON_WANT_ARRAY, sizeof **out, map_hit,
                               clear_hit, &arr, n, NULL, NULL, err, errlen);

    *out = arr;
    return st;
}

/* ---- users ---- */

static bool map_user(const cJSON *it, void *slot, const void *ctx, char *err, size_t errlen)
{
    struct user *u = slot;
    const cJSON *perms;

    (void)ctx;
    if (!need_object_id(it, &u->id, "user", err, errlen))
        return false;
    u->display_name = common_json_str(it, "display_name", 0);
    u->email = common_json_str(it, "email", 0);
    u->role = common_json_str(it, "role", 0);
    u->is_active = common_json_bool(it, "is_active", true);
    perms = common_json_member(it, "permissions");
    u->perm_export_reports = common_json_bool(perms, "export_reports", false);
    u->perm_forget_records = common_json_bool(perms, "forget_records", false);
    return true;
}

static void clear_user(void *slot)
{
    model_user_clear(slot);
}

enum crm_status misc_json_users(const char *body, size_t len, struct user **out, size_t *n,
                                char *err, size_t errlen)
{
    void *arr = NULL;
    enum crm_status st =
        common_json_map_member(body, len, "users", COMMON_JSON_WANT_ARRAY, sizeof **out, map_user,
                               clear_user, &arr, n, NULL, NULL, err, errlen);

    *out = arr;
    return st;
}

enum crm_status misc_json_user(const char *body, size_t len, struct user **out, char *err,
                               size_t errlen)
{
    const cJSON *obj;
    cJSON *root =
        common_json_parse_member(body, len, NULL, COMMON_JSON_WANT_OBJECT, &obj, err, errlen);
    struct user *u;

    *out = NULL;
    if (!root)
        return CRM_ERR_PROTOCOL;
    if (cJSON_IsObject(common_json_member(root, "user")))
        obj = common_json_member(root, "user");
    u = common_json_calloc(1, sizeof *u);
    if (!map_user(obj, u, NULL, err, errlen)) {
        model_user_clear(u);
        free(u);
        cJSON_Delete(root);
        return CRM_ERR_PROTOCOL;
    }
    *out = u;
    cJSON_Delete(root);
    return CRM_OK;
}

/* ---- capabilities ---- */

enum crm_status misc_json_capabilities(const char *body, size_t len, unsigned *caps, char *err,
                                       size_t errlen)
{
    const cJSON *list, *it;
    cJSON *root = common_json_parse_member(body, len, "capabilities", COMMON_JSON_WANT_ARRAY, &list,
                                           err, errlen);

    *caps = 0;
    if (!root)
        return CRM_ERR_PROTOCOL;
    cJSON_ArrayForEach(it, list)
    {
        if (!cJSON_IsString(it))
            continue;
        for (int cap = 0; cap < CAP_COUNT; cap++)
            if (strcmp(it->valuestring, model_capability_name((enum model_capability)cap)) == 0)
                *caps |= 1u << cap;
    }
    cJSON_Delete(root);
    return CRM_OK;
}

/* ---- companies ---- */

static bool map_company(const cJSON *it, void *slot, const void *ctx, char *err, size_t errlen)
{
    struct company *c = slot;

    (void)ctx;
    if (!need_object_id(it, &c->id, "company", err, errlen))
        return false;
    c->name = common_json_str(it, "name", 0);
    c->website = common_json_str(it, "website", 0);
    c->phone = common_json_str(it, "phone", 0);
    c->address = common_json_str(it, "address", 0);
    c->city = common_json_str(it, "city", 0);
    c->country = common_json_str(it, "country", 0);
    c->owner_id = common_json_get_id(it, "owner_id");
    c->created_at = common_json_str(it, "created_at", 0);
    c->updated_at = common_json_str(it, "updated_at", 0);
    return true;
}

static void clear_company(void *slot)
{
    model_company_clear(slot);
}

enum crm_status misc_json_companies(const char *body, size_t len, struct company **out, size_t *n,
                                    long *total, long *total_pages, char *err, size_t errlen)
{
    void *arr = NULL;
    enum crm_status st = common_json_map_member(body, len, "sales_accounts", COMMON_JSON_WANT_ARRAY,
                                                sizeof **out, map_company, clear_company, &arr, n,
                                                total, total_pages, err, errlen);

    *out = arr;
    return st;
}

enum crm_status misc_json_company(const char *body, size_t len, struct company **out, char *err,
                                  size_t errlen)
{
    const cJSON *obj;
    cJSON *root = common_json_parse_member(body, len, "sales_account", COMMON_JSON_WANT_OBJECT,
                                           &obj, err, errlen);
    struct company *c;

    *out = NULL;
    if (!root)
        return CRM_ERR_PROTOCOL;
    c = common_json_calloc(1, sizeof *c);
    if (!map_company(obj, c, NULL, err, errlen)) {
        model_company_clear(c);
        free(c);
        cJSON_Delete(root);
        return CRM_ERR_PROTOCOL;
    }
    *out = c;
    cJSON_Delete(root);
    return CRM_OK;
}

/* ---- notes ---- */

enum crm_status misc_json_note(const char *body, size_t len, struct note **out, char *err,
                               size_t errlen)
{
    const cJSON *obj;
    cJSON *root =
        common_json_parse_member(body, len, "note", COMMON_JSON_WANT_OBJECT, &obj, err, errlen);
    struct note *nt;

    *out = NULL;
    if (!root)
        return CRM_ERR_PROTOCOL;
    nt = common_json_calloc(1, sizeof *nt);
    if (!need_object_id(obj, &nt->id, "note", err, errlen)) {
        free(nt);
        cJSON_Delete(root);
        return CRM_ERR_PROTOCOL;
    }
    nt->description = common_json_text(obj, "description");
    nt->user_id = common_json_get_id(obj, "user_id");
    if (nt->user_id == 0)
        nt->user_id = common_json_get_id(obj, "creater_id");
    nt->created_at = common_json_str(obj, "created_at", 0);
    *out = nt;
    cJSON_Delete(root);
    return CRM_OK;
}

char *misc_json_note_body(int64_t contact_id, const char *text, size_t *len)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *note = root ? cJSON_AddObjectToObject(root, "note") : NULL;
    char id[32];

    if (!note)
        abort();
    snprintf(id, sizeof id, "%" PRId64, contact_id);
    if (!cJSON_AddStringToObject(note, "description", text ? text : "") ||
        !cJSON_AddStringToObject(note, "targetable_type", "Contact") ||
        !cJSON_AddRawToObject(note, "targetable_id", id))
        abort();
    return common_json_print_body(root, len);
}

/* ---- DELETE ---- */

enum crm_status misc_json_delete(const char *body, size_t len, char *err, size_t errlen)
{
    cJSON *root;
    enum crm_status st = CRM_OK;
    size_t i;

    for (i = 0; i < len; i++)
        if (body[i] != ' ' && body[i] != '\t' && body[i] != '\n' && body[i] != '\r')
            break;
    if (i == len)
        return CRM_OK; /* an empty body is success */
    root = common_json_parse(body, len, err, errlen);
    if (!root)
        return CRM_ERR_PROTOCOL;
    if (cJSON_IsFalse(root)) {
        snprintf(err, errlen, "the server answered that nothing was deleted");
        st = CRM_ERR_SERVER;
    }
    cJSON_Delete(root);
    return st;
}
