#!/bin/bash
# The erasure preview: who may ask for it, what it counts, that it changes
# nothing, and that its numbers are what the forget then reports in /audit.
. "$(dirname "$0")/../lib.sh"
server_start 20

api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Preview","last_name":"Subject","email":"preview.subject@example.org","subscription_types":["newsletter","product_updates"]}}'
CID=$(jqr .contact.id)
check "a contact to preview" test -n "$CID" -a "$CID" != null
for t in "First note" "Second note"; do
	api "$KEY_bruno" POST /notes "{\"note\":{\"description\":\"$t\",\"targetable_type\":\"Contact\",\"targetable_id\":$CID}}"
done
is "two notes added" "$CODE" 200
api "$KEY_ana" POST /calls "{\"call\":{\"contact_id\":$CID,\"phone_number_id\":1,\"direction\":\"inbound\",\"duration_s\":60,\"note\":\"Called about the invoice\"}}"
is "a recorded call (automatic number)" "$CODE $(jqr '.call.recording != null')" "200 true"
api "$KEY_ana" POST /calls "{\"call\":{\"contact_id\":$CID,\"phone_number_id\":2,\"direction\":\"outbound\",\"duration_s\":30}}"
is "a call without recording (manual number, no record)" "$CODE $(jqr '.call.recording')" "200 null"

# A company with deals, to see what stays.
api "$KEY_ana" GET "/sales_accounts/view/70000000101?per_page=100"
COMPANY=$(jqr '.sales_accounts[0].id')
COMPANY_NAME=$(jqr '.sales_accounts[0].name')
api "$KEY_ana" PUT "/contacts/$CID" "{\"contact\":{\"sales_account_id\":$COMPANY}}"
is "linked to a company" "$CODE $(jqr .contact.sales_account_id)" "200 $COMPANY"

api "$KEY_ana" GET "/contacts/$CID/activities?per_page=100"
ACTS=$(jqr '.activities|length')

# --- refusals ---------------------------------------------------------------
api "" GET "/contacts/$CID/forget_preview"
is "no key: 401" "$CODE" 401
api "$KEY_bruno" GET "/contacts/$CID/forget_preview"
is "bruno (no forget permission): 403" "$CODE" 403
api "$KEY_ana" GET "/contacts/4999999999999/forget_preview"
is "an absent contact: 404" "$CODE" 404
api "$KEY_ana" POST "/contacts/$CID/forget_preview"
is "POST is not a method of the preview: 405" "$CODE" 405

# --- the preview ------------------------------------------------------------
api "$KEY_carla" GET "/contacts/$CID/forget_preview"
is "carla (forget permission): 200" "$CODE" 200
api "$KEY_ana" GET "/contacts/$CID/forget_preview"
is "ana: 200" "$CODE" 200
PREVIEW=$BODY_OUT
is "erase: the shape" "$(jqr '.preview.erase|keys|join(",")')" \
	"activities,calls,chats,emails,notes,recordings,subscriptions"
is "erase: every activity" "$(jqr .preview.erase.activities)" "$ACTS"
is "erase: two notes" "$(jqr .preview.erase.notes)" 2
is "erase: two calls" "$(jqr .preview.erase.calls)" 2
is "erase: one recording" "$(jqr .preview.erase.recordings)" 1
is "erase: no chats" "$(jqr .preview.erase.chats)" 0
is "erase: no emails" "$(jqr .preview.erase.emails)" 0
is "erase: two subscriptions" "$(jqr .preview.erase.subscriptions)" 2
is "keep: the company" "$(jqr '.preview.keep.company|[.id,.name]|tostring')" \
	"$(jq -nc --argjson i "$COMPANY" --arg n "$COMPANY_NAME" '[$i,$n]')"
check "keep: a count of deals" test "$(jqr '.preview.keep.deals|type')" = number

# --- nothing changed --------------------------------------------------------
api "$KEY_ana" GET "/contacts/$CID"
is "the contact is still there" "$CODE $(jqr .contact.email)" "200 preview.subject@example.org"
api "$KEY_ana" GET "/contacts/$CID/activities?per_page=100"
is "no activity added by the preview" "$(jqr '.activities|length')" "$ACTS"
api "$KEY_ana" GET /audit
is "no audit entry from a preview" "$(jqr '[.audit[]|select(.action=="contact.forget")]|length')" 0

# --- the forget reports the same numbers ------------------------------------
api "$KEY_ana" DELETE "/contacts/$CID/forget"
is "the forget: 200" "$CODE" 200
api "$KEY_ana" GET /audit
COUNTS=$(jqr '[.audit[]|select(.action=="contact.forget")][0].counts')
for k in activities notes calls recordings chats emails subscriptions; do
	is "audit $k equals the preview" "$(printf '%s' "$COUNTS" | jq -r ".$k")" \
		"$(printf '%s' "$PREVIEW" | jq -r ".preview.erase.$k")"
done
is "audit deals_kept equals the preview" "$(printf '%s' "$COUNTS" | jq -r .deals_kept)" \
	"$(printf '%s' "$PREVIEW" | jq -r .preview.keep.deals)"
api "$KEY_ana" GET "/contacts/$CID/forget_preview"
is "after the forget, the preview: 404" "$CODE" 404
api "$KEY_ana" GET "/sales_accounts/$COMPANY"
is "the company stays" "$CODE" 200

# --- a contact without company ------------------------------------------------
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Lonely"}}'
api "$KEY_carla" GET "/contacts/$(jqr .contact.id)/forget_preview"
is "no company: keep.company is null, no deals" "$CODE $(jqr '.preview.keep|[.company,.deals]|tostring')" "200 [null,0]"

# --- the Unsubscribe quick action ---------------------------------------------
api "$KEY_bruno" GET /users/me
BRUNO=$(jqr .user.id)
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Quiet","email":"quiet.please@example.org","subscription_status":1,"subscription_types":["newsletter","events"]}}'
QID=$(jqr .contact.id)
unsub='{"contact":{"do_not_disturb":true,"subscription_status":0,"subscription_types":[]}}'
CODE=$(curl -s -o "$TMPD/body" -w '%{http_code}' -X PUT -H "Authorization: Token token=$KEY_bruno" \
	-H "X-Crm-Source: quick_action" -H "Content-Type: application/json" --data-binary "$unsub" "$BASE/contacts/$QID")
BODY_OUT=$(cat "$TMPD/body")
is "unsubscribe (an agent): 200" "$CODE" 200
is "DND on, unsubscribed from every purpose" \
	"$(jqr '.contact|[.do_not_disturb,.subscription_status,.subscription_types]|tostring')" '[true,0,[]]'
api "$KEY_ana" GET "/contacts/$QID"
is "the contact stays so" "$(jqr '.contact|[.do_not_disturb,.subscription_status,(.subscription_types|length)]|tostring')" '[true,0,0]'
api "$KEY_ana" GET "/contacts/$QID/activities?per_page=100"
is "an unsubscribed activity: quick_action, by bruno, the purposes removed" \
	"$(jqr '[.activities[]|select(.action_type=="unsubscribed")][0]|[.user_id,.action_data.source,(.action_data.purposes|sort)]|tostring')" \
	"[$BRUNO,\"quick_action\",[\"events\",\"newsletter\"]]"
is "a consent_withdrawn for each purpose" \
	"$(jqr '[.activities[]|select(.action_type=="consent_withdrawn")|.action_data.purpose]|sort|tostring')" '["events","newsletter"]'
api "$KEY_ana" GET "/contacts/view/70000000003?per_page=100"
is "it shows in the Do Not Disturb view" "$(jqr "[.contacts[].id]|index($QID) != null")" true

# --- a seeded contact with chats, emails and recordings: preview against audit --
api "$KEY_ana" GET "/contacts/view/70000000001?per_page=100"
found=
for id in $(jqr '.contacts[].id'); do
	api "$KEY_carla" GET "/contacts/$id/forget_preview"
	if [ "$(jqr '.preview.erase|(.chats > 0 and .emails > 0 and .recordings > 0)')" = true ]; then
		found=$id
		PREVIEW=$BODY_OUT
		break
	fi
done
check "the demo data has a contact with chats, emails and recordings" test -n "$found"
api "$KEY_carla" DELETE "/contacts/$found/forget"
is "carla forgets it" "$CODE" 200
api "$KEY_ana" GET /audit
COUNTS=$(jqr '[.audit[]|select(.action=="contact.forget")][0].counts')
is "the newest forget entry names carla" \
	"$(jqr '[.audit[]|select(.action=="contact.forget")][0].actor_user_id')" \
	"$(api "$KEY_carla" GET /users/me; jqr .user.id)"
for k in activities notes calls recordings chats emails subscriptions; do
	is "seeded contact: audit $k equals the preview" "$(printf '%s' "$COUNTS" | jq -r ".$k")" \
		"$(printf '%s' "$PREVIEW" | jq -r ".preview.erase.$k")"
done
is "seeded contact: deals kept as previewed" "$(printf '%s' "$COUNTS" | jq -r .deals_kept)" \
	"$(printf '%s' "$PREVIEW" | jq -r .preview.keep.deals)"
is "seeded contact: a company kept when the preview showed one" \
	"$(printf '%s' "$COUNTS" | jq -r .companies_kept)" \
	"$(printf '%s' "$PREVIEW" | jq -r 'if .preview.keep.company == null then 0 else 1 end')"

done_testing
