#!/bin/bash
# crmtui against a Freshsales-shaped account, which has none of crm-server's
# extensions (404 for /users/me, /capabilities, /export, /forget_preview, the
# admin routes): it starts and lists the contacts, names no user in the
# header, says the admin screens are not offered, exports a contact by
# assembling the document itself, and forgets one with the typed
# confirmation and a receipt that claims nothing it could not read. The
# account is the fixture server tests/api/freshsales_fixture.py serving
# tests/fixtures/freshsales.
. "$(dirname "$0")/lib-tmux.sh"

FIX="$ROOT/tests/fixtures/freshsales"
cid=$(jq -r .contact.id "$FIX/contact_with_owner.json")
name=$(jq -r .contact.display_name "$FIX/contact_with_owner.json")
email=$(jq -r .contact.email "$FIX/contact_with_owner.json")
other=$(jq -r '.contacts[0].display_name' "$FIX/contacts_view.json")
n_act=$(jq -r '.activities | length' "$FIX/activities.json")

LOG="$TMPD/fixture.log"
python3 "$ROOT/tests/api/freshsales_fixture.py" >"$TMPD/fixture.out" 2>"$LOG" &
SERVER_PID=$!
port=
for _ in $(seq 1 200); do
	port=$(sed -n 's/^port \([0-9]*\)$/\1/p' "$TMPD/fixture.out")
	[ -n "$port" ] && break
	kill -0 "$SERVER_PID" 2>/dev/null || break
	sleep 0.05
done
check "the fixture server is up" test -n "$port"
TUI_URL="http://127.0.0.1:$port/crm/sales/api"
TUI_KEY=fixture-key-0123456789
home="$TMPD/home"
mkdir -p "$home"
out="$home/crmtui-exports/$cid-$(date +%Y-%m-%d).json"
asked() { grep -c "\"$1 /crm/sales/api$2" "$LOG"; }

tui_start -e "HOME=$home"
expect "the list of the account" "All Contacts  1-2 of 2"
expect "its contacts" "$name"
check "the header names no user" sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t t | head -n 1 | grep -q '(admin)\|(agent)\|(user)\|?'"
is "crmtui asked who the user is" "$(asked GET /users/me)" 1

for screen in settings audit account reports users; do
	keys :
	type_text "$screen"
	keys Enter
	expect ":$screen says it is not offered here" "not available on this server"
	keys Escape
	expect "Esc: back to the list ($screen)" "All Contacts  1-2 of 2"
done
is "no admin screen asked for what the account does not have" \
	"$(grep -E '"GET /crm/sales/api/(settings|audit|account|reports|users)' "$LOG" | grep -vc '/users/me ')" 0

# the second row is the contact the fixture holds whole
keys j Enter
expect "the detail of $name" "$email"
expect "its timeline" "Timeline - $n_act entries"

keys .
expect "the quick actions" "Actions: $name"
expect "the extensions are dimmed" "Send email  (not offered by this server)"
check "Forget is offered: the server decides" sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t t | grep -q 'Forget  ('"
keys x
expect "the export form" "Export contact data"
keys Enter
expect "the export is written" "exported $name: $((n_act + 1)) records"
check "the file is there" test -f "$out"
is "mode 0600" "$(stat -c %a "$out" 2>/dev/null)" 600
is "it holds the contact" "$(jq -r '.export.contact.email' "$out" 2>/dev/null)" "$email"
is "and its timeline" "$(jq -r '.export.activities | length' "$out" 2>/dev/null)" "$n_act"
is "the export endpoint was not asked" "$(asked GET "/contacts/$cid/export")" 0

keys . f
expect "the forget step, without counts" "This server gives no counts in advance."
keys y
expect "the typed confirmation" "type the contact's email"
type_text "$email"
keys Enter
expect "the receipt" "Erasure receipt"
expect "it says the audit is not offered here" "not readable here (the audit is not offered)"
check "it claims nothing of an audit entry it did not read" sh -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t t | grep -q 'holds no personal data'"
is "the erasure was sent once" "$(asked DELETE "/contacts/$cid/forget")" 1
keys Enter
expect_gone "the row left the list" "$name"
expect "the other contact stays" "$other"
expect "the list counts one" "All Contacts  1-1 of 1"

tui_quit_clean "q quits cleanly"

done_testing
