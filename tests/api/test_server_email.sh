#!/bin/bash
# Email and consent over HTTP: 1:1 emails queued in the outbox with the
# unsubscribe link, the Do Not Disturb rule (refused or warned by setting),
# consent requests and their opt-in link, the unsubscribe link, and the web
# forms with their strict form decoding; each change on the timeline with
# its source; the refusals.
. "$(dirname "$0")/../lib.sh"
server_start 20

api "$KEY_bruno" GET /users/me
BRUNO=$(jqr .user.id)
# page METHOD PATH [CONTENT_TYPE BODY]: a public request, no key; sets CODE,
# BODY_OUT and CTYPE.
page() {
	local args=(-s -o "$TMPD/page" -w '%{http_code} %{content_type}' -X "$1")
	[ -n "${3-}" ] && args+=(-H "Content-Type: $3" --data-binary "$4")
	read -r CODE CTYPE < <(curl "${args[@]}" "$ROOT_URL$2")
	BODY_OUT=$(cat "$TMPD/page")
}
total() { api "$KEY_ana" GET "/contacts/view/70000000001?per_page=1"; jqr .meta.total; }
acts() { api "$KEY_ana" GET "/contacts/$1/activities?per_page=100"; }
outbox_last() { api "$KEY_ana" GET "/outbox?per_page=1"; }

api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Mail","last_name":"Reader","email":"mail.reader@example.org","subscription_status":1,"subscription_types":["newsletter"]}}'
CID=$(jqr .contact.id)
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Noaddress"}}'
NOMAIL=$(jqr .contact.id)
email() { printf '{"email":{"subject":"%s","body":"%s"%s}}' "$@"; }

# --- refusals ------------------------------------------------------------------------
api "" POST "/contacts/$CID/emails" "$(email Hi Hello '')"
is "no key: 401" "$CODE" 401
api "$KEY_bruno" POST "/contacts/4999999999999/emails" "$(email Hi Hello '')"
is "an absent contact: 404" "$CODE" 404
api "$KEY_bruno" POST "/contacts/$NOMAIL/emails" "$(email Hi Hello '')"
is "a contact without an address: 409" "$CODE" 409
api "$KEY_bruno" POST "/contacts/$CID/emails" "$(email '' Hello '')"
is "an empty subject: 400" "$CODE" 400
api "$KEY_bruno" POST "/contacts/$CID/emails" "$(email Hi '' '')"
is "an empty body: 400" "$CODE" 400
api "$KEY_bruno" POST "/contacts/$CID/emails" "$(email Hi Hello ',"include_unsubscribe_link":"yes"')"
is "a link flag that is not a boolean: 400" "$CODE" 400
api "$KEY_bruno" POST "/contacts/$CID/emails" '{"email":"Hello"}'
is "email not an object: 400" "$CODE" 400
api "$KEY_bruno" GET /outbox
is "an agent may not read the outbox: 403" "$CODE" 403
api "$KEY_ana" GET /outbox
is "nothing was queued by the refusals" "$(jqr "[.outbox[]|select(.contact_id==$CID)]|length")" 0

# --- an email with the link (the account's default) ------------------------------------
api "$KEY_bruno" POST "/contacts/$CID/emails" "$(email 'Your order' 'It has shipped.' '')"
is "bruno emails the contact: queued" "$CODE $(jqr .email.status)" "200 queued"
EID=$(jqr .email.id)
is "no warning for a contact not on DND" "$(jqr .warning)" null
outbox_last
is "the outbox holds it" "$(jqr '.outbox[0]|[.id,.contact_id,.kind,.to,.subject,.status,.user_id]|tostring')" \
	"[$EID,$CID,\"email\",\"mail.reader@example.org\",\"Your order\",\"queued\",$BRUNO]"
BODY=$(jqr '.outbox[0].body')
ULINK=$(printf '%s' "$BODY" | grep -o "$ROOT_URL/u/[0-9a-f]*")
check "the body ends with an unsubscribe link on this server" test -n "$ULINK"
is "the body keeps the text first" "$(printf '%s' "$BODY" | head -1)" "It has shipped."
acts "$CID"
is "email_sent on the timeline, by bruno" \
	"$(jqr '.activities[0]|[.action_type,.user_id,.action_data.email_id,.action_data.unsubscribe_link]|tostring')" \
	"[\"email_sent\",$BRUNO,$EID,true]"
api "$KEY_bruno" POST "/contacts/$CID/emails" "$(email 'Plain' 'No link here.' ',"include_unsubscribe_link":false')"
outbox_last
is "without the link, the body as written" "$(jqr '.outbox[0].body')" "No link here."

# --- the unsubscribe link --------------------------------------------------------------------
page POST "${ULINK#$ROOT_URL}"
is "the link takes GET only: 405" "$CODE" 405
page GET "/u/$(printf 'ab%.0s' $(seq 32))"
is "an unknown token: 404" "$CODE" 404
page GET "/u/not-a-token"
is "a malformed token: 404" "$CODE" 404
page GET "${ULINK#$ROOT_URL}"
is "following the link: 200, an HTML page" "$CODE $CTYPE" "200 text/html; charset=utf-8"
check "saying so" grep -q 'unsubscribed' "$TMPD/page"
api "$KEY_ana" GET "/contacts/$CID"
is "the contact is on DND, unsubscribed from every purpose" \
	"$(jqr '.contact|[.do_not_disturb,.subscription_status,.subscription_types]|tostring')" '[true,0,[]]'
acts "$CID"
is "unsubscribed: source email_link, no user, the purpose removed" \
	"$(jqr '[.activities[]|select(.action_type=="unsubscribed")][0]|[.user_id,.action_data.source,.action_data.purposes,.action_data.email]|tostring')" \
	'[null,"email_link",["newsletter"],"mail.reader@example.org"]'
is "consent_withdrawn for newsletter" \
	"$(jqr '[.activities[]|select(.action_type=="consent_withdrawn")|[.action_data.purpose,.action_data.source]]|tostring')" \
	'[["newsletter","email_link"]]'
N=$(jqr '.activities|length')
page GET "${ULINK#$ROOT_URL}"
is "following it again: 200" "$CODE" 200
acts "$CID"
is "and nothing more on the timeline" "$(jqr '.activities|length')" "$N"

# --- Do Not Disturb ----------------------------------------------------------------------------
api "$KEY_ana" GET "/outbox?per_page=100"
QUEUED=$(jqr .meta.total)
api "$KEY_bruno" POST "/contacts/$CID/emails" "$(email 'Again' 'Hello.' '')"
is "to a DND contact while the account blocks it: 422" "$CODE" 422
api "$KEY_ana" GET "/outbox?per_page=100"
is "nothing queued" "$(jqr .meta.total)" "$QUEUED"
acts "$CID"
is "email_blocked on the timeline, by bruno" \
	"$(jqr '.activities[0]|[.action_type,.user_id,.action_data.detail]|tostring')" \
	"[\"email_blocked\",$BRUNO,\"do_not_disturb\"]"
api "$KEY_ana" PUT /settings/gdpr '{"settings":{"restrict_email_to_dnd":false}}'
is "the admin turns the block into a warning" "$CODE" 200
api "$KEY_bruno" POST "/contacts/$CID/emails" "$(email 'Again' 'Hello.' '')"
is "now: 200 with the warning" "$CODE $(jqr .warning) $(jqr .email.status)" "200 do_not_disturb queued"
api "$KEY_ana" PUT /settings/gdpr '{"settings":{"restrict_email_to_dnd":true,"default_unsubscribe_link":false}}'
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Plain","email":"plain.default@example.org"}}'
PLAIN=$(jqr .contact.id)
api "$KEY_bruno" POST "/contacts/$PLAIN/emails" "$(email 'Default' 'No link by default.' '')"
outbox_last
is "with default_unsubscribe_link off, no link unless asked" "$(jqr '.outbox[0].body')" "No link by default."

# --- consent requests ---------------------------------------------------------------------------
api "" POST "/contacts/$CID/consent_requests" '{"purpose":"events"}'
is "consent request without a key: 401" "$CODE" 401
for body in '{"purpose":"Events!"}' '{}' '{"purpose":""}' '{"purpose":7}'; do
	api "$KEY_bruno" POST "/contacts/$CID/consent_requests" "$body"
	is "consent request $body: 400" "$CODE" 400
done
api "$KEY_bruno" POST "/contacts/$NOMAIL/consent_requests" '{"purpose":"events"}'
is "to a contact without an address: 409" "$CODE" 409
api "$KEY_bruno" POST "/contacts/4999999999999/consent_requests" '{"purpose":"events"}'
is "to an absent contact: 404" "$CODE" 404
api "$KEY_bruno" POST "/contacts/$CID/consent_requests" '{"purpose":"events"}'
is "bruno asks a DND contact for consent to events: queued" "$CODE $(jqr .consent_request.status)" "200 queued"
outbox_last
is "an optin email" "$(jqr '.outbox[0]|[.kind,.to]|tostring')" '["optin","mail.reader@example.org"]'
OLINK=$(jqr '.outbox[0].body' | grep -o "$ROOT_URL/optin/[0-9a-f]*")
check "with the opt-in link" test -n "$OLINK"
acts "$CID"
is "opt_in_requested on the timeline" \
	"$(jqr '.activities[0]|[.action_type,.user_id,.action_data.purpose]|tostring')" \
	"[\"opt_in_requested\",$BRUNO,\"events\"]"
page GET "/optin/$(printf 'cd%.0s' $(seq 32))"
is "an unknown opt-in token: 404" "$CODE" 404
page GET "${OLINK#$ROOT_URL}"
is "following the opt-in link: 200" "$CODE" 200
api "$KEY_ana" GET "/contacts/$CID"
is "consent to events, subscribed, DND lifted" \
	"$(jqr '.contact|[.subscription_types,.subscription_status,.do_not_disturb]|tostring')" '[["events"],1,false]'
acts "$CID"
is "consent_granted: email_link, no user, events, the address it came from" \
	"$(jqr '.activities[0]|[.action_type,.user_id,.action_data.source,.action_data.purpose,.action_data.email]|tostring')" \
	'["consent_granted",null,"email_link","events","mail.reader@example.org"]'
N=$(jqr '.activities|length')
page GET "${OLINK#$ROOT_URL}"
acts "$CID"
is "a second visit records nothing more" "$CODE $(jqr '.activities|length')" "200 $N"
api "$KEY_bruno" POST "/contacts/$CID/consent_requests" '{"purpose":"events"}'
is "asking again for a purpose already granted: 409" "$CODE" 409

# --- web forms -----------------------------------------------------------------------------------
page GET /forms/1
is "the form: 200 HTML" "$CODE $CTYPE" "200 text/html; charset=utf-8"
check "with a consent checkbox" grep -q 'type="checkbox" name="consent"' "$TMPD/page"
check "left unticked" bash -c "! grep -q checked '$TMPD/page'"
check "posting to itself" grep -q 'action="/forms/1"' "$TMPD/page"
page GET /forms/99
is "an absent form: 404" "$CODE" 404
page GET /forms/abc
is "a form id that is not a number: 404" "$CODE" 404
page PUT /forms/1
is "PUT on a form: 405" "$CODE" 405

FORM=application/x-www-form-urlencoded
BEFORE=$(total)
bad() {
	page POST /forms/1 "$1" "$2"
	is "$3: $4" "$CODE" "$4"
}
bad application/json '{"email":"x@example.org"}' "a JSON body" 400
bad $FORM 'email=a%40example.org&color=red' "an unknown field" 400
bad $FORM 'email=a%40example.org&email=b%40example.org' "a field twice" 400
bad $FORM 'email=a%zz' "a broken escape" 400
bad $FORM 'email=a%4' "a cut escape" 400
bad $FORM 'first_name=Ann' "no email" 400
bad $FORM 'email=not-an-email' "an invalid email" 400
bad $FORM 'email=a%40example.org&consent=maybe' "a consent value it does not know" 400
bad $FORM 'email=a%40example.org&first_name=A%01B' "a control character" 400
bad $FORM 'email=a%40example.org&first_name=%FF' "invalid UTF-8" 400
bad $FORM 'email=a%40example.org&' "a trailing separator" 400
bad $FORM 'email' "a field without a value" 400
bad $FORM "email=a%40example.org&first_name=$(printf 'x%.0s' $(seq 300))" "a value over 254 bytes" 400
bad $FORM "email=a%40example.org&first_name=$(printf 'x%.0s' $(seq 9000))" "a body over 8 KiB" 413
is "no contact was created by the refusals" "$(total)" "$BEFORE"

page POST /forms/1 $FORM 'first_name=Jos%C3%A9&last_name=Web+Visitor&email=jose.visitor%40example.org'
is "an unticked form: 200" "$CODE" 200
is "a contact more" "$(total)" $((BEFORE + 1))
api "$KEY_ana" GET "/lookup?q=jose.visitor@example.org&f=email&entities=contact"
WID=$(jqr '.contacts.contacts[0].id')
api "$KEY_ana" GET "/contacts/$WID"
is "created with the decoded names, no owner, no consent" \
	"$(jqr '.contact|[.first_name,.last_name,.owner_id,.subscription_types]|tostring')" '["José","Web Visitor",null,[]]'
acts "$WID"
is "created from the web form, no consent recorded" \
	"$(jqr '[.activities[]|select(.action_type=="created" or .action_type=="consent_granted")|[.action_type,.action_data.source,.user_id]]|tostring')" \
	'[["created","web_form",null]]'

page POST /forms/1 $FORM 'email=Jose.Visitor%40example.org&consent=yes'
is "the same address with the box ticked: 200" "$CODE" 200
is "no second contact" "$(total)" $((BEFORE + 1))
api "$KEY_ana" GET "/contacts/$WID"
is "now consenting to the form's purpose" "$(jqr '.contact|[.subscription_types,.subscription_status]|tostring')" '[["newsletter"],1]'
acts "$WID"
is "consent_granted with the form's id and name, source web_form, no user" \
	"$(jqr '[.activities[]|select(.action_type=="consent_granted")]|map([.action_data.source,.action_data.form_id,.action_data.form_name,.action_data.purpose,.user_id])|tostring')" \
	'[["web_form",1,"Newsletter signup","newsletter",null]]'
page POST /forms/1 $FORM 'email=jose.visitor%40example.org&consent=on'
acts "$WID"
is "ticked again: no second consent entry" "$(jqr '[.activities[]|select(.action_type=="consent_granted")]|length')" 1
page POST /forms/2 $FORM 'consent=yes&email=jose.visitor%40example.org'
api "$KEY_ana" GET "/contacts/$WID"
is "another form adds its own purpose" "$(jqr '.contact.subscription_types|sort|tostring')" '["newsletter","product_updates"]'

# A DND contact who ticks a form box: consent kept, DND stays (only the
# opt-in link proves the address).
api "$KEY_ana" PUT "/contacts/$PLAIN" '{"contact":{"do_not_disturb":true}}'
page POST /forms/3 $FORM 'email=plain.default%40example.org&consent=yes'
api "$KEY_ana" GET "/contacts/$PLAIN"
is "form consent on a DND contact: recorded, DND stays" \
	"$(jqr '.contact|[.subscription_types,.do_not_disturb]|tostring')" '[["events"],true]'

# --- forget takes the tokens with it ------------------------------------------------------------
api "$KEY_ana" DELETE "/contacts/$CID/forget"
is "forget the contact" "$CODE" 200
page GET "${ULINK#$ROOT_URL}"
is "its unsubscribe link no longer works: 404" "$CODE" 404
page GET "${OLINK#$ROOT_URL}"
is "nor its opt-in link: 404" "$CODE" 404
api "$KEY_ana" GET "/outbox?per_page=100"
is "its emails left the outbox" "$(jqr "[.outbox[]|select(.contact_id==$CID)]|length")" 0

done_testing
