/* JSON <-> records of the admin extensions (API.md 4.2, 4.6-4.9): settings,
 * phone numbers, reports, the account, the audit log, a company's contacts. */
#ifndef CRM_ADMIN_JSON_H
#define CRM_ADMIN_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

/* GET/PUT /settings/gdpr */
struct admin_settings {
    bool restrict_email_to_dnd;
    bool auto_profile_enrichment;
    bool chat_store_ip;
    bool chat_social_enrichment;
    bool chat_analytics;
    bool default_unsubscribe_link;
};

enum admin_recording { ADMIN_REC_UNKNOWN, ADMIN_REC_AUTOMATIC, ADMIN_REC_MANUAL, ADMIN_REC_OFF };

struct admin_phone {
    int64_t id;
    char *number; /* sanitized; NULL when not sent */
    enum admin_recording recording;
};

/* A report table: cells[row * n_columns + col], each a sanitized string. */
struct admin_report {
    char **columns;
    size_t n_columns;
    char **cells;
    size_t n_rows;
};

struct admin_account {
    char *name, *status;            /* "active", "cancellation_pending" */
    char *purge_at, *call_purge_at; /* ISO times, NULL when none */
};

struct admin_audit {
    char *id, *at, *action, *subject_ref;
    int64_t actor_user_id; /* 0: none (the system) */
    char *counts;          /* "activities 3, notes 1", or NULL */
};

/* A contact listed under a company (side-loaded with include=contacts). */
struct admin_member {
    int64_t id;
    char *name, *email;
};

/* Each parser reads a whole body; CRM_ERR_PROTOCOL with a sentence in err when
 * it is not the expected shape. Outputs are owned by the caller. */
enum crm_status admin_json_settings(const char *body, size_t len, struct admin_settings *out,
                                    char *err, size_t errlen);
enum crm_status admin_json_phones(const char *body, size_t len, struct admin_phone **out, size_t *n,
                                  char *err, size_t errlen);
/* {"phone_number":{...}} */
enum crm_status admin_json_phone(const char *body, size_t len, struct admin_phone *out, char *err,
                                 size_t errlen);
/* {"reports":[...]}: names as strings or objects with "name". */
enum crm_status admin_json_report_names(const char *body, size_t len, char ***out, size_t *n,
                                        char *err, size_t errlen);
enum crm_status admin_json_report(const char *body, size_t len, struct admin_report *out, char *err,
                                  size_t errlen);
enum crm_status admin_json_account(const char *body, size_t len, struct admin_account *out,
                                   char *err, size_t errlen);
enum crm_status admin_json_audit(const char *body, size_t len, struct admin_audit **out, size_t *n,
                                 char *err, size_t errlen);
/* The "contacts" array next to a sales_account; *present false when the
 * server sent none (it does not side-load them). */
enum crm_status admin_json_members(const char *body, size_t len, struct admin_member **out,
                                   size_t *n, bool *present, char *err, size_t errlen);

/* A page of contacts ({"contacts":[...],"meta":{...}}): the ids of those
 * with any field enrichment fills (facebook, twitter, linkedin, avatar) set,
 * and meta.total_pages (-1 when not sent). */
enum crm_status admin_json_enriched(const char *body, size_t len, int64_t **ids, size_t *n,
                                    long *total_pages, char *err, size_t errlen);

/* Request bodies, malloc'd JSON; *len receives the length. */
char *admin_json_settings_body(const struct admin_settings *s, size_t *len);
char *admin_json_recording_body(enum admin_recording rec, size_t *len);
char *admin_json_confirm_body(const char *name, size_t *len);
char *admin_json_permissions_body(bool export_reports, bool forget_records, size_t *len);

/* "automatic", "manual", "off"; "" for unknown. */
const char *admin_json_recording_name(enum admin_recording rec);

void admin_json_phone_clear(struct admin_phone *p);
void admin_json_report_clear(struct admin_report *r);
void admin_json_account_clear(struct admin_account *a);
void admin_json_audit_clear(struct admin_audit *a);
void admin_json_member_clear(struct admin_member *m);

#endif
