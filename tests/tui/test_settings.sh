#!/bin/bash
# :settings in tabs. Permissions: space switches a right, saved at once with
# a confirmation line; the server's refusal shows. CRM and Chat: switches
# saved at once; IP storage off asks first (cancel keeps it). Phone: the
# recording mode cycles, manual shows the greeting warning. An agent is told
# the screen is for admins and the server refuses the agent's writes.
. "$(dirname "$0")/lib-tmux.sh"

server_start 30
api "$KEY_ana" GET "/users"
bruno_id=$(jqr '.users[] | select(.display_name == "Bruno Lima") | .id')
bruno_row=$(jqr '[.users[].display_name] | index("Bruno Lima")')
check "bruno may export reports at first" [ "$(jqr ".users[] | select(.id == $bruno_id) | .permissions.export_reports")" = true ]

tui_start
wait_for "All Contacts  1-" || true
keys :
type_text "settings"
keys Enter
expect "the Settings screen opens on Permissions" "[Permissions]"
expect "users by rows" "Bruno Lima"
expect "rights by columns" "may permanently delete"
for ((i = 0; i < bruno_row; i++)); do keys j; done
keys Space
expect "space saves the change with a confirmation line" "saved: Bruno Lima may no longer export reports"
api "$KEY_ana" GET "/users"
is "the server took the change" "$(jqr ".users[] | select(.id == $bruno_id) | .permissions.export_reports")" false
keys Enter Space
expect "Enter moves to the other column; space grants forget" "saved: Bruno Lima may now permanently delete"
api "$KEY_ana" GET "/users"
is "the server took that too" "$(jqr ".users[] | select(.id == $bruno_id) | .permissions.forget_records")" true

keys Tab
expect "Tab: the CRM tab" "[CRM]"
expect "its first switch" "[x] Block email to Do Not Disturb contacts"
expect "the enrichment note explains clearing fields" "what it filled before stays"
keys j Space
expect "enrichment off is saved" "saved: Automatic profile enrichment: off"
api "$KEY_ana" GET "/settings/gdpr"
is "the server has enrichment off" "$(jqr '.settings.auto_profile_enrichment')" false
is "and the rest unchanged" "$(jqr '.settings.restrict_email_to_dnd')" true

# c clears what enrichment filled, on every contact, after a question.
enriched() {
	api "$KEY_ana" GET "/contacts/view/$(view_id "All Contacts")?per_page=100"
	jqr '[.contacts[] | select(.facebook != null or .twitter != null or .linkedin != null or .avatar != null)] | length'
}
before=$(enriched)
check "some contacts hold enriched fields" [ "$before" -gt 0 ]
keys c
expect "c asks before clearing" "Clear facebook, twitter, linkedin and avatar on every contact"
keys n
expect "n clears nothing" "nothing cleared"
is "the server still has them" "$(enriched)" "$before"
keys c
wait_for "Clear facebook, twitter" || true
keys y
expect "y clears them and says how many" "enriched fields cleared on $before contacts"
is "the server has none left" "$(enriched)" 0

keys Tab
expect "Tab: the Chat tab" "[Chat]"
keys Space
expect "IP storage off asks first" "erases every visitor IP address"
keys n
expect "n keeps it" "nothing changed"
api "$KEY_ana" GET "/settings/gdpr"
is "the server still stores IPs" "$(jqr '.settings.chat_store_ip')" true
keys Space
wait_for "erases every visitor IP address" || true
keys y
expect "y turns it off" "saved: Store visitor IP addresses: off"
api "$KEY_ana" GET "/settings/gdpr"
is "the server stores no IPs now" "$(jqr '.settings.chat_store_ip')" false

keys Tab
expect "Tab: the Phone tab" "[Phone]"
api "$KEY_ana" GET "/phone_numbers"
num=$(jqr '.phone_numbers[0].number')
pid=$(jqr '.phone_numbers[0].id')
expect_match "the first number and its mode" "${num//+/\\+} +automatic"
keys Space
expect "automatic -> manual shows the greeting warning" "greetings say so"
api "$KEY_ana" GET "/phone_numbers"
is "the server has it manual" "$(jqr ".phone_numbers[] | select(.id == $pid) | .recording")" manual
keys Enter
keys Space
expect_match "manual -> off" "${num//+/\\+} +off"
api "$KEY_ana" GET "/phone_numbers"
is "the server has it off" "$(jqr ".phone_numbers[] | select(.id == $pid) | .recording")" off
# Another admin demotes ana meanwhile: her next change is refused by the
# server, and the screen says so.
api "$KEY_ana" GET "/users"
carla_id=$(jqr '.users[] | select(.display_name == "Carla Mendes") | .id')
ana_id=$(jqr '.users[] | select(.display_name == "Ana Souza") | .id')
api "$KEY_ana" PUT "/users/$carla_id" '{"user":{"role":"admin"}}'
is "carla becomes admin" "$CODE" 200
api "$KEY_carla" PUT "/users/$ana_id" '{"user":{"role":"agent"}}'
is "carla makes ana an agent" "$CODE" 200
keys Space
expect "the server's refusal shows" "not saved:"
api "$KEY_carla" GET "/phone_numbers"
is "the number stayed off" "$(jqr ".phone_numbers[] | select(.id == $pid) | .recording")" off
keys Escape Escape
expect "Esc goes back" "All Contacts"
tui_quit_clean "crmtui exits cleanly"
tm kill-session -t t 2>/dev/null

TUI_KEY=$KEY_bruno tui_start
wait_for "All Contacts  1-" || true
keys :
type_text "settings"
keys Enter
expect "an agent is told settings are for admins" "Settings are for admins"
api "$KEY_bruno" PUT "/settings/gdpr" '{"settings":{"chat_store_ip":true}}'
is "the server refuses the agent's write" "$CODE" 403
api "$KEY_carla" GET "/settings/gdpr"
is "and nothing changed" "$(jqr '.settings.chat_store_ip')" false
tui_quit_clean "crmtui exits cleanly as bruno"

done_testing
