/* Strict JSON parsing and typed, sanitized field access for the mappers. */
#include "core/common_json.h"

#include <cJSON.h>
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/sanitize.h"

/* 2^53: every integer up to it is exact in a double. */
#define JSON_EXACT_MAX 9007199254740992.0

void *common_json_alloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        abort();
    return p;
}

void *common_json_calloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p)
        abort();
    return p;
}

enum crm_status common_json_map_list(const struct cJSON *list, size_t elem_size,
                                     common_json_map_fn map, common_json_clear_fn clear,
                                     const void *ctx, void **out, size_t *n, char *err,
                                     size_t errlen)
{
    int count = cJSON_GetArraySize(list);
    char *arr;
    const cJSON *it;
    size_t i = 0;

    *out = NULL;
    *n = 0;
    if (count <= 0)
        return CRM_OK;
    arr = common_json_calloc((size_t)count, elem_size);
    cJSON_ArrayForEach(it, list)
    {
        if (!map(it, arr + i * elem_size, ctx, err, errlen)) {
            for (size_t j = 0; j <= i; j++)
                clear(arr + j * elem_size);
            free(arr);
            return CRM_ERR_PROTOCOL;
        }
        i++;
    }
    *out = arr;
    *n = i;
    return CRM_OK;
}

enum crm_status common_json_map_member(const char *body, size_t len, const char *key,
                                       enum common_json_want want, size_t elem_size,
                                       common_json_map_fn map, common_json_clear_fn clear,
                                       void **out, size_t *n, long *total, long *total_pages,
                                       char *err, size_t errlen)
{
    const cJSON *list;
    cJSON *root = common_json_parse_member(body, len, key, want, &list, err, errlen);
    enum crm_status st;

    *out = NULL;
    *n = 0;
    if (!root)
        return CRM_ERR_PROTOCOL;
    st = common_json_map_list(list, elem_size, map, clear, NULL, out, n, err, errlen);
    if (st == CRM_OK)
        common_json_meta(root, total, total_pages);
    cJSON_Delete(root);
    return st;
}

/* Nesting depth of body, counted outside strings; stops past max. */
static bool depth_ok(const char *body, size_t len, int max)
{
    int depth = 0;
    bool in_str = false, esc = false;

    for (size_t i = 0; i < len; i++) {
        char ch = body[i];
        if (in_str) {
            if (esc)
                esc = false;
            else if (ch == '\\')
                esc = true;
            else if (ch == '"')
                in_str = false;
        } else if (ch == '"') {
            in_str = true;
        } else if (ch == '[' || ch == '{') {
            if (++depth > max)
                return false;
        } else if (ch == ']' || ch == '}') {
            depth--;
        }
    }
    return true;
}

static bool is_ws(char ch)
{
    return ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r';
}

struct cJSON *common_json_parse(const char *body, size_t len, char *err, size_t errlen)
{
    const char *end = NULL;
    cJSON *root;

    if (!body || len == 0) {
        snprintf(err, errlen, "the answer was empty");
        return NULL;
    }
    if (!depth_ok(body, len, COMMON_JSON_MAX_DEPTH)) {
        snprintf(err, errlen, "the answer is nested deeper than %d levels", COMMON_JSON_MAX_DEPTH);
        return NULL;
    }
    root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
    if (!root) {
        snprintf(err, errlen, "the answer is not valid JSON");
        return NULL;
    }
    for (; end && end < body + len; end++) {
        if (!is_ws(*end)) {
            cJSON_Delete(root);
            snprintf(err, errlen, "the answer has data after its JSON value");
            return NULL;
        }
    }
    return root;
}

const struct cJSON *common_json_member(const struct cJSON *obj, const char *key)
{
    return cJSON_IsObject(obj) ? cJSON_GetObjectItemCaseSensitive(obj, key) : NULL;
}

struct cJSON *common_json_parse_member(const char *body, size_t len, const char *key,
                                       enum common_json_want want, const struct cJSON **found,
                                       char *err, size_t errlen)
{
    cJSON *root = common_json_parse(body, len, err, errlen);
    bool array = want != COMMON_JSON_WANT_OBJECT;
    const cJSON *it;

    *found = NULL;
    if (!root)
        return NULL;
    it = key ? common_json_member(root, key) : root;
    if (want == COMMON_JSON_WANT_ARRAY_OR_ROOT && !cJSON_IsArray(it) && cJSON_IsArray(root))
        it = root;
    if (array ? !cJSON_IsArray(it) : !cJSON_IsObject(it)) {
        snprintf(err, errlen, "the answer has no \"%s\" %s", key ? key : "top-level",
                 array ? "list" : "object");
        cJSON_Delete(root);
        return NULL;
    }
    *found = it;
    return root;
}

static bool digits_to_id(const char *s, int64_t *out)
{
    char *end = NULL;
    long long v;

    if (!s || s[0] < '0' || s[0] > '9')
        return false;
    errno = 0;
    v = strtoll(s, &end, 10);
    if (errno != 0 || !end || *end != '\0' || v < 0)
        return false;
    *out = (int64_t)v;
    return true;
}

bool common_json_id(const struct cJSON *item, int64_t *out)
{
    if (!item)
        return false;
    if (cJSON_IsNumber(item)) {
        double v = item->valuedouble;
        if (!(v >= 0.0 && v <= JSON_EXACT_MAX))
            return false;
        if ((double)(int64_t)v != v)
            return false;
        *out = (int64_t)v;
        return true;
    }
    if (cJSON_IsString(item))
        return digits_to_id(item->valuestring, out);
    return false;
}

int64_t common_json_get_id(const struct cJSON *obj, const char *key)
{
    int64_t v = 0;
    if (!common_json_id(cJSON_GetObjectItemCaseSensitive(obj, key), &v))
        return 0;
    return v;
}

/* A number as text: integers exactly, others as %.17g. */
static char *number_text(double v)
{
    char buf[64];
    if (v >= -JSON_EXACT_MAX && v <= JSON_EXACT_MAX && (double)(int64_t)v == v)
        snprintf(buf, sizeof buf, "%" PRId64, (int64_t)v);
    else
        snprintf(buf, sizeof buf, "%.17g", v);
    return sanitize_str(buf, strlen(buf), 0);
}

char *common_json_str(const struct cJSON *obj, const char *key, size_t cap)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsString(it))
        return sanitize_str(it->valuestring, strlen(it->valuestring), cap);
    if (cJSON_IsNumber(it))
        return number_text(it->valuedouble);
    return NULL;
}

char *common_json_text(const struct cJSON *obj, const char *key)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsString(it))
        return sanitize_text(it->valuestring, strlen(it->valuestring), COMMON_JSON_TEXT_MAX);
    if (cJSON_IsNumber(it))
        return number_text(it->valuedouble);
    return NULL;
}

char *common_json_value_text(const struct cJSON *item)
{
    char *printed, *out;

    if (!item || cJSON_IsNull(item))
        return NULL;
    if (cJSON_IsString(item))
        return sanitize_str(item->valuestring, strlen(item->valuestring), 0);
    if (cJSON_IsNumber(item))
        return number_text(item->valuedouble);
    if (cJSON_IsTrue(item))
        return sanitize_str("true", 4, 0);
    if (cJSON_IsFalse(item))
        return sanitize_str("false", 5, 0);
    printed = cJSON_PrintUnformatted(item);
    if (!printed)
        abort();
    out = sanitize_str(printed, strlen(printed), 0);
    cJSON_free(printed);
    return out;
}

bool common_json_bool(const struct cJSON *obj, const char *key, bool dflt)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (cJSON_IsTrue(it))
        return true;
    if (cJSON_IsFalse(it))
        return false;
    return dflt;
}

long common_json_long(const struct cJSON *obj, const char *key, long dflt)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    int64_t v;

    if (cJSON_IsNumber(it)) {
        double d = it->valuedouble;
        if (d >= -JSON_EXACT_MAX && d <= JSON_EXACT_MAX && (double)(int64_t)d == d &&
            (int64_t)d >= LONG_MIN && (int64_t)d <= LONG_MAX)
            return (long)d;
        return dflt;
    }
    if (cJSON_IsString(it) && digits_to_id(it->valuestring, &v) && v <= LONG_MAX)
        return (long)v;
    return dflt;
}

void common_json_meta(const struct cJSON *root, long *total, long *total_pages)
{
    const cJSON *meta = cJSON_GetObjectItemCaseSensitive(root, "meta");
    long t = -1, tp = -1;

    if (cJSON_IsObject(meta)) {
        t = common_json_long(meta, "total", -1);
        tp = common_json_long(meta, "total_pages", -1);
        if (t < 0)
            t = -1;
        if (tp < 0)
            tp = -1;
    }
    if (total)
        *total = t;
    if (total_pages)
        *total_pages = tp;
}

/* Appends s (sanitized) to msg, "; " between parts. */
static void append_part(char *msg, size_t cap, size_t *used, const char *s)
{
    char *clean;
    size_t n;

    if (!s || !s[0] || *used + 1 >= cap)
        return;
    if (*used > 0) {
        if (*used + 3 >= cap)
            return;
        memcpy(msg + *used, "; ", 2);
        *used += 2;
    }
    clean = sanitize_str(s, strlen(s), cap - *used - 1);
    n = strlen(clean);
    memcpy(msg + *used, clean, n);
    *used += n;
    msg[*used] = '\0';
    free(clean);
}

bool common_json_error_message(const char *body, size_t len, char *msg, size_t cap)
{
    char err[96];
    cJSON *root;
    const cJSON *errors, *m;
    size_t used = 0;

    if (!msg || cap == 0)
        return false;
    msg[0] = '\0';
    root = common_json_parse(body, len, err, sizeof err);
    if (!root)
        return false;
    errors = cJSON_GetObjectItemCaseSensitive(root, "errors");
    m = cJSON_IsObject(errors) ? cJSON_GetObjectItemCaseSensitive(errors, "message") : NULL;
    if (cJSON_IsString(m)) {
        append_part(msg, cap, &used, m->valuestring);
    } else if (cJSON_IsArray(m)) {
        const cJSON *part;
        cJSON_ArrayForEach(part, m)
        {
            if (cJSON_IsString(part))
                append_part(msg, cap, &used, part->valuestring);
        }
    }
    if (used == 0) {
        const cJSON *alt = cJSON_GetObjectItemCaseSensitive(root, "message");
        if (!cJSON_IsString(alt))
            alt = cJSON_GetObjectItemCaseSensitive(root, "error");
        if (cJSON_IsString(alt))
            append_part(msg, cap, &used, alt->valuestring);
    }
    cJSON_Delete(root);
    return used > 0;
}

char *common_json_print_body(cJSON *root, size_t *len)
{
    char *printed = cJSON_PrintUnformatted(root);
    char *out;
    size_t n;

    if (!printed)
        abort();
    n = strlen(printed);
    out = common_json_alloc(n + 1);
    memcpy(out, printed, n + 1);
    cJSON_free(printed);
    cJSON_Delete(root);
    if (len)
        *len = n;
    return out;
}
