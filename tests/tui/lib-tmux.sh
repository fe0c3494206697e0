# The tmux harness of the TUI suites: the real build/crmtui in a private tmux
# server of a fixed size, keys sent with send-keys, the screen read with
# capture-pane and polled (never a fixed sleep). Source it after nothing else:
# it sources tests/lib.sh (TAP, server_start, KEY_ana...).
. "$(dirname "${BASH_SOURCE[0]}")/../lib.sh"

TMUX_SOCK="$TMPD/tmux.sock"
TUI_RC="$TMPD/tui.rc"
TUI_ERR="$TMPD/tui.err"
# Polling: every 50 ms up to WAIT_LIMIT seconds (longer under ASan).
WAIT_LIMIT=${WAIT_LIMIT:-10}
case "$BUILD" in *asan*) WAIT_LIMIT=${WAIT_LIMIT_ASAN:-30} ;; esac

tm() { tmux -S "$TMUX_SOCK" "$@"; }

# tui_start [-x COLS] [-y ROWS] [-e VAR=VALUE]... [-- CRMTUI_ARGS...]: runs
# crmtui against $BASE as ana in a fresh tmux session "t", with an empty
# XDG_CONFIG_HOME. The exit status lands in $TUI_RC, stderr in $TUI_ERR.
tui_start() {
	local cols=100 rows=30 envs=()
	while [ $# -gt 0 ]; do
		case "$1" in
		-x) cols=$2; shift 2 ;;
		-y) rows=$2; shift 2 ;;
		-e) envs+=("$2"); shift 2 ;;
		--) shift; break ;;
		*) break ;;
		esac
	done
	mkdir -p "$TMPD/config" "$TMPD/data"
	rm -f "$TUI_RC" "$TUI_ERR"
	local run="$TMPD/run-tui.sh" term=tmux-256color
	infocmp "$term" >/dev/null 2>&1 || term=screen-256color
	{
		echo '#!/bin/sh'
		echo "cd '${TUI_CWD:-$ROOT}' || exit 99" # TUI_CWD: run it from elsewhere
		echo 'ulimit -c 0'
		printf 'export TERM=%s XDG_CONFIG_HOME=%q XDG_DATA_HOME=%q\n' "$term" "$TMPD/config" "$TMPD/data"
		printf 'export CRMTUI_URL=%q CRMTUI_API_KEY=%q\n' "${TUI_URL:-$BASE}" "${TUI_KEY-$KEY_ana}"
		echo 'unset NO_COLOR ESCDELAY CRMTUI_PROFILE'
		for e in "${envs[@]}"; do printf 'export %q\n' "$e"; done
		printf '%q' "$CLIENT_BIN"
		for a in "$@"; do printf ' %q' "$a"; done
		printf ' 2>%q\n' "$TUI_ERR"
		echo 'rc=$?'
		printf 'stty -a >%q 2>&1\n' "$TMPD/stty.after"
		printf 'echo $rc >%q\n' "$TUI_RC"
		# the pane stays alive (tmux hides a dead pane's cursor): the
		# terminal state after crmtui can be read
		echo 'exec sleep 3600'
	} >"$run"
	chmod 700 "$run"
	tm -f /dev/null new-session -d -s t -x "$cols" -y "$rows" "sh '$run'"
	tm set-option -g remain-on-exit on >/dev/null
	tm set-option -g status off >/dev/null
}

# screen: the pane's text now.
screen() { tm capture-pane -p -t t 2>/dev/null; }

# keys KEY...: tmux send-keys names (j, Enter, Escape, C-l, PageDown, ...).
keys() { tm send-keys -t t "$@"; }
# type TEXT: literal text.
type_text() { tm send-keys -t t -l "$1"; }

# wait_for TEXT [SECONDS]: polls until the screen contains TEXT (fixed
# string). Returns 1 on timeout, leaving the last screen in $LAST_SCREEN.
wait_for() {
	local text=$1 limit=${2:-$WAIT_LIMIT} i n
	n=$((limit * 20))
	for ((i = 0; i < n; i++)); do
		LAST_SCREEN=$(screen)
		case "$LAST_SCREEN" in *"$text"*) return 0 ;; esac
		sleep 0.05
	done
	return 1
}

# wait_gone TEXT [SECONDS]: polls until TEXT is no longer on the screen.
wait_gone() {
	local text=$1 limit=${2:-$WAIT_LIMIT} i n
	n=$((limit * 20))
	for ((i = 0; i < n; i++)); do
		LAST_SCREEN=$(screen)
		case "$LAST_SCREEN" in *"$text"*) ;; *) return 0 ;; esac
		sleep 0.05
	done
	return 1
}

# wait_match REGEX [SECONDS]: polls until a line of the screen matches REGEX
# (grep -E).
wait_match() {
	local re=$1 limit=${2:-$WAIT_LIMIT} i n
	n=$((limit * 20))
	for ((i = 0; i < n; i++)); do
		LAST_SCREEN=$(screen)
		printf '%s\n' "$LAST_SCREEN" | grep -qE -- "$re" && return 0
		sleep 0.05
	done
	return 1
}

# wait_exit [SECONDS]: polls until crmtui has exited; its status in TUI_STATUS.
wait_exit() {
	local limit=${1:-$WAIT_LIMIT} i n
	n=$((limit * 20))
	for ((i = 0; i < n; i++)); do
		if [ -s "$TUI_RC" ]; then
			TUI_STATUS=$(cat "$TUI_RC")
			return 0
		fi
		sleep 0.05
	done
	TUI_STATUS=
	return 1
}

# expect NAME TEXT: a TAP line for wait_for TEXT, with the screen on failure.
expect() {
	if wait_for "$2"; then
		ok "$1"
	else
		not_ok "$1" "screen did not show: $2" "--- screen ---" "${LAST_SCREEN//$'\n'/$'\n'#   }"
	fi
}
# expect_match NAME REGEX
expect_match() {
	if wait_match "$2"; then
		ok "$1"
	else
		not_ok "$1" "no line matched: $2" "--- screen ---" "${LAST_SCREEN//$'\n'/$'\n'#   }"
	fi
}
# expect_gone NAME TEXT
expect_gone() {
	if wait_gone "$2"; then
		ok "$1"
	else
		not_ok "$1" "screen still shows: $2" "--- screen ---" "${LAST_SCREEN//$'\n'/$'\n'#   }"
	fi
}

# line N: line N (1-based) of the screen now.
line() { screen | sed -n "${1}p"; }

# tui_quit_clean NAME: presses q and checks crmtui exits 0 with nothing on stderr.
tui_quit_clean() {
	keys q
	if wait_exit && [ "$TUI_STATUS" = 0 ] && [ ! -s "$TUI_ERR" ]; then
		ok "$1"
	else
		not_ok "$1" "exit status: ${TUI_STATUS:-still running}" "stderr: $(head -c 2000 "$TUI_ERR" 2>/dev/null)"
	fi
}

# view_id NAME: the id of the contact view called NAME (from the API).
view_id() {
	api "$KEY_ana" GET "/contacts/filters"
	jqr ".filters[] | select(.name == \"$1\") | .id"
}
# view_total VIEW_ID: meta.total of the view.
view_total() {
	api "$KEY_ana" GET "/contacts/view/$1?per_page=1"
	jqr '.meta.total'
}
# view_names VIEW_ID SORT ORDER PAGE PER_PAGE: display names of a page, one a line.
view_names() {
	api "$KEY_ana" GET "/contacts/view/$1?sort=$2&sort_type=$3&page=$4&per_page=$5"
	jqr '.contacts[].display_name'
}
# cursor_pos: "ROW COL" of the hardware cursor in the pane (0-based).
cursor_pos() { tm display -p -t t '#{cursor_y} #{cursor_x}'; }
# tui_pid: the process id of crmtui (the child of the pane's shell).
tui_pid() { pgrep -P "$(tm display -p -t t '#{pane_pid}')" | head -n 1; }
