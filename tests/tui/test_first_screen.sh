#!/bin/bash
# The first screen at 100x30: who is logged in, the default view with its
# position, the list with the selection marked by text and the cursor on it,
# the detail and timeline of the first contact, the key hints; q exits clean.
. "$(dirname "$0")/lib-tmux.sh"

server_start 200
all=$(view_id "All Contacts")
total=$(view_total "$all")
mapfile -t names < <(view_names "$all" first_name asc 1 3)

tui_start
expect "header names the user and role" "Ana Souza (admin)"
expect "header shows the default view and the position" "All Contacts  1-27 of $total"
expect_match "first row selected with a text marker" "^>${names[0]} "
expect_match "second row not marked" "^ ${names[1]} "
expect "list pane title names view and sort" "All Contacts by name"
expect "detail follows the selection" "Detail - ${names[0]}"
expect "detail groups: identity" "Identity"
expect "timeline pane shows its entries" "newest first"
expect "status line hints" ". actions  / search  : command  Tab pane  ? help  q quit"
is "header on the first row" "$(line 1 | grep -c 'crmtui - ')" 1
is "status line on the last row" "$(line 30 | grep -c 'q quit')" 1
is "hardware cursor on the selected row" "$(cursor_pos)" "2 0"
keys j
expect_match "j moves the marker" "^>${names[1]} "
is "the cursor follows the selection" "$(cursor_pos)" "3 0"
keys .
expect "the three dots open the quick actions of the selected row" "Actions: ${names[1]}"
keys Escape
expect_gone "Esc closes them" "Actions: ${names[1]}"
keys :
type_text "nonsense"
keys Enter
expect "an unknown command is named" "unknown command \"nonsense\""
tui_quit_clean "q quits with status 0 and nothing on stderr"
is "the terminal left the alternate screen" "$(tm display -p -t t '#{alternate_on}')" 0

done_testing
