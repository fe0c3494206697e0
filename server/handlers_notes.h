/* Notes on contacts: POST /notes, PUT and DELETE /notes/{id}, and the notes
 * side-loaded by GET /contacts/{id}?include=notes. */
#ifndef CRM_SERVER_HANDLERS_NOTES_H
#define CRM_SERVER_HANDLERS_NOTES_H

#include <cjson/cJSON.h>

#include "server/router.h"

#define NOTE_MAX_CHARS 10000

/* The notes of contact_id as a JSON array, newest first; NULL on a database
 * error. The caller owns the result. */
cJSON *handlers_notes_of_contact(sqlite3 *db, int64_t contact_id);

void handlers_notes_create(const struct srv_req *rq, struct srv_resp *rs);
void handlers_notes_update(const struct srv_req *rq, struct srv_resp *rs);
void handlers_notes_delete(const struct srv_req *rq, struct srv_resp *rs);

#endif
