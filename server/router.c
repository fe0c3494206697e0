/* The route table of the API, declared once, the extensions /capabilities
 * announces (next to the routes that implement them), and the query helpers
 * every handler shares. */
#include "server/router.h"

#include <stdio.h>
#include <string.h>

#include "server/handlers_account.h"
#include "server/handlers_activities.h"
#include "server/handlers_admin_users.h"
#include "server/handlers_audit.h"
#include "server/handlers_calls.h"
#include "server/handlers_companies.h"
#include "server/handlers_contacts.h"
#include "server/handlers_email.h"
#include "server/handlers_export.h"
#include "server/handlers_notes.h"
#include "server/handlers_privacy.h"
#include "server/handlers_phone.h"
#include "server/handlers_reports.h"
#include "server/handlers_requests.h"
#include "server/handlers_reveal.h"
#include "server/handlers_search.h"
#include "server/handlers_settings.h"
#include "server/handlers_users.h"
#include "server/handlers_views.h"
#include "server/status.h"

#define PER_PAGE_DEFAULT 25
#define PER_PAGE_MAX     100
#define PAGE_MAX         100000000L

static void capabilities_list(const struct srv_req *rq, struct srv_resp *rs);

/* Every route of the API. Patterns are relative to ROUTER_PREFIX; "{id}" is a
 * numeric segment. A literal segment wins over "{id}" (filters, view). */
static const struct route routes[] = {
    {"GET", "/contacts/filters", handlers_views_contact_filters, 0},
    {"GET", "/contacts/view/{id}", handlers_views_contacts, 0},
    {"POST", "/contacts", handlers_contacts_create, ROUTE_BODY},
    {"POST", "/contacts/bulk_destroy", handlers_contacts_bulk_destroy, ROUTE_BODY},
    {"GET", "/contacts/{id}", handlers_contacts_show, 0},
    {"PUT", "/contacts/{id}", handlers_contacts_update, ROUTE_BODY},
    {"DELETE", "/contacts/{id}", handlers_contacts_delete, 0},
    {"DELETE", "/contacts/{id}/forget", handlers_contacts_forget, 0},
    {"POST", "/contacts/{id}/restore", handlers_contacts_restore, 0},
    {"GET", "/contacts/{id}/activities", handlers_activities_list, 0},
    {"GET", "/contacts/{id}/activities.json", handlers_activities_list, 0},
    {"GET", "/search", handlers_search_search, 0},
    {"GET", "/lookup", handlers_search_lookup, 0},
    {"GET", "/selector/owners", handlers_users_owners, 0},
    {"POST", "/notes", handlers_notes_create, ROUTE_BODY},
    {"PUT", "/notes/{id}", handlers_notes_update, ROUTE_BODY},
    {"DELETE", "/notes/{id}", handlers_notes_delete, 0},
    {"GET", "/sales_accounts/filters", handlers_companies_filters, 0},
    {"GET", "/sales_accounts/view/{id}", handlers_companies_view, 0},
    {"GET", "/sales_accounts/{id}", handlers_companies_show, 0},
    {"DELETE", "/sales_accounts/{id}", handlers_companies_delete, 0},
    {"DELETE", "/sales_accounts/{id}/forget", handlers_companies_forget, 0},
    {"GET", "/users/me", handlers_users_me, 0},
    {"GET", "/users", handlers_users_list, ROUTE_ADMIN},
    {"GET", "/capabilities", capabilities_list, 0},
    {"GET", "/audit", handlers_audit_list, ROUTE_ADMIN},
    {"POST", "/audit/reveal", handlers_reveal_create, ROUTE_BODY},
    {"GET", "/contacts/{id}/forget_preview", handlers_privacy_forget_preview, 0},
    {"GET", "/contacts/{id}/export", handlers_export_contact, 0},
    {"GET", "/contacts/{id}/calls", handlers_calls_list, 0},
    {"GET", "/contacts/{id}/chats", handlers_calls_chats, 0},
    {"POST", "/calls", handlers_calls_create, ROUTE_BODY},
    {"DELETE", "/calls/{id}/note", handlers_calls_delete_note, 0},
    {"DELETE", "/calls/{id}/recording", handlers_calls_delete_recording, ROUTE_ADMIN},
    {"PUT", "/users/{id}/permissions", handlers_admin_users_permissions, ROUTE_BODY | ROUTE_ADMIN},
    {"PUT", "/users/{id}", handlers_admin_users_update, ROUTE_BODY | ROUTE_ADMIN},
    {"DELETE", "/users/{id}", handlers_admin_users_delete, ROUTE_ADMIN},
    {"GET", "/processors", handlers_admin_users_processors, ROUTE_ADMIN},
    {"POST", "/contacts/{id}/emails", handlers_email_send, ROUTE_BODY},
    {"POST", "/contacts/{id}/consent_requests", handlers_email_consent_request, ROUTE_BODY},
    {"GET", "/outbox", handlers_email_outbox, ROUTE_ADMIN},
    {"PUT", "/processors/{id}", handlers_admin_users_processor_update, ROUTE_BODY | ROUTE_ADMIN},
    {"POST", "/processors/{id}/retry", handlers_admin_users_processor_retry, ROUTE_ADMIN},
    {"GET", "/settings/gdpr", handlers_settings_show, 0},
    {"PUT", "/settings/gdpr", handlers_settings_update, ROUTE_BODY | ROUTE_ADMIN},
    {"GET", "/phone_numbers", handlers_phone_list, 0},
    {"PUT", "/phone_numbers/{id}", handlers_phone_update, ROUTE_BODY | ROUTE_ADMIN},
    {"GET", "/reports", handlers_reports_list, 0},
    {"GET", "/reports/contacts_by_owner", handlers_reports_contacts_by_owner, 0},
    {"GET", "/reports/consent_by_purpose", handlers_reports_consent_by_purpose, 0},
    {"GET", "/reports/erasures_by_month", handlers_reports_erasures_by_month, 0},
    {"GET", "/reports/contacts_by_owner/export", handlers_reports_contacts_by_owner_csv, 0},
    {"GET", "/reports/consent_by_purpose/export", handlers_reports_consent_by_purpose_csv, 0},
    {"GET", "/reports/erasures_by_month/export", handlers_reports_erasures_by_month_csv, 0},
    {"GET", "/account", handlers_account_show, ROUTE_ADMIN},
    {"POST", "/account/cancel", handlers_account_cancel, ROUTE_BODY | ROUTE_ADMIN},
    {"POST", "/account/restore", handlers_account_restore, ROUTE_ADMIN},
    {"GET", "/export", handlers_account_export, ROUTE_ADMIN},
    {"GET", "/privacy_requests", handlers_requests_list, 0},
    {"POST", "/privacy_requests", handlers_requests_create, ROUTE_BODY},
    {"GET", "/privacy_requests/{id}", handlers_requests_show, 0},
    {"PUT", "/privacy_requests/{id}", handlers_requests_update, ROUTE_BODY},
};

/* The extensions of API.md section 4 this server implements in full; the
 * client shows the others as not available. */
static const char *const capabilities[] = {
    "audit",   "contact_export",   "calls",
    "chats",   "users_admin",      "gdpr_settings",
    "reports", "account_export",   "account_lifecycle",
    "email",   "privacy_requests",
};

static void capabilities_list(const struct srv_req *rq, struct srv_resp *rs)
{
    cJSON *root = cJSON_CreateObject();
    cJSON *list = cJSON_AddArrayToObject(root, "capabilities");
    size_t i;

    (void)rq;
    for (i = 0; i < sizeof capabilities / sizeof capabilities[0]; i++)
        cJSON_AddItemToArray(list, cJSON_CreateString(capabilities[i]));
    json_reply(rs, SRV_OK, root);
}

/* Parses a positive decimal id of at most 18 digits. */
static bool parse_id(const char *s, size_t len, int64_t *out)
{
    int64_t v = 0;
    size_t i;

    if (len == 0 || len > 18 || s[0] == '0')
        return false;
    for (i = 0; i < len; i++) {
        if (s[i] < '0' || s[i] > '9')
            return false;
        v = v * 10 + (s[i] - '0');
    }
    *out = v;
    return true;
}

/* Whether path matches pattern segment by segment; fills ids. */
static bool pattern_match(const char *pattern, const char *path, int64_t ids[2])
{
    int n_ids = 0;

    while (*pattern && *path) {
        const char *pe, *se;
        size_t plen, slen;

        if (*pattern != '/' || *path != '/')
            return false;
        pattern++;
        path++;
        pe = strchr(pattern, '/');
        se = strchr(path, '/');
        plen = pe ? (size_t)(pe - pattern) : strlen(pattern);
        slen = se ? (size_t)(se - path) : strlen(path);
        if (plen == 4 && memcmp(pattern, "{id}", 4) == 0) {
            if (n_ids >= 2 || !parse_id(path, slen, &ids[n_ids]))
                return false;
            n_ids++;
        } else if (plen != slen || memcmp(pattern, path, plen) != 0) {
            return false;
        }
        pattern += plen;
        path += slen;
    }
    return !*pattern && !*path;
}

const struct route *router_match(const char *method, const char *path, int64_t ids[2], char *allow,
                                 size_t allowlen)
{
    size_t i, len = 0;
    int64_t tmp[2];

    if (allowlen)
        allow[0] = '\0';
    for (i = 0; i < sizeof routes / sizeof routes[0]; i++) {
        tmp[0] = tmp[1] = 0;
        if (!pattern_match(routes[i].pattern, path, tmp))
            continue;
        if (strcmp(routes[i].method, method) == 0) {
            ids[0] = tmp[0];
            ids[1] = tmp[1];
            return &routes[i];
        }
        if (len < allowlen && !strstr(allow, routes[i].method))
            len += (size_t)snprintf(allow + len, allowlen - len, "%s%s", len ? ", " : "",
                                    routes[i].method);
    }
    return NULL;
}

const char *router_arg(const struct srv_req *rq, const char *name)
{
    return rq->arg ? rq->arg(rq->arg_ctx, name) : NULL;
}

/* A whole number of at most 9 digits, or -1. */
static long parse_count(const char *s)
{
    long v = 0;
    int i;

    for (i = 0; s[i]; i++) {
        if (s[i] < '0' || s[i] > '9' || i >= 9)
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    return i ? v : -1;
}

int router_paging(const struct srv_req *rq, struct srv_resp *rs, long *page, long *per_page)
{
    const char *p = router_arg(rq, "page"), *pp = router_arg(rq, "per_page");

    *page = 1;
    *per_page = PER_PAGE_DEFAULT;
    if (p) {
        *page = parse_count(p);
        if (*page < 1 || *page > PAGE_MAX) {
            json_errorf(rs, SRV_BAD_REQUEST, "page must be a whole number from 1 to %ld.",
                        PAGE_MAX);
            return -1;
        }
    }
    if (pp) {
        *per_page = parse_count(pp);
        if (*per_page < 1) {
            json_errorf(rs, SRV_BAD_REQUEST, "per_page must be a whole number from 1 to %d.",
                        PER_PAGE_MAX);
            return -1;
        }
        if (*per_page > PER_PAGE_MAX)
            *per_page = PER_PAGE_MAX;
    }
    return 0;
}

int router_flag(const struct srv_req *rq, struct srv_resp *rs, const char *name, bool *out)
{
    const char *v = router_arg(rq, name);

    *out = false;
    if (!v)
        return 0;
    if (strcmp(v, "true") == 0) {
        *out = true;
        return 0;
    }
    if (strcmp(v, "false") == 0)
        return 0;
    json_errorf(rs, SRV_BAD_REQUEST, "%s must be true or false.", name);
    return -1;
}

bool router_includes(const struct srv_req *rq, const char *item)
{
    const char *inc = router_arg(rq, "include");
    size_t n = strlen(item);

    while (inc && *inc) {
        const char *end = strchr(inc, ',');
        size_t len = end ? (size_t)(end - inc) : strlen(inc);
        if (len == n && memcmp(inc, item, n) == 0)
            return true;
        inc = end ? end + 1 : NULL;
    }
    return false;
}
