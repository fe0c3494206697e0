#!/bin/bash
# Quick action Unsubscribe: a confirmation (n changes nothing on the server),
# then Do Not Disturb on, unsubscribed, no purposes; the timeline shows the
# entry at once, as a quick action by the user.
. "$(dirname "$0")/lib-tmux.sh"

server_start 30
all=$(view_id "All Contacts")
api "$KEY_ana" GET "/contacts/view/$all?sort=first_name&sort_type=asc&page=1&per_page=1"
cid=$(jqr '.contacts[0].id')
name=$(jqr '.contacts[0].display_name')
api "$KEY_ana" GET "/contacts/$cid"
before=$(jqr '.contact.subscription_status')
check "the first contact is subscribed" test "$before" = 1
before_dnd=$(jqr '.contact.do_not_disturb')

tui_start
expect_match "the first row is $name" "^>$name "
keys .
expect "the menu" "Actions: $name"
keys u
expect "the confirmation" "Unsubscribe $name"
expect "it says what changes" "Do Not Disturb goes on"
keys n
expect "n cancels" "unsubscribe cancelled: nothing changed"
api "$KEY_ana" GET "/contacts/$cid"
is "cancel: still subscribed on the server" "$(jqr '.contact.subscription_status')" "$before"
is "cancel: DND unchanged" "$(jqr '.contact.do_not_disturb')" "$before_dnd"

keys . u
expect "the confirmation again" "Unsubscribe $name"
keys y
expect "the result" "$name is unsubscribed (Do Not Disturb on)"
api "$KEY_ana" GET "/contacts/$cid"
is "DND on at the server" "$(jqr '.contact.do_not_disturb')" true
is "unsubscribed at the server" "$(jqr '.contact.subscription_status')" 0
is "no purposes left" "$(jqr '.contact.subscription_types | length')" 0
api "$KEY_ana" GET "/contacts/$cid/activities?per_page=100"
is "the server recorded it as a quick action" \
	"$(jqr '[.activities[] | select(.action_type == "unsubscribed")][0].action_data.source')" quick_action
is "by ana" "$(jqr '[.activities[] | select(.action_type == "unsubscribed")][0].user_id')" 1
expect_match "the timeline shows the entry" "unsubscribed"
expect "with how and who" "via quick action, by Ana Souza"
expect_match "the row shows DND" "^>$name .*DND"
check "no resubscribe entry is offered" sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t t | grep -qi resubscribe"
tui_quit_clean "exits clean"
done_testing
