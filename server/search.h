/* The contact search index: prefix-searchable terms for names, emails and
 * phones, kept in search_terms (erased with the contact by cascade). */
#ifndef CRM_SERVER_SEARCH_H
#define CRM_SERVER_SEARCH_H

#include <sqlite3.h>
#include <stdint.h>

/* Rebuilds the terms of one contact from its row and its emails: lowercased
 * name words, each email, its local part and domain, phone digits. Call inside
 * the transaction that changed those fields. Returns 0, or -1. */
int search_index_contact(sqlite3 *db, int64_t contact_id);

#endif
