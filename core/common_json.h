/* What the *_json.c mappers share: strict parsing (whole buffer, bounded
 * depth) and typed field access that sanitizes every string it hands out.
 *
 * Field rules, the same in every mapper:
 * - unknown keys are ignored, key order does not matter, the first of
 *   duplicate keys wins;
 * - an id is a JSON integer (exact only up to 2^53, so larger JSON numbers
 *   are refused) or a string of decimal digits up to INT64_MAX; negative,
 *   fractional or other ids are refused;
 * - a string field takes a JSON string, or a number (written as text); any
 *   other type leaves the field NULL;
 * - a bool field takes true/false only; a number field an integral number;
 *   any other type leaves the default.
 * cJSON appears only as an incomplete type here: only *_json.c include it. */
#ifndef CRM_COMMON_JSON_H
#define CRM_COMMON_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct cJSON;

/* Nesting deeper than this is refused before parsing. */
#define COMMON_JSON_MAX_DEPTH 32
/* Cap on a note or other multi-line text, in bytes. */
#define COMMON_JSON_TEXT_MAX 65536

/* Parses body[0..len): one JSON value, surrounded by whitespace only, nesting
 * at most COMMON_JSON_MAX_DEPTH. Returns the tree (free with cJSON_Delete) or
 * NULL with a sentence in err. */
struct cJSON *common_json_parse(const char *body, size_t len, char *err, size_t errlen);

/* What common_json_parse_member looks for. */
enum common_json_want {
    COMMON_JSON_WANT_OBJECT,        /* root[key] is an object */
    COMMON_JSON_WANT_ARRAY,         /* root[key] is an array */
    COMMON_JSON_WANT_ARRAY_OR_ROOT, /* root[key] is an array, else a root that is one */
};

/* Parses body[0..len) as common_json_parse does and finds root[key] (key
 * NULL: the root itself) of the wanted kind; a root that is not an object
 * has no keys. Returns the root (free with cJSON_Delete) with *found
 * pointing into it. On failure returns NULL with *found NULL and a sentence
 * in err: the parser's, or 'the answer has no "KEY" list' (an array wanted)
 * or '... object', KEY being "top-level" when key is NULL. */
struct cJSON *common_json_parse_member(const char *body, size_t len, const char *key,
                                       enum common_json_want want, const struct cJSON **found,
                                       char *err, size_t errlen);

/* obj[key], the key matched case-sensitively; NULL when obj is NULL or not
 * an object, or has no such key. Points into obj. */
const struct cJSON *common_json_member(const struct cJSON *obj, const char *key);

/* True when item is a valid id (rules above); *out receives it. */
bool common_json_id(const struct cJSON *item, int64_t *out);
/* obj[key] as an id; 0 when absent, null or not a valid id. */
int64_t common_json_get_id(const struct cJSON *obj, const char *key);
/* obj[key] as a sanitized single-line string (cap 0: the sanitizer's
 * default), owned by the caller; NULL when absent, null or of another type. */
char *common_json_str(const struct cJSON *obj, const char *key, size_t cap);
/* Like common_json_str but keeps newlines (sanitize_text), cap 64 KiB. */
char *common_json_text(const struct cJSON *obj, const char *key);
/* item as sanitized text whatever its type (objects and arrays as compact
 * JSON); NULL for JSON null. Owned by the caller. */
char *common_json_value_text(const struct cJSON *item);
/* obj[key] when it is true or false, else dflt. */
bool common_json_bool(const struct cJSON *obj, const char *key, bool dflt);
/* obj[key] when it is an integral number (or digit string) in long, else dflt. */
long common_json_long(const struct cJSON *obj, const char *key, long dflt);
/* root.meta.total and root.meta.total_pages; -1 when not sent. */
void common_json_meta(const struct cJSON *root, long *total, long *total_pages);

/* The server's message in an error body: errors.message as a string or an
 * array of strings (joined with "; "), else a top-level "message" or
 * "error" string. Sanitized into msg (cap bytes). False when there is none. */
bool common_json_error_message(const char *body, size_t len, char *msg, size_t cap);

/* A request body: root printed without spaces into a new buffer (free()),
 * its length in *len when not NULL. Takes and frees root. */
char *common_json_print_body(struct cJSON *root, size_t *len);

/* Maps one element it of a list into slot (zeroed, elem_size bytes), ctx
 * being what common_json_map_list was given; returns false with a sentence
 * in err when the element is refused. */
typedef bool (*common_json_map_fn)(const struct cJSON *it, void *slot, const void *ctx, char *err,
                                   size_t errlen);
/* Frees what a map function put in slot (also a refused, partly filled one). */
typedef void (*common_json_clear_fn)(void *slot);

/* Maps the array list element by element with map into a new array of
 * elem_size-byte slots: *out (free() after clearing each slot) and its
 * length *n. An empty list gives *out NULL and *n 0. On the first element
 * map refuses, every slot mapped so far and the refused one are cleared, the
 * array is freed, *out is NULL, *n 0, err keeps map's sentence and
 * CRM_ERR_PROTOCOL is returned. */
enum crm_status common_json_map_list(const struct cJSON *list, size_t elem_size,
                                     common_json_map_fn map, common_json_clear_fn clear,
                                     const void *ctx, void **out, size_t *n, char *err,
                                     size_t errlen);

/* A whole list answer: parses body[0..len) and finds root[key] as
 * common_json_parse_member does (want COMMON_JSON_WANT_ARRAY or
 * COMMON_JSON_WANT_ARRAY_OR_ROOT), maps it with common_json_map_list (ctx
 * NULL) into *out and *n and, when that succeeds, reads root.meta into
 * *total and *total_pages as common_json_meta does (either may be NULL).
 * On failure *out is NULL, *n 0, totals untouched, and CRM_ERR_PROTOCOL is
 * returned with the parser's or the map function's sentence in err. */
enum crm_status common_json_map_member(const char *body, size_t len, const char *key,
                                       enum common_json_want want, size_t elem_size,
                                       common_json_map_fn map, common_json_clear_fn clear,
                                       void **out, size_t *n, long *total, long *total_pages,
                                       char *err, size_t errlen);

/* Allocation that aborts on failure, for the mappers. */
void *common_json_alloc(size_t n);
void *common_json_calloc(size_t n, size_t size);

#endif
