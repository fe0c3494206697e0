/* The contact search index: prefix-searchable terms for names, emails and
 * phones, kept in search_terms (erased with the contact by cascade). */
#ifndef CRM_SERVER_SEARCH_H
#define CRM_SERVER_SEARCH_H

#include <sqlite3.h>
#include <stddef.h>
#include <stdint.h>

/* Rebuilds the terms of one contact from its row and its emails: lowercased
 * name words, each email, its local part and domain, phone digits. Call inside
 * the transaction that changed those fields. Returns 0, or -1. */
int search_index_contact(sqlite3 *db, int64_t contact_id);

/* Finds live (not deleted) contacts matching q: every whitespace-separated
 * word of q is a prefix of one of the contact's terms (case-folded); a q made
 * of digits and phone punctuation matches phone digits. Writes at most max ids
 * to ids_out, best match first (in the term order of the word matching the
 * fewest terms, of which at most 5,000 are examined). A q shorter than 2
 * characters matches nothing. Returns the count, or -1. */
int search_contacts(sqlite3 *db, const char *q, int64_t *ids_out, int max);

/* Case-folds UTF-8 text for the index and for queries (ASCII, Latin-1,
 * Latin Extended-A, Greek and Cyrillic capitals); bytes that are not valid
 * UTF-8 are copied. Writes at most outlen-1 bytes, never splitting a
 * character, and NUL-terminates. Returns the length written. */
size_t search_fold(const char *in, size_t inlen, char *out, size_t outlen);

#endif
