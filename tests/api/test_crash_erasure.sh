#!/bin/bash
# crm-server killed with SIGKILL at random points while it forgets a contact,
# many times over: after each restart the contact is wholly present (every
# row in every table as before) or wholly gone, the audit and the processor
# notices agree with that, and the retried forget completes.
. "$(dirname "$0")/../lib.sh"

ITER=${CRASH_ITER:-30}
case "$BUILD" in *asan*) ITER=${CRASH_ITER:-10} ;; esac
server_start 20

# rows CID: "table:count ..." of every row that belongs to the contact.
rows() {
	sqlite3 "$DB" "SELECT 'contacts:' || count(*) FROM contacts WHERE id = $1;
		SELECT 'contact_emails:' || count(*) FROM contact_emails WHERE contact_id = $1;
		SELECT 'notes:' || count(*) FROM notes WHERE contact_id = $1;
		SELECT 'activities:' || count(*) FROM activities WHERE contact_id = $1;
		SELECT 'search_terms:' || count(*) FROM search_terms WHERE contact_id = $1;
		SELECT 'subscriptions:' || count(*) FROM subscriptions WHERE contact_id = $1;
		SELECT 'calls:' || count(*) FROM calls WHERE contact_id = $1;
		SELECT 'tokens:' || count(*) FROM tokens WHERE contact_id = $1;" | tr '\n' ' '
}
gone="contacts:0 contact_emails:0 notes:0 activities:0 search_terms:0 subscriptions:0 calls:0 tokens:0 "
forget_audits() { sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action LIKE '%forget%'"; }
unnoticed() {
	sqlite3 "$DB" "SELECT count(*) FROM audit a WHERE a.action LIKE '%forget%' AND NOT EXISTS
		(SELECT 1 FROM processor_notices n WHERE n.audit_id = a.id)"
}

# How long a forget takes here: the kills land at random in twice that.
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Timing","email":"timing@example.org"}}'
t0=$(date +%s%N)
api "$KEY_ana" DELETE "/contacts/$(jqr .contact.id)/forget"
span_ms=$((($(date +%s%N) - t0) / 500000 + 2))
echo "# a forget takes about $((span_ms / 2)) ms here; kills within $span_ms ms"

whole=0 torn=0 killed_before=0 killed_after=0 audit_bad=0 retry_bad=0 notice_bad=0
forgotten=0
for ((it = 1; it <= ITER; it++)); do
	api "$KEY_ana" POST /contacts "{\"contact\":{\"first_name\":\"Crash$it\",\"last_name\":\"Subject\",\"email\":\"crash$it@example.org\",\"mobile_number\":\"+44 7700 9$(printf %05d "$it")\"}}"
	cid=$(jqr .contact.id)
	api "$KEY_ana" POST /notes "{\"note\":{\"description\":\"call Crash$it\",\"targetable_type\":\"Contact\",\"targetable_id\":$cid}}"
	api "$KEY_ana" PUT "/contacts/$cid" '{"contact":{"job_title":"Buyer"}}'
	before=$(rows "$cid")
	audits=$(forget_audits)
	# the forget, and a SIGKILL at a random point
	curl -s -o /dev/null -X DELETE -H "Authorization: Token token=$KEY_ana" \
		"$BASE/contacts/$cid/forget" &
	cpid=$!
	d=$((RANDOM % span_ms))
	sleep "$((d / 1000)).$(printf %03d $((d % 1000)))"
	kill -KILL "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null
	wait "$cpid" 2>/dev/null
	SERVER_PID=
	server_serve
	now=$(rows "$cid")
	a=$(forget_audits)
	if [ "$now" = "$before" ]; then
		whole=$((whole + 1)) killed_before=$((killed_before + 1))
		[ "$a" = "$audits" ] || audit_bad=$((audit_bad + 1))
	elif [ "$now" = "$gone" ]; then
		whole=$((whole + 1)) killed_after=$((killed_after + 1))
		[ "$a" = $((audits + 1)) ] || audit_bad=$((audit_bad + 1))
	else
		torn=$((torn + 1))
		echo "# iteration $it: torn: before: $before; after: $now"
	fi
	# the retried forget completes (a second one finds nothing: 404)
	api "$KEY_ana" DELETE "/contacts/$cid/forget"
	case "$CODE" in 200 | 404) ;; *) retry_bad=$((retry_bad + 1)); echo "# retry: $CODE $BODY_OUT" ;; esac
	[ "$(rows "$cid")" = "$gone" ] || retry_bad=$((retry_bad + 1))
	forgotten=$((forgotten + 1))
	[ "$(forget_audits)" = $((audits + 1)) ] || audit_bad=$((audit_bad + 1))
	[ "$(unnoticed)" = 0 ] || notice_bad=$((notice_bad + 1))
done
echo "# $ITER kills: $killed_before before the forget committed, $killed_after after"
is "every contact wholly present or wholly gone after a SIGKILL" "$torn" 0
is "all $ITER iterations accounted for" "$whole" "$ITER"
is "the audit counts one forget per forgotten contact, never one for a kept contact" "$audit_bad" 0
is "every forget audit has its processor notices" "$notice_bad" 0
is "every retried forget completed" "$retry_bad" 0
is "the forget audits add up" "$(forget_audits)" "$((forgotten + 1))"
check "the database passes an integrity check" test "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok
check "both outcomes were seen (kills before and after the commit)" test "$killed_before" -gt 0 -a "$killed_after" -gt 0
done_testing
