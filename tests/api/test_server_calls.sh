#!/bin/bash
# Calls and chats of a contact: logging calls under each recording mode, the
# 422 for a manual recording without consent, deleting a call note (anyone)
# and a recording (admin), each on the timeline, the chat list, and the
# per-contact chat_events_timeline flag.
. "$(dirname "$0")/../lib.sh"
server_start 30

api "$KEY_ana" GET /users/me
ANA=$(jqr .user.id)
api "$KEY_bruno" GET /users/me
BRUNO=$(jqr .user.id)
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Caller","last_name":"Person"}}'
CID=$(jqr .contact.id)
call() { printf '{"call":{"contact_id":%s,"phone_number_id":%s,"direction":"%s","duration_s":%s%s}}' "$@"; }

# --- logging calls ------------------------------------------------------------
api "$KEY_bruno" POST /calls "$(call "$CID" 1 inbound 75 ',"note":"Wants a callback"')"
is "automatic number: 200" "$CODE" 200
C1=$(jqr .call.id)
is "the call's fields" "$(jqr '.call|keys|join(",")')" \
	"direction,duration_s,id,note,phone_number_id,recording,started_at,user_id"
is "recorded automatically, no consent needed" "$(jqr '.call.recording|[.bytes,.consent]|tostring')" "[0,null]"
is "by bruno, with its note" "$(jqr '.call|[.user_id,.note,.duration_s,.direction]|tostring')" \
	"[$BRUNO,\"Wants a callback\",75,\"inbound\"]"
api "$KEY_bruno" POST /calls "$(call "$CID" 1 outbound 10 ',"record":false')"
is "automatic number, record false: no recording" "$CODE $(jqr .call.recording)" "200 null"
api "$KEY_bruno" POST /calls "$(call "$CID" 2 outbound 20 ',"record":true')"
is "manual number, record without consent: 422" "$CODE" 422
api "$KEY_bruno" POST /calls "$(call "$CID" 2 outbound 20 ',"record":true,"consent":{"given":false}')"
is "manual number, consent not given: 422" "$CODE" 422
api "$KEY_bruno" POST /calls "$(call "$CID" 2 outbound 20 ',"record":true,"consent":{"given":true},"note":"Consent on tape"')"
is "manual number with consent: 200" "$CODE" 200
C2=$(jqr .call.id)
is "consent stored: who" "$(jqr .call.recording.consent.by_user_id)" "$BRUNO"
check "consent stored: when" test "$(jqr '.call.recording.consent.at|test("Z$")')" = true
api "$KEY_bruno" POST /calls "$(call "$CID" 2 inbound 5 '')"
is "manual number without record: logged, not recorded" "$CODE $(jqr .call.recording)" "200 null"

# A number with recording off: the only way to get one is the database.
sqlite3 "$DB" "INSERT INTO phone_numbers (id, number, recording) VALUES (3, '+1 415 555 0199', 'off')"
api "$KEY_bruno" POST /calls "$(call "$CID" 3 inbound 5 ',"record":true,"consent":{"given":true}')"
is "recording off: logged, never recorded" "$CODE $(jqr .call.recording)" "200 null"

# --- bad input --------------------------------------------------------------------
api "" POST /calls "$(call "$CID" 1 inbound 5 '')"
is "no key: 401" "$CODE" 401
api "$KEY_bruno" POST /calls "$(call 4999999999999 1 inbound 5 '')"
is "an absent contact: 404" "$CODE" 404
api "$KEY_bruno" POST /calls "$(call "$CID" 99 inbound 5 '')"
is "an absent phone number: 404" "$CODE" 404
api "$KEY_bruno" POST /calls "$(call "$CID" 1 sideways 5 '')"
is "a bad direction: 400" "$CODE" 400
api "$KEY_bruno" POST /calls "$(call "$CID" 1 inbound -1 '')"
is "a negative duration: 400" "$CODE" 400
api "$KEY_bruno" POST /calls "$(call "$CID" 1 inbound 5 ',"record":"yes"')"
is "record not a boolean: 400" "$CODE" 400
api "$KEY_bruno" POST /calls '{"call":[]}'
is "call not an object: 400" "$CODE" 400
api "$KEY_bruno" POST /calls '{"call":{"contact_id":1'
is "broken JSON: 400" "$CODE" 400

# --- the list -----------------------------------------------------------------------
api "$KEY_carla" GET "/contacts/$CID/calls"
is "the calls, newest first" "$CODE $(jqr '.calls|length') $(jqr '.calls[-1].id')" "200 5 $C1"
is "two recordings among them" "$(jqr '[.calls[]|select(.recording != null)]|length')" 2
api "$KEY_carla" GET "/contacts/4999999999999/calls"
is "calls of an absent contact: 404" "$CODE" 404
api "" GET "/contacts/$CID/calls"
is "calls without a key: 401" "$CODE" 401
api "$KEY_ana" GET "/contacts/$CID/activities?per_page=100"
is "five call_logged activities" "$(jqr '[.activities[]|select(.action_type=="call_logged")]|length')" 5

# --- deleting a call note --------------------------------------------------------------
api "$KEY_carla" DELETE "/calls/$C1/note"
is "an agent deletes a call note: true" "$CODE $BODY_OUT" "200 true"
api "$KEY_carla" DELETE "/calls/$C1/note"
is "again: 404 (no note left)" "$CODE" 404
api "$KEY_carla" DELETE "/calls/4999999/note"
is "an absent call: 404" "$CODE" 404
api "$KEY_ana" GET "/contacts/$CID/calls"
is "the note is gone, the recording stays" \
	"$(jqr ".calls[]|select(.id==$C1)|[.note,(.recording != null)]|tostring")" "[null,true]"
api "$KEY_ana" GET "/contacts/$CID/activities"
is "call_note_deleted on the timeline, by carla" \
	"$(jqr '.activities[0]|[.action_type,.action_data.call_id]|tostring')" "[\"call_note_deleted\",$C1]"
check "the note's text is nowhere on disk" bash -c "! grep -qa 'Wants a callback' '$DB' '$DB-wal' 2>/dev/null"

# --- deleting a recording ------------------------------------------------------------------
api "$KEY_bruno" DELETE "/calls/$C2/recording"
is "an agent may not delete a recording: 403" "$CODE" 403
api "$KEY_carla" DELETE "/calls/$C2/recording"
is "nor carla (forget permission, not admin): 403" "$CODE" 403
api "$KEY_ana" GET "/contacts/$CID/calls"
is "the recording is still there after the refusals" "$(jqr ".calls[]|select(.id==$C2)|.recording != null")" true
api "$KEY_ana" DELETE "/calls/$C2/recording"
is "ana deletes it: true" "$CODE $BODY_OUT" "200 true"
api "$KEY_ana" DELETE "/calls/$C2/recording"
is "again: 404" "$CODE" 404
api "$KEY_ana" GET "/contacts/$CID/calls"
is "the call stays, without recording" "$(jqr ".calls[]|select(.id==$C2)|[.recording,.note]|tostring")" \
	'[null,"Consent on tape"]'
api "$KEY_ana" GET "/contacts/$CID/activities"
is "call_recording_deleted on the timeline, by ana" \
	"$(jqr '.activities[0]|[.action_type,.user_id,.action_data.call_id]|tostring')" \
	"[\"call_recording_deleted\",$ANA,$C2]"

# --- chats ------------------------------------------------------------------------------------
api "$KEY_bruno" GET "/contacts/$CID/chats"
is "a contact without chats: empty list" "$CODE $(jqr '.chats|length')" "200 0"
api "$KEY_bruno" GET "/contacts/4999999999999/chats"
is "chats of an absent contact: 404" "$CODE" 404
api "$KEY_ana" GET "/contacts/view/70000000001?per_page=100"
found=
for id in $(jqr '.contacts[].id'); do
	api "$KEY_bruno" GET "/contacts/$id/chats"
	[ "$(jqr '.chats|length')" -gt 0 ] && found=$id && break
done
check "a seeded contact has chats" test -n "$found"
is "a chat's fields" "$(jqr '.chats[0]|keys|join(",")')" "id,messages,started_at,visitor_ip"
check "with messages, oldest first" test "$(jqr '.chats[0].messages|(length > 0) and (map(.at) == (map(.at)|sort))')" = true
is "senders are visitor or agent" "$(jqr '[.chats[].messages[].sender]|all(. == "visitor" or . == "agent")')" true

# --- the chat events timeline flag ------------------------------------------------------------
api "$KEY_bruno" PUT "/contacts/$found" '{"contact":{"chat_events_timeline":false}}'
is "turn the chat events timeline off" "$CODE $(jqr .contact.chat_events_timeline)" "200 false"
api "$KEY_bruno" GET "/contacts/$found"
is "it stays off" "$(jqr .contact.chat_events_timeline)" false
api "$KEY_bruno" PUT "/contacts/$found" '{"contact":{"chat_events_timeline":"no"}}'
is "not a boolean: 400" "$CODE" 400

done_testing
