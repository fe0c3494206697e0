#!/bin/bash
# Calls and chats in the detail pane: the contact's calls with note and
# recording (and who recorded the caller's consent), its chats; N deletes the
# selected call's note and X its recording (admin), each asked first (n
# changes nothing); the timeline shows each deletion; T turns the chat events
# timeline off and on. An agent is refused the recording key.
. "$(dirname "$0")/lib-tmux.sh"

server_start 60
all=$(view_id "All Contacts")
api "$KEY_ana" GET "/contacts/view/$all?sort=first_name&sort_type=asc&page=1&per_page=100"
order=$(jqr '[.contacts[].id]')
cid=
for id in $(jqr '.contacts[].id'); do
	api "$KEY_ana" GET "/contacts/$id/chats"
	if [ "$(jqr '.chats | length')" -gt 0 ]; then
		cid=$id
		break
	fi
done
check "a contact with a chat" [ -n "$cid" ]
row=$(printf '%s' "$order" | jq "index($cid)")
api "$KEY_ana" GET "/contacts/$cid"
name=$(jqr .contact.display_name)
api "$KEY_ana" GET "/contacts/$cid/chats"
chat_text=$(jqr '.chats[0].messages[0].body' | cut -c1-30)
# a fresh call with a note and a recording (the number records automatically)
api "$KEY_ana" GET /phone_numbers
num=$(jqr '[.phone_numbers[] | select(.recording == "automatic")][0].id')
api "$KEY_ana" POST /calls "{\"call\":{\"contact_id\":$cid,\"phone_number_id\":$num,\"direction\":\"inbound\",\"duration_s\":95,\"note\":\"Asked about invoice 9931\",\"record\":true}}"
call=$(jqr .call.id)
check "the call is logged" [ -n "$call" ] && [ "$call" != null ]
call_state() { # call_state JQ: of the call, from the server
	api "$KEY_ana" GET "/contacts/$cid/calls"
	jqr "[.calls[] | select(.id == $call)][0] | $1"
}
check "it has a recording" [ "$(call_state '.recording != null')" = true ]

open_contact() {
	expect_match "the list" "^>"
	for ((i = 0; i < row; i++)); do keys j; done
	expect_match "$name selected" "^>$name "
	keys Enter
	expect "the detail" "Detail - $name"
	expect "the detail is loaded" "Ownership"
	# the calls arrive after the contact: G again until the section shows
	for ((i = 0; i < 100; i++)); do
		screen | grep -q "No calls\|Note: " && break
		keys G
		sleep 0.05
	done
	keys G
}

tui_start -x 96 -y 80
open_contact
expect "the Calls section" "Calls  (] next call"
expect "the call's note" "Note: Asked about invoice 9931"
expect_match "the recording with its consent" "Recording: [0-9]+ bytes; consent: "
expect "the Chats section" "Chats  (T turns"
expect "a chat message" "$chat_text"
expect "the events timeline is on" "Events timeline"

# The note: n keeps it.
for ((i = 0; i < 20; i++)); do
	screen | grep -q "> .*inbound, 1m35s" && break
	keys ']'
	sleep 0.05
done
expect_match "the new call is selected" "> .*inbound, 1m35s"
keys N
expect "the note's confirmation" "Delete the note of the call"
keys n
expect "n deletes nothing" "nothing deleted"
is "n: the note is still on the server" "$(call_state .note)" "Asked about invoice 9931"
keys N
expect "the confirmation again" "Delete the note of the call"
keys y
expect "deleted" "call note deleted"
is "the note is gone from the server" "$(call_state .note)" null
expect "the detail says so" "Note: none"
expect "the timeline shows it" "call note deleted"

# The recording.
keys X
expect "the recording's confirmation" "Delete the recording of the call"
keys Escape
expect "Esc deletes nothing" "nothing deleted"
check "Esc: the recording is still on the server" [ "$(call_state '.recording != null')" = true ]
keys X y
expect "recording deleted" "call recording deleted"
is "the recording is gone from the server" "$(call_state .recording)" null
expect "the detail says so" "Recording: none"
api "$KEY_ana" GET "/contacts/$cid/activities?per_page=100"
is "the server's timeline has the deletion" "$(jqr '[.activities[] | select(.action_type == "call_recording_deleted")] | length')" 1

# The chat events timeline.
api "$KEY_ana" GET "/contacts/$cid"
is "the chat events timeline starts on" "$(jqr .contact.chat_events_timeline)" true
keys T
expect "switched" "chat events timeline switched"
expect_match "the detail shows it off" "Events timeline +off"
api "$KEY_ana" GET "/contacts/$cid"
is "off on the server" "$(jqr .contact.chat_events_timeline)" false
keys T
expect_match "and on again" "Events timeline +on"
api "$KEY_ana" GET "/contacts/$cid"
is "on again on the server" "$(jqr .contact.chat_events_timeline)" true
tui_quit_clean "ana exits clean"
tm kill-server 2>/dev/null

# An agent: no recording key.
api "$KEY_ana" POST /calls "{\"call\":{\"contact_id\":$cid,\"phone_number_id\":$num,\"direction\":\"outbound\",\"duration_s\":61,\"note\":\"Second call\",\"record\":true}}"
call=$(jqr .call.id)
TUI_KEY=$KEY_bruno tui_start -x 96 -y 80
api "$KEY_bruno" GET "/contacts/view/$all?sort=first_name&sort_type=asc&page=1&per_page=100"
row=$(jqr "[.contacts[].id] | index($cid)")
open_contact
expect "bruno sees the call" "Note: Second call"
for ((i = 0; i < 20; i++)); do
	screen | grep -q "> .*outbound, 1m01s" && break
	keys ']'
	sleep 0.05
done
keys X
expect "an agent is refused" "only an admin can delete call recordings"
check "the recording stays" [ "$(call_state '.recording != null')" = true ]
tui_quit_clean "bruno exits clean"
done_testing
