#!/bin/bash
# Themes: the default theme's colours, :theme NAME switching live (mono has no
# colour at all, the others each look different), an unknown theme refused in
# words, :theme listing them; NO_COLOR selects mono; --theme at start; an 8-
# colour terminal gets the nearest colours; the layout is the same in all; a
# build run from another folder finds the themes beside it.
. "$(dirname "$0")/lib-tmux.sh"

server_start 50
# styled: the screen with its colour and attribute escapes.
styled() { tm capture-pane -e -p -t t; }
# colour_kinds: the distinct SGR colour parameters on screen (e.g. 48;5;24).
colour_kinds() { styled | grep -oE '\[[0-9;]*m' | grep -oE '(38|48);5;[0-9]+|(^|;|\[)(3|4|9|10)[0-7]' | sort -u | tr '\n' ' '; }
# wait_styled REGEX: polls the styled screen until a match.
wait_styled() {
	local i
	for ((i = 0; i < WAIT_LIMIT * 20; i++)); do
		styled | grep -qE -- "$1" && return 0
		sleep 0.05
	done
	return 1
}
wait_unstyled() {
	local i
	for ((i = 0; i < WAIT_LIMIT * 20; i++)); do
		styled | grep -qE -- "$1" || return 0
		sleep 0.05
	done
	return 1
}

tui_start
expect "list shown" "All Contacts  1-"
check "the default theme paints the header and the selection blue" wait_styled '(\[|;)44(;|m)'
plain=$(screen)
keys :
type_text "theme mono"
keys Enter
expect "the switch is confirmed" "theme mono"
check "mono has no colour at all" wait_unstyled '(38|48);5;|\[(3|4)[0-7]m|;(3|4)[0-7](;|m)'
check "mono still shows the selection (reverse)" wait_styled $'\e\\[[0-9;]*7m(\e\\[[0-9;]*m)*>'
keys :
type_text "theme colour-blind-safe"
keys Enter
expect "colour-blind-safe loads" "theme colour-blind-safe"
check "its selection is orange (214)" wait_styled '48;5;214'
keys :
type_text "theme solarized-dark"
keys Enter
check "solarized-dark paints its base colour (234)" wait_styled '48;5;234'
keys :
type_text "theme high-contrast"
keys Enter
expect "high-contrast loads" "theme high-contrast"
keys :
type_text "theme nosuch"
keys Enter
expect "an unknown theme is refused in words" "no theme \"nosuch\""
keys :
type_text "theme"
keys Enter
expect "without a name, the themes are listed" "themes: colour-blind-safe default high-contrast mono solarized-dark (now: high-contrast)"
is "the layout is the same in every theme" "$(screen | sed -n '2,29p' | cut -c1-20)" "$(printf '%s\n' "$plain" | sed -n '2,29p' | cut -c1-20)"
tui_quit_clean "exits clean"
tm kill-server

tui_start -e NO_COLOR=1
expect "NO_COLOR: list shown" "All Contacts  1-"
check "NO_COLOR selects mono" wait_unstyled '(38|48);5;|\[(3|4)[0-7]m|;(3|4)[0-7](;|m)'
tui_quit_clean "exits clean (NO_COLOR)"
tm kill-server

tui_start -- --theme solarized-dark
expect "--theme: list shown" "All Contacts  1-"
check "--theme picks the theme" wait_styled '48;5;234'
tui_quit_clean "exits clean (--theme)"
tm kill-server

# run from another folder, not installed: the themes beside the program's
# build folder are found
mkdir -p "$TMPD/elsewhere"
TUI_CWD="$TMPD/elsewhere" tui_start -e "XDG_DATA_HOME=$TMPD/elsewhere" -- --theme colour-blind-safe
expect "from another folder: list shown" "All Contacts  1-"
check "the theme beside the build is found" wait_styled '48;5;214'
tui_quit_clean "exits clean (another folder)"
tm kill-server

tui_start -e TERM=screen
expect "8 colours: list shown" "All Contacts  1-"
check "8 colours: no 256-colour codes" wait_unstyled '(38|48);5;'
check "8 colours: the nearest of the 8 instead" wait_styled '\[[0-9;]*4[0-7](;[0-9;]*)?m'
tui_quit_clean "exits clean (8 colours)"
done_testing
