#!/bin/bash
# Hostile bytes in contacts, notes, companies and users' names, written into
# the database with sqlite3 while the server runs (the API refuses invalid
# UTF-8 and raw controls, the database need not): crmtui is walked through its
# screens while tmux records every byte it writes. Nothing from the data may
# reach the terminal as a control: no OSC, no DCS, no C1 (raw or as UTF-8),
# no U+202E; the pane title, the tmux buffers and the frame stay as they were.
. "$(dirname "$0")/lib-tmux.sh"
server_start 20

# The hostile values as hex (sqlite3 stores them as TEXT, byte for byte).
hx() { printf '%s' "$1" | od -v -An -tx1 | tr -d ' \n'; }
E=$'\e'
H=(
	"$(hx "A${E}[2J${E}[Hx")"                       # CSI
	"$(hx "${E}]0;pwned-title"$'\a')"               # OSC 0
	"$(hx "${E}]8;;http://evil.example/${E}\\link${E}]8;;${E}\\")" # OSC 8
	"$(hx "${E}]52;c;ZWNobyBwd25lZA=="$'\a')"       # OSC 52
	"$(hx "${E}P\$q\"p${E}\\")"                     # DCS
	"c29c9b324a9d303b78"                            # raw 8-bit C1 (0x9B, 0x9D)
	"c29b324ac29d303b7807"                          # C1 as UTF-8 (U+009B, U+009D)
	"696e766f696365e280ae67706a2e657865"            # U+202E
	"61e2808b62e2808c63e2808d64"                     # zero-width (and a stray byte)
	"c328fffec0af"                          # invalid UTF-8
	"6c696e65310d0a6c696e6532090862"                # CR LF TAB BS
	"e4b8ade69687e4b8ade69687e4b8ade69687"          # double width
	"65cc81cc81cc81cc81cc81"                        # combining marks
	"6100620a"                                      # a NUL inside
)
LONG=$(head -c 3000 /dev/zero | tr '\0' 'W' | od -v -An -tx1 | tr -d ' \n')
N_INPUTS=$((${#H[@]} + 1))
v() { printf "CAST(X'%s' AS TEXT)" "${H[$(($1 % ${#H[@]}))]}"; }

CID=$(sqlite3 "$DB" "SELECT id FROM contacts WHERE is_deleted = 0 ORDER BY id LIMIT 1")
COLS=(first_name last_name job_title department address city state zipcode country time_zone
	facebook twitter linkedin mobile_number work_number)
set_sql="UPDATE contacts SET "
i=0
for c in "${COLS[@]}"; do
	set_sql+="$c = $(v $i) || '-$c', "
	i=$((i + 1))
done
set_sql+="unsubscription_reason = CAST(X'$LONG' AS TEXT) WHERE id = $CID;"
{
	echo "PRAGMA busy_timeout = 5000;"
	echo "$set_sql"
	echo "UPDATE contact_emails SET value = $(v 1) || '@x.example' WHERE contact_id = $CID;"
	echo "UPDATE users SET display_name = $(v 3) || ' Bruno' WHERE display_name LIKE 'Bruno%';"
	echo "UPDATE companies SET name = $(v 4) || ' Co', city = $(v 6) WHERE id IN (SELECT id FROM companies ORDER BY name LIMIT 2);"
	echo "UPDATE notes SET description = $(v 0) || char(10) || $(v 5) || char(10) || $(v 7) WHERE contact_id = $CID;"
	echo "INSERT INTO notes (contact_id, description, created_at, updated_at) SELECT $CID, $(v 2) || char(10) || $(v 9), strftime('%s','now'), strftime('%s','now');"
} >"$TMPD/hostile.sql"
if sqlite3 "$DB" <"$TMPD/hostile.sql" >/dev/null 2>"$TMPD/sql.err"; then ok "$N_INPUTS hostile values written into the database"; else
	not_ok "the hostile values were written" "$(cat "$TMPD/sql.err")"
fi

api "$KEY_ana" GET "/contacts/$CID"
is "the server serves the raw bytes as valid JSON" "$CODE $(jqr '.contact.last_name|type')" "200 string"

tui_start -x 120 -y 40
expect "the list is shown" "All Contacts  1-"
title_before=$(tm display -p -t t '#{pane_title}')
bufs_before=$(tm list-buffers 2>/dev/null | wc -l)
tm pipe-pane -t t -o "cat >>'$TMPD/out.raw'"

# frame_ok NAME: the header on row 1, the status line on the last row.
frame_ok() {
	local scr
	scr=$(screen)
	if [ "$(printf '%s\n' "$scr" | wc -l)" = 40 ] && printf '%s\n' "$scr" | sed -n 1p | grep -q '^ crmtui - '; then
		ok "$1: the frame is intact"
	else
		not_ok "$1: the frame is intact" "$scr"
	fi
}
keys g g
keys Enter
wait_for "Detail - " >/dev/null
frame_ok "contact detail"
if wait_for "-first_name" >/dev/null; then ok "the hostile contact's detail is on screen"; else
	not_ok "the hostile contact's detail is on screen" "$(screen)"
fi
keys Tab
keys Tab
frame_ok "timeline"
keys Escape
for cmd in "search -first_name" help users companies reports settings audit account requests contacts; do
	keys Escape Escape
	type_text ":$cmd"
	keys Enter
	sleep 0.3 # no text to poll for on a screen that may be refused; the check below reads the frame
	frame_ok ":$cmd"
	keys j j Enter
	keys Escape
done
keys Escape Escape
type_text ":search -first_name"
keys Enter
tui_quit_clean "crmtui quits cleanly after the walk"

check "the output was captured" test -s "$TMPD/out.raw"
check "the output holds the hostile contact's text" grep -aq -- "-last_name" "$TMPD/out.raw"
check "the OSC 0 text was drawn as inert text" grep -aq "pwned-title" "$TMPD/out.raw"
check "the output holds the hostile user's name" grep -aq " Bruno" "$TMPD/out.raw"
check "the output holds a hostile company" grep -aq " Co" "$TMPD/out.raw"
is "the pane title is unchanged" "$(tm display -p -t t '#{pane_title}')" "$title_before"
is "no tmux buffer was set (no OSC 52)" "$(tm list-buffers 2>/dev/null | wc -l)" "$bufs_before"
scan() { # PATTERN_HEX NAME: the raw output holds no such bytes
	if LC_ALL=C grep -aq -P "$1" "$TMPD/out.raw"; then
		not_ok "no $2 in crmtui's output" "$(LC_ALL=C grep -ao -P ".{0,10}$1.{0,10}" "$TMPD/out.raw" | head -3 | od -c | head -5)"
	else
		ok "no $2 in crmtui's output"
	fi
}
scan '\x1b\]' "OSC (ESC ])"
scan '\x1bP' "DCS (ESC P)"
scan '\x1b[^\[\(\)=>78M]' "ESC other than CSI and ncurses' charset/keypad/cursor codes"
# C1: a byte 0x80-0x9F outside a valid UTF-8 sequence, or U+0080-U+009F.
c1=$(python3 -c 'import sys
t = open(sys.argv[1], "rb").read().decode("utf-8", "surrogateescape")
print(sum(1 for ch in t if 0x80 <= ord(ch) <= 0x9f or 0xdc80 <= ord(ch) <= 0xdc9f))' "$TMPD/out.raw")
is "no C1 control (raw or UTF-8) in crmtui's output" "$c1" 0
scan '\xe2\x80\xae' "U+202E"
scan '\x07' "BEL"
# The exports of the hostile contact, through crmtui's batch mode.
sqlite3 "$DB" "PRAGMA busy_timeout = 5000; UPDATE contacts SET department = '=HYPERLINK(\"http://evil.example\")' WHERE id = $CID" >/dev/null
mkdir -p "$TMPD/ex"
for f in json csv vcf; do
	CRMTUI_URL=$BASE CRMTUI_API_KEY=$KEY_ana XDG_CONFIG_HOME="$TMPD/config" HOME="$TMPD/home" \
		"$CLIENT_BIN" export "$CID" -d "$TMPD/ex" --format "$f" >/dev/null 2>"$TMPD/ex.err"
	check "export as $f" test -s "$TMPD/ex/$CID.$f"
	raw=$(python3 -c 'import sys
t = open(sys.argv[1], "rb").read().decode("utf-8", "surrogateescape")
bad = [c for c in t if (ord(c) < 32 and c not in "\r\n\t") or 0x7f <= ord(c) <= 0x9f
       or 0xdc80 <= ord(c) <= 0xdcff or c in "\u202e\u202d\u2066\u2067\u2068"]
print(len(bad))' "$TMPD/ex/$CID.$f")
	is "the $f export holds no raw control, C1, bidi override or invalid byte" "$raw" 0
done
check "the JSON export is valid JSON" bash -c "jq -e .export.contact '$TMPD/ex/$CID.json' >/dev/null"
# RFC 4180 sections: a "record,..." header, its rows, an empty line between.
check "the CSV export parses, every row as wide as its section's header" python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
head, bad, n = None, 0, 0
for r in rows:
    if not r:
        head = None
    elif head is None:
        head = r
        bad += r[0] != "record"
    else:
        n += 1
        bad += len(r) != len(head)
sys.exit(0 if n >= 1 and bad == 0 else 1)' "$TMPD/ex/$CID.csv"
check "no CSV cell starts a formula" python3 -c 'import csv, sys
rows = list(csv.reader(open(sys.argv[1], newline="", encoding="utf-8")))
sys.exit(1 if any(c[:1] in ("=", "+", "@") for r in rows[1:] for c in r) else 0)' "$TMPD/ex/$CID.csv"
check "the vCard is one card of CRLF lines" python3 -c 'import sys
t = open(sys.argv[1], "rb").read()
ls = t.split(b"\r\n")
sys.exit(0 if t.endswith(b"\r\n") and b"\n" not in t.replace(b"\r\n", b"") and ls[0] == b"BEGIN:VCARD"
         and t.count(b"BEGIN:VCARD") == 1 and b"END:VCARD" in ls else 1)' "$TMPD/ex/$CID.vcf"

api "$KEY_ana" GET /users/me
is "the server still answers" "$CODE" 200

done_testing
