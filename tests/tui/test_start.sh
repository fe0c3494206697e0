#!/bin/bash
# Starting: --help, --version, errors before curses (one sentence on stderr,
# exit 1), and the connection screen for a refused key and an unreachable
# server ("r retry, q quit"), which recovers once the server is there.
. "$(dirname "$0")/lib-tmux.sh"

out=$("$CLIENT_BIN" --help)
case "$out" in *"usage: crmtui"*--theme*--profile*) ok "--help prints the usage" ;; *) not_ok "--help prints the usage" "$out" ;; esac
out=$("$CLIENT_BIN" --version)
case "$out" in "crmtui "[0-9]*) ok "--version prints the version" ;; *) not_ok "--version prints the version" "$out" ;; esac

# run_err NAME WANT ENV... -- ARGS...: crmtui must exit 1 (2 for usage) with
# one line on stderr containing WANT, before touching the terminal.
run_err() {
	local name=$1 want=$2 code=$3
	shift 3
	local envs=() args=()
	while [ $# -gt 0 ] && [ "$1" != -- ]; do envs+=("$1"); shift; done
	[ "${1-}" = -- ] && shift
	args=("$@")
	local err rc
	err=$(env -i PATH="$PATH" HOME="$TMPD" XDG_CONFIG_HOME="$TMPD/cfg" TERM=xterm "${envs[@]}" \
		"$CLIENT_BIN" "${args[@]}" 2>&1 </dev/null >/dev/null)
	rc=$?
	if [ "$rc" = "$code" ] && [ "$(printf '%s\n' "$err" | wc -l)" = 1 ] && [[ "$err" == *"$want"* ]]; then
		ok "$name"
	else
		not_ok "$name" "status $rc (want $code)" "stderr: $err"
	fi
}
mkdir -p "$TMPD/cfg/crmtui"
run_err "no URL: one sentence" "no server URL" 1 CRMTUI_API_KEY=k
run_err "no key: one sentence" "CRMTUI_API_KEY" 1 CRMTUI_URL=http://127.0.0.1:9/crm/sales/api
run_err "a remote http URL is refused" "http" 1 CRMTUI_URL=http://example.com/crm/sales/api CRMTUI_API_KEY=k
run_err "an unknown theme is named" "no theme \"nosuch\"" 1 CRMTUI_URL=http://127.0.0.1:9/api CRMTUI_API_KEY=k -- --theme nosuch
run_err "an unknown argument is a usage error" "unknown argument" 2 -- --frobnicate
printf 'bind browse j teleport\n' >"$TMPD/cfg/crmtui/config"
run_err "a bad binding names its line" "config line 1: unknown action \"teleport\"" 1 CRMTUI_URL=http://127.0.0.1:9/api CRMTUI_API_KEY=k
printf 'bind nowhere j quit\n' >"$TMPD/cfg/crmtui/config"
run_err "a bad context is named" "unknown key context \"nowhere\"" 1 CRMTUI_URL=http://127.0.0.1:9/api CRMTUI_API_KEY=k
printf 'frobnicate = 1\n' >"$TMPD/cfg/crmtui/config"
run_err "a config error names file and line" "config:1" 1 CRMTUI_API_KEY=k
rm -f "$TMPD/cfg/crmtui/config"

server_start 30
port=${BASE#http://127.0.0.1:}
port=${port%%/*}

# A refused key: the connection screen, not a blank one.
TUI_KEY=not-a-key tui_start
expect "a refused key is one clear sentence" "refused the API key"
expect "and the way on" "r retry, q quit"
tui_quit_clean "q quits the connection screen"
tm kill-server

# An unreachable server: the same, and r works once the server is back.
server_stop
TUI_URL="http://127.0.0.1:$port/crm/sales/api" tui_start
expect "an unreachable server is one clear sentence" "Cannot connect to http://127.0.0.1:$port/crm/sales/api"
expect "with retry and quit" "r retry, q quit"
server_serve --listen "127.0.0.1:$port"
keys r
expect "r connects once the server is back" "Ana Souza (admin)"
expect "and shows the list" "All Contacts  1-"
tui_quit_clean "exits clean after the retry"

done_testing
