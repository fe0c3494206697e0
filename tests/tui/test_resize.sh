#!/bin/bash
# Resizing reflows: at 60x20 one pane at a time (Tab switches), at 30x8
# "terminal too small" with keys ignored but q, and back at 100x30 the three
# panes with the selection kept; 80x24 works as a whole.
. "$(dirname "$0")/lib-tmux.sh"

server_start 200
all=$(view_id "All Contacts")
total=$(view_total "$all")
mapfile -t names < <(view_names "$all" first_name asc 1 40)

tui_start
expect "three panes at 100x30" "All Contacts  1-27 of $total"
keys j j
expect_match "third row selected" "^>${names[2]} "
tm resize-window -t t -x 60 -y 20
expect "60x20: the list fills the body" "All Contacts  1-17 of $total"
check "60x20: one pane only (no separator)" bash -c "! tmux -S '$TMUX_SOCK' capture-pane -p -t t | grep -q '│'"
expect_match "60x20: selection kept" "^>${names[2]} "
is "60x20: status line on the last row" "$(line 20 | grep -c 'q quit')" 1
keys Tab
expect "60x20: Tab shows the detail pane" "Detail - ${names[2]}"
keys Tab
expect "60x20: Tab again shows the timeline" "Timeline"
keys Tab
expect_match "60x20: and back to the list" "^>${names[2]} "

tm resize-window -t t -x 30 -y 8
expect "30x8: terminal too small" "terminal too small"
keys j j j G
keys Tab
tm resize-window -t t -x 100 -y 30
expect "back at 100x30: three panes" "│ Detail - ${names[2]}"
expect_match "keys were ignored while too small" "^>${names[2]} "
is "header intact" "$(line 1 | grep -c "crmtui - .*All Contacts  1-27 of $total")" 1
is "status line intact" "$(line 30 | grep -c 'q quit')" 1
is "cursor on the selection" "$(cursor_pos)" "4 0"

tm resize-window -t t -x 30 -y 8
expect "too small again" "terminal too small"
keys q
if wait_exit && [ "$TUI_STATUS" = 0 ]; then ok "q quits even when too small"; else not_ok "q quits even when too small"; fi
tm kill-server

tui_start -x 80 -y 24
expect "80x24: the list, one pane" "All Contacts  1-21 of $total"
expect_match "80x24: name, email and marks on a row" "^>${names[0]} +[^ ]+@[^ ]+ .*(sub|uns|-)$"
expect "80x24: all the hints fit" ". actions  / search  : command  Tab pane  ? help  q quit"
keys Enter
expect "80x24: Enter opens the detail" "Detail - ${names[0]}"
expect "80x24: detail groups" "Contact points"
keys Escape
expect_match "80x24: Esc back to the list" "^>${names[0]} "
keys /
type_text "${names[3]}"
keys Enter
expect "80x24: search works" "Search \"${names[3]}\""
keys Escape
keys ?
expect "80x24: help" "Everywhere (global)"
keys Escape
tui_quit_clean "80x24: exits clean"
done_testing
