#!/bin/bash
# crm-server notes: add (note_added on the timeline, without the text), read
# through include=notes, change and delete by their author or an admin only.
. "$(dirname "$0")/../lib.sh"
server_start 10

api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Noted","last_name":"Person"}}'
CID=$(jqr .contact.id)
note() { printf '{"note":{"description":%s,"targetable_type":"Contact","targetable_id":%s}}' "$1" "$2"; }

api "$KEY_bruno" POST /notes "$(note '"Prefers calls after 3pm; ask about the Q3 order."' "$CID")"
is "adding a note answers it" "$CODE" 200
NID=$(jqr .note.id)
BRUNO=$(api "$KEY_bruno" GET /users/me >/dev/null; jqr .user.id)
api "$KEY_bruno" POST /notes "$(note '"x"' "$CID")"
is "the note carries its fields" "$(jqr '.note|keys|join(",")')" \
	"created_at,description,id,targetable_id,targetable_type,updated_at,user_id"
X=$(jqr .note.id)
api "$KEY_ana" GET "/contacts/$CID?include=notes"
is "include=notes lists the notes, newest first" "$(jqr '[.notes[].id]|tostring')" "[$X,$NID]"
is "the note keeps its text and author" "$(jqr "[.notes[]|select(.id==$NID)|.description,.user_id]|tostring")" \
	"[\"Prefers calls after 3pm; ask about the Q3 order.\",$BRUNO]"
api "$KEY_ana" GET "/contacts/$CID/activities"
is "each note recorded note_added, naming the note" \
	"$(jqr '[.activities[]|select(.action_type=="note_added")|.action_data.note_id]|sort|tostring')" "[$NID,$X]"
check "the timeline holds no note text" bash -c "! printf '%s' '$BODY_OUT' | grep -q 'Prefers calls'"

api "$KEY_bruno" PUT "/notes/$NID" '{"note":{"description":"Prefers calls after 4pm."}}'
is "the author changes the note" "$CODE $(jqr .note.description)" "200 Prefers calls after 4pm."
api "$KEY_carla" PUT "/notes/$NID" '{"note":{"description":"mine now"}}'
is "another agent may not change it: 403" "$CODE" 403
api "$KEY_carla" DELETE "/notes/$NID"
is "another agent may not delete it: 403" "$CODE" 403
api "$KEY_ana" PUT "/notes/$NID" '{"note":{"description":"Checked by an admin."}}'
is "an admin may change it" "$CODE $(jqr .note.description)" "200 Checked by an admin."

api "$KEY_bruno" POST /notes "$(note '""' "$CID")"
is "an empty description: 400" "$CODE" 400
api "$KEY_bruno" POST /notes "$(note '"   "' "$CID")"
is "a blank description: 400" "$CODE" 400
api "$KEY_bruno" POST /notes "$(note '42' "$CID")"
is "a number for the description: 400" "$CODE" 400
api "$KEY_bruno" POST /notes "{\"note\":{\"description\":\"$(printf 'n%.0s' {1..10001})\",\"targetable_type\":\"Contact\",\"targetable_id\":$CID}}"
is "a description over 10000 characters: 400" "$CODE" 400
api "$KEY_bruno" POST /notes "{\"note\":{\"description\":\"x\",\"targetable_type\":\"Deal\",\"targetable_id\":$CID}}"
is "a note on another type: 400" "$CODE" 400
api "$KEY_bruno" POST /notes '{"note":{"description":"x","targetable_type":"Contact"}}'
is "a note without targetable_id: 400" "$CODE" 400
api "$KEY_bruno" POST /notes "$(note '"x"' 999999999)"
is "a note on no contact: 404" "$CODE" 404
api "$KEY_bruno" POST /notes "$(note '"x"' "\"$CID\"")"
is "targetable_id as a string of digits is accepted" "$CODE" 200
api "$KEY_bruno" POST /notes '{"description":"x"}'
is "no note object: 400" "$CODE" 400
api "$KEY_bruno" PUT /notes/999999999 '{"note":{"description":"x"}}'
is "changing no note: 404" "$CODE" 404

api "$KEY_ana" DELETE "/contacts/$CID"
api "$KEY_bruno" POST /notes "$(note '"x"' "$CID")"
is "a note on a Recycle Bin contact: 409" "$CODE" 409
api "$KEY_ana" POST "/contacts/$CID/restore"

api "$KEY_bruno" DELETE "/notes/$X"
is "the author deletes a note" "$CODE $BODY_OUT" "200 true"
api "$KEY_bruno" DELETE "/notes/$X"
is "deleting it again: 404" "$CODE" 404
api "$KEY_ana" GET "/contacts/$CID?include=notes"
is "the deleted note is gone from the contact" "$(jqr "[.notes[].id]|index($X)")" null

done_testing
