#!/bin/bash
# Moving and paging in the list: j/k and arrows, PgDn/PgUp, g/G and
# Home/End; the header position, the marker and the hardware cursor follow;
# Tab and Enter move between the panes, and j/k then scroll that pane.
. "$(dirname "$0")/lib-tmux.sh"

server_start 200
all=$(view_id "All Contacts")
total=$(view_total "$all")
mapfile -t p1 < <(view_names "$all" first_name asc 1 40)
mapfile -t p2 < <(view_names "$all" first_name asc 2 40)
names=("${p1[@]}" "${p2[@]}")
last_page=$(((total + 39) / 40))
mapfile -t plast < <(view_names "$all" first_name asc "$last_page" 40)
last_name=${plast[${#plast[@]} - 1]}
h=27 # list rows at 100x30

tui_start
expect "list shown" "All Contacts  1-$h of $total"
keys j j j
expect_match "j three times selects the fourth row" "^>${names[3]} "
is "only one row is marked" "$(screen | grep -c '^>')" 1
keys k
expect_match "k goes back up" "^>${names[2]} "
keys Down Down
expect_match "Down arrow moves too" "^>${names[4]} "
keys Up
expect_match "Up arrow moves too" "^>${names[3]} "
is "cursor row follows" "$(cursor_pos)" "5 0"

keys NPage
expect "PgDn pages the window" "All Contacts  $((h + 1))-$((2 * h)) of $total"
expect_match "PgDn keeps the row's place in the window" "^>${names[$((3 + h))]} "
keys PPage
expect "PgUp pages back" "All Contacts  1-$h of $total"
expect_match "PgUp restores the selection" "^>${names[3]} "
keys C-f
expect "C-f pages down as well" "All Contacts  $((h + 1))-$((2 * h)) of $total"
keys C-b

keys G
expect "G goes to the end" "All Contacts  $((total - h + 1))-$total of $total"
expect_match "the last contact is selected" "^>${last_name} "
is "cursor on the last list row" "$(cursor_pos)" "$((h + 1)) 0"
keys g
expect "g goes to the start" "All Contacts  1-$h of $total"
expect_match "the first contact is selected" "^>${names[0]} "
keys End
expect "End goes to the end" "All Contacts  $((total - h + 1))-$total of $total"
keys Home
expect "Home goes to the start" "All Contacts  1-$h of $total"

# moving past the window scrolls by one row
for ((i = 0; i < h; i++)); do keys j; done
expect "moving past the last visible row scrolls one row" "All Contacts  2-$((h + 1)) of $total"
expect_match "and selects that row" "^>${names[$h]} "
keys k
expect_match "k inside the window does not scroll" "^>${names[$((h - 1))]} "
is "position unchanged" "$(line 1 | grep -c "All Contacts  2-$((h + 1)) of")" 1
keys g

# panes: Tab moves the focus; j then scrolls the detail, not the list
keys Tab
expect "Tab focuses the detail pane" "Detail - ${names[0]}"
is "cursor in the detail pane" "$(cursor_pos)" "2 41"
before=$(screen | sed -n '3,16p' | cut -c42-)
keys j j
wait_match "^>${names[0]} "
for i in $(seq 1 40); do
	now=$(screen | sed -n '3,16p' | cut -c42-)
	[ "$now" != "$before" ] && break
	sleep 0.05
done
check "j scrolls the detail pane" test "$now" != "$before"
expect_match "the list selection stays" "^>${names[0]} "
keys Tab
is "Tab again focuses the timeline" "$(cursor_pos)" "$((2 + 15)) 41"
keys Escape
expect_match "Esc returns to the list" "^>${names[0]} "
is "cursor back on the list" "$(cursor_pos)" "2 0"
keys j Enter
expect "Enter opens the selected contact" "Detail - ${names[1]}"
is "Enter focuses the detail pane" "$(cursor_pos)" "2 41"
keys BTab
is "Shift-Tab goes back to the list" "$(cursor_pos)" "3 0"

tui_quit_clean "exits clean"
done_testing
