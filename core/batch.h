/* The batch runner of crmtui's command-line actions (export, forget,
 * unsubscribe): many records, several requests in flight over the client's
 * connection, a resume journal, one sanitized result line per record. */
#ifndef CRM_BATCH_H
#define CRM_BATCH_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "core/api.h"
#include "core/export.h"
#include "core/journal.h"

enum batch_action { BATCH_EXPORT, BATCH_FORGET, BATCH_UNSUBSCRIBE };

/* One record to act on: an id, or (id 0) an email resolved with
 * api_lookup_email. confirm, when set, is the typed confirmation of a forget:
 * it must equal the contact's email (case aside) or the record is refused. */
struct batch_item {
    int64_t id;
    const char *email;   /* borrowed; NULL when id is set */
    const char *confirm; /* borrowed; NULL: none asked */
};

struct batch_opts {
    enum batch_action action;
    const struct batch_item *items;
    size_t n_items;
    enum export_format format; /* export */
    const char *out_file;      /* export of one record: the file, or NULL */
    const char *out_dir;       /* export: DIR/<id>.<ext>; NULL: export_default_path */
    int max_inflight;          /* records in progress at once; <= 0: 8 */
    struct journal *journal;   /* NULL: none (nothing resumable) */
    bool json;                 /* result lines as JSON objects */
    FILE *out;                 /* result lines */
    FILE *progress;            /* a progress line, rewritten in place; NULL: none */
};

/* Counts of a run. */
struct batch_result {
    size_t done, failed, skipped; /* skipped: done in an earlier run (journal) */
};

/* The action's name ("export", "forget", "unsubscribe"); static storage. */
const char *batch_action_name(enum batch_action a);

/* Runs every item, writing one line per item to o->out: "ID ACTION STATUS
 * MESSAGE" or, with json, {"id","action","status","message"} (status "done",
 * "failed" or "skipped"; no personal data but the id). A rate-limited record
 * is tried again after the server's Retry-After. Returns 0 when every record
 * is done (or skipped), 1 when any failed. */
int batch_run(struct crm_client *c, const struct batch_opts *o, struct batch_result *res);

#endif
