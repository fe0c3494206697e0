/* Plain records of the CRM, as the client holds them. Every string in them has
 * passed core/sanitize.c (valid UTF-8, no control or bidi characters) and is
 * owned by the record; model_*_free releases a record and everything in it. */
#ifndef CRM_MODEL_H
#define CRM_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A name/value pair, both strings (custom fields, free-form action data). */
struct model_kv {
    char *name;
    char *value; /* the JSON value as text; NULL for JSON null */
};

/* One row of the virtual contact list: compact, what the list pane shows. */
struct contact_row {
    int64_t id;
    char *name;    /* display name, or first+last, or the email */
    char *email;   /* may be NULL */
    char *company; /* may be NULL */
    bool do_not_disturb;
    signed char subscription_status; /* 0 unsubscribed, 1 subscribed, 2 not set, -1 unknown */
    bool is_deleted;
};

struct contact_email {
    int64_t id;
    char *value;
    char *label;
    bool is_primary;
};

/* A contact as GET /contacts/{id} returns it. NULL strings were absent or null. */
struct contact {
    int64_t id;
    char *first_name, *last_name, *display_name;
    char *email;
    struct contact_email *emails;
    size_t n_emails;
    char *mobile_number, *work_number;
    char *job_title, *department;
    char *address, *city, *state, *zipcode, *country, *time_zone;
    int64_t owner_id;         /* 0 when none */
    char *owner_name;         /* from the side-loaded users, when sent */
    int64_t sales_account_id; /* 0 when none */
    char *company_name;       /* from the side-loaded sales_accounts, when sent */
    long lead_score;
    bool do_not_disturb;
    int subscription_status; /* 0, 1, 2 as the API; -1 not sent */
    char **subscription_types;
    size_t n_subscription_types;
    char *unsubscription_reason;
    char *facebook, *twitter, *linkedin, *avatar; /* what profile enrichment fills */
    struct model_kv *custom_fields;
    size_t n_custom_fields;
    char **tags;
    size_t n_tags;
    bool is_deleted;
    bool chat_events_timeline;
    char *last_seen_ip;
    char *created_at, *updated_at;
    struct note *notes; /* side-loaded with include=notes */
    size_t n_notes;
};

/* Fields of a contact to change: a NULL pointer means unchanged, an empty
 * string means cleared. The request body carries only the changed fields. */
struct contact_patch {
    const char *first_name, *last_name;
    const char *email;
    const char *mobile_number, *work_number;
    const char *job_title, *department;
    const char *address, *city, *state, *zipcode, *country;
    int64_t owner_id;         /* -1 unchanged, 0 cleared */
    int64_t sales_account_id; /* -1 unchanged, 0 cleared */
    bool clear_enrichment;    /* sets facebook, twitter, linkedin, avatar to null */
};

struct note {
    int64_t id;
    char *description;
    int64_t user_id;
    char *created_at;
};

/* A timeline entry. Known action_data keys are typed; the rest stay as pairs. */
struct activity {
    char *id;
    char *action_type;
    char *created_at;
    int64_t user_id; /* 0: recorded by the contact themself or the system */
    bool has_user;
    int64_t targetable_id;
    char *channel, *purpose, *source, *form_name, *detail, *email;
    int64_t form_id;
    struct model_kv *data; /* other action_data keys */
    size_t n_data;
};

struct view {
    int64_t id;
    char *name;
    bool is_default;
};

struct search_hit {
    int64_t id;
    char *type; /* "contact", "sales_account", ... */
    char *name;
    char *email;
};

struct user {
    int64_t id;
    char *display_name;
    char *email;
    char *role; /* "admin", "agent", or NULL when not sent */
    bool is_active;
    bool perm_export_reports;
    bool perm_forget_records;
};

struct company {
    int64_t id;
    char *name;
    char *website, *phone, *address, *city, *country;
    int64_t owner_id;
    char *created_at, *updated_at;
};

/* The extensions a server offers (GET /capabilities), declared once. */
#define MODEL_CAPABILITY_LIST(X)                                                                   \
    X(CAP_GDPR_SETTINGS, "gdpr_settings")                                                          \
    X(CAP_USERS_ADMIN, "users_admin")                                                              \
    X(CAP_CONTACT_EXPORT, "contact_export")                                                        \
    X(CAP_ACCOUNT_EXPORT, "account_export")                                                        \
    X(CAP_ACCOUNT_LIFECYCLE, "account_lifecycle")                                                  \
    X(CAP_CALLS, "calls")                                                                          \
    X(CAP_CHATS, "chats")                                                                          \
    X(CAP_EMAIL, "email")                                                                          \
    X(CAP_REPORTS, "reports")                                                                      \
    X(CAP_AUDIT, "audit")                                                                          \
    X(CAP_PRIVACY_REQUESTS, "privacy_requests")

enum model_capability {
#define MODEL_CAP_ENUM(id, name) id,
    MODEL_CAPABILITY_LIST(MODEL_CAP_ENUM)
#undef MODEL_CAP_ENUM
        CAP_COUNT
};

/* The wire name of a capability; static storage. */
const char *model_capability_name(enum model_capability cap);

void model_kv_free_array(struct model_kv *kv, size_t n);
void model_contact_row_clear(struct contact_row *row);
void model_contact_free(struct contact **pp);
void model_activity_clear(struct activity *a);
void model_view_clear(struct view *v);
void model_search_hit_clear(struct search_hit *h);
void model_user_clear(struct user *u);
void model_company_clear(struct company *c);
void model_note_clear(struct note *n);

#endif
