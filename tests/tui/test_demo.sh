#!/bin/bash
# make demo (tools/demo.sh): creates the demo database once under
# $XDG_DATA_HOME/crmtui (keys file 0600 beside it), starts crm-server on a free
# loopback port, opens crmtui as ana, and stops the server when crmtui exits;
# without a terminal it says what it would do instead.
. "$(dirname "$0")/lib-tmux.sh"

data="$TMPD/data"
db="$data/crmtui/demo.db"
# the server serving the demo database ([c]: pgrep must not find itself)
server_up() { pgrep -f "[c]rm-server serve $db" >/dev/null; }
run_demo() {
	tm -f /dev/null new-session -d -s t -x 100 -y 30 \
		"cd '$ROOT' && BUILD='$BUILD' XDG_DATA_HOME='$data' XDG_CONFIG_HOME='$TMPD/config' DEMO_N=120 TERM=tmux-256color sh tools/demo.sh  2>'$TMPD/demo.out'; echo \$? >'$TUI_RC'; exec sleep 3600"
	tm set-option -g status off >/dev/null
}
mkdir -p "$TMPD/config"
rm -f "$TUI_RC"
run_demo
expect "the demo opens crmtui as the demo admin" "Ana Souza (admin)"
expect "on the demo data" "All Contacts  1-"
check "the database was created under XDG_DATA_HOME" test -s "$db"
is "the keys file is private" "$(stat -c %a "$data/crmtui/demo.keys")" 600
check "crm-server is running on it" server_up
keys q
if wait_exit && [ "$TUI_STATUS" = 0 ]; then ok "the demo ends with crmtui"; else not_ok "the demo ends with crmtui" "$(cat "$TMPD/demo.out")"; fi
check "the server stopped with it" bash -c "! pgrep -f '[c]rm-server serve $db' >/dev/null"
check "it said it created the database" grep -q "creating $db" "$TMPD/demo.out"
tm kill-server

rm -f "$TUI_RC"
run_demo
expect "a second run opens crmtui again" "Ana Souza (admin)"
keys q
wait_exit >/dev/null
check "and reuses the database" bash -c "! grep -q creating '$TMPD/demo.out'"
tm kill-server

out=$(cd "$ROOT" && BUILD=$BUILD XDG_DATA_HOME=$data sh tools/demo.sh </dev/null 2>&1)
rc=$?
is "without a terminal it exits 0" "$rc" 0
case "$out" in *"needs a terminal"*"serve $db --listen 127.0.0.1:0"*CRMTUI_URL*) ok "and says what it would do, and how to reach the server" ;; *) not_ok "and says what it would do" "$out" ;; esac
check "no server left behind" bash -c "! pgrep -f '[c]rm-server serve $db' >/dev/null"
done_testing
