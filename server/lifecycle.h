/* The account's lifecycle after a cancellation (API.md 4.8): what the purge
 * task erases when the account's purge dates pass. */
#ifndef CRM_SERVER_LIFECYCLE_H
#define CRM_SERVER_LIFECYCLE_H

#include <sqlite3.h>
#include <stdint.h>

#define LIFECYCLE_PURGE_DAYS     30 /* all data, after a cancellation */
#define LIFECYCLE_CALL_DATA_DAYS 14 /* call recordings and notes */

/* Runs what is due at time now for an account whose cancellation is
 * pending: once call_data_purge_at has passed, every call recording and call
 * note is erased (audit "account.call_data_purge"); once purge_at has
 * passed, all the account's data is erased for good: every contact with all
 * that refers to it (as erase_contact would), companies and deals, privacy
 * requests, and the users' names and emails (audit "account.purge", and an
 * erasure notice to every processor). Each part runs in its own transaction
 * and is followed by a WAL checkpoint; a part with nothing left to erase
 * writes nothing. Does nothing for an active account. Must not be called
 * inside a transaction. Returns the records erased (0 included), or -1. */
int64_t lifecycle_run_due(sqlite3 *db, int64_t now);

#endif
