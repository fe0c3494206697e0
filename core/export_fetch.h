/* Fetching one contact's export document, asynchronously: from the server's
 * export endpoint, or assembled on the client from the contact and every
 * timeline page (servers without contact_export, a real Freshsales account). */
#ifndef CRM_EXPORT_FETCH_H
#define CRM_EXPORT_FETCH_H

#include <stdbool.h>
#include <stdint.h>

#include "core/api.h"
#include "core/export.h"

/* Most timeline pages of 100 entries an assembled export reads. */
#define EXPORT_FETCH_PAGES_MAX 1000

struct export_fetch; /* opaque: one fetch in progress */

/* The outcome of a fetch. On CRM_OK doc is the document (the callback may
 * take it by setting it to NULL; else it is freed when the callback returns)
 * and message is empty. Otherwise doc is NULL and message is one sanitized
 * sentence ("The contact could not be fetched: ...", "The timeline could not
 * be fetched: ...", "The export could not be fetched: ...", a parse error,
 * "The request could not be sent."); http_code and retry_after_s are those
 * of the failed reply (0 when none; retry_after_s from a 429). assembled says
 * whether the document was (or was being) built on the client. Borrowed:
 * valid during the callback only. */
struct export_fetch_result {
    enum crm_status status;
    long http_code;
    long retry_after_s;
    bool assembled;
    char message[300];
    struct export_doc *doc;
};

typedef void (*export_fetch_done_fn)(struct export_fetch_result *res, void *ud);
/* what: the step being waited for, a short phrase without final punctuation:
 * "Fetching the export", "Loading the contact", "Loading the timeline: page 2
 * of 5" (or "...: page 2" while the page count is unknown). Borrowed. */
typedef void (*export_fetch_progress_fn)(const char *what, void *ud);

/* Starts fetching contact id's export over c. With use_endpoint it asks GET
 * /contacts/{id}/export first and, when that answers 404, assembles instead;
 * without, it assembles at once: GET /contacts/{id}?include=notes, then the
 * timeline page by page (until a page says it is the last, or holds fewer
 * than 100 entries, or EXPORT_FETCH_PAGES_MAX pages) and export_doc_assemble.
 * progress (may be NULL) is called as each request is sent, the first time
 * before this returns. done is called exactly once, from
 * crm_client_dispatch(), never from export_fetch_start, unless the fetch is
 * cancelled first. Returns the fetch (borrowed: valid until done returns or
 * export_fetch_cancel), or NULL when the first request could not be queued
 * (done is then not called). c must outlive the fetch: cancel it before
 * crm_client_free. */
struct export_fetch *export_fetch_start(struct crm_client *c, int64_t id, bool use_endpoint,
                                        export_fetch_done_fn done,
                                        export_fetch_progress_fn progress, void *ud);

/* Cancels a fetch in progress: its request is cancelled, what it received is
 * freed, done is not called. Takes NULL; nulls *pp. Not to be called from
 * the fetch's own done callback (the fetch is already over then). */
void export_fetch_cancel(struct export_fetch **pp);

#endif
