#!/bin/bash
# crm-server contacts: create, read (every field of API.md section 2),
# change with a rectified timeline entry, soft delete, restore, bulk delete,
# forget, and the side-loads of GET /contacts/{id}.
. "$(dirname "$0")/../lib.sh"
server_start 30

# The fields a contact carries, sorted (API.md section 2).
FIELDS='address,avatar,chat_events_timeline,city,country,created_at,custom_field,department,display_name,do_not_disturb,email,emails,facebook,first_name,id,is_deleted,job_title,last_name,last_seen_ip,lead_score,linkedin,mobile_number,owner_id,sales_account_id,state,subscription_status,subscription_types,tags,time_zone,twitter,unsubscription_reason,updated_at,work_number,zipcode'

# --- create -----------------------------------------------------------------
api "$KEY_bruno" POST /contacts '{"contact":{"first_name":"Élodie","last_name":"Marchetti",
  "email":"elodie.marchetti@example.org","mobile_number":"+33 6 12 34 56 78",
  "job_title":"Buyer","subscription_types":["newsletter"],"tags":["vip","emea"],
  "custom_field":{"cf_segment":"SMB","cf_score":7},"lead_score":42,"id":123,"is_deleted":true}}'
is "create answers 200" "$CODE" 200
ID=$(jqr .contact.id)
is "the contact JSON has exactly the API.md fields" "$(jqr '.contact|keys|join(",")')" "$FIELDS"
check "new ids exceed 32 bits" test "$ID" -gt 4294967295
is "first_name stored as sent (UTF-8)" "$(jqr .contact.first_name)" "Élodie"
is "display_name joins the names" "$(jqr .contact.display_name)" "Élodie Marchetti"
is "email is the primary address" "$(jqr .contact.email)" "elodie.marchetti@example.org"
is "emails holds one primary entry" "$(jqr '.contact.emails|map([.value,.is_primary])|tostring')" \
	'[["elodie.marchetti@example.org",true]]'
is "subscription_types from the subscriptions table" "$(jqr '.contact.subscription_types|tostring')" '["newsletter"]'
is "tags kept in order" "$(jqr '.contact.tags|tostring')" '["vip","emea"]'
is "custom_field kept with its types" "$(jqr '.contact.custom_field|tostring')" '{"cf_segment":"SMB","cf_score":7}'
is "the creator owns a new contact" "$(jqr .contact.owner_id)" "$(api "$KEY_bruno" GET /users/me >/dev/null; jqr .user.id)"
api "$KEY_bruno" GET "/contacts/$ID"
is "read-only id in the body is ignored" "$(jqr .contact.id)" "$ID"
is "read-only is_deleted in the body is ignored" "$(jqr .contact.is_deleted)" "false"
is "lead_score stored" "$(jqr .contact.lead_score)" "42"
is "subscription_status defaults to 2 (not set)" "$(jqr .contact.subscription_status)" "2"
is "chat_events_timeline defaults to true" "$(jqr .contact.chat_events_timeline)" "true"
is "last_seen_ip is null" "$(jqr .contact.last_seen_ip)" "null"
check "created_at is ISO-8601 UTC" bash -c "[[ '$(jqr .contact.created_at)' =~ ^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z$ ]]"
api "$KEY_bruno" GET "/contacts/$ID/activities"
is "create records a created activity with the source" \
	"$(jqr '[.activities[]|select(.action_type=="created")|.action_data.source]|tostring')" '["api"]'
is "create records consent for each subscription type" \
	"$(jqr '[.activities[]|select(.action_type=="consent_granted")|.action_data.purpose]|tostring')" '["newsletter"]'

api "$KEY_ana" POST /contacts '{"contact":{"email":"only.an.address@example.net"}}'
is "an email alone is enough" "$CODE" 200
is "display_name falls back to the email" "$(jqr .contact.display_name)" "only.an.address@example.net"

# --- validation ------------------------------------------------------------
api "$KEY_ana" POST /contacts '{"contact":{"job_title":"Nameless"}}'
is "no name and no email: 400" "$CODE" 400
is "... says what is required" "$(jqr '.errors.message[0]')" "first_name, last_name or email is required."
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"A","email":"not an email"}}'
is "bad email syntax: 400" "$CODE" 400
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"A","email":"a@@example.com"}}'
is "two @: 400" "$CODE" 400
api "$KEY_ana" POST /contacts "{\"contact\":{\"first_name\":\"$(printf 'x%.0s' {1..256})\"}}"
is "first_name over 255 characters: 400" "$CODE" 400
is "... names the field" "$(jqr '.errors.message[0]')" "first_name is longer than 255 characters."
api "$KEY_ana" POST /contacts "{\"contact\":{\"first_name\":\"$(printf 'é%.0s' {1..255})\"}}"
is "255 two-byte characters are within the bound" "$CODE" 200
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"A","mobile_number":"call me maybe"}}'
is "phone with letters: 400" "$CODE" 400
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"A","owner_id":999999}}'
is "owner_id of no user: 400" "$CODE" 400
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"A","sales_account_id":999999}}'
is "sales_account_id of no company: 400" "$CODE" 400
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"A","subscription_status":7}}'
is "subscription_status out of range: 400" "$CODE" 400
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"A","custom_field":{"segment":"x"}}}'
is "custom field key without cf_: 400" "$CODE" 400
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"A","email":"ELODIE.marchetti@example.org"}}'
is "an address another contact holds: 409" "$CODE" 409
api "$KEY_ana" POST /contacts '{"person":{"first_name":"A"}}'
is "no contact object: 400" "$CODE" 400

# --- update ------------------------------------------------------------------
api "$KEY_ana" GET "/contacts/$ID"
BEFORE=$(jqr .contact)
api "$KEY_ana" PUT "/contacts/$ID" '{"contact":{"job_title":"Head of Buying","first_name":"Élodie","nickname":"x"}}'
is "PUT answers 200" "$CODE" 200
is "the field sent changed" "$(jqr .contact.job_title)" "Head of Buying"
is "fields not sent stay" "$(jqr .contact.mobile_number)" "+33 6 12 34 56 78"
is "tags not sent stay" "$(jqr '.contact.tags|tostring')" '["vip","emea"]'
api "$KEY_ana" GET "/contacts/$ID/activities"
is "one rectified activity names only the changed field" \
	"$(jqr '[.activities[]|select(.action_type=="rectified")|.action_data.fields]|tostring')" '[["job_title"]]'
check "the rectified activity holds no value" bash -c "! printf '%s' '$BODY_OUT' | grep -q 'Head of Buying'"
is "rectified is recorded by the caller" \
	"$(jqr '[.activities[]|select(.action_type=="rectified")|.user_id]|tostring')" "[$(api "$KEY_ana" GET /users/me >/dev/null; jqr .user.id)]"

CARLA_ID=$(api "$KEY_carla" GET /users/me >/dev/null; jqr .user.id)
curl -s -o "$TMPD/put" -X PUT -H "Authorization: Token token=$KEY_carla" -H 'Content-Type: application/json' \
	-H 'X-Crm-Source: quick_action' --data-binary "{\"contact\":{\"email\":\"elodie@newmail.example\",\"do_not_disturb\":true,\"owner_id\":$CARLA_ID}}" \
	"$BASE/contacts/$ID"
is "email changed" "$(jq -r .contact.email "$TMPD/put")" "elodie@newmail.example"
is "the primary entry of emails follows" "$(jq -r '.contact.emails[0].value' "$TMPD/put")" "elodie@newmail.example"
is "owner changed" "$(jq -r .contact.owner_id "$TMPD/put")" "$CARLA_ID"
api "$KEY_ana" GET "/contacts/$ID/activities"
is "second rectified names its fields and the X-Crm-Source" \
	"$(jqr '[.activities[]|select(.action_type=="rectified")][0]|[.action_data.source,(.action_data.fields|sort|join(","))]|tostring')" \
	'["quick_action","do_not_disturb,email,owner_id"]'
check "no activity holds the old or new address" bash -c "! printf '%s' '$BODY_OUT' | grep -q 'elodie'"
is "owner change recorded as owner_changed" \
	"$(jqr "[.activities[]|select(.action_type==\"owner_changed\")][0].action_data.to_user_id")" "$CARLA_ID"
is "DND on recorded as unsubscribed" \
	"$(jqr '[.activities[]|select(.action_type=="unsubscribed")][0].action_data.source')" "quick_action"
curl -s -o "$TMPD/put" -X PUT -H "Authorization: Token token=$KEY_ana" -H 'Content-Type: application/json' \
	-H 'X-Crm-Source: hacker' --data-binary '{"contact":{"city":"Lyon"}}' "$BASE/contacts/$ID"
api "$KEY_ana" GET "/contacts/$ID/activities"
is "an unknown X-Crm-Source is recorded as api" \
	"$(jqr '[.activities[]|select(.action_type=="rectified")][0].action_data.source')" "api"
N_ACT=$(jqr .meta.total)
api "$KEY_ana" PUT "/contacts/$ID" '{"contact":{"city":"Lyon"}}'
api "$KEY_ana" GET "/contacts/$ID/activities"
is "a PUT that changes nothing records nothing" "$(jqr .meta.total)" "$N_ACT"
api "$KEY_ana" PUT "/contacts/$ID" '{"contact":{"city":null,"tags":[],"custom_field":{"cf_score":null}}}'
is "null clears a field" "$(jqr .contact.city)" "null"
is "an empty array clears tags" "$(jqr '.contact.tags|length')" "0"
is "a null custom field key is removed, others stay" "$(jqr '.contact.custom_field|tostring')" '{"cf_segment":"SMB"}'
api "$KEY_ana" PUT "/contacts/$ID" '{"contact":{"first_name":null,"last_name":null,"email":null}}'
is "removing every name and address: 400" "$CODE" 400
api "$KEY_ana" PUT "/contacts/$ID" '{"contact":{"lead_score":"high"}}'
is "wrong type: 400" "$CODE" 400
api "$KEY_ana" PUT /contacts/999999999 '{"contact":{"city":"X"}}'
is "PUT of no contact: 404" "$CODE" 404

# --- side-loads ----------------------------------------------------------------
api "$KEY_ana" GET "/contacts/$ID?include=owner,notes"
is "include=owner side-loads the owner" "$(jqr '.users|map(.id)|tostring')" "[$CARLA_ID]"
is "include=notes side-loads notes" "$(jqr '.notes|type')" "array"
api "$KEY_ana" GET "/contacts/$ID"
is "no include, no side-loads" "$(jqr 'has("users") or has("notes")')" "false"
api "$KEY_ana" GET /sales_accounts/view/70000000101
COMPANY=$(jqr '.sales_accounts[0].id')
api "$KEY_ana" PUT "/contacts/$ID" "{\"contact\":{\"sales_account_id\":$COMPANY}}"
api "$KEY_ana" GET "/contacts/$ID?include=sales_accounts"
is "include=sales_accounts side-loads the company" "$(jqr '.sales_accounts[0].id')" "$COMPANY"

# --- delete, restore, bulk -----------------------------------------------------
api "$KEY_ana" GET /contacts/view/70000000001
LIVE=$(jqr .meta.total)
api "$KEY_ana" DELETE "/contacts/$ID"
is "DELETE answers true" "$CODE $BODY_OUT" "200 true"
api "$KEY_ana" GET "/contacts/$ID"
is "a deleted contact reads with is_deleted" "$(jqr .contact.is_deleted)" "true"
api "$KEY_ana" GET /contacts/view/70000000001
is "it left All Contacts" "$(jqr .meta.total)" "$((LIVE - 1))"
api "$KEY_ana" GET /contacts/view/70000000004
is "it is in the Recycle Bin" "$(jqr "[.contacts[].id]|index($ID) != null")" "true"
api "$KEY_ana" DELETE "/contacts/$ID"
is "deleting it again: 404" "$CODE" 404
api "$KEY_ana" PUT "/contacts/$ID" '{"contact":{"city":"X"}}'
is "editing a Recycle Bin contact: 409" "$CODE" 409
api "$KEY_ana" POST "/contacts/$ID/restore"
is "restore answers the contact" "$CODE $(jqr .contact.is_deleted)" "200 false"
api "$KEY_ana" GET "/contacts/$ID/activities"
is "restore recorded" "$(jqr '[.activities[]|select(.action_type=="restored")]|length')" "1"
api "$KEY_ana" POST "/contacts/$ID/restore"
is "restoring a live contact: 409" "$CODE" 409
api "$KEY_ana" DELETE "/contacts/$ID?purge_call_data=maybe"
is "purge_call_data must be true or false" "$CODE" 400
api "$KEY_ana" DELETE "/contacts/$ID?purge_call_data=true"
is "soft delete with purge_call_data" "$CODE $BODY_OUT" "200 true"
api "$KEY_ana" POST "/contacts/$ID/restore"

api "$KEY_ana" GET "/contacts/view/70000000001?per_page=3&sort=created_at&sort_type=asc"
BULK=$(jqr '[.contacts[].id]|map(tostring)|join(",")')
api "$KEY_ana" POST /contacts/bulk_destroy "{\"selected_ids\":[${BULK%%,*},\"${BULK#*,}\",999999999]}"
is "bulk_destroy with an id that is not digits: 400" "$CODE" 400
IFS=, read -r B1 B2 B3 <<<"$BULK"
api "$KEY_ana" POST /contacts/bulk_destroy "{\"selected_ids\":[$B1,\"$B2\",$B3,999999999]}"
is "bulk_destroy soft-deletes each (ids as numbers or strings)" "$CODE $(jqr .message)" \
	"200 3 contacts moved to the Recycle Bin."
api "$KEY_ana" GET "/contacts/$B2"
is "... into the Recycle Bin" "$(jqr .contact.is_deleted)" "true"
api "$KEY_ana" POST /contacts/bulk_destroy '{"selected_ids":[]}'
is "bulk_destroy of nothing: 400" "$CODE" 400
api "$KEY_ana" POST /contacts/bulk_destroy '{"selected_ids":"1,2"}'
is "bulk_destroy needs an array" "$CODE" 400

# --- forget --------------------------------------------------------------------
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Forget","last_name":"Me","email":"forget.me@example.com"}}'
FID=$(jqr .contact.id)
api "$KEY_carla" DELETE "/contacts/$FID/forget"
is "forget answers true" "$CODE $BODY_OUT" "200 true"
api "$KEY_ana" GET "/contacts/$FID"
is "a forgotten contact is gone: 404" "$CODE" 404
api "$KEY_ana" DELETE "/contacts/$FID/forget"
is "forgetting it again: 404" "$CODE" 404
api "$KEY_ana" POST "/contacts/$FID/restore"
is "restoring it: 404" "$CODE" 404
api "$KEY_ana" GET "/contacts/$FID/activities"
is "its timeline is gone: 404" "$CODE" 404
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"After"}}'
check "a forgotten contact's id is never given again" test "$(jqr .contact.id)" -gt "$FID"
api "$KEY_ana" GET /contacts/999999999
is "GET of no contact: 404 with the envelope" "$CODE $(jqr .errors.code)" "404 404"

done_testing
