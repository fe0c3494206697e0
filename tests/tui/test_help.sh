#!/bin/bash
# Help: ? shows every action with its keys and every command, generated from
# the action list and the keymap in use (a binding from the config shows);
# it scrolls, and ? or Esc returns to where the user was.
. "$(dirname "$0")/lib-tmux.sh"

server_start 50
mkdir -p "$TMPD/config/crmtui"
printf 'bind browse J page-down\nbind global <F10> quit\n' >"$TMPD/config/crmtui/config"

tui_start
expect "list shown" "All Contacts  1-"
keys j j
keys ?
expect "? opens help" "Everywhere (global)"
expect "header says Help" "Help  1-"
expect_match "an action with its keys and name" "j <Down> +move down one row \(move-down\)"
expect_match "a binding from the config shows" "<PgDn> <C-f> <Space> J +move down one page"
expect "help has its own hints" "Esc back"
# page through, gathering every action name and command
seen=$(screen)
for i in $(seq 1 10); do
	keys NPage
	wait_for "Help  " >/dev/null
	seen+=$'\n'$(screen)
done
missing=
for name in $("$CLIENT_BIN" --keys-markdown | sed -n 's/^| `[^|]*` | \([a-z][a-z-]*\) | .*/\1/p' | sort -u); do
	[[ "$seen" == *"($name)"* ]] || missing+=" $name"
done
is "every action of the list is on the help screen" "${missing:-none}" "none"
for cmd in quit help theme contacts view search settings users companies reports account requests; do
	[[ "$seen" == *":$cmd"* ]] || missing+=" :$cmd"
done
is "every command is on the help screen" "${missing:-none}" "none"
keys g
expect "g goes back to the top of help" "Help  1-"
keys Escape
expect "Esc returns to the contacts" "All Contacts  1-"
expect_match "with the selection kept" "^>"
is "on the same row" "$(cursor_pos)" "4 0"
keys F1
expect "F1 opens help too" "Everywhere (global)"
keys ?
expect "? again closes it" "All Contacts  1-"
keys F10
if wait_exit && [ "$TUI_STATUS" = 0 ]; then ok "a key bound in the config works (F10 quits)"; else not_ok "a key bound in the config works (F10 quits)"; fi
done_testing
