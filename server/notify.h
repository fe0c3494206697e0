/* Erasure notices to third-party processors (API.md sections 4.1, 4.3, 4.6):
 * an outbox table (processor_notices) with statuses pending, done and failed,
 * delivered by HTTP POST to a processor's endpoint with a bounded number of
 * attempts. A notice carries no personal data: the audit entry's subject
 * reference and action only. */
#ifndef CRM_SERVER_NOTIFY_H
#define CRM_SERVER_NOTIFY_H

#include <sqlite3.h>
#include <stdint.h>

#define NOTIFY_MAX_ATTEMPTS 3     /* failed deliveries before a notice is "failed" */
#define NOTIFY_BATCH        64    /* notices one delivery run attempts at most */
#define NOTIFY_TIMEOUT_MS   5000  /* per delivery, connection included */
#define NOTIFY_ENDPOINT_MAX 512   /* bytes of an endpoint URL */
#define NOTIFY_RUN_MS       15000 /* a delivery run starts no attempt after this */

/* Adds what older databases lack (processors.endpoint, the attempt columns
 * of processor_notices); harmless when present. Returns 0 or -1. */
int notify_upgrade(sqlite3 *db);

/* Queues one pending notice per configured processor for audit entry
 * audit_id with subject_ref. Runs inside the caller's transaction.
 * Returns 0 or -1. */
int notify_enqueue(sqlite3 *db, int64_t audit_id, const char *subject_ref);

/* Attempts delivery of pending notices whose processor has an endpoint (at
 * most NOTIFY_BATCH, each claimed first so that two callers do not send the
 * same attempt). A 2xx answer marks a notice done; anything else counts an
 * attempt, and the NOTIFY_MAX_ATTEMPTS-th makes it failed; the other notices
 * to a failing endpoint wait for the next run, and a run starts no attempt
 * after NOTIFY_RUN_MS. Notices of a
 * processor without an endpoint stay pending. Must not be called inside a
 * transaction. Returns the notices delivered, or -1 on a database error. */
int notify_deliver(sqlite3 *db);

/* Puts the failed notices of processor_id back to pending with no attempts
 * counted. Returns how many, or -1. */
int notify_retry(sqlite3 *db, int64_t processor_id);

/* Whether url is an endpoint this server will post to: http:// or https://,
 * printable ASCII without spaces, at most NOTIFY_ENDPOINT_MAX bytes. */
int notify_endpoint_valid(const char *url);

#endif
