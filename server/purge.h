/* The background purge of crm-server: erase_purge_expired at start and then
 * at a fixed interval, on its own thread and database connection. */
#ifndef CRM_SERVER_PURGE_H
#define CRM_SERVER_PURGE_H

#include <stddef.h>
#include <stdint.h>

#define PURGE_INTERVAL_MS 60000 /* serve purges once a minute */

struct purge_task; /* opaque: server/purge.c */

/* Opens db_path and starts the thread: it purges what has expired at
 * db_now() at once, then every interval_ms. Returns 0 with an owned task in
 * *out, or -1 with a sentence in err. */
int purge_start(const char *db_path, long interval_ms, struct purge_task **out, char *err,
                size_t errlen);

/* Passes completed so far, and the records they purged (thread-safe). */
long purge_passes(struct purge_task *t);
int64_t purge_purged(struct purge_task *t);

/* Stops the thread (at once, even mid-wait), closes its connection, frees
 * *pp and NULLs it. NULL is allowed. */
void purge_stop(struct purge_task **pp);

#endif
