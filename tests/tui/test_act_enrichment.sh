#!/bin/bash
# Quick action "Clear enriched fields" on one contact: a confirmation (n
# changes nothing on the server), then Facebook, Twitter, LinkedIn and the
# avatar are null at the server and the rest of the record is unchanged.
. "$(dirname "$0")/lib-tmux.sh"

server_start 30
all=$(view_id "All Contacts")
api "$KEY_ana" GET "/contacts/view/$all?sort=first_name&sort_type=asc&page=1&per_page=1"
cid=$(jqr '.contacts[0].id')
name=$(jqr '.contacts[0].display_name')
# What enrichment would have filled, written as it would have.
sqlite3 "$DB" "UPDATE contacts SET facebook = 'fb.example/p$cid', twitter = '@p$cid',
	linkedin = 'li.example/p$cid', avatar = 'https://img.example/$cid.png' WHERE id = $cid"
api "$KEY_ana" GET "/contacts/$cid"
is "the first contact has enriched fields" "$(jqr '.contact.twitter')" "@p$cid"
email=$(jqr '.contact.email')

tui_start
expect_match "the first row is $name" "^>$name "
keys .
expect "the menu offers it" "p  Clear enriched fields"
keys p
expect "the confirmation" "Clear what profile enrichment filled for $name"
keys n
expect "n cancels" "clearing cancelled: nothing changed"
api "$KEY_ana" GET "/contacts/$cid"
is "cancel: the fields stay" "$(jqr '.contact.twitter')" "@p$cid"

keys . p
expect "the confirmation again" "Clear what profile enrichment filled for $name"
keys y
expect "the result" "$name: the enriched fields are cleared"
api "$KEY_ana" GET "/contacts/$cid"
is "the four fields are null at the server" \
	"$(jqr '[.contact.facebook, .contact.twitter, .contact.linkedin, .contact.avatar] | tostring')" \
	"[null,null,null,null]"
is "the rest stays" "$(jqr '.contact.email')" "$email"
api "$KEY_ana" GET "/contacts/$cid/activities?per_page=100"
is "the server recorded it as a quick action" \
	"$(jqr '[.activities[] | select(.action_type == "rectified")][0].action_data.source')" quick_action
tui_quit_clean "exits clean"
done_testing
