/* JSON for email, consent requests, calls, chats, user administration and
 * processors (API.md 4.3, 4.5, 4.6): the records, their mappers and the
 * request bodies. Mappers follow the field rules of core/common_json.h;
 * every string they hand out is sanitized and owned by the record. */
#ifndef CRM_COMMS_JSON_H
#define CRM_COMMS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

/* One call of GET /contacts/{id}/calls. */
struct call_log {
    int64_t id;
    char *direction;  /* "inbound", "outbound", or NULL */
    char *started_at; /* ISO-8601 or NULL */
    long duration_s;  /* -1 when not sent */
    char *note;       /* NULL when there is none (or it was deleted) */
    bool has_recording;
    int64_t recording_id;
    long recording_bytes;       /* -1 when not sent */
    int64_t consent_by_user_id; /* who recorded the caller's consent; 0: none */
    char *consent_at;
};

struct chat_message {
    char *sender; /* "contact", "agent", a name, or NULL */
    char *text;
    char *at;
};

/* One conversation of GET /contacts/{id}/chats. */
struct chat {
    int64_t id;
    char *started_at;
    char *channel;
    struct chat_message *messages;
    size_t n_messages;
};

/* A third party (GET /processors) or its notice in a user deletion. */
struct processor {
    int64_t id; /* 0 in a deletion result */
    char *name;
    char *kind;   /* "enrichment", "email_delivery", "analytics", or NULL */
    char *status; /* last erasure notice: "pending", "done", "failed", or NULL */
};

/* The answer of DELETE /users/{id}. */
struct user_deletion {
    int64_t user_id;
    long records_transferred;
    struct processor *processors;
    size_t n_processors;
};

/* The answer of POST /contacts/{id}/emails. */
struct email_result {
    int64_t id;
    char *status;  /* "queued" */
    char *warning; /* "do_not_disturb" or NULL */
};

void comms_json_call_clear(struct call_log *c);
void comms_json_chat_clear(struct chat *c);
void comms_json_processor_clear(struct processor *p);
void comms_json_deletion_clear(struct user_deletion *d);
void comms_json_email_result_clear(struct email_result *e);
/* Free an array of n records and its elements; NULL is fine. */
void comms_json_calls_free(struct call_log *v, size_t n);
void comms_json_chats_free(struct chat *v, size_t n);
void comms_json_processors_free(struct processor *v, size_t n);

/* The mappers: each parses body[0..len) into *out (and *n), owned by the
 * caller; on failure returns CRM_ERR_PROTOCOL with a sentence in err and
 * leaves nothing allocated. */
enum crm_status comms_json_calls(const char *body, size_t len, struct call_log **out, size_t *n,
                                 char *err, size_t errlen);
enum crm_status comms_json_chats(const char *body, size_t len, struct chat **out, size_t *n,
                                 char *err, size_t errlen);
enum crm_status comms_json_processors(const char *body, size_t len, struct processor **out,
                                      size_t *n, char *err, size_t errlen);
enum crm_status comms_json_deletion(const char *body, size_t len, struct user_deletion *out,
                                    char *err, size_t errlen);
enum crm_status comms_json_email_result(const char *body, size_t len, struct email_result *out,
                                        char *err, size_t errlen);
/* settings.default_unsubscribe_link of GET /settings/gdpr into *out. */
enum crm_status comms_json_default_unsubscribe_link(const char *body, size_t len, bool *out,
                                                    char *err, size_t errlen);

/* Request bodies: malloc'd, NUL-terminated, length in *len; abort on OOM. */
char *comms_json_email_body(const char *subject, const char *body, bool include_unsubscribe_link,
                            size_t *len);
char *comms_json_consent_body(const char *purpose, size_t *len);
char *comms_json_permissions_body(bool export_reports, bool forget_records, size_t *len);
char *comms_json_user_active_body(bool active, size_t *len);
char *comms_json_chat_timeline_body(bool on, size_t *len);

#endif
