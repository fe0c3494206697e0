/* JSON for crm-server: strict parsing of request bodies, typed access to their
 * members, and the helpers that build responses and the error envelope. */
#ifndef CRM_SERVER_JSON_H
#define CRM_SERVER_JSON_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#define JSON_MAX_DEPTH 32                 /* nesting of arrays and objects a body may have */
#define JSON_MAX_INT   9007199254740991LL /* 2^53 - 1: integers exact in a double */

/* A response being built: status, body (malloc'd, owned) and extra headers. */
struct srv_resp {
    int status;
    char *body;
    size_t len;
    long retry_after;         /* > 0: a Retry-After header */
    char allow[64];           /* non-empty: an Allow header (405) */
    const char *content_type; /* NULL: JSON; else a static string, e.g. "text/csv" */
    char header_name[32];     /* non-empty: one extra header, e.g. X-Total-Records */
    char header_value[64];
    /* A streamed body instead of body (left NULL): stream_read writes up to
     * max bytes of the body from position pos into buf and returns how many,
     * -1 at the end, -2 on failure; stream_free (may be NULL) releases
     * stream_cls once the response is done or could not be sent. */
    ssize_t (*stream_read)(void *cls, uint64_t pos, char *buf, size_t max);
    void (*stream_free)(void *cls);
    void *stream_cls;
};

/* Parses len bytes of buf (which need not be NUL-terminated) as one JSON
 * value: valid UTF-8, no NUL bytes, no raw control characters or \u0000 in
 * strings, nesting at most JSON_MAX_DEPTH, nothing but whitespace after the
 * value. On success *out owns the tree (cJSON_Delete). On failure returns -1,
 * leaves *out NULL and writes a sentence for the client into err. */
int json_parse_strict(const char *buf, size_t len, cJSON **out, char *err, size_t errlen);

/* Whether len bytes of s are valid UTF-8 (no overlongs, no surrogates). */
bool json_utf8_valid(const char *s, size_t len);

/* Number of characters (code points) of a valid UTF-8 string. */
size_t json_utf8_chars(const char *s);

/* Reading one optional member of an object, its type checked. */
enum json_get {
    JSON_GET_BAD = -1,   /* wrong type or out of bounds; err holds the sentence */
    JSON_GET_ABSENT = 0, /* no such member */
    JSON_GET_NULL = 1,   /* the member is JSON null */
    JSON_GET_OK = 2      /* *out holds the value */
};

/* A string of at most max_chars characters; *out borrows from obj. */
enum json_get json_get_str(const cJSON *obj, const char *key, size_t max_chars, const char **out,
                           char *err, size_t errlen);
/* An integer in [min, max]; a number with a fraction is refused. */
enum json_get json_get_int(const cJSON *obj, const char *key, int64_t min, int64_t max,
                           int64_t *out, char *err, size_t errlen);
enum json_get json_get_bool(const cJSON *obj, const char *key, bool *out, char *err, size_t errlen);
/* An integer id given as a JSON number or a string of digits, in [1, JSON_MAX_INT]. */
bool json_id_value(const cJSON *item, int64_t *out);

/* Adds an exact 64-bit integer member (printed without going through a double). */
void json_add_int64(cJSON *obj, const char *name, int64_t v);
/* Adds a string member, or null when s is NULL. */
void json_add_str(cJSON *obj, const char *name, const char *s);
/* Adds an ISO-8601 UTC time member, or null when t is 0. */
void json_add_time(cJSON *obj, const char *name, int64_t t);
/* Adds the member meta {"total":N,"total_pages":M}. */
void json_add_meta(cJSON *obj, int64_t total, long per_page);
/* Parses stored JSON text of the wanted type (cJSON_Object or cJSON_Array);
 * falls back to an empty one when the text is absent or malformed. */
cJSON *json_stored(const char *text, int type);

/* Sets the response to the printed JSON of root and takes root (deleted). */
void json_reply(struct srv_resp *rs, int status, cJSON *root);
/* Sets the response to the literal body text (e.g. "true"). */
void json_reply_text(struct srv_resp *rs, int status, const char *text);
/* Sets the response to the error envelope {"errors":{"code":N,"message":[msg]}};
 * msg NULL takes the status's default message (server/status.h). */
void json_error(struct srv_resp *rs, int status, const char *msg);
/* As json_error with a printf-style message. */
void json_errorf(struct srv_resp *rs, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
/* Frees the body and clears the response. */
void json_resp_clear(struct srv_resp *rs);

/* Allocation that aborts on failure; installed into cJSON by json_init. */
void *json_xmalloc(size_t n);
void json_init(void);

#endif
