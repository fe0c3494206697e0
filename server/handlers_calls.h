/* Calls and chats of a contact (API.md section 4.6): listing them, logging a
 * call under the recording rules of its phone number, deleting a call's note
 * or recording, and the per-contact lists other resources (export) reuse. */
#ifndef CRM_SERVER_HANDLERS_CALLS_H
#define CRM_SERVER_HANDLERS_CALLS_H

#include <cjson/cJSON.h>

#include "server/router.h"

#define CALL_NOTE_MAX     10000 /* characters of a call note */
#define CALL_DURATION_MAX 86400 /* seconds of one call */

/* The calls of contact_id, newest first, each {"id","direction","started_at",
 * "duration_s","note","user_id","phone_number_id","recording":{"id","bytes",
 * "consent":{"by_user_id","at"}|null}|null} (recording metadata, never the
 * audio). NULL on a database error; the caller owns the result. */
cJSON *handlers_calls_of_contact(sqlite3 *db, int64_t contact_id);

/* The chat conversations of contact_id, newest first, each {"id","started_at",
 * "visitor_ip","messages":[{"id","sender","body","at"}]}. NULL on a database
 * error; the caller owns the result. */
cJSON *handlers_calls_chats_of_contact(sqlite3 *db, int64_t contact_id);

/* GET /contacts/{id}/calls -> {"calls":[...]}; 404 when no such contact. */
void handlers_calls_list(const struct srv_req *rq, struct srv_resp *rs);
/* GET /contacts/{id}/chats -> {"chats":[...]}; 404 when no such contact. */
void handlers_calls_chats(const struct srv_req *rq, struct srv_resp *rs);
/* POST /calls {"call":{...}} -> {"call":{...}}; records call_logged. A
 * recording is kept when the number records automatically (unless "record"
 * is false), or manually with "record":true and "consent":{"given":true}
 * (stored: the caller, now); never when the number's recording is off.
 * Manual with record:true and no consent: 422. */
void handlers_calls_create(const struct srv_req *rq, struct srv_resp *rs);
/* DELETE /calls/{id}/note -> true; records call_note_deleted. 404 when the
 * call or its note does not exist. */
void handlers_calls_delete_note(const struct srv_req *rq, struct srv_resp *rs);
/* DELETE /calls/{id}/recording (admin) -> true; the audio is erased for good
 * (secure delete, WAL checkpoint); records call_recording_deleted. */
void handlers_calls_delete_recording(const struct srv_req *rq, struct srv_resp *rs);

#endif
