/* The account as a whole (API.md 4.4 and 4.8): its status and purge dates,
 * cancellation and restore, and the export of every record as NDJSON. */
#ifndef CRM_SERVER_HANDLERS_ACCOUNT_H
#define CRM_SERVER_HANDLERS_ACCOUNT_H

#include "server/router.h"

#define ACCOUNT_EXPORT_CHUNK (64 * 1024) /* bytes the export hands over at a time */

/* GET /account (admins): {"account":{"name","status","purge_at",
 * "call_data_purge_at","purged"}}; purged is true once purge_at has passed
 * (the data is then gone or going). */
void handlers_account_show(const struct srv_req *rq, struct srv_resp *rs);

/* POST /account/cancel {"confirm":"<account name>"} (admins): 400 unless
 * confirm is exactly the account's name; 409 when a cancellation is already
 * pending. Sets status cancellation_pending, purge_at now + 30 days,
 * call_data_purge_at now + 14 days; writes the audit entry "account.cancel"
 * and queues a notice to every processor. Answers the account. */
void handlers_account_cancel(const struct srv_req *rq, struct srv_resp *rs);

/* POST /account/restore (admins): active again, purge dates cleared, audit
 * "account.restore"; 409 when no cancellation is pending or purge_at has
 * passed. Answers the account. */
void handlers_account_restore(const struct srv_req *rq, struct srv_resp *rs);

/* GET /export (admins): every record of the account as NDJSON, one
 * {"type":T,"data":{...}} a line, T in user, company, deal, contact, note,
 * activity, call, recording (its size, not its bytes), chat, chat_message.
 * Read from one snapshot on a connection of its own and streamed in chunks,
 * never held whole in memory; X-Total-Records gives the line count up front.
 * Writes the audit entry "account.export" with that count. */
void handlers_account_export(const struct srv_req *rq, struct srv_resp *rs);

#endif
