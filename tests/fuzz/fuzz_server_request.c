/* Fuzz target: crm-server's request bodies: strict parsing (UTF-8, no NUL, no
 * raw control or \u0000 in strings, bounded depth, nothing after the value),
 * the typed member getters the handlers use, and the responses built back
 * from what was read, which must themselves pass the strict parser. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "server/json.h"
#include "tests/fuzz/fuzz_check.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    json_init();
    return 0;
}

static bool fuzz_hex(uint8_t c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* Scans data as JSON text (RFC 8259 strings), apart from the code under
 * test: whether some string holds a raw control character, an escape JSON
 * does not have (which would otherwise decode to something), or \u0000. */
static bool fuzz_bad_string(const uint8_t *s, size_t len)
{
    bool in_str = false;

    for (size_t i = 0; i < len; i++) {
        if (!in_str) {
            in_str = s[i] == '"';
            continue;
        }
        if (s[i] < 0x20)
            return true;
        if (s[i] == '"') {
            in_str = false;
        } else if (s[i] == '\\') {
            if (i + 1 >= len)
                return true;
            if (s[i + 1] != 'u') {
                if (strchr("\"\\/bfnrt", s[i + 1]) == NULL || s[i + 1] == '\0')
                    return true;
                i++;
                continue;
            }
            if (i + 5 >= len || !fuzz_hex(s[i + 2]) || !fuzz_hex(s[i + 3]) || !fuzz_hex(s[i + 4]) ||
                !fuzz_hex(s[i + 5]))
                return true;
            if (memcmp(s + i + 2, "0000", 4) == 0)
                return true;
            i += 5;
        }
    }
    return false;
}

static int fuzz_depth(const cJSON *item)
{
    int deepest = 0;

    if (!cJSON_IsArray(item) && !cJSON_IsObject(item))
        return 0;
    for (const cJSON *c = item->child; c != NULL; c = c->next) {
        int d = fuzz_depth(c);
        if (d > deepest)
            deepest = d;
    }
    return deepest + 1;
}

/* Every string of the tree, keys too, is valid UTF-8. */
static void fuzz_strings(const cJSON *item)
{
    for (const cJSON *c = item->child; c != NULL; c = c->next) {
        if (c->string != NULL)
            FUZZ_ASSERT(fuzz_check_utf8_valid(c->string, strlen(c->string)));
        if (cJSON_IsString(c))
            FUZZ_ASSERT(fuzz_check_utf8_valid(c->valuestring, strlen(c->valuestring)));
        fuzz_strings(c);
    }
}

/* What each getter says of one member agrees with the member itself. */
static void fuzz_getters(const cJSON *obj, const char *key)
{
    static const size_t max_chars[] = {0, 1, 5, 255};
    const cJSON *it = cJSON_GetObjectItemCaseSensitive(obj, key);
    char err[256];
    const char *s;
    int64_t v;
    bool b;

    for (size_t i = 0; i < sizeof max_chars / sizeof max_chars[0]; i++) {
        s = NULL;
        err[0] = '\0';
        switch (json_get_str(obj, key, max_chars[i], &s, err, sizeof err)) {
        case JSON_GET_OK:
            FUZZ_ASSERT(cJSON_IsString(it) && s == it->valuestring);
            FUZZ_ASSERT(json_utf8_chars(s) <= max_chars[i]);
            break;
        case JSON_GET_BAD:
            FUZZ_ASSERT(err[0] != '\0');
            FUZZ_ASSERT(!cJSON_IsString(it) || json_utf8_chars(it->valuestring) > max_chars[i]);
            break;
        case JSON_GET_NULL:
            FUZZ_ASSERT(cJSON_IsNull(it));
            break;
        case JSON_GET_ABSENT:
            FUZZ_ASSERT(it == NULL);
            break;
        }
    }

    err[0] = '\0';
    switch (json_get_int(obj, key, -5, JSON_MAX_INT, &v, err, sizeof err)) {
    case JSON_GET_OK:
        FUZZ_ASSERT(cJSON_IsNumber(it) && (double)v == it->valuedouble);
        FUZZ_ASSERT(v >= -5 && v <= JSON_MAX_INT);
        break;
    case JSON_GET_BAD:
        FUZZ_ASSERT(err[0] != '\0' && it != NULL && !cJSON_IsNull(it));
        break;
    default:
        break;
    }

    err[0] = '\0';
    switch (json_get_bool(obj, key, &b, err, sizeof err)) {
    case JSON_GET_OK:
        FUZZ_ASSERT(cJSON_IsBool(it) && b == (bool)cJSON_IsTrue(it));
        break;
    case JSON_GET_BAD:
        FUZZ_ASSERT(err[0] != '\0' && !cJSON_IsBool(it));
        break;
    default:
        break;
    }

    if (json_id_value(it, &v)) {
        FUZZ_ASSERT(v >= 1 && v <= JSON_MAX_INT);
        if (cJSON_IsNumber(it)) {
            FUZZ_ASSERT((double)v == it->valuedouble);
        } else {
            FUZZ_ASSERT(cJSON_IsString(it));
            for (const char *p = it->valuestring; *p; p++)
                FUZZ_ASSERT(*p >= '0' && *p <= '9');
        }
    }
}

/* The getters on every member of every object, as the handlers read them. */
static void fuzz_walk(const cJSON *item)
{
    for (const cJSON *c = item->child; c != NULL; c = c->next) {
        if (cJSON_IsObject(item) && c->string != NULL)
            fuzz_getters(item, c->string);
        fuzz_walk(c);
    }
}

/* The body printed back (as a handler echoes a record) parses strictly, and
 * prints the same a second time. */
static void fuzz_reprint(const cJSON *root)
{
    char *once = cJSON_PrintUnformatted(root), *twice;
    char err[256] = "";
    cJSON *back = NULL;

    FUZZ_ASSERT(once != NULL);
    FUZZ_ASSERT(json_parse_strict(once, strlen(once), &back, err, sizeof err) == 0);
    twice = cJSON_PrintUnformatted(back);
    FUZZ_ASSERT(twice != NULL && strcmp(once, twice) == 0);
    cJSON_Delete(back);
    free(once);
    free(twice);
}

/* The error envelope around a message taken from the request, and a record
 * with a 64-bit id, as a client will read them. */
static void fuzz_responses(const cJSON *root)
{
    const cJSON *first = cJSON_IsString(root) ? root : NULL;
    struct srv_resp rs = {0};
    cJSON *back = NULL, *obj, *msgs;
    char err[256] = "";

    for (const cJSON *c = root->child; c != NULL && first == NULL; c = c->next)
        if (cJSON_IsString(c))
            first = c;
    json_error(&rs, 400, first ? first->valuestring : NULL);
    FUZZ_ASSERT(rs.status == 400 && rs.body != NULL && strlen(rs.body) == rs.len);
    FUZZ_ASSERT(json_parse_strict(rs.body, rs.len, &back, err, sizeof err) == 0);
    obj = cJSON_GetObjectItemCaseSensitive(back, "errors");
    msgs = cJSON_GetObjectItemCaseSensitive(obj, "message");
    FUZZ_ASSERT(cJSON_IsArray(msgs) && cJSON_IsString(msgs->child));
    if (first != NULL)
        FUZZ_ASSERT(strcmp(msgs->child->valuestring, first->valuestring) == 0);
    cJSON_Delete(back);
    json_resp_clear(&rs);

    obj = cJSON_CreateObject();
    json_add_int64(obj, "id", JSON_MAX_INT + 2);
    json_add_str(obj, "name", first ? first->valuestring : NULL);
    json_add_meta(obj, 5, 2);
    json_reply(&rs, 200, obj);
    FUZZ_ASSERT(rs.status == 200 && rs.body != NULL && strlen(rs.body) == rs.len);
    FUZZ_ASSERT(json_parse_strict(rs.body, rs.len, &back, err, sizeof err) == 0);
    FUZZ_ASSERT(strstr(rs.body, "\"id\":9007199254740993") != NULL);
    cJSON_Delete(back);
    json_resp_clear(&rs);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *buf = (const char *)data;
    bool utf8 = fuzz_check_utf8_valid(buf, size);
    static cJSON sentinel;
    cJSON *root = &sentinel; /* not NULL: the call must clear it */
    char err[256] = "";

    FUZZ_ASSERT(json_utf8_valid(buf, size) == utf8);
    if (utf8) {
        char *s = fuzz_check_strndup(data, size);
        size_t chars = 0, i = 0, n = strlen(s);
        while (i < n) {
            uint32_t cp;
            i += fuzz_check_utf8_char((const unsigned char *)s + i, n - i, &cp);
            chars++;
        }
        FUZZ_ASSERT(json_utf8_chars(s) == chars);
        free(s);
    }

    if (json_parse_strict(buf, size, &root, err, sizeof err) != 0) {
        FUZZ_ASSERT(root == NULL);
        FUZZ_ASSERT(err[0] != '\0');
        return 0;
    }
    FUZZ_ASSERT(root != NULL);
    FUZZ_ASSERT(size > 0 && utf8 && memchr(data, '\0', size) == NULL);
    FUZZ_ASSERT(!fuzz_bad_string(data, size));
    FUZZ_ASSERT(fuzz_depth(root) <= JSON_MAX_DEPTH);
    fuzz_strings(root);
    fuzz_walk(root);
    fuzz_reprint(root);
    fuzz_responses(root);
    cJSON_Delete(root);
    return 0;
}
