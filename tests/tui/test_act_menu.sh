#!/bin/bash
# The quick-action menu: `.` opens it over the selected row with each entry's
# letter; an entry the user may not run is dimmed with the reason (bruno may
# not forget) and its letter does nothing; Esc closes the menu.
. "$(dirname "$0")/lib-tmux.sh"

server_start 30
api "$KEY_bruno" GET /users/me
is "bruno may not forget (the server says so)" "$(jqr '.user.permissions.forget_records')" false

TUI_KEY=$KEY_bruno tui_start
expect "the list, as bruno" "All Contacts  1-"
keys .
expect "the menu opens" "Actions: "
for entry in "u  Unsubscribe" "e  Edit" "x  Export" "f  Forget" "d  Delete" "r  Restore"; do
	expect "the entry \"$entry\"" "$entry"
done
expect "Forget is dimmed with its reason" "f  Forget  (no permission)"
expect "Restore outside the Recycle Bin says why" "r  Restore  (Recycle Bin only)"
keys f
expect "f says why it does nothing" "Forget: no permission"
check "no preview was asked for" test -z "$(screen | grep -F 'what goes')"
keys z
expect "an unknown key is named" "z is not an action here"
keys Escape
expect_gone "Esc closes the menu" "Actions: "
keys q
wait_exit
is "bruno's session ends" "$TUI_STATUS" 0

# ana may forget: the entry is not dimmed
tm kill-session -t t
tui_start
expect "the list, as ana" "All Contacts  1-"
keys .
expect "the menu" "Actions: "
check "Forget is offered to ana" sh -c "tmux -S '$TMUX_SOCK' capture-pane -p -t t | grep -q 'f  Forget  *│'"
keys Escape
expect_gone "closed" "Actions: "
tui_quit_clean "exits clean"
done_testing
