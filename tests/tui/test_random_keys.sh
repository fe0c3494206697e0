#!/bin/bash
# Thousands of random keys to crmtui (the ASan build with BUILD=build-asan),
# the window resized between batches: it never dies, it still answers a known
# key at the end, and q leaves the terminal restored. RANDOM_KEYS_SEED and
# RANDOM_KEYS_N replay or lengthen a run.
. "$(dirname "$0")/lib-tmux.sh"
server_start 30

SEED=${RANDOM_KEYS_SEED:-$$}
N=${RANDOM_KEYS_N:-2000}
RANDOM=$SEED
echo "# seed $SEED, $N keys"

# Every key but the ones that end or suspend the program (q, Q, C-c, C-z,
# C-\): letters, digits, punctuation, the cursor and function keys.
KEYS=(a b c d e f g h i j k l m n o p r s t u v w x y z A B C D E F G H I J K L M N O P R S T U V W X Y Z
	0 1 2 3 4 5 6 7 8 9 / ? : . , - + '*' '#' '!' '<' '>' '[' ']' '{' '}' '=' '_' '|' '~'
	Up Down Left Right PageUp PageDown Home End Enter Escape Tab BTab BSpace Space DC IC
	F1 F2 F3 F4 F5 F6 F7 F8 F9 F10 C-a C-e C-l C-r C-u C-w C-n C-p C-f C-b C-d C-g)
CMDS=(help contacts search settings users companies reports account requests audit)
SIZES=("100 30" "80 24" "40 12" "132 43" "20 6" "200 60" "60 20")

# prompt_open: true once the bottom line is the empty command prompt.
prompt_open() {
	local i
	for ((i = 0; i < 20; i++)); do
		[ "$(screen | tail -n 1 | sed 's/ *$//')" = ":" ] && return 0
		sleep 0.05
	done
	return 1
}

mkdir -p "$TMPD/home"
tui_start -e "HOME=$TMPD/home"
expect "the list is shown" "All Contacts  1-"
PID=$(tui_pid)
sent=0 dead=0 resizes=0
while [ "$sent" -lt "$N" ]; do
	batch=()
	for _ in $(seq 1 40); do batch+=("${KEYS[$((RANDOM % ${#KEYS[@]}))]}"); done
	keys "${batch[@]}"
	sent=$((sent + 40))
	screen | head -n 1 | awk -F '  +' '{print $2}' >>"$TMPD/headers"
	if [ $((sent % 120)) = 0 ]; then
		read -r w h <<<"${SIZES[$((RANDOM % ${#SIZES[@]}))]}"
		tm resize-window -t t -x "$w" -y "$h" 2>/dev/null && resizes=$((resizes + 1))
		# and on to a screen of its own: the admin screens are commands
		keys Escape Escape :
		# Only into an open, empty prompt (the bottom line is ":" alone):
		# typed anywhere else, the letters of "requests" are keys, and its q
		# quits. A line starting with ':' elsewhere on the screen is not it.
		cmd=${CMDS[$((RANDOM % ${#CMDS[@]}))]}
		if prompt_open; then
			type_text "$cmd"
			keys Enter
		else
			keys Escape
		fi
	fi
	if ! kill -0 "$PID" 2>/dev/null || [ -s "$TUI_RC" ]; then
		dead=1
		break
	fi
done
if [ "$dead" = 0 ]; then ok "crmtui lived through $sent random keys and $resizes resizes"; else
	not_ok "crmtui lived through the random keys" "died after $sent keys (seed $SEED)" \
		"exit: $(cat "$TUI_RC" 2>/dev/null)" "stderr: $(head -c 3000 "$TUI_ERR")"
fi
tm resize-window -t t -x 100 -y 30
seen=$(sort -u "$TMPD/headers" | grep -c .)
check "the keys reached several screens ($(sort -u "$TMPD/headers" | tr '\n' ' '))" test "$seen" -ge 3

# A known key: Escape out of whatever is open (a form may ask to discard:
# y), then ? shows the help.
answered=1
for _ in 1 2 3 4 5 6 7 8; do
	keys Escape Escape
	screen | grep -q -i 'discard\|unsaved' && keys y
	keys '?'
	if wait_for "Help  " 2 >/dev/null; then
		answered=0
		break
	fi
done
if [ "$answered" = 0 ]; then ok "the screen answers ? with the help afterwards"; else
	not_ok "the screen answers ? with the help afterwards" "$(screen)"
fi

# q until it quits (Escape first: q may close a screen or a prompt first).
for _ in 1 2 3 4 5 6; do
	keys Escape q
	wait_exit 2 && break
	screen | grep -q -i 'quit?\|discard' && keys y
done
if wait_exit 5; then is "q quits with status 0" "$TUI_STATUS" 0; else not_ok "q quits" "$(screen)"; fi
check "nothing on stderr (no sanitizer report)" test ! -s "$TUI_ERR"
is "alternate screen left" "$(tm display -p -t t '#{alternate_on}')" 0
is "cursor visible" "$(tm display -p -t t '#{cursor_flag}')" 1
st=$(cat "$TMPD/stty.after" 2>/dev/null)
if [[ " $st " == *" icanon "* && " $st " == *" echo "* ]]; then ok "tty in cooked mode with echo"; else
	not_ok "tty in cooked mode with echo" "$st"
fi
api "$KEY_ana" GET /users/me
is "the server lived too" "$CODE" 200

done_testing
