#!/bin/bash
# Quick action Request consent: choose the purpose (Esc sends nothing); the
# opt-in email lands in the outbox and the timeline shows opt-in requested;
# once the link is followed (curl on /optin/{token}) the timeline shows the
# consent granted through the email link.
. "$(dirname "$0")/lib-tmux.sh"

server_start 60
all=$(view_id "All Contacts")
api "$KEY_ana" GET "/contacts/view/$all?sort=first_name&sort_type=asc&page=1&per_page=20"
ids=$(jqr '.contacts[] | select((.is_deleted | not) and .email != null and ((.subscription_types // []) | index("newsletter") | not)) | .id')
order=$(jqr '[.contacts[].id]')
cid=
for id in $ids; do
	api "$KEY_ana" GET "/contacts/$id/activities?per_page=100"
	if [ "$(jqr '[.activities[] | select(.action_data.source == "email_link" or .action_type == "opt_in_requested" or (.action_type == "consent_granted" and .action_data.purpose == "newsletter"))] | length')" = 0 ]; then
		cid=$id
		break
	fi
done
check "a contact with no email-link consent yet" [ -n "$cid" ]
row=$(printf '%s' "$order" | jq "index($cid)")
api "$KEY_ana" GET "/contacts/$cid"
name=$(jqr .contact.display_name)
optins() {
	api "$KEY_ana" GET /outbox
	jqr "[.outbox[] | select(.contact_id == $cid and .kind == \"optin\")] | length"
}

tui_start -x 120 -y 40
expect_match "the list" "^>"
for ((i = 0; i < row; i++)); do keys j; done
expect_match "$name selected" "^>$name "
keys Enter
expect "the detail is open" "Detail - $name"
keys .
expect "the menu offers Request consent" "Request consent"
keys c
expect "the purposes are asked for" "a double"
expect "newsletter is offered" "newsletter"
keys Escape
expect "Esc sends nothing" "consent request cancelled: nothing sent"
is "cancel: no opt-in email" "$(optins)" 0
api "$KEY_ana" GET "/contacts/$cid/activities?per_page=100"
is "cancel: no opt_in_requested" "$(jqr '[.activities[] | select(.action_type == "opt_in_requested")] | length')" 0

keys . c n
expect "sent" "opt-in email for newsletter sent to $name"
is "the opt-in email is in the outbox" "$(optins)" 1
expect "the timeline shows the request" "opt-in requested newsletter"
api "$KEY_ana" GET /outbox
body=$(jqr "[.outbox[] | select(.contact_id == $cid and .kind == \"optin\")][0].body")
token=$(printf '%s' "$body" | grep -o '/optin/[A-Za-z0-9_-]*' | head -n 1)
check "the email carries the link" [ -n "$token" ]
code=$(curl -s -o /dev/null -w '%{http_code}' "$ROOT_URL$token")
is "following the link succeeds" "$code" 200
api "$KEY_ana" GET "/contacts/$cid/activities?per_page=100"
is "the server recorded consent through the link" \
	"$(jqr '[.activities[] | select(.action_type == "consent_granted" and .action_data.source == "email_link")] | length')" 1
keys R
expect "the timeline shows the consent" "consent granted newsletter"
expect "through the email link" "via email link"
tui_quit_clean "exits clean"
done_testing
