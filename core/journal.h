/* The resume journal of a batch run: a local SQLite file (mode 0600) holding,
 * per input line, the contact id and how far it went; never personal data. */
#ifndef CRM_JOURNAL_H
#define CRM_JOURNAL_H

#include <stddef.h>
#include <stdint.h>

#include "core/status.h"

struct journal; /* opaque: core/journal.c */

enum journal_state {
    JOURNAL_NONE = 0,   /* not in the journal */
    JOURNAL_DONE = 1,   /* finished: never to be sent again */
    JOURNAL_FAILED = 2, /* tried and failed: tried again on resume */
    JOURNAL_STARTED = 3 /* its contact id is known and the action may have been sent */
};

/* Opens (creating with mode 0600, and its directory with 0700) the journal at
 * path for the input whose hash is input_hash. A journal written for another
 * input is refused (CRM_ERR_CONFLICT). Errors are a status and a sentence in
 * err; *out stays NULL. */
enum crm_status journal_open(const char *path, uint64_t input_hash, struct journal **out, char *err,
                             size_t errlen);
/* Closes and frees; takes NULL; NULLs *pp. */
void journal_close(struct journal **pp);

/* The state of input line idx (JOURNAL_NONE when absent); *id (may be NULL)
 * receives the contact id recorded with it, 0 when none. */
enum journal_state journal_get(struct journal *j, long idx, int64_t *id);
/* Records input line idx with contact id and state, durably before it
 * returns. Returns CRM_OK or CRM_ERR_IO. */
enum crm_status journal_set(struct journal *j, long idx, int64_t id, enum journal_state st);

/* FNV-1a 64 of len bytes, continuing from h (start with JOURNAL_HASH_INIT). */
#define JOURNAL_HASH_INIT 14695981039346656037ull
uint64_t journal_hash(uint64_t h, const void *data, size_t len);

/* Writes $XDG_STATE_HOME/crmtui/journal-<hash>.db (else
 * $HOME/.local/state/crmtui/...) into out. Returns CRM_OK, CRM_ERR_IO when
 * neither variable is set, CRM_ERR_INVALID when outlen is too small. */
enum crm_status journal_default_path(uint64_t input_hash, char *out, size_t outlen);

#endif
