#!/bin/bash
# The server stops mid-session: a clear message, the rows that cannot load say
# so, no crash, keys keep working; once it is back on the same port, R loads
# the list again and the session goes on.
. "$(dirname "$0")/lib-tmux.sh"

server_start 200
all=$(view_id "All Contacts")
total=$(view_total "$all")
mapfile -t far < <(view_names "$all" first_name asc 4 40)
port=${BASE#http://127.0.0.1:}
port=${port%%/*}

tui_start
expect "list shown" "All Contacts  1-27 of $total"
wait_gone "loading" >/dev/null
server_stop
keys G
expect "an error in plain words" "cannot reach the server"
expect "the rows that could not load say so" "not loaded; R reloads"
keys g j k
expect "keys still work" "All Contacts  1-27 of $total"
check "crmtui is still running" test ! -s "$TUI_RC"
keys j j j Enter
expect "a contact that cannot load says why" "Not loaded: cannot reach the server"
keys Escape

server_serve --listen "127.0.0.1:$port"
keys G
expect "failed pages are not asked again by themselves" "not loaded; R reloads"
keys R
expect_gone "R loads them once the server is back" "not loaded"
expect "the end of the list" "All Contacts  $((total - 26))-$total of $total"
expect_gone "the error is gone" "cannot reach the server"
keys g j j j Enter
expect "the contact loads again" "Contact points"
keys Escape g
for i in 1 2 3 4; do keys NPage; done
expect "paging works again" "All Contacts  109-135 of $total"
tui_quit_clean "exits clean"
done_testing
