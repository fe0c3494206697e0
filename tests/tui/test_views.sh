#!/bin/bash
# Views from /contacts/filters switch with v / V and :view; the sort order
# cycles with s (name, email, created, updated) and reverses with S; each
# shows the server's rows in the server's order.
. "$(dirname "$0")/lib-tmux.sh"

server_start 200
declare -A total first
for v in "All Contacts" "My Contacts" "Do Not Disturb" "Recycle Bin"; do
	id=$(view_id "$v")
	total[$v]=$(view_total "$id")
	first[$v]=$(view_names "$id" first_name asc 1 1)
done
all=$(view_id "All Contacts")
by_email=$(view_names "$all" email asc 1 1)
by_created=$(view_names "$all" created_at desc 1 1)
by_updated=$(view_names "$all" updated_at desc 1 1)
by_name_desc=$(view_names "$all" first_name desc 1 1)

tui_start
expect "the default view" "All Contacts  1-27 of ${total[All Contacts]}"
keys v
expect "v: My Contacts" "My Contacts  1-27 of ${total[My Contacts]}"
expect_match "its first row" "^>${first[My Contacts]} "
keys v
expect "v: Do Not Disturb" "Do Not Disturb  1-${total[Do Not Disturb]} of ${total[Do Not Disturb]}"
expect_match "its rows carry the DND mark" "^>${first[Do Not Disturb]} .*DND"
keys v
expect "v: Recycle Bin" "Recycle Bin  1-${total[Recycle Bin]} of ${total[Recycle Bin]}"
expect_match "its first row" "^>${first[Recycle Bin]} "
keys v
expect "v cycles back to All Contacts" "All Contacts  1-27 of ${total[All Contacts]}"
keys V
expect "V goes the other way" "Recycle Bin  1-"
keys :
type_text "view do not"
keys Enter
expect ":view picks a view by name" "Do Not Disturb  1-"
keys :
type_text "view nosuch"
keys Enter
expect ":view names the views when none matches" "no view \"nosuch\" (views: All Contacts, My Contacts, Do Not Disturb, Recycle Bin)"
keys :
type_text "view all"
keys Enter
expect "back to All Contacts" "All Contacts  1-27 of"

keys s
expect "s: by email" "All Contacts by email"
expect_match "first by email" "^>${by_email} "
keys s
expect "s: by created" "by created"
expect_match "newest created first" "^>${by_created} "
keys s
expect "s: by updated" "by updated"
expect_match "latest updated first" "^>${by_updated} "
keys s
expect "s: back to by name" "by name"
keys S
expect "S reverses" "All Contacts by name, reversed"
expect_match "last name first" "^>${by_name_desc} "
# names in CJK scripts come first now: double-width names keep the columns
# aligned (every list row is 40 columns up to the separator)
bad=0
while IFS= read -r l; do
	w=$(printf '%s' "${l%%│*}" | LC_ALL=C.UTF-8 wc -L)
	[ "$w" = 40 ] || bad=$((bad + 1))
done < <(screen | sed -n '2,29p')
is "double-width names stay aligned" "$bad" 0
wide_w=$(printf '%s' "$by_name_desc" | LC_ALL=C.UTF-8 wc -L)
wide_n=$(printf '%s' "$by_name_desc" | LC_ALL=C.UTF-8 wc -m)
check "the first name shown is double-width ($by_name_desc)" test "$wide_w" -gt "$wide_n"
tui_quit_clean "exits clean"
done_testing
