#!/bin/bash
# crm-server account: the NDJSON export of every record (streamed, counted up
# front), who may use the account routes, and the cancellation windows with
# the server's clock moved forward: call data erased after 14 days, restore
# until 30 days, then everything erased for good by the server on its own.
. "$(dirname "$0")/../lib.sh"
N=2000
OFFSET="$TMPD/clock-offset"
echo 0 >"$OFFSET"
server_start $N --unsafe-test-clock "$OFFSET"
q() { sqlite3 "$DB" "$1"; }
DAY=86400
# wait_for NAME CMD...: polls CMD (up to 20 s) and reports whether it came true.
wait_for() {
	local name=$1 i
	shift
	for i in $(seq 1 200); do
		if "$@"; then ok "$name"; return; fi
		sleep 0.1
	done
	not_ok "$name" "still false after 20 s: $*"
}
dbis() { [ "$(q "$1")" = "$2" ]; }

check "the test clock says so in the log" grep -q 'TEST CLOCK ON' "$TMPD/serve.err"

# Who may: the account routes are the admin's.
for who in bruno carla; do
	key=KEY_$who
	api "${!key}" GET /account
	is "agent $who may not read the account: 403" "$CODE" 403
	api "${!key}" POST /account/cancel '{"confirm":"acme"}'
	is "agent $who may not cancel it: 403" "$CODE" 403
	api "${!key}" POST /account/restore
	is "agent $who may not restore it: 403" "$CODE" 403
	api "${!key}" GET /export
	is "agent $who may not export the account: 403" "$CODE" 403
done
api "$KEY_ana" GET /account
is "the admin reads the account" "$CODE $(jqr '[.account.name,.account.status,.account.purge_at,.account.call_data_purge_at]|tostring')" \
	'200 ["acme","active",null,null]'

# The export: the header's count matches the lines, read as they stream.
CODE=$(curl -s -D "$TMPD/hdr" -o "$TMPD/export.ndjson" -w '%{http_code}' -H "Authorization: Token token=$KEY_ana" "$BASE/export")
is "the export answers 200" "$CODE" 200
TOTAL=$(sed -n 's/^X-Total-Records: \([0-9]*\).*/\1/Ip' "$TMPD/hdr")
check "X-Total-Records is announced ($TOTAL)" test -n "$TOTAL"
check "the export is sent without a Content-Length (streamed, chunked)" grep -qi '^Transfer-Encoding: chunked' "$TMPD/hdr"
is "the content type is NDJSON" "$(sed -n 's/^Content-Type: \([^[:space:];]*\).*/\1/Ip' "$TMPD/hdr")" application/x-ndjson
is "X-Total-Records equals the lines" "$(wc -l <"$TMPD/export.ndjson")" "$TOTAL"
is "every line is one JSON object with type and data" \
	"$(jq -c 'select((.type|type)=="string" and (.data|type)=="object")' "$TMPD/export.ndjson" | wc -l)" "$TOTAL"
is "every contact of the $N-contact demo is there" \
	"$(jq -r 'select(.type=="contact")|.data.id' "$TMPD/export.ndjson" | sort -u | wc -l)" "$(q 'SELECT count(*) FROM contacts')"
is "each type has as many lines as the database has records" \
	"$(jq -r .type "$TMPD/export.ndjson" | sort | uniq -c | awk '{print $2"="$1}' | sort | tr '\n' ' ')" \
	"$(q "SELECT 'activity='||(SELECT count(*) FROM activities)||' call='||(SELECT count(*) FROM calls)||' chat='||(SELECT count(*) FROM chats)||' chat_message='||(SELECT count(*) FROM chat_messages)||' company='||(SELECT count(*) FROM companies)||' contact='||(SELECT count(*) FROM contacts)||' deal='||(SELECT count(*) FROM deals)||' note='||(SELECT count(*) FROM notes)||' recording='||(SELECT count(*) FROM recordings)||' user='||(SELECT count(*) FROM users)||' '")"
check "a contact line carries the contact's fields" \
	bash -c "jq -e 'select(.type==\"contact\")|.data|has(\"email\") and has(\"emails\") and has(\"subscription_types\")' '$TMPD/export.ndjson' | grep -q true"
check "no API key or key hash is exported" bash -c "! grep -q -e '$KEY_ana' -e key_hash '$TMPD/export.ndjson'"
api "$KEY_ana" GET "/audit?per_page=100"
is "the export is audited with its record count" "$(jqr '[.audit[]|select(.action=="account.export")|.counts.records]|tostring')" "[$TOTAL]"

# Cancel: the account's name typed exactly.
for bad in '{}' '{"confirm":"ACME"}' '{"confirm":"acme "}' '{"confirm":""}' '{"confirm":true}'; do
	api "$KEY_ana" POST /account/cancel "$bad"
	is "cancel with $bad: 400" "$CODE" 400
done
api "$KEY_ana" GET /account
is "a refused cancel changed nothing" "$(jqr .account.status)" active
NOW=$(date -u +%s)
api "$KEY_ana" POST /account/cancel '{"confirm":"acme"}'
is "cancel with the account's name" "$CODE $(jqr .account.status)" "200 cancellation_pending"
PURGE=$(date -u -d "$(jqr .account.purge_at)" +%s)
CALLS=$(date -u -d "$(jqr .account.call_data_purge_at)" +%s)
check "purge_at is 30 days from now" test $((PURGE - NOW - 30 * DAY)) -ge -5 -a $((PURGE - NOW - 30 * DAY)) -le 5
check "call_data_purge_at is 14 days from now" test $((CALLS - NOW - 14 * DAY)) -ge -5 -a $((CALLS - NOW - 14 * DAY)) -le 5
api "$KEY_ana" POST /account/cancel '{"confirm":"acme"}'
is "cancelling again: 409" "$CODE" 409
is "each processor got a notice of the cancellation" \
	"$(q "SELECT count(*) FROM processor_notices n JOIN audit a ON a.id = n.audit_id WHERE a.action = 'account.cancel'")" \
	"$(q 'SELECT count(*) FROM processors')"
api "$KEY_ana" POST /account/restore
is "restore within the window: active again" "$CODE $(jqr '[.account.status,.account.purge_at]|tostring')" '200 ["active",null]'
api "$KEY_ana" POST /account/restore
is "restoring an active account: 409" "$CODE" 409

api "$KEY_ana" POST /account/cancel '{"confirm":"acme"}'
is "cancelled again" "$CODE" 200
RECS=$(q 'SELECT count(*) FROM recordings')
NOTES=$(q 'SELECT count(*) FROM calls WHERE note IS NOT NULL')
check "the demo has call recordings ($RECS) and call notes ($NOTES)" test "$RECS" -gt 0 -a "$NOTES" -gt 0
CONTACTS=$(q 'SELECT count(*) FROM contacts')
EMAIL=$(q "SELECT email FROM contacts WHERE email IS NOT NULL ORDER BY id LIMIT 1")

# 13 days on: nothing is erased yet.
echo $((13 * DAY)) >"$OFFSET"
api "$KEY_ana" GET /account
is "13 days on: still pending, not purged" "$(jqr '[.account.status,.account.purged]|tostring')" '["cancellation_pending",false]'
is "13 days on: the recordings are kept" "$(q 'SELECT count(*) FROM recordings')" "$RECS"

# 15 days on: the server erases call recordings and notes by itself.
echo $((15 * DAY)) >"$OFFSET"
wait_for "15 days on: the server erased every call recording on its own" dbis 'SELECT count(*) FROM recordings' 0
wait_for "... and every call note" dbis 'SELECT count(*) FROM calls WHERE note IS NOT NULL' 0
is "... and nothing else: the contacts are all there" "$(q 'SELECT count(*) FROM contacts')" "$CONTACTS"
api "$KEY_ana" GET "/audit?per_page=100"
is "the call data purge is audited with its counts" \
	"$(jqr '[.audit[]|select(.action=="account.call_data_purge")|.counts|"\(.recordings) \(.call_notes)"]|tostring')" "[\"$RECS $NOTES\"]"

# 29 days on: restore is still possible.
echo $((29 * DAY)) >"$OFFSET"
api "$KEY_ana" POST /account/restore
is "29 days on: restore still works" "$CODE $(jqr .account.status)" "200 active"
api "$KEY_ana" POST /account/cancel '{"confirm":"acme"}'
is "cancelled once more (from day 29)" "$CODE" 200
PURGE=$(date -u -d "$(jqr .account.purge_at)" +%s)

# Past purge_at: everything goes, by the server on its own.
echo $((29 * DAY + 31 * DAY)) >"$OFFSET"
wait_for "past purge_at: every contact is erased" dbis 'SELECT count(*) FROM contacts' 0
wait_for "... every company" dbis 'SELECT count(*) FROM companies' 0
wait_for "... the users' names and emails" dbis 'SELECT count(*) FROM users WHERE display_name IS NOT NULL OR email IS NOT NULL' 0
is "... activities, notes, calls, chats, outbox, search terms" \
	"$(q 'SELECT (SELECT count(*) FROM activities)+(SELECT count(*) FROM notes)+(SELECT count(*) FROM calls)+(SELECT count(*) FROM chats)+(SELECT count(*) FROM outbox)+(SELECT count(*) FROM search_terms)+(SELECT count(*) FROM contact_emails)')" 0
api "$KEY_ana" POST /account/restore
is "past purge_at: restore answers 409" "$CODE" 409
api "$KEY_ana" GET /account
is "the account shows it was purged" "$(jqr '[.account.status,.account.purged]|tostring')" '["cancellation_pending",true]'
api "$KEY_ana" GET "/search?q=${EMAIL%%@*}"
is "search finds nothing" "$(jqr 'length')" 0
check "the contact's email is nowhere in the database files" \
	bash -c "! cat '$DB' '$DB-wal' 2>/dev/null | grep -a -q -F '$EMAIL'"
api "$KEY_ana" GET "/audit?per_page=100"
is "one account.purge entry" "$(jqr '[.audit[]|select(.action=="account.purge")]|length')" 1
is "its count and the recycle bin's expiries (same pass) add up to every contact" \
	"$(jqr '[.audit[]|select(.action=="account.purge" or .action=="contact.purge" or .action=="company.purge")|.counts.contacts // 0]|add')" "$CONTACTS"
is "each processor got an erasure notice of the purge" \
	"$(q "SELECT count(*) FROM processor_notices n JOIN audit a ON a.id = n.audit_id WHERE a.action = 'account.purge'")" \
	"$(q 'SELECT count(*) FROM processors')"
check "the audit log holds no personal data" bash -c "! printf '%s' '$BODY_OUT' | grep -q -e '@' -e 'Ana Souza'"

done_testing
