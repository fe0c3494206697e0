/* Email to contacts and double opt-in (API.md section 4.5): 1:1 emails queued
 * in the outbox under the Do Not Disturb rule, consent requests, the admin's
 * view of the outbox, and the link tokens the public routes redeem. */
#ifndef CRM_SERVER_HANDLERS_EMAIL_H
#define CRM_SERVER_HANDLERS_EMAIL_H

#include <stdbool.h>

#include "server/router.h"

#define EMAIL_SUBJECT_MAX 200   /* characters */
#define EMAIL_BODY_MAX    20000 /* characters, before the unsubscribe link */
#define EMAIL_TOKEN_LEN   64    /* hex characters of a link token */
#define EMAIL_PURPOSE_MAX 40

/* The value of setting name (settings table), or def when it has no row or
 * on error. */
bool handlers_email_setting(sqlite3 *db, const char *name, bool def);

/* Whether s names a purpose: 1 to EMAIL_PURPOSE_MAX characters a-z, 0-9, _. */
bool handlers_email_purpose_valid(const char *s);

/* POST /contacts/{id}/emails {"email":{"subject","body",
 * "include_unsubscribe_link"?:bool}} -> {"email":{"id","status":"queued"}}
 * (+ "warning":"do_not_disturb" when the contact is DND and the account only
 * warns); 422 (and an email_blocked activity) when restrict_email_to_dnd is
 * on; 409 when the contact has no email address; records email_sent. The
 * link, on by default when default_unsubscribe_link is, ends the body with
 * {server}/u/{token}. */
void handlers_email_send(const struct srv_req *rq, struct srv_resp *rs);

/* POST /contacts/{id}/consent_requests {"purpose"} -> {"consent_request":
 * {"id","purpose","status":"queued"}}: a double opt-in email with the link
 * {server}/optin/{token}; records opt_in_requested. 409 when the contact
 * already consents to the purpose or has no email address. */
void handlers_email_consent_request(const struct srv_req *rq, struct srv_resp *rs);

/* GET /outbox (admin) -> {"outbox":[{"id","contact_id","kind","to","subject",
 * "body","status","user_id","created_at"}],"meta"}: newest first, paged. */
void handlers_email_outbox(const struct srv_req *rq, struct srv_resp *rs);

#endif
