/* The CRM API, typed and asynchronous. One struct crm_client per account holds
 * the connection (core/http.c); each call queues a request and returns at once;
 * the reply arrives through a callback from crm_client_dispatch().
 *
 * Ownership: the callback receives the reply and owns it (crm_reply_free). A
 * request with a NULL callback keeps its reply for crm_client_run(). */
#ifndef CRM_API_H
#define CRM_API_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/model.h"
#include "core/status.h"

struct crm_client; /* opaque: core/api.c */
struct crm_req;    /* opaque: one request in flight */

struct crm_client_opts {
    const char *url;         /* base URL ending in /crm/sales/api or /api */
    const char *api_key;     /* copied into locked memory; the caller may wipe its copy */
    const char *ca_file;     /* extra CA bundle for private CAs, or NULL */
    const char *debug_log;   /* opt-in request log (0600, key redacted), or NULL */
    long connect_timeout_ms; /* 0: 5000 */
    long stall_timeout_ms;   /* no byte for this long fails the transfer; 0: 15000 */
    size_t max_body;         /* response cap in bytes; 0: 16 MiB */
    int max_retries;         /* idempotent calls on 408/429/5xx; <0: 0; 0 default 3 */
    long retry_budget_ms;    /* total time spent retrying one call; 0: 30000 */
    int max_connections;     /* connections at once; 0: 1, every request over one
                                reused connection (a bulk run may take more) */
};

/* A reply. status is CRM_OK or the error; message is a sanitized sentence (the
 * server's own message when it sent one). At most one payload is set, the one
 * the call names; everything in it is owned by the reply. */
struct crm_reply {
    enum crm_status status;
    long http_code; /* 0 when no response arrived */
    char message[256];
    long retry_after_s; /* from a 429, else 0 */
    bool already_gone;  /* forget/delete of an id the server no longer has */

    struct view *views; /* api_views, api_company_views */
    size_t n_views;
    struct contact_row *rows; /* api_contacts_page, api_lookup_email */
    size_t n_rows;
    long total; /* meta.total of a page; -1 when not sent */
    long total_pages;
    struct contact *contact;     /* api_contact, api_contact_update, api_contact_restore */
    struct activity *activities; /* api_activities */
    size_t n_activities;
    struct search_hit *hits; /* api_search */
    size_t n_hits;
    struct user *users; /* api_owners, api_users */
    size_t n_users;
    struct user *user;         /* api_users_me */
    unsigned capabilities;     /* api_capabilities: bit (1u << enum model_capability) */
    struct company *companies; /* api_companies_page */
    size_t n_companies;
    struct company *company; /* api_company */
    struct note *note;       /* api_note_add */
    char *raw;               /* api_contact_export: the response body as received */
    size_t raw_len;
};

typedef void (*crm_done_fn)(struct crm_reply *reply, void *ud);

/* Creates a client. Refuses a URL that is not https (http only to loopback).
 * On failure returns the status, writes a sentence into err, *out stays NULL. */
enum crm_status crm_client_new(const struct crm_client_opts *opts, struct crm_client **out,
                               char *err, size_t errlen);
/* Cancels what is in flight (no callbacks), wipes the key, frees; NULLs *pp. */
void crm_client_free(struct crm_client **pp);

/* Waits up to timeout_ms (-1: forever) for network activity or for extra_fd
 * (-1: none) to be readable. Returns 1 when extra_fd is readable, else 0. */
int crm_client_wait(struct crm_client *c, int extra_fd, int timeout_ms);
/* Moves transfers on and calls the callbacks of finished requests. */
void crm_client_dispatch(struct crm_client *c);
/* Requests in flight (including those waiting to retry). */
int crm_client_pending(const struct crm_client *c);
/* Cancels one request: its callback is called with CRM_ERR_CANCELLED. */
void crm_req_cancel(struct crm_client *c, struct crm_req *req);
/* Cancels every request in flight, as crm_req_cancel. */
void crm_client_cancel_all(struct crm_client *c);
/* Runs the loop until req (made with a NULL callback) finishes; hands its
 * reply to *out and returns its status. */
enum crm_status crm_client_run(struct crm_client *c, struct crm_req *req, struct crm_reply **out);
/* Connections opened so far (for the bench: one per session is the target). */
long crm_client_connections(const struct crm_client *c);

void crm_reply_free(struct crm_reply **pp);

enum api_sort {
    API_SORT_UPDATED,
    API_SORT_CREATED,
    API_SORT_LAST_NAME,
    API_SORT_FIRST_NAME,
    API_SORT_EMAIL
};

/* Each returns the request handle (borrowed; valid until its callback returns)
 * or NULL when it could not be queued (the callback is then not called). */
struct crm_req *api_views(struct crm_client *c, crm_done_fn cb, void *ud);
struct crm_req *api_contacts_page(struct crm_client *c, int64_t view_id, long page, int per_page,
                                  enum api_sort sort, bool descending, crm_done_fn cb, void *ud);
/* include=owner,sales_accounts,notes */
struct crm_req *api_contact(struct crm_client *c, int64_t id, crm_done_fn cb, void *ud);
struct crm_req *api_contact_update(struct crm_client *c, int64_t id,
                                   const struct contact_patch *patch, crm_done_fn cb, void *ud);
struct crm_req *api_contact_delete(struct crm_client *c, int64_t id, bool purge_call_data,
                                   crm_done_fn cb, void *ud);
/* 404 is reported as CRM_OK with already_gone set. */
struct crm_req *api_contact_forget(struct crm_client *c, int64_t id, crm_done_fn cb, void *ud);
struct crm_req *api_contact_restore(struct crm_client *c, int64_t id, crm_done_fn cb, void *ud);
struct crm_req *api_activities(struct crm_client *c, int64_t contact_id, long page, int per_page,
                               crm_done_fn cb, void *ud);
struct crm_req *api_search(struct crm_client *c, const char *q, crm_done_fn cb, void *ud);
struct crm_req *api_lookup_email(struct crm_client *c, const char *email, crm_done_fn cb, void *ud);
struct crm_req *api_owners(struct crm_client *c, crm_done_fn cb, void *ud);
struct crm_req *api_users(struct crm_client *c, crm_done_fn cb, void *ud);
struct crm_req *api_users_me(struct crm_client *c, crm_done_fn cb, void *ud);
/* A 404 (real Freshsales) is CRM_OK with no capabilities. */
struct crm_req *api_capabilities(struct crm_client *c, crm_done_fn cb, void *ud);
struct crm_req *api_company_views(struct crm_client *c, crm_done_fn cb, void *ud);
struct crm_req *api_companies_page(struct crm_client *c, int64_t view_id, long page, int per_page,
                                   crm_done_fn cb, void *ud);
struct crm_req *api_company(struct crm_client *c, int64_t id, crm_done_fn cb, void *ud);
/* GET /contacts/{id}/export (capability contact_export): the body in raw. */
struct crm_req *api_contact_export(struct crm_client *c, int64_t id, crm_done_fn cb, void *ud);
struct crm_req *api_note_add(struct crm_client *c, int64_t contact_id, const char *text,
                             crm_done_fn cb, void *ud);

#endif
