#!/bin/bash
# :account (admins). Export all data: through a slow loopback relay the
# progress shows records done of the server's total, a rate and the time
# left; Esc cancels and no file is left; straight to the server the file is
# complete (as many lines as X-Total-Records), mode 0600. Cancel account:
# says what happens and when, offers the export, asks for the account name;
# then both purge dates and Restore. An agent is refused, by the screen and
# by the server.
. "$(dirname "$0")/lib-tmux.sh"

server_start 1500
api "$KEY_ana" GET "/account"
name=$(jqr '.account.name')
is "the account starts active" "$(jqr '.account.status')" active
total=$(curl -s -D - -o /dev/null -H "Authorization: Token token=$KEY_ana" "$BASE/export" |
	tr -d '\r' | sed -n 's/^[Xx]-[Tt]otal-[Rr]ecords: *//p')
check "the server announces its total" [ -n "$total" ] && [ "$total" -gt 1000 ]

# A relay that passes the server's answers on slowly (4 KiB every 20 ms).
cat >"$TMPD/relay.py" <<'PY'
import socket, sys, threading, time
up_port = int(sys.argv[1])
ls = socket.socket(); ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", 0)); ls.listen(8)
print(ls.getsockname()[1], flush=True)
def pipe(src, dst, slow):
    try:
        while True:
            b = src.recv(4096)
            if not b:
                break
            dst.sendall(b)
            if slow:
                time.sleep(0.02)
    except OSError:
        pass
    for s in (src, dst):
        try:
            s.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
while True:
    c, _ = ls.accept()
    u = socket.create_connection(("127.0.0.1", up_port))
    threading.Thread(target=pipe, args=(c, u, False), daemon=True).start()
    threading.Thread(target=pipe, args=(u, c, True), daemon=True).start()
PY
port=${BASE#http://127.0.0.1:}
port=${port%%/*}
python3 "$TMPD/relay.py" "$port" >"$TMPD/relay.port" 2>/dev/null &
RELAY_PID=$!
trap 'kill $RELAY_PID 2>/dev/null; cleanup' EXIT
for i in $(seq 1 100); do [ -s "$TMPD/relay.port" ] && break; sleep 0.05; done
relay="http://127.0.0.1:$(cat "$TMPD/relay.port")/crm/sales/api"
mkdir -p "$TMPD/home"
out="$TMPD/home/crmtui-exports"

TUI_URL=$relay tui_start -e HOME="$TMPD/home"
wait_for "All Contacts  1-" || true
keys :
type_text "account"
keys Enter
expect "the Account screen shows the account" "Name     $name"
expect "and its status" "Status   active"
keys x
expect_match "the export shows records done of the total" "[0-9]+ of $total records"
expect_match "with a rate and the time left" "records/s .*s left"
expect "and says how to cancel" "Esc cancels the export"
check "a partial file exists while it runs" sh -c "ls '$out'/account-*.ndjson.* >/dev/null 2>&1"
keys Escape
expect "Esc cancels it" "Export cancelled; the partial file was removed."
check "no file is left behind" [ -z "$(ls -A "$out" 2>/dev/null | grep account)" ]
tui_quit_clean "crmtui exits cleanly (relay)"
tm kill-session -t t 2>/dev/null
kill $RELAY_PID 2>/dev/null

tui_start -e HOME="$TMPD/home"
wait_for "All Contacts  1-" || true
keys :
type_text "account"
keys Enter
expect "the Account screen again" "Status   active"
keys x
expect "a direct export completes" "Exported $total records to $out/account-"
file=$(ls "$out"/account-*.ndjson 2>/dev/null | head -n 1)
check "the file is in place" [ -f "$file" ]
is "it has one line per record" "$(wc -l <"$file" | tr -d ' ')" "$total"
is "its mode is 0600" "$(stat -c %a "$file")" 600
check "every line is a typed record" sh -c "jq -e -s 'all(.[]; has(\"type\") and has(\"data\"))' '$file' >/dev/null"

keys C
expect "Cancel says when data is erased" "erases all its data 30 days from now"
expect "and what happens to call data" "kept 14 days"
expect "and offers the export first" "export all data first"
keys c
expect "then asks for the account name" "Type the account name ($name)"
keys Escape
expect "Esc keeps the account" "the account stays active"
api "$KEY_ana" GET "/account"
is "the server's account is still active" "$(jqr '.account.status')" active
keys C
wait_for "export all data first" || true
keys c
wait_for "Type the account name" || true
type_text "$name"
keys Enter
expect "the account is cancelled" "cancelled: waiting for the purge"
api "$KEY_ana" GET "/account"
is "the server has it pending" "$(jqr '.account.status')" cancellation_pending
purge=$(jqr '.account.purge_at')
call_purge=$(jqr '.account.call_data_purge_at')
expect "the screen shows the purge date" "All data erased on       $purge"
expect "and the call data purge date" "Call recordings and notes erased on  $call_purge"
expect "Restore is offered" "r restore the account"
keys r
expect "r restores it" "Status   active"
api "$KEY_ana" GET "/account"
is "the server has it active again" "$(jqr '.account.status')" active
is "with no purge date" "$(jqr '.account.purge_at')" null
keys Escape
expect "Esc goes back" "All Contacts"
tui_quit_clean "crmtui exits cleanly"
tm kill-session -t t 2>/dev/null

TUI_KEY=$KEY_bruno tui_start -e HOME="$TMPD/home"
wait_for "All Contacts  1-" || true
keys :
type_text "account"
keys Enter
expect "an agent is told the screen is for admins" "The Account screen is for admins."
api "$KEY_bruno" POST "/account/cancel" "{\"confirm\":\"$name\"}"
is "the server refuses the agent" "$CODE" 403
api "$KEY_bruno" GET "/export"
is "and the agent's export" "$CODE" 403
tui_quit_clean "crmtui exits cleanly as bruno"

done_testing
