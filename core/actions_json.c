/* JSON of the contact quick actions: the erasure preview, the audit entry a
 * forget leaves, and the body of an unsubscribe. */
#include "core/actions_json.h"

#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common_json.h"

static const struct {
    const char *key, *words;
} erase_info[FORGET_COUNT] = {
#define FORGET_INFO(id, key, words) [id] = {key, words},
    FORGET_ERASE_LIST(FORGET_INFO)
#undef FORGET_INFO
};

const char *actions_json_erase_key(enum forget_count k)
{
    return (unsigned)k < FORGET_COUNT ? erase_info[k].key : "";
}

const char *actions_json_erase_words(enum forget_count k)
{
    return (unsigned)k < FORGET_COUNT ? erase_info[k].words : "";
}

static void copy_str(char *dst, size_t size, const cJSON *obj, const char *key)
{
    char *s = common_json_str(obj, key, size - 1);
    snprintf(dst, size, "%s", s ? s : "");
    free(s);
}

enum crm_status actions_json_forget_preview(const char *body, size_t len,
                                            struct forget_preview *out, char *err, size_t errlen)
{
    enum crm_status st = CRM_ERR_PROTOCOL;
    cJSON *root;
    const cJSON *preview, *erase, *keep, *company;
    int i;

    memset(out, 0, sizeof *out);
    root = common_json_parse(body, len, err, errlen);
    if (!root)
        return CRM_ERR_PROTOCOL;
    preview = cJSON_GetObjectItemCaseSensitive(root, "preview");
    erase = cJSON_GetObjectItemCaseSensitive(preview, "erase");
    if (!cJSON_IsObject(preview) || !cJSON_IsObject(erase)) {
        snprintf(err, errlen, "the preview has no \"erase\" counts");
        goto out;
    }
    for (i = 0; i < FORGET_COUNT; i++) {
        out->erase[i] = common_json_long(erase, erase_info[i].key, -1);
        if (out->erase[i] < -1 ||
            (out->erase[i] == -1 && cJSON_GetObjectItemCaseSensitive(erase, erase_info[i].key))) {
            snprintf(err, errlen, "the count of %s is not a number of zero or more",
                     erase_info[i].key);
            goto out;
        }
    }
    keep = cJSON_GetObjectItemCaseSensitive(preview, "keep");
    company = cJSON_GetObjectItemCaseSensitive(keep, "company");
    if (cJSON_IsObject(company)) {
        out->keeps_company = true;
        out->company_id = common_json_get_id(company, "id");
        copy_str(out->company_name, sizeof out->company_name, company, "name");
    }
    out->deals_kept = common_json_long(keep, "deals", 0);
    if (out->deals_kept < 0)
        out->deals_kept = 0;
    st = CRM_OK;
out:
    cJSON_Delete(root);
    return st;
}

/* counts {"activities":3,...} as "activities 3, notes 1". */
static void counts_text(const cJSON *counts, char *buf, size_t len)
{
    const cJSON *c;
    size_t used = 0;

    buf[0] = '\0';
    if (!cJSON_IsObject(counts))
        return;
    cJSON_ArrayForEach(c, counts)
    {
        int n;
        if (!cJSON_IsNumber(c) || !c->string ||
            strspn(c->string, "abcdefghijklmnopqrstuvwxyz_") != strlen(c->string))
            continue;
        n = snprintf(buf + used, len - used, "%s%s %.0f", used ? ", " : "", c->string,
                     c->valuedouble);
        if (n < 0 || (size_t)n >= len - used) {
            buf[used] = '\0';
            return;
        }
        used += (size_t)n;
    }
}

enum crm_status actions_json_audit_newest(const char *body, size_t len, const char *action,
                                          struct audit_entry *out, bool *found, char *err,
                                          size_t errlen)
{
    const cJSON *list, *e, *best = NULL;
    cJSON *root =
        common_json_parse_member(body, len, "audit", COMMON_JSON_WANT_ARRAY, &list, err, errlen);
    int64_t best_id = 0;

    memset(out, 0, sizeof *out);
    *found = false;
    if (!root)
        return CRM_ERR_PROTOCOL;
    cJSON_ArrayForEach(e, list)
    {
        const cJSON *a = cJSON_GetObjectItemCaseSensitive(e, "action");
        int64_t id = common_json_get_id(e, "id");
        if (id > best_id && cJSON_IsString(a) && strcmp(a->valuestring, action) == 0) {
            best = e;
            best_id = id;
        }
    }
    if (best) {
        *found = true;
        out->id = best_id;
        copy_str(out->at, sizeof out->at, best, "at");
        out->actor_user_id = common_json_get_id(best, "actor_user_id");
        copy_str(out->subject_ref, sizeof out->subject_ref, best, "subject_ref");
        counts_text(cJSON_GetObjectItemCaseSensitive(best, "counts"), out->counts,
                    sizeof out->counts);
    }
    cJSON_Delete(root);
    return CRM_OK;
}

enum crm_status actions_json_page_count(const char *body, size_t len, size_t *n, long *total_pages,
                                        char *err, size_t errlen)
{
    cJSON *root = common_json_parse(body, len, err, errlen);
    const cJSON *list;
    long total = -1;

    *n = 0;
    *total_pages = -1;
    if (!root)
        return CRM_ERR_PROTOCOL;
    list = cJSON_GetObjectItemCaseSensitive(root, "activities");
    if (!cJSON_IsArray(list)) {
        snprintf(err, errlen, "the page has no \"activities\" list");
        cJSON_Delete(root);
        return CRM_ERR_PROTOCOL;
    }
    *n = (size_t)cJSON_GetArraySize(list);
    common_json_meta(root, &total, total_pages);
    cJSON_Delete(root);
    return CRM_OK;
}

char *actions_json_unsubscribe_body(size_t *len)
{
    static const char body[] = "{\"contact\":{\"do_not_disturb\":true,\"subscription_status\":0,"
                               "\"subscription_types\":[]}}";
    char *s = common_json_alloc(sizeof body);

    memcpy(s, body, sizeof body);
    *len = sizeof body - 1;
    return s;
}
