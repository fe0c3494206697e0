#!/usr/bin/env bash
# crmtui's batch mode against a real crm-server: forget from a CSV (300
# contacts), resume after kill -9 with nothing done twice, a rate-limited
# server, --json, usage errors, refused confirmations, export, unsubscribe.
. "$(dirname "$0")/../lib.sh"

server_start 300
export CRMTUI_URL=$BASE CRMTUI_API_KEY=$KEY_carla XDG_STATE_HOME=$TMPD/state
export XDG_CONFIG_HOME=$TMPD/config HOME=$TMPD
CLI=$CLIENT_BIN

# emails of every contact, from the API's pages
all_emails() {
	local p
	for p in 1 2 3 4; do
		api "$KEY_ana" GET "/contacts/view/70000000001?per_page=100&page=$p"
		jqr '.contacts[].email // empty'
	done
}
forgets() { sqlite3 -readonly "$DB" "SELECT count(*) FROM audit WHERE action='contact.forget'"; }
distinct_forgets() {
	sqlite3 -readonly "$DB" "SELECT count(DISTINCT subject_ref) FROM audit WHERE action='contact.forget'"
}

# --- usage errors exit 2 ---
usage_rc() {
	"$CLI" "$@" >/dev/null 2>"$TMPD/usage.err"
	echo $?
}
is "export without ids exits 2" "$(usage_rc export)" 2
is "forget without a confirmation exits 2" "$(usage_rc forget 5)" 2
is "forget --confirm with two ids exits 2" "$(usage_rc forget 5 6 --confirm a@b.c)" 2
is "a non-numeric id exits 2" "$(usage_rc unsubscribe 12x)" 2
is "an unknown option exits 2" "$(usage_rc unsubscribe 3 --bogus)" 2
is "-o with two ids exits 2" "$(usage_rc export 3 4 -o "$TMPD/x.json")" 2
is "an unknown format exits 2" "$(usage_rc export 3 --format xml)" 2
is "a missing CSV exits 2" "$(usage_rc forget --from-csv "$TMPD/none.csv")" 2
check "usage errors are one sentence on stderr" grep -q '^crmtui: ' "$TMPD/usage.err"
"$CLI" export --help >"$TMPD/help.out"
check "--help documents the exit status" grep -q 'Exit status: 0 every record done, 1 some failed, 2 usage error' "$TMPD/help.out"

# --- a wrong confirmation refuses that record, the right one forgets ---
api "$KEY_ana" GET /contacts/7
E7=$(jqr .contact.email)
api "$KEY_ana" GET /contacts/8
E8=$(jqr .contact.email)
printf '7 wrong-%s\n8 %s\n' "$E7" "$E8" >"$TMPD/confirm.txt"
"$CLI" forget --confirm-file "$TMPD/confirm.txt" --json >"$TMPD/confirm.out" 2>/dev/null
is "a partly refused confirm file exits 1" "$?" 1
is "the wrong confirmation is refused" \
	"$(jq -r 'select(.id==7) | .status' "$TMPD/confirm.out")" failed
is "the right confirmation forgets" "$(jq -r 'select(.id==8) | .status' "$TMPD/confirm.out")" done
api "$KEY_ana" GET /contacts/7
is "the refused contact is still there" "$CODE" 200
api "$KEY_ana" GET /contacts/8
is "the confirmed contact is gone" "$CODE" 404
"$CLI" forget 9 --confirm "$(echo "$E7" | tr a-z A-Z)" >/dev/null 2>&1
is "another contact's email does not confirm" "$?" 1

# --- --json: one object per line, no personal data ---
"$CLI" unsubscribe 10 11 999999 --json >"$TMPD/unsub.out" 2>/dev/null
is "unsubscribe with an unknown id exits 1" "$?" 1
check "--json lines parse with jq" sh -c "jq -e . '$TMPD/unsub.out' >/dev/null"
is "--json gives one line per record" "$(jq -c . "$TMPD/unsub.out" | wc -l)" 3
is "--json keys are id, action, status, message" \
	"$(jq -c 'keys' "$TMPD/unsub.out" | sort -u)" '["action","id","message","status"]'
is "two unsubscribed, one failed" "$(jq -r .status "$TMPD/unsub.out" | sort | uniq -c | tr -s ' \n' ' ')" \
	" 2 done 1 failed "
api "$KEY_ana" GET /contacts/10
is "contact 10 is unsubscribed" "$(jqr .contact.do_not_disturb)" true
api "$KEY_ana" GET /contacts/11
E11=$(jqr .contact.email)
N11=$(jqr .contact.last_name)
if grep -qiF -e "$E11" -e "$N11" "$TMPD/unsub.out"; then
	not_ok "the output holds no name or email"
else
	ok "the output holds no name or email"
fi

# --- export ---
mkdir -p "$TMPD/ex"
"$CLI" export 12 13 -d "$TMPD/ex" --format csv >"$TMPD/export.out" 2>&1
is "export of two ids exits 0" "$?" 0
check "export wrote 12.csv" test -s "$TMPD/ex/12.csv"
is "export files are 0600" "$(stat -c %a "$TMPD/ex/13.csv")" 600
"$CLI" export 14 -o "$TMPD/ex/one.json" >/dev/null 2>&1
is "export -o writes the JSON document" "$(jq -r .export.contact.id "$TMPD/ex/one.json")" 14

# --- 300 contacts forgotten from a CSV, killed at a random point, resumed ---
{
	echo "email"
	all_emails
} >"$TMPD/all.csv"
N=$(($(wc -l <"$TMPD/all.csv") - 1))
api "$KEY_ana" GET "/contacts/view/70000000001?per_page=1"
is "the CSV holds every contact left" "$N" "$(jqr .meta.total)"
BEFORE=$(forgets)
KILL_AT=$((BEFORE + 20 + RANDOM % 200))
"$CLI" forget --from-csv "$TMPD/all.csv" --journal "$TMPD/run.db" --json \
	>"$TMPD/run1.out" 2>"$TMPD/run1.err" &
PID=$!
for _ in $(seq 1 600); do
	[ "$(forgets)" -ge "$KILL_AT" ] && break
	kill -0 "$PID" 2>/dev/null || break
	sleep 0.05
done
kill -9 "$PID" 2>/dev/null
wait "$PID" 2>/dev/null
MID=$(forgets)
check "the run was killed part way ($MID of $((BEFORE + N)))" test "$MID" -lt $((BEFORE + N))
is "the journal is private" "$(stat -c %a "$TMPD/run.db")" 600
check "the journal holds no email" \
	sh -c "! sqlite3 -readonly '$TMPD/run.db' .dump | grep -q @"
"$CLI" forget --from-csv "$TMPD/all.csv" --journal "$TMPD/run.db" --json \
	>"$TMPD/run2.out" 2>"$TMPD/run2.err"
is "the resumed run exits 0" "$?" 0
is "each contact is forgotten exactly once (audit)" "$(forgets)" $((BEFORE + N))
is "every forget names a different contact" "$(distinct_forgets)" $((BEFORE + N))
api "$KEY_ana" GET "/contacts/view/70000000001?per_page=100"
is "nothing skipped: no contact is left" "$(jqr .meta.total)" 0
SKIPPED=$(jq -r 'select(.status=="skipped") | .id' "$TMPD/run2.out" | wc -l)
check "the resumed run skipped what the first did ($SKIPPED)" test "$SKIPPED" -ge 20
is "the resumed run reports every line" "$(jq -c . "$TMPD/run2.out" | wc -l)" "$N"
is "the resumed run failed none" "$(jq -r 'select(.status=="failed") | .id' "$TMPD/run2.out" | wc -l)" 0
"$CLI" forget --from-csv "$TMPD/all.csv" --journal "$TMPD/run.db" --json >"$TMPD/run3.out" 2>/dev/null
is "a third run sends nothing (audit)" "$(forgets)" $((BEFORE + N))
is "a third run skips all" "$(jq -r 'select(.status=="skipped") | .id' "$TMPD/run3.out" | wc -l)" "$N"

# --- a rate-limited server still completes ---
server_stop
server_start 30 --rate-limit 12
api "$KEY_ana" GET "/contacts/view/70000000001?per_page=20"
IDS=$(jqr '.contacts[].id')
export CRMTUI_URL=$BASE CRMTUI_API_KEY=$KEY_carla XDG_STATE_HOME=$TMPD/state2
# shellcheck disable=SC2086
"$CLI" unsubscribe $IDS --json >"$TMPD/rl.out" 2>"$TMPD/rl.err"
is "a rate-limited run exits 0" "$?" 0
is "a rate-limited run does all 20" "$(jq -r 'select(.status=="done") | .id' "$TMPD/rl.out" | wc -l)" 20
check "the progress line is not written when stderr is not a terminal" \
	sh -c "! grep -q 'unsubscribe: ' '$TMPD/rl.err'"
check "the default journal was kept during the run" test -d "$XDG_STATE_HOME/crmtui"
check "the default journal is removed after a complete run" \
	sh -c "! ls '$XDG_STATE_HOME'/crmtui/journal-*.db 2>/dev/null | grep -q ."

done_testing
