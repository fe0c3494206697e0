#!/bin/bash
# Export of one contact: everything the server holds on them (record,
# timeline, notes, calls with recording metadata, chats with messages,
# emails), an `exported` activity afterwards, and the refusals.
. "$(dirname "$0")/../lib.sh"
jqc() { printf "%s" "$BODY_OUT" | jq -c "$1"; }
server_start 30

api "$KEY_ana" GET /users/me
ANA=$(jqr .user.id)
api "$KEY_bruno" GET /users/me
BRUNO=$(jqr .user.id)

api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Export","last_name":"Subject","email":"export.subject@example.org","mobile_number":"+351 910 000 111"}}'
CID=$(jqr .contact.id)
check "a contact to export" test -n "$CID" -a "$CID" != null
api "$KEY_bruno" POST /notes "{\"note\":{\"description\":\"Wants the data sheet\",\"targetable_type\":\"Contact\",\"targetable_id\":$CID}}"
NID=$(jqr .note.id)
api "$KEY_ana" POST /calls "{\"call\":{\"contact_id\":$CID,\"phone_number_id\":1,\"direction\":\"inbound\",\"duration_s\":42,\"note\":\"Asked for a quote\"}}"
CALL=$(jqr .call.id)
api "$KEY_ana" PUT "/contacts/$CID" '{"contact":{"job_title":"Buyer"}}'
is "rectified" "$CODE" 200

# --- refusals ---------------------------------------------------------------
api "" GET "/contacts/$CID/export"
is "no key: 401" "$CODE" 401
api "$KEY_ana" GET "/contacts/4999999999999/export"
is "an absent contact: 404" "$CODE" 404
api "$KEY_ana" DELETE "/contacts/$CID/export"
is "DELETE is not a method of export: 405" "$CODE" 405

api "$KEY_ana" GET "/contacts/$CID"
CONTACT=$(jqc .contact)
api "$KEY_ana" GET "/contacts/$CID/activities?per_page=100"
NACTS=$(jqr '.activities|length')

# --- the export, by an agent -------------------------------------------------
CODE=$(curl -s -o "$TMPD/body" -w '%{http_code}' -H "Authorization: Token token=$KEY_bruno" \
	-H "X-Crm-Source: quick_action" "$BASE/contacts/$CID/export")
BODY_OUT=$(cat "$TMPD/body")
is "bruno exports: 200" "$CODE" 200
is "the parts" "$(jqr '.export|keys|join(",")')" "activities,calls,chats,contact,emails,generated_at,notes"
check "generated_at is an ISO time" test "$(jqr '.export.generated_at|test("^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$")')" = true
is "the contact as GET /contacts/{id} shows it" "$(jqc .export.contact)" "$CONTACT"
is "every activity" "$(jqr '.export.activities|length')" "$NACTS"
is "the activities include the rectification and the call" \
	"$(jqr '[.export.activities[].action_type]|(index("rectified") != null) and (index("call_logged") != null) and (index("note_added") != null)')" true
is "the note with its text" "$(jqr '.export.notes|map([.id,.description])|tostring')" "[[$NID,\"Wants the data sheet\"]]"
is "the call with its note and duration" "$(jqr '.export.calls|map([.id,.note,.duration_s,.direction])|tostring')" \
	"[[$CALL,\"Asked for a quote\",42,\"inbound\"]]"
is "the recording as metadata (id, bytes, consent), not audio" \
	"$(jqr '.export.calls[0].recording|keys|join(",")')" "bytes,consent,id"
is "no chats, no emails" "$(jqr '[(.export.chats|length),(.export.emails|length)]|tostring')" "[0,0]"

api "$KEY_ana" GET "/contacts/$CID/activities?per_page=100"
is "an exported activity afterwards" "$(jqr '.activities|length')" $((NACTS + 1))
is "exported: by bruno, source quick_action" \
	"$(jqr '.activities[0]|[.action_type,.user_id,.action_data.source]|tostring')" \
	"[\"exported\",$BRUNO,\"quick_action\"]"
check "the export activity holds no personal data" \
	bash -c "! printf '%s' '$(jqc .activities[0])' | grep -q 'export.subject'"

# --- a seeded contact with chats and emails -----------------------------------
api "$KEY_ana" GET "/contacts/view/70000000001?per_page=100"
found=
for id in $(jqr '.contacts[].id'); do
	api "$KEY_ana" GET "/contacts/$id/forget_preview"
	if [ "$(jqr '.preview.erase.chats > 0 and .preview.erase.emails > 0')" = true ]; then
		found=$id
		PREVIEW=$BODY_OUT
		break
	fi
done
check "the demo data has a contact with chats and emails" test -n "$found"
api "$KEY_carla" GET "/contacts/$found/export"
is "carla exports it: 200" "$CODE" 200
for k in activities notes calls chats emails; do
	is "export $k: as many as the erasure would remove" "$(jqr ".export.$k|length")" \
		"$(printf '%s' "$PREVIEW" | jq -r ".preview.erase.$k")"
done
is "recordings: as many as the erasure would remove" \
	"$(jqr '[.export.calls[]|select(.recording != null)]|length')" \
	"$(printf '%s' "$PREVIEW" | jq -r .preview.erase.recordings)"
is "each chat carries its messages" "$(jqr '[.export.chats[]|(.messages|type)]|unique|tostring')" '["array"]'
check "the chats hold messages" test "$(jqr '[.export.chats[].messages[]]|length')" -ge 1
is "a message's fields" "$(jqr '.export.chats[0].messages[0]|keys|join(",")')" "at,body,id,sender"
is "an email's fields" "$(jqr '.export.emails[0]|keys|join(",")')" \
	"body,created_at,id,kind,status,subject,to,user_id"
api "$KEY_ana" GET "/contacts/$found"
is "emails go to the contact's addresses" \
	"$(printf '%s' "$BODY_OUT" | jq -r '.contact.email')" "$(api "$KEY_ana" GET "/contacts/$found/export"; jqr '.export.emails[0].to')"

# --- a contact in the Recycle Bin is exported too --------------------------------
api "$KEY_ana" DELETE "/contacts/$CID"
is "soft delete" "$CODE" 200
api "$KEY_ana" GET "/contacts/$CID/export"
is "export from the Recycle Bin: 200" "$CODE $(jqr .export.contact.is_deleted)" "200 true"
api "$KEY_ana" DELETE "/contacts/$CID/forget"
api "$KEY_ana" GET "/contacts/$CID/export"
is "a forgotten contact: 404" "$CODE" 404

done_testing
