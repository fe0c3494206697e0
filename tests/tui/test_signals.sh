#!/bin/bash
# The terminal is restored on every exit path: q, SIGTERM, SIGINT, SIGHUP and a
# crash (SIGSEGV, SIGABRT): the alternate screen is left, the cursor shows, the
# tty is back in cooked mode with echo, and a signal's exit status is kept.
. "$(dirname "$0")/lib-tmux.sh"

server_start 30
# restored NAME: checks the terminal state after crmtui has gone.
restored() {
	is "$1: alternate screen left" "$(tm display -p -t t '#{alternate_on}')" 0
	is "$1: cursor visible" "$(tm display -p -t t '#{cursor_flag}')" 1
	local st
	st=$(cat "$TMPD/stty.after" 2>/dev/null)
	if [[ " $st " == *" icanon "* && " $st " == *" echo "* ]]; then
		ok "$1: tty in cooked mode with echo"
	else
		not_ok "$1: tty in cooked mode with echo" "$st"
	fi
}

for sig in TERM INT HUP SEGV ABRT; do
	tui_start
	expect "$sig: list shown" "All Contacts  1-"
	pid=$(tui_pid)
	kill -s "$sig" "$pid"
	num=$(kill -l "$sig")
	if wait_exit; then
		is "$sig: dies of the signal" "$TUI_STATUS" "$((128 + num))"
	else
		not_ok "$sig: dies of the signal" "still running"
	fi
	restored "$sig"
	tm kill-server
done

tui_start
expect "q: list shown" "All Contacts  1-"
tui_quit_clean "q: exits 0"
restored "q"
done_testing
