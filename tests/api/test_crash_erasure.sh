#!/bin/bash
# crm-server killed with SIGKILL at random points while it forgets a contact,
# many times over, and while it deletes a user or purges the account: after each restart the contact is wholly present (every
# row in every table as before) or wholly gone, the audit and the processor
# notices agree with that, and the retried forget completes.
. "$(dirname "$0")/../lib.sh"

ITER=${CRASH_ITER:-24}
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

# How long a forget takes here: half the kills land at random in three
# times that, half within 5 ms of sending.
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Timing","email":"timing@example.org"}}'
t0=$(date +%s%N)
api "$KEY_ana" DELETE "/contacts/$(jqr .contact.id)/forget"
span_ms=$((($(date +%s%N) - t0) / 333333 + 2))
echo "# a forget takes about $((span_ms / 2)) ms here; kills within $span_ms ms (3x)"

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
	# odd rounds: early (likely before the commit); even: anywhere
	if [ $((it % 2)) = 1 ]; then d=$((RANDOM % 6)); else d=$((RANDOM % span_ms)); fi
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

# Deleting a user, killed at random points: each round starts again from a
# copy of the database where carla is deactivated and owns contacts.
api "$KEY_carla" GET /users/me
carla=$(jqr .user.id)
api "$KEY_ana" GET /users/me
ana=$(jqr .user.id)
api "$KEY_ana" PUT "/users/$carla" '{"user":{"is_active":false}}'
is "carla is deactivated" "$CODE" 200
server_stop
cp "$DB" "$TMPD/snap.db"
# ustate: "kept" or "deleted" when wholly so, else what was found.
ustate() {
	local r
	r=$(sqlite3 "$DB" "SELECT (SELECT count(*) FROM users WHERE id = $carla AND display_name IS NOT NULL
			AND key_hash IS NOT NULL) || ' ' ||
		(SELECT count(*) FROM contacts WHERE owner_id = $carla) || ' ' ||
		(SELECT count(*) FROM contacts WHERE owner_id = $ana) || ' ' ||
		(SELECT count(*) FROM audit WHERE action = 'user.delete') || ' ' ||
		(SELECT count(*) FROM audit a WHERE a.action = 'user.delete' AND NOT EXISTS
			(SELECT 1 FROM processor_notices n WHERE n.audit_id = a.id))")
	case "$r" in
	"$kept_state") echo kept ;;
	"$deleted_state") echo deleted ;;
	*) echo "$r" ;;
	esac
}
kept_state=$(sqlite3 "$DB" "SELECT '1 ' || (SELECT count(*) FROM contacts WHERE owner_id = $carla) || ' ' ||
	(SELECT count(*) FROM contacts WHERE owner_id = $ana) || ' 0 0'")
owned=$(echo "$kept_state" | cut -d' ' -f2)
deleted_state="0 0 $(($(echo "$kept_state" | cut -d' ' -f3) + owned)) 1 0"
check "carla owns contacts to transfer ($owned)" test "$owned" -gt 0
UITER=$((ITER / 3 + 1))
u_before=0 u_after=0 u_torn=0 u_retry_bad=0
for ((it = 1; it <= UITER; it++)); do
	cp "$TMPD/snap.db" "$DB"
	rm -f "$DB-wal" "$DB-shm"
	server_serve
	curl -s -o /dev/null -X DELETE -H "Authorization: Token token=$KEY_ana" \
		"$BASE/users/$carla?transfer_to=$ana" &
	cpid=$!
	if [ $((it % 2)) = 1 ]; then d=$((RANDOM % 6)); else d=$((RANDOM % span_ms)); fi
	sleep "$((d / 1000)).$(printf %03d $((d % 1000)))"
	kill -KILL "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null
	wait "$cpid" 2>/dev/null
	SERVER_PID=
	server_serve
	case "$(ustate)" in
	kept) u_before=$((u_before + 1)) ;;
	deleted) u_after=$((u_after + 1)) ;;
	*) u_torn=$((u_torn + 1)); echo "# user round $it torn: $(ustate) (kept: $kept_state; deleted: $deleted_state)" ;;
	esac
	api "$KEY_ana" DELETE "/users/$carla?transfer_to=$ana"
	case "$CODE" in 200 | 404) ;; *) u_retry_bad=$((u_retry_bad + 1)); echo "# user retry: $CODE $BODY_OUT" ;; esac
	[ "$(ustate)" = deleted ] || { u_retry_bad=$((u_retry_bad + 1)); echo "# after the retry: $(ustate)"; }
	server_stop
done
echo "# user deletion, $UITER kills: $u_before before the commit, $u_after after"
is "the user wholly kept or wholly deleted after a SIGKILL (contacts, name, key, audit, notices)" "$u_torn" 0
is "every retried user deletion completed" "$u_retry_bad" 0
check "the database passes an integrity check after the user rounds" test "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok


# The account purge, killed at random points: each round starts from a copy
# of a database whose account is cancelled; the test clock then jumps past
# purge_at and the purge task starts within 200 ms.
DAY=86400
OFFSET="$TMPD/clock-offset"
echo 0 >"$OFFSET"
cp "$TMPD/snap.db" "$DB"
rm -f "$DB-wal" "$DB-shm"
server_serve --unsafe-test-clock "$OFFSET"
api "$KEY_ana" GET /account
acct=$(jqr .account.name)
api "$KEY_ana" POST /account/cancel "{\"confirm\":\"$acct\"}"
is "the account is cancelled" "$CODE" 200
server_stop
cp "$DB" "$TMPD/snap2.db"
# per-contact row counts, the same query as rows() for every contact at once
percontact="SELECT c.id || ':' || (SELECT count(*) FROM contact_emails WHERE contact_id = c.id) || '/' ||
	(SELECT count(*) FROM notes WHERE contact_id = c.id) || '/' ||
	(SELECT count(*) FROM activities WHERE contact_id = c.id) || '/' ||
	(SELECT count(*) FROM search_terms WHERE contact_id = c.id) || '/' ||
	(SELECT count(*) FROM calls WHERE contact_id = c.id) FROM contacts c ORDER BY c.id"
sqlite3 "$TMPD/snap2.db" "$percontact" | sort >"$TMPD/snap2.rows"
orphans="SELECT (SELECT count(*) FROM contact_emails WHERE contact_id NOT IN (SELECT id FROM contacts)) +
	(SELECT count(*) FROM notes WHERE contact_id NOT IN (SELECT id FROM contacts)) +
	(SELECT count(*) FROM search_terms WHERE contact_id NOT IN (SELECT id FROM contacts)) +
	(SELECT count(*) FROM calls WHERE contact_id NOT IN (SELECT id FROM contacts))"
PITER=$((ITER / 3 + 1))
p_torn=0 p_audit_bad=0 p_retry_bad=0 p_mid=0 p_all=0
for ((it = 1; it <= PITER; it++)); do
	cp "$TMPD/snap2.db" "$DB"
	rm -f "$DB-wal" "$DB-shm"
	echo 0 >"$OFFSET"
	server_serve --unsafe-test-clock "$OFFSET"
	echo $((31 * DAY)) >"$OFFSET"
	if [ $((it % 2)) = 1 ]; then d=$((RANDOM % 200)); else d=$((RANDOM % 400)); fi
	sleep "$((d / 1000)).$(printf %03d $((d % 1000)))"
	kill -KILL "$SERVER_PID"
	wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
	# every contact still there is whole, nothing is left of the others
	sqlite3 "$DB" "$percontact" | sort >"$TMPD/now.rows"
	left=$(wc -l <"$TMPD/now.rows")
	if [ -n "$(comm -23 "$TMPD/now.rows" "$TMPD/snap2.rows")" ] || [ "$(sqlite3 "$DB" "$orphans")" != 0 ]; then
		p_torn=$((p_torn + 1))
		echo "# purge round $it torn: $(comm -23 "$TMPD/now.rows" "$TMPD/snap2.rows" | head -n 3 | tr '\n' ' ') orphans $(sqlite3 "$DB" "$orphans")"
	fi
	if [ "$left" = 0 ]; then
		p_all=$((p_all + 1))
	elif [ "$left" -lt "$(wc -l <"$TMPD/snap2.rows")" ]; then
		p_mid=$((p_mid + 1))
	fi
	# an account.purge entry only once every contact is gone
	pa=$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'account.purge'")
	if [ "$pa" != 0 ] && [ "$left" != 0 ]; then p_audit_bad=$((p_audit_bad + 1)); fi
	# restarted, the purge completes by itself
	server_serve --unsafe-test-clock "$OFFSET"
	for ((i = 0; i < 200; i++)); do
		[ "$(sqlite3 "$DB" "SELECT count(*) FROM contacts")" = 0 ] &&
			[ "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'account.purge'")" = 1 ] && break
		sleep 0.05
	done
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM contacts")" = 0 ] || p_retry_bad=$((p_retry_bad + 1))
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM audit WHERE action = 'account.purge'")" = 1 ] ||
		p_audit_bad=$((p_audit_bad + 1))
	[ "$(sqlite3 "$DB" "SELECT count(*) FROM processor_notices n JOIN audit a ON a.id = n.audit_id
		WHERE a.action = 'account.purge'")" = "$(sqlite3 "$DB" 'SELECT count(*) FROM processors')" ] ||
		p_audit_bad=$((p_audit_bad + 1))
	[ "$(sqlite3 "$DB" "$orphans")" = 0 ] || p_retry_bad=$((p_retry_bad + 1))
	server_stop
done
echo "# account purge, $PITER kills: $p_all after it had erased every contact, $p_mid in the middle, the rest before it erased any"
is "after a SIGKILL in the purge every remaining contact is whole, no orphan rows" "$p_torn" 0
is "one account.purge entry with its notices, and only once everything is gone" "$p_audit_bad" 0
is "the purge completes after the restart" "$p_retry_bad" 0
check "the database passes an integrity check after the purge rounds" test "$(sqlite3 "$DB" 'PRAGMA integrity_check')" = ok

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
