#!/bin/bash
# :audit shows the audit log to an admin (time, actor, action, reference,
# counts) and refuses an agent; the server agrees on both.
. "$(dirname "$0")/lib-tmux.sh"

server_start 40
# An entry to show: ana forgets one contact.
api "$KEY_ana" GET "/contacts/view/$(view_id "All Contacts")?per_page=1"
cid=$(jqr '.contacts[0].id')
api "$KEY_ana" DELETE "/contacts/$cid/forget"
is "a contact is forgotten for the log" "$CODE" 200
api "$KEY_ana" GET "/audit"
n=$(jqr '.audit | length')
ref=$(jqr '[.audit[] | select(.action == "contact.forget")][0].subject_ref')
check "the server's log has the forget" [ -n "$ref" ] && [ "$ref" != null ]

tui_start
wait_for "All Contacts  1-" || true
keys :
type_text "audit"
keys Enter
expect_match "the Audit screen opens with the server's count" "Audit log  $n entr(y|ies)"
expect "the columns are named" "Reference"
expect "the forget is listed" "contact.forget"
expect "with its reference" "${ref:0:14}"
expect_match "and its counts" "contact\.forget .*activities [0-9]"
check "no email of any contact is on the screen" sh -c "! printf '%s' \"\$1\" | grep -q '@'" _ "$(screen)"
keys Escape
expect "Esc goes back to the contacts" "All Contacts"
tui_quit_clean "crmtui exits cleanly"
tm kill-session -t t 2>/dev/null

TUI_KEY=$KEY_bruno tui_start
wait_for "All Contacts  1-" || true
keys :
type_text "audit"
keys Enter
expect "an agent is told the log is for admins" "The audit log is for admins only."
api "$KEY_bruno" GET "/audit"
is "and the server refuses the agent" "$CODE" 403
tui_quit_clean "crmtui exits cleanly as bruno"

done_testing
