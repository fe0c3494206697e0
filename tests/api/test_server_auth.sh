#!/bin/bash
# crm-server authentication and permissions: keys (401), each role and each
# permission of ana (admin), bruno (agent, no forget) and carla (agent, may
# forget), enforced on the server whatever the client shows.
. "$(dirname "$0")/../lib.sh"
server_start 20

raw() { # AUTH_HEADER PATH: prints the status
	curl -s -o "$TMPD/raw" -w '%{http_code}' ${1:+-H "$1"} "$BASE$2"
}
is "no Authorization header: 401" "$(raw '' /contacts/filters)" 401
is "... with the envelope" "$(jq -r '.errors.code' "$TMPD/raw")" 401
is "a wrong key: 401" "$(raw 'Authorization: Token token=not-a-key' /contacts/filters)" 401
is "another scheme: 401" "$(raw "Authorization: Bearer $KEY_ana" /contacts/filters)" 401
is "an empty key: 401" "$(raw 'Authorization: Token token=' /contacts/filters)" 401
is "a key with a suffix: 401" "$(raw "Authorization: Token token=${KEY_ana}x" /contacts/filters)" 401
is "a key cut short: 401" "$(raw "Authorization: Token token=${KEY_ana%?}" /contacts/filters)" 401
is "a huge key: 401" "$(raw "Authorization: Token token=$(printf 'k%.0s' {1..5000})" /contacts/filters)" 401
is "the key in quotes is accepted" "$(raw "Authorization: Token token=\"$KEY_ana\"" /contacts/filters)" 200
is "401 on an unknown route too (no route leaks)" "$(raw '' /no/such/route)" 401
curl -s -D "$TMPD/h" -o /dev/null "$BASE/users/me"
check "401 names the scheme in WWW-Authenticate" grep -qi '^WWW-Authenticate: Token' "$TMPD/h"

# Each user's own record.
api "$KEY_ana" GET /users/me
is "ana is an admin who may do everything" \
	"$(jqr '.user|[.display_name,.role,.permissions.export_reports,.permissions.forget_records]|tostring')" \
	'["Ana Souza","admin",true,true]'
ANA=$(jqr .user.id)
api "$KEY_bruno" GET /users/me
is "bruno is an agent who may export reports, not forget" \
	"$(jqr '.user|[.role,.permissions.export_reports,.permissions.forget_records]|tostring')" '["agent",true,false]'
BRUNO=$(jqr .user.id)
api "$KEY_carla" GET /users/me
is "carla is an agent who may forget, not export reports" \
	"$(jqr '.user|[.role,.permissions.export_reports,.permissions.forget_records]|tostring')" '["agent",false,true]'
CARLA=$(jqr .user.id)

# Admin-only routes.
for who in bruno carla; do
	key_var="KEY_$who"
	api "${!key_var}" GET /users
	is "GET /users as $who: 403" "$CODE $(jqr .errors.code)" "403 403"
	api "${!key_var}" GET /audit
	is "GET /audit as $who: 403" "$CODE" 403
done
api "$KEY_ana" GET /users
is "GET /users as ana lists the three users" "$(jqr '[.users[].id]|sort|tostring')" "$(printf '%s\n' "$ANA" "$BRUNO" "$CARLA" | sort -n | jq -sc .)"
is "... with roles" "$(jqr '[.users[]|.role]|sort|tostring')" '["admin","agent","agent"]'
api "$KEY_ana" GET /audit
is "GET /audit as ana: 200" "$CODE" 200

# The owner selector is for everyone.
for who in ana bruno carla; do
	key_var="KEY_$who"
	api "${!key_var}" GET /selector/owners
	is "GET /selector/owners as $who lists the active users" "$(jqr '.users|length')" 3
done
is "owners carry id, display_name, email, is_active" "$(jqr '.users[0]|keys|join(",")')" "display_name,email,id,is_active"

# Forget: admins always, agents with forget_records only.
mk() { api "$KEY_ana" POST /contacts "{\"contact\":{\"first_name\":\"$1\"}}"; jqr .contact.id; }
C1=$(mk One)
api "$KEY_bruno" DELETE "/contacts/$C1/forget"
is "bruno may not forget: 403" "$CODE" 403
api "$KEY_ana" GET "/contacts/$C1"
is "... and the contact is still there" "$CODE" 200
api "$KEY_carla" DELETE "/contacts/$C1/forget"
is "carla may forget" "$CODE" 200
C2=$(mk Two)
api "$KEY_ana" DELETE "/contacts/$C2/forget"
is "ana may forget" "$CODE" 200
api "$KEY_ana" GET /audit
is "each forget left one audit entry by its actor" \
	"$(jqr "[.audit[]|select(.action==\"contact.forget\")|.actor_user_id]|tostring")" "[$ANA,$CARLA]"
check "audit entries hold no names" bash -c "! printf '%s' '$BODY_OUT' | grep -qE 'One|Two'"
api "$KEY_ana" GET /sales_accounts/view/70000000101
CO=$(jqr '.sales_accounts[0].id')
api "$KEY_bruno" DELETE "/sales_accounts/$CO/forget"
is "bruno may not forget a company: 403" "$CODE" 403
api "$KEY_ana" GET "/sales_accounts/$CO"
is "... and it is still there" "$CODE" 200

# Agents do everything else on contacts.
C3=$(mk Three)
api "$KEY_bruno" PUT "/contacts/$C3" '{"contact":{"city":"Oslo"}}'
is "an agent may edit a contact" "$CODE $(jqr .contact.city)" "200 Oslo"
api "$KEY_bruno" DELETE "/contacts/$C3"
is "an agent may delete to the Recycle Bin" "$CODE" 200
api "$KEY_carla" POST "/contacts/$C3/restore"
is "an agent may restore" "$CODE" 200

done_testing
