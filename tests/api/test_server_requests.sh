#!/bin/bash
# The privacy requests queue: creating requests, due dates one calendar month
# after receipt, extensions up to three months, the status transitions, and a
# closed request keeping a reference and a receipt instead of the email.
. "$(dirname "$0")/../lib.sh"
server_start 20

api "$KEY_ana" GET /capabilities
is "capability announced" "$(jqr '.capabilities|index("privacy_requests") != null')" true

# --- refusals ---------------------------------------------------------------
api "" GET /privacy_requests
is "no key: 401" "$CODE" 401
api "$KEY_bruno" POST /privacy_requests '{"privacy_request":{"type":"deletion","subject_email":"x@example.org"}}'
is "unknown type: 400" "$CODE" 400
api "$KEY_bruno" POST /privacy_requests '{"privacy_request":{"type":"access","subject_email":"not an email"}}'
is "not an email: 400" "$CODE" 400
api "$KEY_bruno" POST /privacy_requests '{"privacy_request":{"type":"access","subject_email":"x@example.org","received_at":"2026-02-30T00:00:00Z"}}'
is "impossible date: 400" "$CODE" 400
api "$KEY_bruno" POST /privacy_requests '{"privacy_request":{"type":"access","subject_email":"x@example.org","received_at":"2999-01-01T00:00:00Z"}}'
is "received in the future: 400" "$CODE" 400
api "$KEY_bruno" PUT /privacy_requests/4999999 '{"privacy_request":{"status":"verified"}}'
is "absent request: 404" "$CODE" 404

# --- creation and due dates -------------------------------------------------
api "$KEY_bruno" POST /privacy_requests '{"privacy_request":{"type":"access","subject_email":"jan.subject@example.org","received_at":"2026-01-31T09:00:00Z"}}'
JAN=$(jqr .privacy_request.id)
is "an agent creates a request" "$CODE $(jqr .privacy_request.status)" "200 new"
is "31 January is due 28 February" "$(jqr .privacy_request.due_at)" "2026-02-28T09:00:00Z"
is "its email is kept while open" "$(jqr .privacy_request.subject_email)" "jan.subject@example.org"
api "$KEY_ana" POST /privacy_requests '{"privacy_request":{"type":"erasure","subject_email":"mar.subject@example.org","received_at":"2026-03-31T12:00:00Z"}}'
MAR=$(jqr .privacy_request.id)
is "31 March is due 30 April" "$(jqr .privacy_request.due_at)" "2026-04-30T12:00:00Z"
api "$KEY_ana" POST /privacy_requests '{"privacy_request":{"type":"portability","subject_email":"leap.subject@example.org","received_at":"2024-01-31"}}'
is "31 January of a leap year is due 29 February" "$(jqr .privacy_request.due_at)" "2024-02-29T00:00:00Z"
NOW_REQ_BODY='{"privacy_request":{"type":"rectification","subject_email":"now.subject@example.org"}}'
api "$KEY_carla" POST /privacy_requests "$NOW_REQ_BODY"
NOWID=$(jqr .privacy_request.id)
REC=$(jqr .privacy_request.received_at)
REC_S=$(date -ud "$REC" +%s)
check "received_at defaults to now" test $(($(date -u +%s) - REC_S)) -lt 120

# --- the queue ----------------------------------------------------------------
api "$KEY_bruno" GET "/privacy_requests?per_page=100"
is "agents read the queue" "$CODE" 200
SORTED=$(jqr '[.privacy_requests[]|select(.status!="done" and .status!="rejected")|(.extended_to // .due_at)]|. == sort')
is "open requests sorted by due date" "$SORTED" true
FIRST_CLOSED=$(jqr '[.privacy_requests[]|(.status=="done" or .status=="rejected")]|index(true)')
LAST_OPEN=$(jqr '[.privacy_requests[]|(.status!="done" and .status!="rejected")]|rindex(true)')
check "closed requests after the open ones" test "$FIRST_CLOSED" = null -o "$LAST_OPEN" -lt "${FIRST_CLOSED:-0}"
is "meta total counts every request" "$(jqr '.meta.total == (.privacy_requests|length)')" true

# --- extension --------------------------------------------------------------
api "$KEY_bruno" PUT "/privacy_requests/$JAN" '{"privacy_request":{"extended_to":"2026-04-30T09:00:01Z","extension_reason":"complex"}}'
is "extension beyond three months: 400" "$CODE" 400
api "$KEY_bruno" PUT "/privacy_requests/$JAN" '{"privacy_request":{"extended_to":"2026-02-20T00:00:00Z","extension_reason":"complex"}}'
is "extension before the due date: 400" "$CODE" 400
api "$KEY_bruno" PUT "/privacy_requests/$JAN" '{"privacy_request":{"extended_to":"2026-04-30T09:00:00Z"}}'
is "extension without a reason: 400" "$CODE" 400
api "$KEY_bruno" PUT "/privacy_requests/$JAN" '{"privacy_request":{"extended_to":"2026-04-30T09:00:00Z","extension_reason":"Many requests at once","subject_told_at":"2026-02-10T10:00:00Z"}}'
is "extension to exactly three months" "$CODE $(jqr .privacy_request.extended_to)" "200 2026-04-30T09:00:00Z"
is "reason and date told kept" "$(jqr '.privacy_request.extension_reason + " " + .privacy_request.subject_told_at')" "Many requests at once 2026-02-10T10:00:00Z"
api "$KEY_bruno" PUT "/privacy_requests/$JAN" '{"privacy_request":{"subject_told_at":"2025-01-01T00:00:00Z"}}'
is "told before receipt: 400" "$CODE" 400

# --- transitions --------------------------------------------------------------
api "$KEY_bruno" PUT "/privacy_requests/$JAN" '{"privacy_request":{"status":"in_progress"}}'
is "new -> in_progress skips verification: 409" "$CODE" 409
api "$KEY_bruno" PUT "/privacy_requests/$JAN" '{"privacy_request":{"status":"finished"}}'
is "unknown status: 400" "$CODE" 400
api "$KEY_bruno" PUT "/privacy_requests/$JAN" '{"privacy_request":{"contact_id":4999999999}}'
is "link to an absent contact: 400" "$CODE" 400
api "$KEY_ana" GET "/contacts/view/1?per_page=1"
CID=$(jqr '.contacts[0].id')
api "$KEY_bruno" PUT "/privacy_requests/$JAN" "{\"privacy_request\":{\"contact_id\":$CID,\"status\":\"verified\"}}"
is "linked and verified" "$CODE $(jqr .privacy_request.contact_id) $(jqr .privacy_request.status)" "200 $CID verified"
api "$KEY_bruno" PUT "/privacy_requests/$JAN" '{"privacy_request":{"status":"done","outcome":"x"}}'
is "verified -> done skips in_progress: 409" "$CODE" 409
api "$KEY_bruno" PUT "/privacy_requests/$JAN" '{"privacy_request":{"status":"in_progress"}}'
is "verified -> in_progress" "$CODE $(jqr .privacy_request.status)" "200 in_progress"
api "$KEY_bruno" PUT "/privacy_requests/$JAN" '{"privacy_request":{"status":"done"}}'
is "closing without an outcome: 400" "$CODE" 400
api "$KEY_bruno" PUT "/privacy_requests/$JAN" '{"privacy_request":{"status":"done","outcome":"Export sent by post"}}'
is "done with an outcome" "$CODE $(jqr .privacy_request.status)" "200 done"
is "the email is gone" "$(jqr .privacy_request.subject_email)" null
REF=$(jqr .privacy_request.subject_ref)
check "a reference replaces it" test "${#REF}" -eq 64
is "the outcome is kept" "$(jqr .privacy_request.outcome)" "Export sent by post"
RECEIPT=$(jqr .privacy_request.receipt.audit_id)
check "a receipt is given" test -n "$RECEIPT" -a "$RECEIPT" != null
api "$KEY_bruno" PUT "/privacy_requests/$JAN" '{"privacy_request":{"outcome":"changed"}}'
is "a closed request cannot change: 409" "$CODE" 409
api "$KEY_ana" GET "/audit?per_page=100"
is "the receipt in the audit log" "$(jqr "[.audit[]|select(.id==$RECEIPT)][0]|.action + \" \" + .subject_ref")" "request.close $REF"
check "no email in the audit log" sh -c "! printf '%s' \"\$1\" | grep -q 'jan.subject'" _ "$BODY_OUT"
api "$KEY_bruno" GET "/privacy_requests/$JAN"
is "GET one: still no email" "$CODE $(jqr .privacy_request.subject_email) $(jqr .privacy_request.receipt.audit_id)" "200 null $RECEIPT"

api "$KEY_carla" PUT "/privacy_requests/$MAR" '{"privacy_request":{"status":"rejected","outcome":"Identity could not be verified"}}'
is "new -> rejected" "$CODE $(jqr .privacy_request.status) $(jqr .privacy_request.subject_email)" "200 rejected null"
api "$KEY_carla" PUT "/privacy_requests/$MAR" '{"privacy_request":{"status":"verified"}}'
is "rejected cannot reopen: 409" "$CODE" 409

# The closed emails are found nowhere in the database files.
check "closed requests' emails gone from the database files" \
	sh -c '! grep -qa -e jan.subject@example.org -e mar.subject@example.org "$1" "$1-wal" 2>/dev/null' _ "$DB"
check "an open request's email is still stored (the grep can find one)" \
	grep -qa now.subject@example.org "$DB" "$DB-wal"
api "$KEY_ana" GET "/privacy_requests/$NOWID"
is "open request readable" "$(jqr .privacy_request.subject_email)" "now.subject@example.org"

done_testing
