#!/bin/bash
# Quick action Send email: subject, body and the "include unsubscribe link"
# box, ticked or not as the account's setting says; Esc sends nothing; the
# outbox holds the email (with the unsubscribe link when ticked) and the
# timeline shows it; to a Do Not Disturb contact it is refused when the
# account blocks such email, and sent with a warning when it only warns.
. "$(dirname "$0")/lib-tmux.sh"

server_start 60
all=$(view_id "All Contacts")
api "$KEY_ana" GET "/contacts/view/$all?sort=first_name&sort_type=asc&page=1&per_page=100"
cid=$(jqr '[.contacts[] | select(.do_not_disturb | not)][0].id')
name=$(jqr "[.contacts[] | select(.id == $cid)][0].display_name")
row=$(jqr "[.contacts[].id] | index($cid)")
dnd_id=$(jqr '[.contacts[] | select(.do_not_disturb)][0].id')
dnd_name=$(jqr "[.contacts[] | select(.id == $dnd_id)][0].display_name")
dnd_row=$(jqr "[.contacts[].id] | index($dnd_id)")
check "a reachable and a DND contact" [ -n "$cid" ] && [ -n "$dnd_id" ]
outbox_count() {
	api "$KEY_ana" GET /outbox
	jqr "[.outbox[] | select(.contact_id == $1 and .kind == \"email\")] | length"
}
sent_before=$(outbox_count "$cid")
api "$KEY_ana" PUT /settings/gdpr '{"settings":{"default_unsubscribe_link":true,"restrict_email_to_dnd":true}}'

go_row() { # go_row N: select row N (0-based) from the top
	keys g
	for ((i = 0; i < $1; i++)); do keys j; done
}

tui_start -x 120 -y 36
expect_match "the list" "^>"
go_row "$row"
expect_match "$name selected" "^>$name "
keys .
expect "the menu offers Send email" "Send email"
keys m
expect "the form" "Send email to $name"
expect "the box is ticked by default (account setting on)" "[x]"
type_text "Cancelled subject"
keys Escape
expect "Esc cancels" "email not sent: nothing changed"
is "cancel: nothing in the outbox" "$(outbox_count "$cid")" "$sent_before"

# Sent with the link.
keys . m
expect "the form again" "Send email to $name"
keys Enter
expect "empty fields are refused at the field" "required"
type_text "Your invoice 3321"
keys Tab
type_text "Hello, here it is."
keys Enter
expect "queued" "email to $name queued"
api "$KEY_ana" GET /outbox
body=$(jqr "[.outbox[] | select(.subject == \"Your invoice 3321\")][0].body")
check "the outbox holds the email" [ -n "$body" ] && [ "$body" != null ]
case "$body" in *"Hello, here it is."*"/u/"*) ok "the body ends with the unsubscribe link" ;; *) not_ok "the body ends with the unsubscribe link" "body: $body" ;; esac
expect "the timeline shows it" "email sent"

# The account's default off: the box starts empty; the email has no link.
api "$KEY_ana" PUT /settings/gdpr '{"settings":{"default_unsubscribe_link":false}}'
keys . m
expect "the form (default off)" "Send email to $name"
expect "the box starts empty" "[ ]"
type_text "No link 4432"
keys Tab
type_text "Plain."
keys Enter
expect "queued again" "email to $name queued"
api "$KEY_ana" GET /outbox
body=$(jqr "[.outbox[] | select(.subject == \"No link 4432\")][0].body")
case "$body" in *"/u/"*) not_ok "no unsubscribe link" "body: $body" ;; Plain.*) ok "no unsubscribe link" ;; *) not_ok "no unsubscribe link" "body: $body" ;; esac

# Do Not Disturb, blocked by the account.
go_row "$dnd_row"
expect_match "$dnd_name selected" "^>$dnd_name "
keys . m
expect "the form for the DND contact" "Send email to $dnd_name"
type_text "Blocked 5543"
keys Tab
type_text "x"
keys Enter
expect "refused, and why" "refused: this contact is on Do Not Disturb and the account blocks email to them"
api "$KEY_ana" GET /outbox
is "nothing queued" "$(jqr '[.outbox[] | select(.subject == "Blocked 5543")] | length')" 0
keys Escape
expect "Esc after the refusal" "email not sent: nothing changed"

# Only a warning when the account allows it.
api "$KEY_ana" PUT /settings/gdpr '{"settings":{"restrict_email_to_dnd":false}}'
keys . m
expect "the form again for the DND contact" "Send email to $dnd_name"
type_text "Warned 6654"
keys Tab
type_text "y"
keys Enter
expect "sent with a warning" "with a warning: do not disturb"
api "$KEY_ana" GET /outbox
is "queued despite DND" "$(jqr '[.outbox[] | select(.subject == "Warned 6654")] | length')" 1
keys Enter
expect_gone "the warning closes" "with a warning"
tui_quit_clean "exits clean"
done_testing
