/* Export of one contact's complete data: the document (read from the server's
 * export body, or assembled from ordinary responses) and the JSON, CSV and
 * vCard writers, which write files atomically with mode 0600. */
#ifndef CRM_EXPORT_H
#define CRM_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

/* Largest body export_doc_parse and export_doc_assemble accept, in bytes. */
#define EXPORT_MAX_BODY (64u * 1024 * 1024)
/* Deepest nesting of objects and arrays they accept. */
#define EXPORT_MAX_DEPTH 64

enum export_format { EXPORT_JSON, EXPORT_CSV, EXPORT_VCARD };

/* The kinds of record in a document, in the order they are written: the
 * record name (CSV "record" column) and the key of the export document. */
#define EXPORT_KIND_LIST(X)                                                                        \
    X(EXPORT_CONTACT, "contact", "contact")                                                        \
    X(EXPORT_ACTIVITY, "activity", "activities")                                                   \
    X(EXPORT_NOTE, "note", "notes")                                                                \
    X(EXPORT_CALL, "call", "calls")                                                                \
    X(EXPORT_CHAT, "chat", "chats")                                                                \
    X(EXPORT_EMAIL, "email", "emails")

enum export_kind {
#define EXPORT_KIND_ENUM(id, record, key) id,
    EXPORT_KIND_LIST(EXPORT_KIND_ENUM)
#undef EXPORT_KIND_ENUM
        EXPORT_KIND_COUNT
};

/* One scalar of a record. Nested objects are flattened into dotted names
 * ("action_data.channel", "emails.0.value": arrays of objects take their
 * index); an array of scalars is one field holding its compact JSON text.
 * value is the string as the server sent it (not sanitized: the writers do
 * that), a number or true/false as text, NULL for JSON null. */
struct export_field {
    char *name;
    char *value;
};

struct export_record {
    enum export_kind kind;
    struct export_field *fields;
    size_t n_fields;
};

/* A parsed export. Everything in it is owned by it (export_doc_free). */
struct export_doc {
    int64_t contact_id;
    char *generated_at;            /* as sent, or NULL */
    struct export_record *records; /* the contact first, then the kinds in list order */
    size_t n_records;
    char *json; /* the whole document, pretty-printed, every control, DEL, C1,
                   bidi and zero-width character written as \uXXXX */
    size_t json_len;
};

/* export_json.c: reads the body of GET /contacts/{id}/export
 * ({"export":{"generated_at","contact":{...},"activities":[...],...}}).
 * Strict: at most EXPORT_MAX_BODY bytes and EXPORT_MAX_DEPTH levels, nothing
 * but whitespace after the value, "contact" an object, each list (absent means
 * empty) an array of objects. On failure returns CRM_ERR_PROTOCOL (or
 * CRM_ERR_TOO_LARGE) with a sentence in err; *out stays NULL. */
enum crm_status export_doc_parse(const char *body, size_t len, struct export_doc **out, char *err,
                                 size_t errlen);

/* export_json.c: builds the same document on the client, for servers without
 * the export endpoint: contact_body is GET /contacts/{id} ({"contact":{...}},
 * side-loads allowed); activity_pages are the bodies of GET
 * /contacts/{id}/activities, one per page ({"activities":[...]}), joined in
 * order; notes_body is any body holding a "notes" array, or NULL to take the
 * notes side-loaded in contact_body (top-level "notes" or contact.notes).
 * calls, chats and emails are empty. generated_at is the time to record (ISO
 * 8601), or NULL for now. Errors as export_doc_parse. */
enum crm_status export_doc_assemble(const char *contact_body, size_t contact_len,
                                    const char *const *activity_pages, const size_t *page_lens,
                                    size_t n_pages, const char *notes_body, size_t notes_len,
                                    const char *generated_at, struct export_doc **out, char *err,
                                    size_t errlen);

/* Frees the document; takes NULL; nulls *pp. */
void export_doc_free(struct export_doc **pp);

/* The value of field name in rec (borrowed), or NULL when absent or null. */
const char *export_record_get(const struct export_record *rec, const char *name);

/* "json", "csv" or "vcf": the file name extension; static storage. */
const char *export_format_ext(enum export_format f);

/* Reads "json", "csv", "vcf" or "vcard". Returns 0, or -1 when unknown. */
int export_format_parse(const char *name, enum export_format *out);

/* Called as records are written: done of total, then total of total once the
 * file is in place. */
typedef void (*export_progress_fn)(size_t done, size_t total, void *ud);

/* Renders the document in format f into a new buffer (*out, NUL-terminated,
 * *len bytes; the caller frees it). JSON is doc->json; CSV is RFC 4180 (CRLF,
 * one section per record kind: a header row "record,<fields...>" then its
 * rows, sections apart by an empty line; text passed through sanitize_text;
 * cells starting with = + - @ prefixed with ' unless they are plain numbers);
 * vCard is 4.0 (RFC 6350: escaped, folded at 75 octets, CRLF). progress may be
 * NULL. Returns CRM_OK, or CRM_ERR_INVALID for a NULL document. */
enum crm_status export_render(const struct export_doc *doc, enum export_format f, char **out,
                              size_t *len, export_progress_fn progress, void *ud);

/* Writes the document to path: rendered, written to a temporary file in the
 * same directory (mode 0600), flushed to disk, renamed over path (an existing
 * file is replaced atomically). On any error the temporary file is removed and
 * path is left as it was; returns CRM_ERR_DISK_FULL (no space or quota) or
 * CRM_ERR_IO with a sentence in err. */
enum crm_status export_write(const struct export_doc *doc, enum export_format f, const char *path,
                             export_progress_fn progress, void *ud, char *err, size_t errlen);

/* Writes len bytes to path the same atomic way (used by export_write). */
enum crm_status export_write_file(const char *path, const char *data, size_t len, char *err,
                                  size_t errlen);

/* Writes ~/crmtui-exports/<id>-<YYYY-MM-DD>.<ext> (today, local time) into
 * out, creating the directory with mode 0700 when it is missing. On failure
 * out is empty and the status says why: CRM_ERR_IO when HOME is unknown or
 * the directory cannot be made (or is not a directory), CRM_ERR_INVALID when
 * outlen is too small. */
enum crm_status export_default_path(int64_t id, enum export_format f, char *out, size_t outlen);

#endif
