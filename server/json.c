/* Strict request parsing, typed member access and response building for
 * crm-server; every error leaves as the one envelope of API.md section 1. */
#include "server/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <ctype.h>
#include <string.h>

#include "server/db.h"
#include "server/status.h"

void *json_xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) {
        fputs("crm-server: out of memory\n", stderr);
        abort();
    }
    return p;
}

void json_init(void)
{
    cJSON_Hooks hooks = {json_xmalloc, free};
    cJSON_InitHooks(&hooks);
}

bool json_utf8_valid(const char *str, size_t len)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;

    while (i < len) {
        unsigned c = s[i], cp, min;
        size_t n, k;

        if (c < 0x80) {
            i++;
            continue;
        }
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
            cp = c & 0x1F;
            min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            cp = c & 0x0F;
            min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            cp = c & 0x07;
            min = 0x10000;
        } else {
            return false;
        }
        if (len - i < n)
            return false;
        for (k = 1; k < n; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += n;
    }
    return true;
}

size_t json_utf8_chars(const char *s)
{
    size_t n = 0;

    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80)
            n++;
    return n;
}

/* What cJSON does not check: bytes, raw controls, NUL escapes and depth,
 * looked at before any tree is built. */
static int json_prescan(const unsigned char *s, size_t len, char *err, size_t errlen)
{
    bool in_str = false;
    int depth = 0;
    size_t i;

    if (!json_utf8_valid((const char *)s, len)) {
        snprintf(err, errlen, "The body is not valid UTF-8.");
        return -1;
    }
    for (i = 0; i < len; i++) {
        unsigned char c = s[i];

        if (c == 0) {
            snprintf(err, errlen, "The body contains a NUL byte.");
            return -1;
        }
        if (in_str) {
            if (c == '\\') {
                /* cJSON reads a malformed \u escape as U+0000 and cuts the
                 * string there: only the escapes JSON defines pass. */
                if (i + 1 < len && s[i + 1] != 0 && strchr("\"\\/bfnrt", s[i + 1])) {
                    i++;
                } else if (i + 5 < len && s[i + 1] == 'u' && isxdigit(s[i + 2]) &&
                           isxdigit(s[i + 3]) && isxdigit(s[i + 4]) && isxdigit(s[i + 5])) {
                    if (memcmp(s + i + 2, "0000", 4) == 0) {
                        snprintf(err, errlen, "Strings must not contain \\u0000.");
                        return -1;
                    }
                    i += 5;
                } else {
                    snprintf(err, errlen, "A string holds an invalid escape sequence.");
                    return -1;
                }
            } else if (c == '"') {
                in_str = false;
            } else if (c < 0x20) {
                snprintf(err, errlen, "Strings must not contain raw control characters.");
                return -1;
            }
        } else if (c == '"') {
            in_str = true;
        } else if (c == '[' || c == '{') {
            if (++depth > JSON_MAX_DEPTH) {
                snprintf(err, errlen, "The body is nested deeper than %d levels.", JSON_MAX_DEPTH);
                return -1;
            }
        } else if (c == ']' || c == '}') {
            depth--;
        }
    }
    return 0;
}

int json_parse_strict(const char *buf, size_t len, cJSON **out, char *err, size_t errlen)
{
    const char *end = NULL;
    cJSON *root;

    *out = NULL;
    if (len == 0) {
        snprintf(err, errlen, "A JSON body is required.");
        return -1;
    }
    if (json_prescan((const unsigned char *)buf, len, err, errlen) < 0)
        return -1;
    root = cJSON_ParseWithLengthOpts(buf, len, &end, 0);
    if (!root) {
        size_t at = end && end >= buf ? (size_t)(end - buf) : 0;
        snprintf(err, errlen, "The body is not valid JSON (error near byte %zu).", at);
        return -1;
    }
    while (end < buf + len && (*end == ' ' || *end == '\t' || *end == '\n' || *end == '\r'))
        end++;
    if (end != buf + len) {
        cJSON_Delete(root);
        snprintf(err, errlen, "The body has text after the JSON value (at byte %zu).",
                 (size_t)(end - buf));
        return -1;
    }
    *out = root;
    return 0;
}

enum json_get json_get_str(const cJSON *obj, const char *key, size_t max_chars, const char **out,
                           char *err, size_t errlen)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (!it)
        return JSON_GET_ABSENT;
    if (cJSON_IsNull(it))
        return JSON_GET_NULL;
    if (!cJSON_IsString(it) || !it->valuestring) {
        snprintf(err, errlen, "%s must be a string.", key);
        return JSON_GET_BAD;
    }
    if (json_utf8_chars(it->valuestring) > max_chars) {
        snprintf(err, errlen, "%s is longer than %zu characters.", key, max_chars);
        return JSON_GET_BAD;
    }
    *out = it->valuestring;
    return JSON_GET_OK;
}

/* Whether d is an integer a double holds exactly. */
static bool json_exact_int(double d)
{
    return isfinite(d) && d == floor(d) && fabs(d) <= (double)JSON_MAX_INT;
}

enum json_get json_get_int(const cJSON *obj, const char *key, int64_t min, int64_t max,
                           int64_t *out, char *err, size_t errlen)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    int64_t v;

    if (!it)
        return JSON_GET_ABSENT;
    if (cJSON_IsNull(it))
        return JSON_GET_NULL;
    if (!cJSON_IsNumber(it) || !json_exact_int(it->valuedouble)) {
        snprintf(err, errlen, "%s must be an integer.", key);
        return JSON_GET_BAD;
    }
    v = (int64_t)it->valuedouble;
    if (v < min || v > max) {
        snprintf(err, errlen, "%s must be between %" PRId64 " and %" PRId64 ".", key, min, max);
        return JSON_GET_BAD;
    }
    *out = v;
    return JSON_GET_OK;
}

enum json_get json_get_bool(const cJSON *obj, const char *key, bool *out, char *err, size_t errlen)
{
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);

    if (!it)
        return JSON_GET_ABSENT;
    if (cJSON_IsNull(it))
        return JSON_GET_NULL;
    if (!cJSON_IsBool(it)) {
        snprintf(err, errlen, "%s must be true or false.", key);
        return JSON_GET_BAD;
    }
    *out = cJSON_IsTrue(it);
    return JSON_GET_OK;
}

bool json_id_value(const cJSON *item, int64_t *out)
{
    int64_t v = 0;

    if (cJSON_IsNumber(item)) {
        if (!json_exact_int(item->valuedouble) || item->valuedouble < 1)
            return false;
        *out = (int64_t)item->valuedouble;
        return true;
    }
    if (cJSON_IsString(item) && item->valuestring) {
        const char *s = item->valuestring;
        size_t n = strlen(s), i;
        if (n == 0 || n > 16)
            return false;
        for (i = 0; i < n; i++) {
            if (s[i] < '0' || s[i] > '9')
                return false;
            v = v * 10 + (s[i] - '0');
        }
        if (v < 1 || v > JSON_MAX_INT)
            return false;
        *out = v;
        return true;
    }
    return false;
}

void json_add_int64(cJSON *obj, const char *name, int64_t v)
{
    char buf[24];

    snprintf(buf, sizeof buf, "%" PRId64, v);
    cJSON_AddRawToObject(obj, name, buf);
}

void json_add_str(cJSON *obj, const char *name, const char *s)
{
    if (s)
        cJSON_AddStringToObject(obj, name, s);
    else
        cJSON_AddNullToObject(obj, name);
}

void json_add_time(cJSON *obj, const char *name, int64_t t)
{
    char iso[32];

    if (t == 0) {
        cJSON_AddNullToObject(obj, name);
        return;
    }
    db_iso_time(t, iso, sizeof iso);
    cJSON_AddStringToObject(obj, name, iso);
}

void json_add_meta(cJSON *obj, int64_t total, long per_page)
{
    cJSON *meta = cJSON_AddObjectToObject(obj, "meta");

    json_add_int64(meta, "total", total);
    json_add_int64(meta, "total_pages", per_page > 0 ? (total + per_page - 1) / per_page : 0);
}

cJSON *json_stored(const char *text, int type)
{
    cJSON *v = text ? cJSON_Parse(text) : NULL;

    if (v && (v->type & 0xFF) == type)
        return v;
    cJSON_Delete(v);
    return type == cJSON_Array ? cJSON_CreateArray() : cJSON_CreateObject();
}

void json_resp_clear(struct srv_resp *rs)
{
    free(rs->body);
    rs->body = NULL;
    rs->len = 0;
    rs->status = 0;
    rs->retry_after = 0;
    rs->allow[0] = '\0';
}

void json_reply(struct srv_resp *rs, int status, cJSON *root)
{
    char *text = cJSON_PrintUnformatted(root);

    cJSON_Delete(root);
    free(rs->body);
    rs->body = text;
    rs->len = text ? strlen(text) : 0;
    rs->status = status;
    if (!text)
        json_error(rs, SRV_INTERNAL, NULL);
}

void json_reply_text(struct srv_resp *rs, int status, const char *text)
{
    size_t n = strlen(text);

    free(rs->body);
    rs->body = json_xmalloc(n + 1);
    memcpy(rs->body, text, n + 1);
    rs->len = n;
    rs->status = status;
}

void json_error(struct srv_resp *rs, int status, const char *msg)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *errors = cJSON_AddObjectToObject(root, "errors");
    cJSON *messages;

    cJSON_AddNumberToObject(errors, "code", status);
    messages = cJSON_AddArrayToObject(errors, "message");
    cJSON_AddItemToArray(messages, cJSON_CreateString(msg ? msg : srv_status_message(status)));
    free(rs->body);
    rs->body = cJSON_PrintUnformatted(root);
    rs->len = strlen(rs->body);
    rs->status = status;
    cJSON_Delete(root);
}

void json_errorf(struct srv_resp *rs, int status, const char *fmt, ...)
{
    char msg[512];
    va_list ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    json_error(rs, status, msg);
}
