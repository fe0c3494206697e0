#!/bin/bash
# A contact whose name and notes hold escape sequences, OSC 0 and OSC 52,
# U+202E and newlines (tests/fixtures/hostile/strings.json): it shows as
# harmless visible text, the pane title and the clipboard are untouched, the
# bell does not ring, and the layout stays intact.
. "$(dirname "$0")/lib-tmux.sh"

server_start 50
fx="$ROOT/tests/fixtures/hostile/strings.json"
s() { jq -r --arg n "$1" '.text[] | select(.name == $n) | .text' "$fx"; }
js() { jq --arg n "$1" '.text[] | select(.name == $n) | .text' "$fx"; } # as a JSON string
first=$(jq -n --argjson a "$(js csi_clear)" --argjson b "$(js osc0_title_bel)" '$a + $b')
last=$(jq -n --argjson a "$(js osc52_clipboard)" --argjson b "$(js bidi_rlo)" --argjson c "$(js newline_row)" '$a + $b + $c')
body=$(jq -n --argjson f "$first" --argjson l "$last" \
	'{contact: {first_name: $f, last_name: $l, email: "hostile@example.com", job_title: "x\u001b]2;owned\u001b\\y"}}')
api "$KEY_ana" POST "/contacts" "$body"
is "the hostile contact was created" "$CODE" 200
id=$(jqr '.contact.id')
notes=$(jq -n --argjson c "$(js c1_csi_utf8)" --argjson d "$(js dcs_request)" --argjson s "$(js sgr_color)" \
	--argjson id "$id" '{note: {description: ("first line\n" + $c + "\n" + $d + $s + "\u001b[H\u001b[2J"), targetable_type: "Contact", targetable_id: $id}}')
api "$KEY_ana" POST "/notes" "$notes"
is "a hostile note was added" "$CODE" 200

# tall and wide first, so that no value wraps and the notes are on screen
tui_start -x 140 -y 90
expect "list shown" "All Contacts  1-"
title_before=$(tm display -p -t t '#{pane_title}')
tm pipe-pane -t t -o "cat >>'$TMPD/out.raw'"
keys /
type_text "hostile@example.com"
keys Enter
expect "the contact is found" "Search \"hostile@example.com\"  1-1 of 1"
keys Enter
expect "its detail opens" "Detail - Ana"
expect "escape sequences show as visible text" "Ana␛[2J␛[Hx␛]0;owned␇y"
expect "OSC 52 shows as text" "␛]52;c;ZWNobyBwd25lZA==␇"
expect "U+202E is replaced by a visible mark" "invoice�gpj.exe"
expect "a newline in a name is a visible mark" "first␊second row"
expect "the note's lines are text too" "a�2Jb"
expect "the note's DCS is inert" "␛P\$q\"p␛\\"
# what tmux passed on so far is in out.raw once the names show there
for ((i = 0; i < WAIT_LIMIT * 20; i++)); do
	grep -aq "owned" "$TMPD/out.raw" 2>/dev/null && break
	sleep 0.05
done
is "the pane title is unchanged" "$(tm display -p -t t '#{pane_title}')" "$title_before"
is "no clipboard buffer was set" "$(tm list-buffers 2>/dev/null | wc -l)" 0
is "no bell" "$(tm display -p -t t '#{window_bell_flag}')" 0
check "the terminal output was captured" test -s "$TMPD/out.raw"
check "the output holds the names as drawn text" grep -aq "owned" "$TMPD/out.raw"
check "no OSC (title, clipboard) from the data reached the terminal" \
	bash -c "! grep -aqE \$'\\e\\\\](0|2|8|52);' '$TMPD/out.raw'"
check "no DCS from the data reached the terminal" bash -c "! grep -aq \$'\\eP' '$TMPD/out.raw'"
# layout at 100x30: 30 rows, the header on top, the status line below, one
# separator a body row
tm resize-window -t t -x 100 -y 30
wait_for "Search \"hostile@example.com\"  1-1 of 1" >/dev/null
scr=$(screen)
is "the screen has its 30 rows" "$(printf '%s\n' "$scr" | wc -l)" 30
is "header on the first row" "$(printf '%s\n' "$scr" | sed -n 1p | grep -c '^ crmtui - ')" 1
is "status line on the last row" "$(printf '%s\n' "$scr" | sed -n 30p | grep -c 'q quit')" 1
bad=0
while IFS= read -r l; do
	rest=${l#*│}
	[ "$rest" = "$l" ] && bad=$((bad + 1))
	[[ "$rest" == *│* ]] && bad=$((bad + 1))
done < <(printf '%s\n' "$scr" | sed -n '2,29p')
is "every body row has exactly one pane separator" "$bad" 0
tui_quit_clean "exits clean"
done_testing
