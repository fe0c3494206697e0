/* JSON of the contact quick actions: the erasure preview, the audit entry a
 * forget leaves, and the body of an unsubscribe. */
#ifndef CRM_ACTIONS_JSON_H
#define CRM_ACTIONS_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

/* What an erasure removes, in the order it is shown: the key in the preview
 * and the words on screen. */
#define FORGET_ERASE_LIST(X)                                                                       \
    X(FORGET_ACTIVITIES, "activities", "timeline entries")                                         \
    X(FORGET_NOTES, "notes", "notes")                                                              \
    X(FORGET_CALLS, "calls", "calls")                                                              \
    X(FORGET_RECORDINGS, "recordings", "call recordings")                                          \
    X(FORGET_CHATS, "chats", "chats")                                                              \
    X(FORGET_EMAILS, "emails", "emails")                                                           \
    X(FORGET_SUBSCRIPTIONS, "subscriptions", "subscriptions")

enum forget_count {
#define FORGET_ENUM(id, key, words) id,
    FORGET_ERASE_LIST(FORGET_ENUM)
#undef FORGET_ENUM
        FORGET_COUNT
};

/* GET /contacts/{id}/forget_preview. Counts the server did not send are -1. */
struct forget_preview {
    long erase[FORGET_COUNT];
    bool keeps_company;
    int64_t company_id;
    char company_name[128]; /* sanitized */
    long deals_kept;
};

/* One entry of GET /audit (no personal data in it). */
struct audit_entry {
    int64_t id;
    char at[40];
    int64_t actor_user_id; /* 0 when null */
    char subject_ref[96];
    char counts[160]; /* "activities 3, notes 1" */
};

/* The key and the words of a count; static storage; "" out of range. */
const char *actions_json_erase_key(enum forget_count k);
const char *actions_json_erase_words(enum forget_count k);

/* Reads {"preview":{"erase":{...},"keep":{"company":{id,name}|null,"deals":N}}}.
 * CRM_ERR_PROTOCOL with a sentence in err when "preview" or "erase" is not an
 * object or a count is negative. */
enum crm_status actions_json_forget_preview(const char *body, size_t len,
                                            struct forget_preview *out, char *err, size_t errlen);

/* Finds in {"audit":[...]} the newest (highest id) entry whose action is
 * action ("contact.forget"). Returns CRM_OK with *found set, or
 * CRM_ERR_PROTOCOL with a sentence in err for an unreadable body. */
enum crm_status actions_json_audit_newest(const char *body, size_t len, const char *action,
                                          struct audit_entry *out, bool *found, char *err,
                                          size_t errlen);

/* Reads a page of GET /contacts/{id}/activities ({"activities":[...],
 * "meta":{"total_pages"}}): the entries on it and total_pages (-1 when not
 * sent). CRM_ERR_PROTOCOL with a sentence in err when "activities" is not an
 * array. */
enum crm_status actions_json_page_count(const char *body, size_t len, size_t *n, long *total_pages,
                                        char *err, size_t errlen);

/* The body of an unsubscribe: {"contact":{"do_not_disturb":true,
 * "subscription_status":0,"subscription_types":[]}}. Owned by the caller. */
char *actions_json_unsubscribe_body(size_t *len);

#endif
