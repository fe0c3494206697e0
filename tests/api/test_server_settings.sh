#!/bin/bash
# crm-server GDPR settings: who may read and change them, that each change is
# audited without personal data, and that the switches have their effects
# (profile enrichment of new contacts, stored IP addresses erased).
. "$(dirname "$0")/../lib.sh"
server_start 40
q() { sqlite3 "$DB" "$1"; }

api "$KEY_ana" GET /settings/gdpr
is "an admin reads the settings" "$CODE" 200
is "the six settings, all on at first" "$(jqr '.settings|to_entries|map("\(.key)=\(.value)")|sort|join(",")')" \
	"auto_profile_enrichment=true,chat_analytics=true,chat_social_enrichment=true,chat_store_ip=true,default_unsubscribe_link=true,restrict_email_to_dnd=true"
api "$KEY_carla" GET /settings/gdpr
is "an agent reads them (read-only)" "$CODE $(jqr '.settings.chat_store_ip')" "200 true"
for who in bruno carla; do
	key=KEY_$who
	api "${!key}" PUT /settings/gdpr '{"settings":{"restrict_email_to_dnd":false}}'
	is "agent $who may not change a setting: 403" "$CODE" 403
done
api "$KEY_ana" GET /settings/gdpr
is "a refused change changed nothing" "$(jqr .settings.restrict_email_to_dnd)" true

api "$KEY_ana" PUT /settings/gdpr '{"settings":{"no_such_setting":true}}'
is "an unknown setting: 400" "$CODE" 400
api "$KEY_ana" PUT /settings/gdpr '{"settings":{"chat_analytics":1}}'
is "a setting that is not a boolean: 400" "$CODE" 400
api "$KEY_ana" PUT /settings/gdpr '{"chat_analytics":false}'
is "a body without the settings object: 400" "$CODE" 400

# Enrichment on: a new contact with an email is enriched.
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Rich","emails":[{"value":"rich.person@example.org","is_primary":true}]}}'
is "a contact is created with enrichment on" "$CODE" 200
RICH=$(jqr .contact.id)
is "enrichment filled the four profile fields" \
	"$(jqr '[.contact.facebook,.contact.twitter,.contact.linkedin,.contact.avatar]|map(. != null)|tostring')" \
	"[true,true,true,true]"
api "$KEY_ana" GET "/contacts/$RICH/activities"
is "an enriched activity with source enrichment" \
	"$(jqr '[.activities[]|select(.action_type=="enriched")|.action_data.source]|tostring')" '["enrichment"]'
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Nomail"}}'
NOMAIL=$(jqr .contact.id)
is "a contact without an email is not enriched" "$(jqr '.contact.facebook')" null

api "$KEY_ana" PUT /settings/gdpr '{"settings":{"auto_profile_enrichment":false}}'
is "the admin turns enrichment off" "$CODE $(jqr .settings.auto_profile_enrichment)" "200 false"
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Plain","emails":[{"value":"plain.person@example.org","is_primary":true}]}}'
PLAIN=$(jqr .contact.id)
is "enrichment off: a new contact gets no profile fields" \
	"$(jqr '[.contact.facebook,.contact.twitter,.contact.linkedin,.contact.avatar]|tostring')" "[null,null,null,null]"
api "$KEY_ana" GET "/contacts/$PLAIN/activities"
is "enrichment off: no enriched activity" "$(jqr '[.activities[]|select(.action_type=="enriched")]|length')" 0
api "$KEY_ana" GET "/contacts/$RICH"
is "turning enrichment off keeps what it filled before" "$(jqr '.contact.twitter != null')" true

# Clearing enriched fields is a PUT of the fields to null.
api "$KEY_ana" PUT "/contacts/$RICH" '{"contact":{"facebook":null,"twitter":null,"linkedin":null,"avatar":null}}'
is "the enriched fields can be cleared" "$CODE $(jqr '[.contact.facebook,.contact.avatar]|tostring')" "200 [null,null]"

# IP storage off erases the stored addresses.
before=$(q "SELECT (SELECT count(*) FROM contacts WHERE last_seen_ip IS NOT NULL) + (SELECT count(*) FROM chats WHERE visitor_ip IS NOT NULL)")
check "the demo holds stored IP addresses ($before)" test "$before" -gt 0
api "$KEY_ana" PUT /settings/gdpr '{"settings":{"chat_store_ip":false}}'
is "the admin turns IP storage off" "$CODE $(jqr .settings.chat_store_ip)" "200 false"
is "no contact keeps a last_seen_ip" "$(q 'SELECT count(*) FROM contacts WHERE last_seen_ip IS NOT NULL')" 0
is "no chat keeps a visitor_ip" "$(q 'SELECT count(*) FROM chats WHERE visitor_ip IS NOT NULL')" 0
api "$KEY_ana" GET "/contacts/view/70000000001?per_page=100"
is "contacts served show last_seen_ip null" "$(jqr '[.contacts[]|select(.last_seen_ip != null)]|length')" 0

# Email (API.md 4.5): DND contacts are blocked while restrict_email_to_dnd is
# on; the unsubscribe link is in by default while default_unsubscribe_link is.
mail='{"email":{"subject":"Hello","body":"A short note."}}'
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Quiet","do_not_disturb":true,"emails":[{"value":"quiet.person@example.org","is_primary":true}]}}'
QUIET=$(jqr .contact.id)
api "$KEY_ana" POST "/contacts/$QUIET/emails" "$mail"
is "restrict_email_to_dnd on: email to a DND contact answers 422" "$CODE" 422
api "$KEY_ana" POST "/contacts/$PLAIN/emails" "$mail"
is "email to a contact not on DND is queued" "$CODE $(jqr .email.status)" "200 queued"
outbox_body() { api "$KEY_ana" GET "/outbox?per_page=100"; jqr "[.outbox[]|select(.contact_id==$1)]|max_by(.id)|.body"; }
check "default_unsubscribe_link on: the email carries an unsubscribe link" \
	bash -c "grep -q '/u/' <<<'$(outbox_body "$PLAIN")'"

# The other switches are stored and read back.
api "$KEY_ana" PUT /settings/gdpr '{"settings":{"restrict_email_to_dnd":false,"chat_social_enrichment":false,"chat_analytics":false,"default_unsubscribe_link":false}}'
is "four switches change at once" "$(jqr '[.settings[]]|map(tostring)|join(",")')" "false,false,false,false,false,false"
api "$KEY_ana" POST "/contacts/$QUIET/emails" "$mail"
is "restrict_email_to_dnd off: the email goes, with a warning" "$CODE $(jqr .warning)" "200 do_not_disturb"
api "$KEY_ana" POST "/contacts/$PLAIN/emails" "$mail"
check "default_unsubscribe_link off: no unsubscribe link by default" \
	bash -c "! grep -q '/u/' <<<'$(outbox_body "$PLAIN")'"
api "$KEY_bruno" GET /settings/gdpr
is "the change shows to every user at once" "$(jqr .settings.restrict_email_to_dnd)" false
api "$KEY_ana" PUT /settings/gdpr '{"settings":{"restrict_email_to_dnd":false}}'
is "setting a value it already has answers 200" "$CODE" 200

# The audit log: one entry per change, naming the settings, by the actor.
ANA=$(api "$KEY_ana" GET /users/me >/dev/null; jqr .user.id)
api "$KEY_ana" GET "/audit?per_page=100"
is "each change wrote one settings.update entry (unchanged values none)" \
	"$(jqr '[.audit[]|select(.action=="settings.update")]|length')" 3
is "the entries name the changed settings" \
	"$(jqr '[.audit[]|select(.action=="settings.update")|.subject_ref]|reverse|join(" ")')" \
	"auto_profile_enrichment chat_store_ip restrict_email_to_dnd,chat_social_enrichment,chat_analytics,default_unsubscribe_link"
is "the entries name the admin as actor" \
	"$(jqr "[.audit[]|select(.action==\"settings.update\")|.actor_user_id==$ANA]|all")" true
is "the IP switch counts the addresses it erased" \
	"$(jqr '[.audit[]|select(.subject_ref=="chat_store_ip")|.counts.ips_erased]|.[0]')" "$before"
check "no personal data in the audit entries" bash -c "! printf '%s' '$BODY_OUT' | grep -Eq 'example\\.org|@|[0-9]+\\.[0-9]+\\.[0-9]+\\.[0-9]+'"

done_testing
