#!/usr/bin/env bash
# crmtui export in batch mode against a Freshsales-shaped account, which has
# no export endpoint (404 for /capabilities and /contacts/{id}/export): the
# document is assembled from the contact and its timeline, in JSON, CSV and
# vCard; a failing timeline leaves no file. The account is a fixture server
# (tests/api/freshsales_fixture.py) serving tests/fixtures/freshsales.
. "$(dirname "$0")/../lib.sh"

FIXTURE="$ROOT/tests/api/freshsales_fixture.py"
CONTACT=$(jq -r .contact.id "$ROOT/tests/fixtures/freshsales/contact_with_owner.json")
EMAIL=$(jq -r .contact.email "$ROOT/tests/fixtures/freshsales/contact_with_owner.json")
NAME=$(jq -r .contact.display_name "$ROOT/tests/fixtures/freshsales/contact_with_owner.json")
ACTIVITY=$(jq -r '.activities[0].action_type' "$ROOT/tests/fixtures/freshsales/activities.json")

# fixture_start [ARGS...]: a fresh fixture server; sets CRMTUI_URL and LOG.
# SERVER_PID is lib.sh's, so its cleanup stops the fixture too.
fixture_start() {
	local out="$TMPD/fixture.out" port='' i
	LOG="$TMPD/fixture.$RANDOM.log"
	: >"$out"
	python3 "$FIXTURE" "$@" >"$out" 2>"$LOG" &
	SERVER_PID=$!
	for i in $(seq 1 200); do
		port=$(sed -n 's/^port \([0-9]*\)$/\1/p' "$out")
		[ -n "$port" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.05
	done
	if [ -z "$port" ]; then
		echo "# the fixture server did not start:"
		sed 's/^/#   /' "$LOG"
		exit 1
	fi
	export CRMTUI_URL="http://127.0.0.1:$port/crm/sales/api"
}

export CRMTUI_API_KEY=fixture-key-0123456789 XDG_STATE_HOME=$TMPD/state
export XDG_CONFIG_HOME=$TMPD/config HOME=$TMPD
CLI=$CLIENT_BIN
mkdir -p "$TMPD/out"

check "the fixtures name a contact and an activity" test -n "$CONTACT" -a -n "$EMAIL" -a -n "$ACTIVITY"

fixture_start
for fmt in json csv vcf; do
	file="$TMPD/out/contact.$fmt"
	"$CLI" export "$CONTACT" -o "$file" --format "$fmt" >"$TMPD/$fmt.out" 2>"$TMPD/$fmt.err"
	is "$fmt: the export exits 0" "$?" 0
	is "$fmt: one result line, done" "$(cut -d' ' -f1-3 "$TMPD/$fmt.out")" "$CONTACT export done"
	check "$fmt: the file is there" test -s "$file"
	is "$fmt: the file is 0600" "$(stat -c %a "$file" 2>/dev/null)" 600
	check "$fmt: the contact's email is in it" grep -qF "$EMAIL" "$file"
done
# vCard holds the contact's card; the timeline is in the JSON and CSV
check "vcf: the card names the contact" grep -q "^FN:$NAME" "$TMPD/out/contact.vcf"
check "json: the activity is in it" grep -qF "$ACTIVITY" "$TMPD/out/contact.json"
check "csv: the activity is in it" grep -qF "$ACTIVITY" "$TMPD/out/contact.csv"
is "json: the document names the contact" \
	"$(jq -r .export.contact.id "$TMPD/out/contact.json")" "$CONTACT"
is "json: both activities of the fixture" \
	"$(jq -r '.export.activities | length' "$TMPD/out/contact.json")" \
	"$(jq -r '.activities | length' "$ROOT/tests/fixtures/freshsales/activities.json")"
check "the timeline was read" grep -q "GET /crm/sales/api/contacts/$CONTACT/activities" "$LOG"
check "no export endpoint was asked: none was announced" \
	sh -c "! grep -q '/contacts/$CONTACT/export' '$LOG'"

# -d DIR with --json: the same through the directory form
"$CLI" export "$CONTACT" -d "$TMPD/out" --format csv --json >"$TMPD/dir.out" 2>/dev/null
is "-d DIR exits 0" "$?" 0
is "-d DIR reports done" "$(jq -r .status "$TMPD/dir.out")" done
check "-d DIR wrote ID.csv" grep -qF "$EMAIL" "$TMPD/out/$CONTACT.csv"

# an unknown contact fails: exit 1, no file
"$CLI" export 42 -o "$TMPD/out/none.json" >"$TMPD/none.out" 2>/dev/null
is "an unknown contact exits 1" "$?" 1
check "an unknown contact leaves no file" test ! -e "$TMPD/out/none.json"
server_stop

# announced but missing: the endpoint's 404 falls back to assembling
fixture_start --announce-export
"$CLI" export "$CONTACT" -o "$TMPD/out/fallback.json" >/dev/null 2>&1
is "an announced export that answers 404 still exits 0" "$?" 0
check "the export endpoint was asked" grep -q "/contacts/$CONTACT/export" "$LOG"
is "the assembled document names the contact" \
	"$(jq -r .export.contact.id "$TMPD/out/fallback.json")" "$CONTACT"
server_stop

# the timeline fails: exit 1, no file left, one sentence
fixture_start --activities-status 500
mkdir -p "$TMPD/fail"
"$CLI" export "$CONTACT" -o "$TMPD/fail/contact.json" >"$TMPD/fail.out" 2>/dev/null
is "a failing timeline exits 1" "$?" 1
is "a failing timeline reports failed" "$(cut -d' ' -f1-3 "$TMPD/fail.out")" "$CONTACT export failed"
check "the failure names the timeline" grep -q "timeline could not be fetched" "$TMPD/fail.out"
is "a failing timeline leaves no file" "$(ls -A "$TMPD/fail")" ""
server_stop

done_testing
