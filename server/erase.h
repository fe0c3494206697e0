/* Erasure: forget a contact or a company so that nothing about them remains,
 * the recycle-bin purge, and the audit references that carry no personal data. */
#ifndef CRM_SERVER_ERASE_H
#define CRM_SERVER_ERASE_H

#include <sqlite3.h>
#include <stdint.h>

/* What an erasure removed (or, for a preview, would remove). */
struct erase_counts {
    int64_t contacts; /* 1 for a contact; the company's contacts for a company */
    int64_t activities;
    int64_t notes;
    int64_t calls;
    int64_t recordings;
    int64_t chats;
    int64_t emails; /* outbox entries */
    int64_t subscriptions;
    int64_t deals_kept;     /* deals that stay, link removed (contact) */
    int64_t companies_kept; /* 1 when the contact had a company, which stays */
};

enum erase_result { ERASE_OK = 0, ERASE_NOT_FOUND = 1, ERASE_FAILED = -1 };

/* The subject reference for an audit entry: hex HMAC-SHA-256 of "KIND:ID" with
 * the account secret (kind "contact", "company", "user"). out: 65 bytes. */
int erase_subject_ref(sqlite3 *db, const char *kind, int64_t id, char out[65]);

/* Counts what forgetting contact_id would remove, without changing anything. */
enum erase_result erase_contact_preview(sqlite3 *db, int64_t contact_id, struct erase_counts *out);

/* Forgets contact_id (live or in the recycle bin) in one transaction: the row,
 * emails, search terms, activities, notes, calls, recordings, chats, outbox,
 * tokens, subscriptions; writes one audit entry {contact.forget, subject_ref,
 * counts} by actor_user_id and a pending erasure notice per processor; then
 * checkpoints the WAL (TRUNCATE) so no byte of the contact remains on disk.
 * audit_id_out (may be NULL) receives the audit entry id. */
enum erase_result erase_contact(sqlite3 *db, int64_t contact_id, int64_t actor_user_id,
                                struct erase_counts *out, int64_t *audit_id_out);

/* Forgets a company, its contacts (each as erase_contact would) and its deals,
 * in one transaction, with one audit entry "company.forget". */
enum erase_result erase_company(sqlite3 *db, int64_t company_id, int64_t actor_user_id,
                                struct erase_counts *out, int64_t *audit_id_out);

/* Erases the call notes and recordings of one contact now (the purge_call_data
 * option of a soft delete). Runs inside the caller's transaction. Returns the
 * number of calls touched, or -1. */
int64_t erase_call_data(sqlite3 *db, int64_t contact_id);

/* Purges what has expired at time now: recycle-bin contacts and companies
 * deleted 90 days ago or more (each forgotten as above, actor NULL, action
 * "contact.purge"). Returns how many records were purged, or -1. */
int64_t erase_purge_expired(sqlite3 *db, int64_t now);

/* PRAGMA wal_checkpoint(TRUNCATE); 0 on success. */
int erase_checkpoint(sqlite3 *db);

/* How many times erasures in this process have rebuilt the database (VACUUM)
 * because an old copy of an erased value was left in a page's unused space
 * (see docs/gdpr-erasure.md). For tests and diagnostics. */
int64_t erase_rebuilds(void);

#endif
