#!/bin/bash
# Search: / asks for text, the server's hits show as the list, Enter opens a
# hit, Esc returns to the view and row the user was on; no hits is said so;
# the prompt keeps a history (up/down), and :search works the same.
. "$(dirname "$0")/lib-tmux.sh"

server_start 200
all=$(view_id "All Contacts")
total=$(view_total "$all")
mapfile -t names < <(view_names "$all" first_name asc 1 40)
target=${names[5]}
first_word=${target%% *}
api "$KEY_ana" GET "/search?q=$(jq -rn --arg q "$target" '$q|@uri')&include=contact"
hits=$(jqr 'length')

tui_start
expect "list shown" "All Contacts  1-27 of $total"
keys j j j j j j j
expect_match "seventh row selected" "^>${names[7]} "
keys /
expect_match "the search prompt opens" "^search:"
type_text "$target"
expect "typed text shows in the prompt" "search: $target"
keys Enter
expect "the hits are the list" "Search \"$target\"  1-$hits of $hits"
expect_match "the first hit is selected" "^>$target"
expect "the hit opens in the detail" "Detail - $target"
keys Escape
expect "Esc returns to the view" "All Contacts  1-27 of $total"
expect_match "and to the row the user was on" "^>${names[7]} "

keys /
type_text "zzqqxxnomatch"
keys Enter
expect "no hits is said in words" "no contacts match \"zzqqxxnomatch\""
expect "header counts none" "Search \"zzqqxxnomatch\"  0-0 of 0"
keys Escape
expect_match "Esc again returns" "^>${names[7]} "

keys /
keys Up
expect "Up recalls the last search" "search: zzqqxxnomatch"
keys Up
expect "Up again recalls the one before" "search: $target"
keys Down
expect "Down goes forward in the history" "search: zzqqxxnomatch"
keys C-u
type_text "$first_word"
keys Escape
expect_match "Esc closes the prompt without searching" "q quit$"
is "the view is unchanged" "$(line 1 | grep -c "All Contacts  1-27 of $total")" 1

keys :
type_text "search $target"
keys Enter
expect ":search searches too" "Search \"$target\""
keys :
keys Up
expect "the command line has its own history" ":search $target"
keys Escape
tui_quit_clean "exits clean"
done_testing
