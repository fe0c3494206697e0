#!/bin/bash
# Quick action Forget: the erasure preview with its counts, the typed
# confirmation (a wrong text refuses and sends nothing), cancel at each step
# (the contact stays on the server), the receipt with the audit reference,
# nothing left of the contact in the database files, a server gone between
# the preview and the erasure.
. "$(dirname "$0")/lib-tmux.sh"

server_start 30
all=$(view_id "All Contacts")
api "$KEY_ana" GET "/contacts/view/$all?sort=first_name&sort_type=asc&page=1&per_page=1"
cid=$(jqr '.contacts[0].id')
name=$(jqr '.contacts[0].display_name')
email=$(jqr '.contacts[0].email')
api "$KEY_ana" GET "/contacts/$cid/forget_preview"
n_act=$(jqr '.preview.erase.activities')
check "the first contact has an email and timeline entries" test -n "$email" -a "${n_act:-0}" -gt 0

still_there() {
	api "$KEY_ana" GET "/contacts/$cid"
	is "$1" "$CODE" 200
}

tui_start
expect "the list" "All Contacts  1-"
expect_match "the first row is $name" "^>$name "

# step 1, cancelled
keys .
expect "the menu" "Actions: $name"
keys f
expect "step 1: the preview" "Forget: what goes, what stays"
expect "the preview counts the timeline entries" "timeline entries: $n_act"
expect "it says what stays" "Kept:"
keys n
expect "n cancels" "forget cancelled: nothing was erased"
still_there "cancel at step 1: the contact is still on the server"

# step 2, Esc
keys . f
expect "the preview again" "Forget: what goes, what stays"
keys y
expect "step 2: type the email" "type the contact's email"
expect "the email to type is shown" "$email"
keys Escape
expect "Esc cancels the typed confirmation" "forget cancelled: nothing was erased"
still_there "cancel at step 2: the contact is still on the server"

# step 2, wrong text
keys . f
expect "the preview" "Forget: what goes, what stays"
keys y
expect "the typed confirmation" "type the contact's email"
type_text "someone-else@example.com"
keys Enter
expect "a wrong text refuses" "That does not match: nothing was done"
still_there "a wrong text sends nothing"

# the right text
keys C-u
type_text "$email"
keys Enter
expect "the receipt" "Erasure receipt"
expect "it names the actor" "by Ana Souza"
expect "it gives the audit reference" "Audit reference:"
api "$KEY_ana" GET "/audit"
ref=$(jqr '[.audit[] | select(.action == "contact.forget")][0].subject_ref')
check "the audit has the forget entry" test -n "$ref" -a "$ref" != null
expect "the reference is the audit entry's" "${ref:0:40}"
api "$KEY_ana" GET "/contacts/$cid"
is "the contact is gone from the server" "$CODE" 404
keys Enter
expect_gone "Enter closes the receipt" "Erasure receipt"
expect_gone "the row left the list" "$name"
found=0
for f in "$DB" "$DB-wal" "$DB-shm"; do
	[ -e "$f" ] && found=$((found + $(grep -c -a -F -- "$email" "$f")))
done
is "the email is in no database file" "$found" 0

# forgotten elsewhere meanwhile: a second forget counts as done
api "$KEY_ana" GET "/contacts/view/$all?sort=first_name&sort_type=asc&page=1&per_page=1"
cid=$(jqr '.contacts[0].id')
name1=$(jqr '.contacts[0].display_name')
email1=$(jqr '.contacts[0].email')
expect_match "the next contact is selected" "^>$name1 "
keys . f
expect "its preview" "Forget: what goes, what stays"
keys y
expect "the typed confirmation" "type the contact's email"
api "$KEY_ana" DELETE "/contacts/$cid/forget"
is "forgotten by someone else meanwhile" "$CODE" 200
type_text "$email1"
keys Enter
expect "counts as done" "already forgotten on the server"
keys Enter
expect_gone "the receipt closes" "Erasure receipt"
rows=$(screen | grep -c -E "^[ >]$name1 ")
is "that row left the list too" "$rows" 0

# a server gone between the preview and the erasure
api "$KEY_ana" GET "/contacts/view/$all?sort=first_name&sort_type=asc&page=1&per_page=1"
cid=$(jqr '.contacts[0].id')
name2=$(jqr '.contacts[0].display_name')
email2=$(jqr '.contacts[0].email')
expect_match "the next contact is selected" "^>$name2 "
keys . f
expect "its preview" "Forget: what goes, what stays"
keys y
expect "the typed confirmation" "type the contact's email"
server_stop
type_text "$email2"
keys Enter
expect "a clear message" "was not forgotten"
expect "nothing half done" "Nothing was erased"
keys Enter
server_serve
still_there "after the server comes back the contact is whole"
tui_quit_clean "exits clean"
done_testing
