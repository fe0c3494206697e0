#!/bin/bash
# User administration over HTTP: permissions, activation, deletion with the
# transfer of records, the refusals (401, 403, 404, 409, 400), the last-admin
# rule, audit entries without personal data, and the deleted user's name and
# email gone from the database files.
. "$(dirname "$0")/../lib.sh"
server_start 60

ALL=70000000001 MINE=70000000002
api "$KEY_ana" GET /users
is "three users" "$(jqr '[.users[]|.email]|join(",")')" \
	"ana@acme.example.com,bruno@acme.example.com,carla@acme.example.com"
ANA=$(jqr '.users[0].id') BRUNO=$(jqr '.users[1].id') CARLA=$(jqr '.users[2].id')
CARLA_NAME=$(jqr '.users[2].display_name')

# hits VALUE: occurrences in the database, its WAL and shm.
hits() {
	local total=0 f n
	for f in "$DB" "$DB-wal" "$DB-shm"; do
		[ -f "$f" ] || continue
		n=$(grep -c -a -F -- "$1" "$f")
		total=$((total + n))
	done
	echo "$total"
}

# --- permissions --------------------------------------------------------------
api "" PUT "/users/$BRUNO/permissions" '{"permissions":{"forget_records":true}}'
is "no key: 401" "$CODE" 401
api "$KEY_bruno" PUT "/users/$CARLA/permissions" '{"permissions":{"forget_records":false}}'
is "an agent may not change permissions: 403" "$CODE" 403
api "$KEY_carla" PUT "/users/$BRUNO/permissions" '{"permissions":{"forget_records":true}}'
is "nor may carla (forget, not admin): 403" "$CODE" 403
api "$KEY_bruno" GET "/contacts/view/$ALL?per_page=1"
CID=$(jqr '.contacts[0].id')
api "$KEY_bruno" GET "/contacts/$CID/forget_preview"
is "bruno cannot preview a forget yet" "$CODE" 403

api "$KEY_ana" PUT "/users/$BRUNO/permissions" '{"permissions":{"forget_records":true}}'
is "ana grants bruno forget_records: 200" "$CODE" 200
is "the answer is the user" "$(jqr '.user|[.id,.role,.permissions.forget_records,.permissions.export_reports]|tostring')" \
	"[$BRUNO,\"agent\",true,true]"
api "$KEY_bruno" GET "/contacts/$CID/forget_preview"
is "now bruno may preview a forget" "$CODE" 200
api "$KEY_ana" PUT "/users/$BRUNO/permissions" '{"permissions":{"forget_records":false,"export_reports":false}}'
is "ana takes both away: 200" "$CODE $(jqr '.user.permissions|[.forget_records,.export_reports]|tostring')" "200 [false,false]"
api "$KEY_bruno" GET /users/me
is "bruno sees his new permissions" "$(jqr '.user.permissions|[.forget_records,.export_reports]|tostring')" "[false,false]"
api "$KEY_bruno" GET "/contacts/$CID/forget_preview"
is "and is refused again" "$CODE" 403
api "$KEY_ana" PUT "/users/$BRUNO/permissions" '{"permissions":{"export_reports":true}}'
is "export_reports back" "$CODE $(jqr .user.permissions.export_reports)" "200 true"

for body in '{"permissions":{"forget_records":"yes"}}' '{"permissions":{}}' \
	'{"permissions":{"admin":true}}' '{"permissions":[]}' '{"user":{}}' '{"permissions":{"forget_records":null}}'; do
	api "$KEY_ana" PUT "/users/$BRUNO/permissions" "$body"
	is "permissions $body: 400" "$CODE" 400
done
ANA_ID=$(api "$KEY_ana" GET /users/me; jqr .user.id)
api "$KEY_ana" PUT "/users/$ANA_ID/permissions" '{"permissions":{"forget_records":false}}'
is "the last admin's rights cannot be removed: 409" "$CODE" 409
api "$KEY_ana" GET /users/me
is "ana keeps both rights" "$(jqr '.user.permissions|[.forget_records,.export_reports]|tostring')" "[true,true]"
api "$KEY_ana" PUT "/users/999999/permissions" '{"permissions":{"forget_records":true}}'
is "an absent user: 404" "$CODE" 404

api "$KEY_ana" GET /audit
E=$(printf '%s' "$BODY_OUT" | jq -c '[.audit[]|select(.action=="user.permissions")]')
is "an audit entry per permission change" "$(printf '%s' "$E" | jq length)" 3
is "naming ana and what changed" "$(printf '%s' "$E" | jq -c '[.[]|[.actor_user_id,.counts]]|sort')" \
	"$(jq -nc --argjson a "$ANA" '[[$a,{"export_reports":0,"forget_records":0}],[$a,{"export_reports":1}],[$a,{"forget_records":1}]]|sort')"
is "with a subject reference, no user id or name" \
	"$(printf '%s' "$E" | jq -r 'all(.[]; .subject_ref|test("^[0-9a-f]{64}$"))')" true
check "no email or name in the audit" bash -c "! printf '%s' '$BODY_OUT' | grep -qi 'bruno'"

# --- activation and the last admin --------------------------------------------
api "$KEY_ana" PUT "/users/$ANA" '{"user":{"is_active":false}}'
is "ana cannot deactivate herself: 409" "$CODE" 409
api "$KEY_ana" PUT "/users/$ANA" '{"user":{"role":"agent"}}'
is "nor take the last admin's rights: 409" "$CODE" 409
api "$KEY_ana" GET /users/me
is "ana is still an active admin" "$(jqr '.user|[.role,.is_active]|tostring')" '["admin",true]'
api "$KEY_bruno" PUT "/users/$CARLA" '{"user":{"is_active":false}}'
is "an agent may not deactivate: 403" "$CODE" 403
for body in '{"user":{"is_active":"no"}}' '{"user":{"role":"owner"}}' '{"user":{}}' \
	'{"user":{"email":"x@example.org"}}' '{"user":5}'; do
	api "$KEY_ana" PUT "/users/$CARLA" "$body"
	is "user $body: 400" "$CODE" 400
done
api "$KEY_ana" PUT "/users/999999" '{"user":{"is_active":false}}'
is "deactivate an absent user: 404" "$CODE" 404

api "$KEY_ana" PUT "/users/$BRUNO" '{"user":{"role":"admin"}}'
is "bruno made admin" "$CODE $(jqr .user.role)" "200 admin"
api "$KEY_bruno" GET /users
is "bruno may now list users" "$CODE" 200
api "$KEY_bruno" PUT "/users/$ANA" '{"user":{"role":"agent"}}'
is "bruno takes ana's admin rights (another admin remains)" "$CODE $(jqr .user.role)" "200 agent"
api "$KEY_ana" GET /users
is "ana is refused the admin list now" "$CODE" 403
api "$KEY_bruno" PUT "/users/$BRUNO" '{"user":{"role":"agent"}}'
is "bruno, the last admin, cannot give up the rights: 409" "$CODE" 409
api "$KEY_bruno" PUT "/users/$ANA" '{"user":{"role":"admin"}}'
is "ana admin again" "$CODE" 200
api "$KEY_ana" PUT "/users/$BRUNO" '{"user":{"role":"agent"}}'
is "bruno agent again" "$CODE $(jqr .user.role)" "200 agent"
api "$KEY_ana" GET /audit
is "audit user.update entries, each naming the actor" \
	"$(jqr "[.audit[]|select(.action==\"user.update\")|.actor_user_id]|sort|tostring")" \
	"[$ANA,$ANA,$BRUNO,$BRUNO]"

# --- deleting carla --------------------------------------------------------------
api "$KEY_carla" GET "/contacts/view/$MINE?per_page=100"
CARLA_CONTACTS=$(jqr .meta.total)
CARLA_ONE=$(jqr '.contacts[0].id')
check "carla owns contacts" test "$CARLA_CONTACTS" -ge 1
api "$KEY_bruno" GET "/contacts/view/$MINE?per_page=1"
BRUNO_CONTACTS=$(jqr .meta.total)
api "$KEY_ana" GET "/sales_accounts/view/70000000101?per_page=100"
CARLA_COMPANIES=$(jqr "[.sales_accounts[]|select(.owner_id==$CARLA)]|length")
api "$KEY_ana" GET "/contacts/view/70000000004?per_page=100"
CARLA_BIN=$(jqr "[.contacts[]|select(.owner_id==$CARLA)]|length")
api "$KEY_ana" GET "/sales_accounts/view/70000000102?per_page=100"
CARLA_BIN=$((CARLA_BIN + $(jqr "[.sales_accounts[]|select(.owner_id==$CARLA)]|length")))
check "carla's email is on disk before" test "$(hits carla@acme.example.com)" -gt 0

api "$KEY_ana" DELETE "/users/$CARLA?transfer_to=$BRUNO"
is "an active user cannot be deleted: 409" "$CODE" 409
api "$KEY_ana" DELETE "/users/$ANA"
is "ana cannot delete herself: 409" "$CODE" 409
api "$KEY_bruno" DELETE "/users/$CARLA"
is "an agent may not delete users: 403" "$CODE" 403
api "$KEY_ana" DELETE "/users/999999"
is "an absent user: 404" "$CODE" 404

api "$KEY_ana" PUT "/users/$CARLA" '{"user":{"is_active":false}}'
is "carla deactivated" "$CODE $(jqr .user.is_active)" "200 false"
api "$KEY_carla" GET /users/me
is "her key no longer works: 401" "$CODE" 401
api "$KEY_ana" GET /selector/owners
is "she is no longer an owner to pick" "$(jqr "[.users[].id]|index($CARLA)")" null

for q in "transfer_to=$CARLA" "transfer_to=abc" "transfer_to=999999" "transfer_to=0"; do
	api "$KEY_ana" DELETE "/users/$CARLA?$q"
	is "delete with $q: 400" "$CODE" 400
done
api "$KEY_ana" GET "/contacts/$CARLA_ONE"
is "nothing moved after the refusals" "$(jqr .contact.owner_id)" "$CARLA"

api "$KEY_ana" DELETE "/users/$CARLA?transfer_to=$BRUNO"
is "delete carla, contacts to bruno: 200" "$CODE" 200
is "the deletion names the user" "$(jqr .deletion.user_id)" "$CARLA"
is "records transferred: her contacts (Recycle Bin too) and companies" \
	"$(jqr .deletion.records_transferred)" $((CARLA_CONTACTS + CARLA_BIN + CARLA_COMPANIES))
is "a notice per processor, pending (no endpoint configured)" \
	"$(jqr '[.deletion.processors[]|.status]|tostring')" '["pending","pending","pending"]'
is "the processors by name" "$(jqr '.deletion.processors|map(.name|type)|unique|tostring')" '["string"]'
api "$KEY_bruno" GET "/contacts/view/$MINE?per_page=1"
is "bruno now owns her contacts" "$(jqr .meta.total)" $((BRUNO_CONTACTS + CARLA_CONTACTS))
api "$KEY_ana" GET "/contacts/$CARLA_ONE"
is "one of them, owner bruno" "$(jqr .contact.owner_id)" "$BRUNO"
api "$KEY_ana" GET /users
is "carla is gone from the users" "$(jqr "[.users[].id]|index($CARLA)")" null
api "$KEY_ana" DELETE "/users/$CARLA?transfer_to=$BRUNO"
is "a second delete: 404" "$CODE" 404
is "her email is nowhere in the database files" "$(hits carla@acme.example.com)" 0
is "nor her name" "$(hits "$CARLA_NAME")" 0

api "$KEY_ana" GET /audit
E=$(printf '%s' "$BODY_OUT" | jq -c '[.audit[]|select(.action=="user.delete")][0]')
is "audit user.delete by ana" "$(printf '%s' "$E" | jq -r .actor_user_id)" "$ANA"
is "with the records transferred" "$(printf '%s' "$E" | jq -r .counts.records_transferred)" \
	$((CARLA_CONTACTS + CARLA_BIN + CARLA_COMPANIES))
check "no personal data in the audit" bash -c "! printf '%s' '$BODY_OUT' | grep -qi 'carla'"
api "$KEY_ana" GET /processors
is "GET /processors: three" "$CODE $(jqr '.processors|length')" "200 3"
is "each with its pending notice" "$(jqr '[.processors[]|[.status,.notices.pending]]|unique|tostring')" '[["pending",1]]'
api "$KEY_bruno" GET /processors
is "an agent may not see the processors: 403" "$CODE" 403

# --- deleting with no one to take the records: unassigned -------------------------
api "$KEY_ana" PUT "/users/$BRUNO" '{"user":{"is_active":false}}'
api "$KEY_ana" DELETE "/users/$BRUNO"
is "delete bruno without transfer_to: 200" "$CODE" 200
is "nothing transferred, his records unassigned" \
	"$(jqr '.deletion|[.records_transferred,(.records_unassigned > 0)]|tostring')" '[0,true]'
api "$KEY_ana" GET "/contacts/$CARLA_ONE"
is "the contact has no owner now" "$(jqr .contact.owner_id)" null
api "$KEY_ana" GET /users
is "ana is the only user left" "$(jqr '[.users[].id]|tostring')" "[$ANA]"

done_testing
