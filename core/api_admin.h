/* The admin calls of the API extensions (API.md 4.2-4.9): GDPR settings,
 * permissions, phone numbers, reports, the account and its lifecycle, the
 * whole-account export streamed to a file, the audit log; and a company's
 * delete, forget and contacts. Asynchronous, as core/api.h. */
#ifndef CRM_API_ADMIN_H
#define CRM_API_ADMIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/admin_json.h"
#include "core/api.h"

/* A reply. status, http_code and message as in struct crm_reply; at most the
 * payload the call names is set, owned by the reply. */
struct admin_reply {
    enum crm_status status;
    long http_code;
    char message[256];
    bool already_gone; /* company forget/delete of an id the server no longer has */

    struct admin_settings settings; /* settings_get, settings_put */
    bool has_settings;
    struct admin_phone *phones; /* phones; phone_set: one */
    size_t n_phones;
    char **report_names; /* reports */
    size_t n_report_names;
    struct admin_report report; /* report */
    char *csv;                  /* report_csv: the body as received */
    size_t csv_len;
    struct admin_account account; /* account, account_cancel, account_restore */
    bool has_account;
    struct admin_audit *audit; /* audit */
    size_t n_audit;
    struct admin_member *members; /* company_contacts */
    size_t n_members;
    bool members_present;  /* false: the server does not list a company's contacts */
    int64_t *enriched_ids; /* enriched_page: contacts with enriched fields */
    size_t n_enriched;
    long total_pages; /* enriched_page: of the view, -1 when not sent */
};

typedef void (*admin_done_fn)(struct admin_reply *reply, void *ud);

void admin_reply_free(struct admin_reply **pp);

/* Each returns the request (borrowed, for crm_req_cancel; valid until its
 * callback returns) or NULL when it could not be queued (cb not called). cb
 * receives the reply and owns it. */
struct crm_req *api_admin_settings_get(struct crm_client *c, admin_done_fn cb, void *ud);
struct crm_req *api_admin_settings_put(struct crm_client *c, const struct admin_settings *s,
                                       admin_done_fn cb, void *ud);
/* PUT /users/{id}/permissions; the reply carries no payload. */
struct crm_req *api_admin_permissions_put(struct crm_client *c, int64_t user_id,
                                          bool export_reports, bool forget_records,
                                          admin_done_fn cb, void *ud);
struct crm_req *api_admin_phones(struct crm_client *c, admin_done_fn cb, void *ud);
struct crm_req *api_admin_phone_set(struct crm_client *c, int64_t id, enum admin_recording rec,
                                    admin_done_fn cb, void *ud);
struct crm_req *api_admin_reports(struct crm_client *c, admin_done_fn cb, void *ud);
/* name: lower-case letters, digits and '_' only, else NULL. */
struct crm_req *api_admin_report(struct crm_client *c, const char *name, admin_done_fn cb,
                                 void *ud);
struct crm_req *api_admin_report_csv(struct crm_client *c, const char *name, admin_done_fn cb,
                                     void *ud);
struct crm_req *api_admin_account(struct crm_client *c, admin_done_fn cb, void *ud);
/* POST /account/cancel {"confirm":name}. */
struct crm_req *api_admin_account_cancel(struct crm_client *c, const char *name, admin_done_fn cb,
                                         void *ud);
struct crm_req *api_admin_account_restore(struct crm_client *c, admin_done_fn cb, void *ud);
struct crm_req *api_admin_audit(struct crm_client *c, admin_done_fn cb, void *ud);
/* DELETE /sales_accounts/{id}[?delete_associated_contacts_deals=true]; a 404
 * is CRM_OK with already_gone set. */
struct crm_req *api_admin_company_delete(struct crm_client *c, int64_t id, bool with_contacts,
                                         admin_done_fn cb, void *ud);
/* DELETE /sales_accounts/{id}/forget; a 404 is CRM_OK with already_gone. */
struct crm_req *api_admin_company_forget(struct crm_client *c, int64_t id, admin_done_fn cb,
                                         void *ud);
/* GET /sales_accounts/{id}?include=contacts: members, when the server lists them. */
struct crm_req *api_admin_company_contacts(struct crm_client *c, int64_t id, admin_done_fn cb,
                                           void *ud);

/* GET /contacts/view/{view_id}?page=N&per_page=100 in creation order (an
 * order that clearing does not change): which contacts of that
 * page hold fields enrichment filled (to clear them with api_contact_update
 * and clear_enrichment), and the view's total_pages. */
struct crm_req *api_admin_enriched_page(struct crm_client *c, int64_t view_id, long page,
                                        admin_done_fn cb, void *ud);

/* ---- the whole-account export (GET /export, NDJSON) ---- */

struct admin_export; /* opaque: one export in progress */

/* Progress, as of the last data that arrived. total is X-Total-Records, or -1. */
struct admin_export_progress {
    long done, total;
    unsigned long long bytes;
};

/* Called once when the export ends: CRM_OK when the file is complete and in
 * place (mode 0600, renamed over path atomically); otherwise the partial file
 * is removed and message says why. final is the last progress (records
 * written, the server's total). The export is freed after it returns. */
typedef void (*admin_export_done_fn)(enum crm_status st, const char *message,
                                     const struct admin_export_progress *final, void *ud);

/* Starts streaming the account to path (a temporary file beside it until it
 * is complete). Returns the export (borrowed until done is called) or NULL
 * with a sentence in err. */
struct admin_export *api_admin_export_start(struct crm_client *c, const char *path,
                                            admin_export_done_fn done, void *ud, char *err,
                                            size_t errlen);
void api_admin_export_progress(const struct admin_export *x, struct admin_export_progress *out);
/* Stops the export: done is called with CRM_ERR_CANCELLED, the partial file removed. */
void api_admin_export_cancel(struct crm_client *c, struct admin_export *x);

#endif
