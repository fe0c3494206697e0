/* The contact timeline between JSON and the model. */
#include "core/activity_json.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/common_json.h"
#include "core/sanitize.h"

static const char *const typed_keys[] = {"channel",   "purpose", "source", "form_id",
                                         "form_name", "detail",  "email"};

static bool is_typed_key(const char *key)
{
    for (size_t i = 0; i < sizeof typed_keys / sizeof typed_keys[0]; i++)
        if (strcmp(key, typed_keys[i]) == 0)
            return true;
    return false;
}

static void map_action_data(const cJSON *data, struct activity *a)
{
    const cJSON *it;
    size_t i = 0;

    if (!cJSON_IsObject(data))
        return;
    a->channel = common_json_str(data, "channel", 0);
    a->purpose = common_json_str(data, "purpose", 0);
    a->source = common_json_str(data, "source", 0);
    a->form_id = common_json_get_id(data, "form_id");
    a->form_name = common_json_str(data, "form_name", 0);
    a->detail = common_json_text(data, "detail");
    a->email = common_json_str(data, "email", 0);
    if (cJSON_GetArraySize(data) == 0)
        return;
    a->data = common_json_calloc((size_t)cJSON_GetArraySize(data), sizeof *a->data);
    cJSON_ArrayForEach(it, data)
    {
        const char *key = it->string ? it->string : "";
        if (is_typed_key(key))
            continue;
        a->data[i].name = sanitize_str(key, strlen(key), 0);
        a->data[i].value = common_json_value_text(it);
        i++;
    }
    a->n_data = i;
    if (i == 0) {
        free(a->data);
        a->data = NULL;
    }
}

static bool map_activity(const cJSON *it, void *slot, const void *ctx, char *err, size_t errlen)
{
    struct activity *a = slot;
    const cJSON *uid;

    (void)ctx;
    if (!cJSON_IsObject(it)) {
        snprintf(err, errlen, "an activity in the answer is not an object");
        return false;
    }
    a->id = common_json_str(it, "id", 0);
    a->action_type = common_json_str(it, "action_type", 0);
    a->created_at = common_json_str(it, "created_at", 0);
    uid = cJSON_GetObjectItemCaseSensitive(it, "user_id");
    a->has_user = common_json_id(uid, &a->user_id) && a->user_id != 0;
    if (!a->has_user)
        a->user_id = 0;
    a->targetable_id = common_json_get_id(it, "targetable_id");
    map_action_data(cJSON_GetObjectItemCaseSensitive(it, "action_data"), a);
    return true;
}

static void clear_activity(void *slot)
{
    model_activity_clear(slot);
}

enum crm_status activity_json_list(const char *body, size_t len, struct activity **out, size_t *n,
                                   long *total, long *total_pages, char *err, size_t errlen)
{
    void *arr = NULL;
    enum crm_status st = common_json_map_member(body, len, "activities", COMMON_JSON_WANT_ARRAY,
                                                sizeof **out, map_activity, clear_activity, &arr, n,
                                                total, total_pages, err, errlen);

    *out = arr;
    return st;
}
