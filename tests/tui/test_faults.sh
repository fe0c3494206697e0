#!/bin/bash
# Server faults under crmtui (crm-server --unsafe-fault-injection): for each
# kind a plain message on the status line, GETs retried and writes not, keys
# answered while a response stalls, nothing from a half-read answer shown, a
# failed save keeps the Edit form's input, and all well again once the
# server is restarted without faults on the same port.
. "$(dirname "$0")/lib-tmux.sh"

server_start 40
all=$(view_id "All Contacts")
total=$(view_total "$all")
port=${BASE#http://127.0.0.1:}
port=${port%%/*}

# serve_with SPEC: restart on the same port, faults per SPEC (empty: none).
serve_with() {
	server_stop
	if [ -n "$1" ]; then
		server_serve --listen "127.0.0.1:$port" --unsafe-fault-injection "$1"
	else
		server_serve --listen "127.0.0.1:$port"
	fi
}
# log_count REGEX: lines of the server log (this run) matching REGEX.
log_count() { grep -cE -- "$1" "$TMPD/serve.err"; }

tui_start
expect "list shown" "All Contacts  1-27 of $total"
wait_gone "loading" >/dev/null

# A contact made while reads fail: it sorts first, so a half-read list
# would show it.
serve_with "seed=7,error500=1,only=GET"
check "the server warns loudly about the fault mode" grep -q "FAULT INJECTION ON" "$TMPD/serve.err"
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Aaron","last_name":"Halfread"}}'
is "a write still works (faults only for GET)" "$CODE" 200

list_re='^[0-9T:Z-]+ GET /contacts/view/\{id\} '
# kind: the status-line text, and how many GETs of the list it takes
# (1 + 3 retries for what a retry may cure; 1 for a well-formed answer).
for spec in "error500:failed to complete the request:4" "error503:not ready to serve:4" \
	"ratelimit:Too many requests:4" "truncate:cannot reach the server:4" \
	"close:cannot reach the server:4" "malformed:could not be read:1" \
	"stall:cannot reach the server:4"; do
	kind=${spec%%:*}
	rest=${spec#*:}
	msg=${rest%:*}
	want=${rest##*:}
	case "$kind" in
	ratelimit) serve_with "seed=7,ratelimit=1:1,only=GET" ;;
	stall) serve_with "seed=7,stall=1:1,only=GET" ;;
	*) serve_with "seed=7,$kind=1,only=GET" ;;
	esac
	keys Escape R
	if [ "$kind" = stall ]; then
		# the answer hangs: the UI still answers keys meanwhile
		wait_for "loading" >/dev/null
		keys '?'
		expect "stall: keys answered while the answer hangs" "Everywhere (global)"
		keys Escape
	fi
	if wait_match "$msg" 30 && [ "$(screen | tail -n 1 | grep -c "$msg")" = 1 ]; then
		ok "$kind: the status line says \"$msg\""
	else
		not_ok "$kind: the status line says \"$msg\"" "--- screen ---" "${LAST_SCREEN//$'\n'/$'\n'#   }"
	fi
	# the status line may show a failure of the detail pane first: wait
	# for the list's attempts to end
	for ((i = 0; i < 300; i++)); do
		[ "$(log_count "$list_re")" -ge "$want" ] && break
		sleep 0.05
	done
	wait_match "$msg" >/dev/null
	is "$kind: GETs of the list (retries only where they may help)" "$(log_count "$list_re")" "$want"
	keys j k
	check "$kind: nothing from a half-read answer is shown" test -z "$(screen | grep Halfread)"
	check "$kind: crmtui is still running" test ! -s "$TUI_RC"
done

# Recovery: the same port, no faults; R loads the list with the new contact.
serve_with ""
keys Escape R
expect_match "recovered: the list loads again" "^>Aaron Halfread "
expect "the count includes the new contact" "of $((total + 1))"
wait_gone "cannot reach the server" >/dev/null

# A failed save: not retried, the form keeps what was typed.
serve_with "seed=7,error500=1,only=PUT"
keys . e
expect "the edit form" "Edit contact"
keys Tab Tab C-u
type_text "kept@example.com"
keys Enter
expect "the failed save says so" "Not saved:"
expect "what was typed stays" "kept@example.com"
expect "the form stays open" "Edit contact"
is "a failed write is not retried" "$(log_count "^[0-9T:Z-]+ PUT /contacts/\{id\} ")" 1

# A save whose answer is cut: the server may have written it, so the client
# must not send it again.
serve_with "seed=7,truncate=1,only=PUT"
keys Enter
expect "a cut answer is a failure too" "cannot reach the server"
is "a write with a cut answer is not retried" "$(log_count "^[0-9T:Z-]+ PUT /contacts/\{id\} ")" 1
expect "the input is still there" "kept@example.com"

serve_with ""
keys Enter
expect "saved once the server is well" "the changes were saved"
api "$KEY_ana" GET "/contacts/5000000001"
is "the server holds the typed email" "$(jqr .contact.email)" kept@example.com
tui_quit_clean "exits clean"
done_testing
