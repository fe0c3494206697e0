/* Reading the export document (the server's, or one assembled from ordinary
 * responses): strict parsing, the inert pretty-printed JSON, flat records. */
#include "core/export.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cjson/cJSON.h>

/* A growing output buffer; allocation failure aborts (the sizes are bounded by
 * EXPORT_MAX_BODY, and the output by a small multiple of it). */
struct jbuf {
    char *p;
    size_t len, cap;
};

static void jb_reserve(struct jbuf *b, size_t more)
{
    if (b->len + more + 1 <= b->cap)
        return;
    size_t cap = b->cap ? b->cap : 256;
    while (cap < b->len + more + 1)
        cap *= 2;
    char *p = realloc(b->p, cap);
    if (p == NULL)
        abort();
    b->p = p;
    b->cap = cap;
}

static void jb_put(struct jbuf *b, const char *s, size_t n)
{
    jb_reserve(b, n);
    memcpy(b->p + b->len, s, n);
    b->len += n;
    b->p[b->len] = '\0';
}

static void jb_puts(struct jbuf *b, const char *s)
{
    jb_put(b, s, strlen(s));
}

static char *jb_take(struct jbuf *b)
{
    if (b->p == NULL)
        jb_reserve(b, 0), b->p[0] = '\0';
    char *p = b->p;
    *b = (struct jbuf){0};
    return p;
}

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *p = malloc(n);
    if (p == NULL)
        abort();
    memcpy(p, s, n);
    return p;
}

__attribute__((format(printf, 3, 4))) static void set_err(char *err, size_t errlen, const char *fmt,
                                                          ...)
{
    va_list ap;
    if (err == NULL || errlen == 0)
        return;
    va_start(ap, fmt);
    vsnprintf(err, errlen, fmt, ap);
    va_end(ap);
}

/* Strict UTF-8 (as core/sanitize.c): bytes taken, *cp = -1 when ill-formed. */
static size_t utf8_next(const unsigned char *s, size_t len, long *cp)
{
    unsigned char b0 = s[0], lo = 0x80, hi = 0xBF;
    size_t need;
    long v;

    if (b0 < 0x80) {
        *cp = b0;
        return 1;
    }
    if (b0 >= 0xC2 && b0 <= 0xDF) {
        need = 1;
        v = b0 & 0x1F;
    } else if (b0 >= 0xE0 && b0 <= 0xEF) {
        need = 2;
        v = b0 & 0x0F;
        lo = b0 == 0xE0 ? 0xA0 : 0x80;
        hi = b0 == 0xED ? 0x9F : 0xBF;
    } else if (b0 >= 0xF0 && b0 <= 0xF4) {
        need = 3;
        v = b0 & 0x07;
        lo = b0 == 0xF0 ? 0x90 : 0x80;
        hi = b0 == 0xF4 ? 0x8F : 0xBF;
    } else {
        *cp = -1;
        return 1;
    }
    for (size_t i = 1; i <= need; i++) {
        if (i >= len || s[i] < lo || s[i] > hi) {
            *cp = -1;
            return i;
        }
        v = (v << 6) | (s[i] & 0x3F);
        lo = 0x80;
        hi = 0xBF;
    }
    *cp = v;
    return need + 1;
}

/* Characters a terminal acts on or hides: written as \uXXXX. */
static bool needs_escape(long cp)
{
    return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F) || cp == 0x00AD || cp == 0x061C ||
           cp == 0x180E || (cp >= 0x200B && cp <= 0x200F) || (cp >= 0x2028 && cp <= 0x202E) ||
           (cp >= 0x2060 && cp <= 0x206F) || cp == 0xFEFF || (cp >= 0xFFF9 && cp <= 0xFFFB);
}

/* A JSON string literal; invalid UTF-8 becomes \ufffd (JSON cannot carry it). */
static void put_string(struct jbuf *b, const char *str)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t len = strlen(str);
    char esc[40];

    jb_put(b, "\"", 1);
    for (size_t i = 0; i < len;) {
        long cp;
        size_t n = utf8_next(s + i, len - i, &cp);
        if (cp < 0) {
            jb_puts(b, "\\ufffd");
        } else if (cp == '"' || cp == '\\') {
            esc[0] = '\\';
            esc[1] = (char)cp;
            jb_put(b, esc, 2);
        } else if (needs_escape(cp) || (cp >= 0xE0000 && cp <= 0xE007F)) {
            if (cp > 0xFFFF) {
                long v = cp - 0x10000;
                snprintf(esc, sizeof(esc), "\\u%04lx\\u%04lx", 0xD800 + (v >> 10),
                         0xDC00 + (v & 0x3FF));
            } else {
                snprintf(esc, sizeof(esc), "\\u%04lx", cp);
            }
            jb_puts(b, esc);
        } else {
            jb_put(b, (const char *)s + i, n);
        }
        i += n;
    }
    jb_put(b, "\"", 1);
}

/* Numbers as JSON text: integers exactly (ids pass 2^32), others shortest. */
static void format_number(double v, char *out, size_t outlen)
{
    if (v == floor(v) && fabs(v) < 9007199254740992.0)
        snprintf(out, outlen, "%.0f", v);
    else
        snprintf(out, outlen, "%.17g", v);
}

static void put_indent(struct jbuf *b, int depth)
{
    for (int i = 0; i < depth; i++)
        jb_put(b, "  ", 2);
}

static void put_value(struct jbuf *b, const cJSON *item, int depth, bool pretty)
{
    char num[64];

    if (cJSON_IsString(item)) {
        put_string(b, item->valuestring ? item->valuestring : "");
    } else if (cJSON_IsNumber(item)) {
        format_number(item->valuedouble, num, sizeof(num));
        jb_puts(b, num);
    } else if (cJSON_IsTrue(item)) {
        jb_puts(b, "true");
    } else if (cJSON_IsFalse(item)) {
        jb_puts(b, "false");
    } else if (cJSON_IsArray(item) || cJSON_IsObject(item)) {
        bool obj = cJSON_IsObject(item);
        const cJSON *c = item->child;
        jb_puts(b, obj ? "{" : "[");
        if (c == NULL) {
            jb_puts(b, obj ? "}" : "]");
            return;
        }
        for (; c != NULL; c = c->next) {
            if (pretty) {
                jb_puts(b, "\n");
                put_indent(b, depth + 1);
            }
            if (obj) {
                put_string(b, c->string ? c->string : "");
                jb_puts(b, pretty ? ": " : ":");
            }
            put_value(b, c, depth + 1, pretty);
            if (c->next != NULL)
                jb_puts(b, ",");
        }
        if (pretty) {
            jb_puts(b, "\n");
            put_indent(b, depth);
        }
        jb_puts(b, obj ? "}" : "]");
    } else {
        jb_puts(b, "null");
    }
}

/* Depth and number checks over a parsed tree. */
static bool tree_ok(const cJSON *item, int depth, char *err, size_t errlen)
{
    if (depth > EXPORT_MAX_DEPTH) {
        set_err(err, errlen, "the export nests deeper than %d levels", EXPORT_MAX_DEPTH);
        return false;
    }
    if (cJSON_IsNumber(item) && !isfinite(item->valuedouble)) {
        set_err(err, errlen, "the export holds a number out of range");
        return false;
    }
    for (const cJSON *c = item->child; c != NULL; c = c->next)
        if (!tree_ok(c, depth + 1, err, errlen))
            return false;
    return true;
}

static cJSON *parse_strict(const char *body, size_t len, const char *what, char *err, size_t errlen,
                           enum crm_status *st)
{
    const char *end = NULL;
    cJSON *root;

    *st = CRM_ERR_PROTOCOL;
    if (body == NULL || len == 0) {
        set_err(err, errlen, "the %s is empty", what);
        return NULL;
    }
    if (len > EXPORT_MAX_BODY) {
        set_err(err, errlen, "the %s is larger than %u bytes", what, EXPORT_MAX_BODY);
        *st = CRM_ERR_TOO_LARGE;
        return NULL;
    }
    root = cJSON_ParseWithLengthOpts(body, len, &end, 0);
    if (root == NULL) {
        set_err(err, errlen, "the %s is not valid JSON", what);
        return NULL;
    }
    for (const char *p = end; p != NULL && p < body + len; p++) {
        if (*p != ' ' && *p != '\t' && *p != '\r' && *p != '\n') {
            set_err(err, errlen, "the %s has data after its JSON value", what);
            cJSON_Delete(root);
            return NULL;
        }
    }
    if (!tree_ok(root, 0, err, errlen)) {
        cJSON_Delete(root);
        return NULL;
    }
    *st = CRM_OK;
    return root;
}

/* --- flattening ----------------------------------------------------------- */

struct rec_builder {
    struct export_field *fields;
    size_t n, cap;
};

static void rb_add(struct rec_builder *rb, const char *name, char *value)
{
    if (rb->n == rb->cap) {
        rb->cap = rb->cap ? rb->cap * 2 : 16;
        rb->fields = realloc(rb->fields, rb->cap * sizeof(*rb->fields));
        if (rb->fields == NULL)
            abort();
    }
    rb->fields[rb->n].name = xstrdup(name);
    rb->fields[rb->n].value = value;
    rb->n++;
}

static bool is_container(const cJSON *item)
{
    return cJSON_IsArray(item) || cJSON_IsObject(item);
}

static char *scalar_text(const cJSON *item)
{
    char num[64];
    if (cJSON_IsString(item))
        return xstrdup(item->valuestring ? item->valuestring : "");
    if (cJSON_IsNumber(item)) {
        format_number(item->valuedouble, num, sizeof(num));
        return xstrdup(num);
    }
    if (cJSON_IsTrue(item))
        return xstrdup("true");
    if (cJSON_IsFalse(item))
        return xstrdup("false");
    return NULL;
}

static void flatten(struct rec_builder *rb, const cJSON *item, struct jbuf *name)
{
    size_t mark = name->len;

    if (cJSON_IsObject(item) || cJSON_IsArray(item)) {
        bool nested = false;
        for (const cJSON *c = item->child; c != NULL; c = c->next)
            nested = nested || is_container(c);
        if (item->child == NULL || (cJSON_IsArray(item) && !nested)) {
            /* {} or [] or an array of scalars: one field, its compact JSON */
            struct jbuf v = {0};
            put_value(&v, item, 0, false);
            rb_add(rb, name->p ? name->p : "", jb_take(&v));
            return;
        }
        long idx = 0;
        for (const cJSON *c = item->child; c != NULL; c = c->next, idx++) {
            if (name->len > 0)
                jb_put(name, ".", 1);
            if (cJSON_IsObject(item)) {
                jb_puts(name, c->string ? c->string : "");
            } else {
                char ix[24];
                snprintf(ix, sizeof(ix), "%ld", idx);
                jb_puts(name, ix);
            }
            flatten(rb, c, name);
            name->len = mark;
            name->p[mark] = '\0';
        }
        return;
    }
    rb_add(rb, name->p ? name->p : "", scalar_text(item));
}

static void add_record(struct export_doc *doc, size_t *cap, enum export_kind kind, const cJSON *obj)
{
    struct rec_builder rb = {0};
    struct jbuf name = {0};

    if (doc->n_records == *cap) {
        *cap = *cap ? *cap * 2 : 16;
        doc->records = realloc(doc->records, *cap * sizeof(*doc->records));
        if (doc->records == NULL)
            abort();
    }
    for (const cJSON *c = obj->child; c != NULL; c = c->next) {
        jb_puts(&name, c->string ? c->string : "");
        flatten(&rb, c, &name);
        name.len = 0;
        name.p[0] = '\0';
    }
    free(name.p);
    doc->records[doc->n_records++] =
        (struct export_record){.kind = kind, .fields = rb.fields, .n_fields = rb.n};
}

static const char *const kind_keys[] = {
#define EXPORT_KIND_KEY(id, record, key) [id] = key,
    EXPORT_KIND_LIST(EXPORT_KIND_KEY)
#undef EXPORT_KIND_KEY
};

/* Builds the document from root, whose "export" object holds the records. */
static enum crm_status doc_from_tree(const cJSON *root, struct export_doc **out, char *err,
                                     size_t errlen)
{
    const cJSON *ex = cJSON_GetObjectItemCaseSensitive(root, "export");
    const cJSON *contact, *gen;
    struct export_doc *doc;
    size_t cap = 0;
    struct jbuf json = {0};

    if (!cJSON_IsObject(root) || !cJSON_IsObject(ex)) {
        set_err(err, errlen, "the export has no \"export\" object");
        return CRM_ERR_PROTOCOL;
    }
    contact = cJSON_GetObjectItemCaseSensitive(ex, "contact");
    if (!cJSON_IsObject(contact)) {
        set_err(err, errlen, "the export has no \"contact\" object");
        return CRM_ERR_PROTOCOL;
    }
    for (int k = EXPORT_ACTIVITY; k < EXPORT_KIND_COUNT; k++) {
        const cJSON *list = cJSON_GetObjectItemCaseSensitive(ex, kind_keys[k]);
        if (list == NULL || cJSON_IsNull(list))
            continue;
        if (!cJSON_IsArray(list)) {
            set_err(err, errlen, "the export's \"%s\" is not a list", kind_keys[k]);
            return CRM_ERR_PROTOCOL;
        }
        for (const cJSON *c = list->child; c != NULL; c = c->next) {
            if (!cJSON_IsObject(c)) {
                set_err(err, errlen, "the export's \"%s\" holds something not a record",
                        kind_keys[k]);
                return CRM_ERR_PROTOCOL;
            }
        }
    }
    gen = cJSON_GetObjectItemCaseSensitive(ex, "generated_at");
    if (gen != NULL && !cJSON_IsNull(gen) && !cJSON_IsString(gen)) {
        set_err(err, errlen, "the export's \"generated_at\" is not a string");
        return CRM_ERR_PROTOCOL;
    }

    doc = calloc(1, sizeof(*doc));
    if (doc == NULL)
        abort();
    const cJSON *id = cJSON_GetObjectItemCaseSensitive(contact, "id");
    if (cJSON_IsNumber(id) && id->valuedouble >= 0 && id->valuedouble < 9.2e18)
        doc->contact_id = (int64_t)id->valuedouble;
    else if (cJSON_IsString(id) && id->valuestring != NULL)
        doc->contact_id = strtoll(id->valuestring, NULL, 10);
    if (cJSON_IsString(gen))
        doc->generated_at = xstrdup(gen->valuestring);

    add_record(doc, &cap, EXPORT_CONTACT, contact);
    for (int k = EXPORT_ACTIVITY; k < EXPORT_KIND_COUNT; k++) {
        const cJSON *list = cJSON_GetObjectItemCaseSensitive(ex, kind_keys[k]);
        for (const cJSON *c = list ? list->child : NULL; c != NULL; c = c->next)
            add_record(doc, &cap, (enum export_kind)k, c);
    }
    put_value(&json, root, 0, true);
    jb_puts(&json, "\n");
    doc->json_len = json.len;
    doc->json = jb_take(&json);
    *out = doc;
    return CRM_OK;
}

enum crm_status export_doc_parse(const char *body, size_t len, struct export_doc **out, char *err,
                                 size_t errlen)
{
    enum crm_status st;
    cJSON *root;

    if (out == NULL)
        return CRM_ERR_INVALID;
    *out = NULL;
    root = parse_strict(body, len, "export", err, errlen, &st);
    if (root == NULL)
        return st;
    st = doc_from_tree(root, out, err, errlen);
    cJSON_Delete(root);
    return st;
}

/* Moves the items of src (an array) to the end of dst. */
static void move_items(cJSON *dst, cJSON *src)
{
    cJSON *c;
    while ((c = cJSON_DetachItemFromArray(src, 0)) != NULL)
        cJSON_AddItemToArray(dst, c);
}

enum crm_status export_doc_assemble(const char *contact_body, size_t contact_len,
                                    const char *const *activity_pages, const size_t *page_lens,
                                    size_t n_pages, const char *notes_body, size_t notes_len,
                                    const char *generated_at, struct export_doc **out, char *err,
                                    size_t errlen)
{
    enum crm_status st;
    cJSON *croot = NULL, *nroot = NULL, *root = NULL, *ex, *contact, *acts, *notes;
    size_t total = contact_len + notes_len;
    char when[32];

    if (out == NULL)
        return CRM_ERR_INVALID;
    *out = NULL;
    for (size_t i = 0; i < n_pages; i++)
        total += page_lens[i];
    if (total > EXPORT_MAX_BODY) {
        set_err(err, errlen, "the responses are larger than %u bytes together", EXPORT_MAX_BODY);
        return CRM_ERR_TOO_LARGE;
    }
    croot = parse_strict(contact_body, contact_len, "contact response", err, errlen, &st);
    if (croot == NULL)
        return st;
    contact = cJSON_DetachItemFromObjectCaseSensitive(croot, "contact");
    if (!cJSON_IsObject(contact)) {
        cJSON_Delete(contact);
        set_err(err, errlen, "the contact response has no \"contact\" object");
        st = CRM_ERR_PROTOCOL;
        goto out;
    }
    if (generated_at == NULL) {
        time_t now = time(NULL);
        struct tm tm;
        gmtime_r(&now, &tm);
        strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", &tm);
        generated_at = when;
    }
    root = cJSON_CreateObject();
    ex = cJSON_AddObjectToObject(root, "export");
    if (root == NULL || ex == NULL)
        abort();
    cJSON_AddStringToObject(ex, "generated_at", generated_at);
    cJSON_AddTrueToObject(ex, "assembled");
    cJSON_AddItemToObject(ex, "contact", contact);

    acts = cJSON_AddArrayToObject(ex, "activities");
    for (size_t i = 0; i < n_pages; i++) {
        char what[48];
        snprintf(what, sizeof(what), "activities page %zu", i + 1);
        cJSON *page = parse_strict(activity_pages[i], page_lens[i], what, err, errlen, &st);
        if (page == NULL)
            goto out;
        cJSON *list = cJSON_GetObjectItemCaseSensitive(page, "activities");
        if (!cJSON_IsArray(list)) {
            cJSON_Delete(page);
            set_err(err, errlen, "the %s has no \"activities\" list", what);
            st = CRM_ERR_PROTOCOL;
            goto out;
        }
        move_items(acts, list);
        cJSON_Delete(page);
    }

    notes = cJSON_AddArrayToObject(ex, "notes");
    if (notes_body != NULL) {
        nroot = parse_strict(notes_body, notes_len, "notes response", err, errlen, &st);
        if (nroot == NULL)
            goto out;
        cJSON *list = cJSON_GetObjectItemCaseSensitive(nroot, "notes");
        if (!cJSON_IsArray(list)) {
            set_err(err, errlen, "the notes response has no \"notes\" list");
            st = CRM_ERR_PROTOCOL;
            goto out;
        }
        move_items(notes, list);
    } else {
        cJSON *list = cJSON_GetObjectItemCaseSensitive(croot, "notes");
        if (cJSON_IsArray(list)) {
            move_items(notes, list);
        } else {
            list = cJSON_GetObjectItemCaseSensitive(contact, "notes");
            for (const cJSON *c = cJSON_IsArray(list) ? list->child : NULL; c; c = c->next)
                cJSON_AddItemToArray(notes, cJSON_Duplicate(c, 1));
        }
    }
    cJSON_AddArrayToObject(ex, "calls");
    cJSON_AddArrayToObject(ex, "chats");
    cJSON_AddArrayToObject(ex, "emails");
    if (!tree_ok(root, 0, err, errlen)) {
        st = CRM_ERR_PROTOCOL;
        goto out;
    }
    st = doc_from_tree(root, out, err, errlen);
out:
    cJSON_Delete(root);
    cJSON_Delete(croot);
    cJSON_Delete(nroot);
    return st;
}
