#!/bin/bash
# Quick action Delete: a confirmation that also asks whether call notes and
# recordings go for good now; n changes nothing; the contact leaves the list
# for the Recycle Bin, where r restores it.
. "$(dirname "$0")/lib-tmux.sh"

server_start 30
all=$(view_id "All Contacts")
bin=$(view_id "Recycle Bin")
bin_before=$(view_total "$bin")
api "$KEY_ana" GET "/contacts/view/$all?sort=first_name&sort_type=asc&page=1&per_page=2"
cid=$(jqr '.contacts[0].id')
name=$(jqr '.contacts[0].display_name')
second=$(jqr '.contacts[1].display_name')

tui_start
expect_match "the first row is $name" "^>$name "
keys .
expect "the menu" "Actions: $name"
keys d
expect "the confirmation" "Move $name to the Recycle Bin?"
expect "it offers to erase call data now" "erase call notes and recordings for good now"
keys n
expect "n cancels" "delete cancelled: nothing changed"
is "cancel: the Recycle Bin is unchanged" "$(view_total "$bin")" "$bin_before"
api "$KEY_ana" GET "/contacts/$cid"
is "cancel: the contact is not deleted" "$(jqr '.contact.is_deleted')" false

keys . d
expect "the confirmation again" "Move $name to the Recycle Bin?"
keys p
expect "the result" "$name moved to the Recycle Bin; call notes and recordings erased"
is "the Recycle Bin holds one more" "$(view_total "$bin")" $((bin_before + 1))
api "$KEY_ana" GET "/contacts/$cid"
is "the contact is deleted at the server" "$(jqr '.contact.is_deleted')" true
expect_match "the next contact takes its place" "^>$second "
rows=$(screen | grep -c -E "^[ >]$name ")
is "the row left All Contacts" "$rows" 0

keys :
type_text "view recycle"
keys Enter
expect "the Recycle Bin" "Recycle Bin  1-"
# find the row and select it
i=0
while ! screen | grep -q "^>$name " && [ $i -lt 40 ]; do
	keys j
	i=$((i + 1))
	wait_match "^>" 1 >/dev/null
done
expect_match "the deleted contact is selected" "^>$name "
keys .
expect "the menu in the Recycle Bin" "r  Restore"
expect "Delete is dimmed there" "d  Delete  (already in the Recycle Bin)"
keys r
expect "restored" "$name restored from the Recycle Bin"
api "$KEY_ana" GET "/contacts/$cid"
is "the contact is back at the server" "$(jqr '.contact.is_deleted')" false
is "the Recycle Bin is as before" "$(view_total "$bin")" "$bin_before"
tui_quit_clean "exits clean"
done_testing
