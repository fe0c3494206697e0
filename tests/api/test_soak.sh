#!/bin/bash
# A bounded soak on loopback: concurrent curl clients in loops of mixed
# reads, writes and forgets for a fixed time. No 5xx, no failed connection,
# no "database is locked" reaching a client, no lost write (every created
# contact still there unless forgotten), and the server's RSS flat.
. "$(dirname "$0")/../lib.sh"

CLIENTS=${SOAK_CLIENTS:-16}
SECONDS_RUN=${SOAK_SECONDS:-30}
case "$BUILD" in
*asan*)
	CLIENTS=${SOAK_CLIENTS:-6} SECONDS_RUN=${SOAK_SECONDS:-15}
	# ASan keeps freed memory in a quarantine (256 MB by default), which
	# would read as growth; a small one keeps the RSS figure about the server.
	export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=1"
	;;
esac

server_start 100 --rate-limit 1000000
api "$KEY_ana" GET /contacts/filters
all=$(jqr '.filters[] | select(.name == "All Contacts") | .id')

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$SERVER_PID/status"; }

# client N KEY END: loops until the deadline; appends "code method route" lines
# to $TMPD/codes.N, created ids to created.N, forgotten ids to forgot.N, and
# the bodies of non-2xx answers to bad.N.
client() {
	local n=$1 key=$2 end=$3 i=0 code id ids=() out="$TMPD/out.$1"
	req() { # METHOD PATH [BODY]
		local args=(-s -o "$out" -w '%{http_code}' -X "$1" -H "Authorization: Token token=$key")
		[ -n "${3-}" ] && args+=(-H "Content-Type: application/json" --data-binary "$3")
		code=$(curl "${args[@]}" "$BASE$2")
		echo "$code $1 $2" >>"$TMPD/codes.$n"
		case "$code" in 2??) ;; *) { echo "$code $1 $2"; cat "$out"; echo; } >>"$TMPD/bad.$n" ;; esac
	}
	while [ "$(date +%s)" -lt "$end" ]; do
		i=$((i + 1))
		req POST /contacts "{\"contact\":{\"first_name\":\"Soak$n\",\"last_name\":\"N$i\",\"email\":\"soak$n.$i@example.org\"}}"
		if [ "$code" = 200 ] || [ "$code" = 201 ]; then
			id=$(sed -n 's/^{"contact":{"id":\([0-9]*\),.*/\1/p' "$out")
			echo "$id" >>"$TMPD/created.$n"
			ids+=("$id")
			req GET "/contacts/$id"
		fi
		req GET "/contacts/view/$all?page=$((i % 5 + 1))&per_page=25"
		req PUT "/contacts/${ids[$((i % ${#ids[@]}))]:-1}" "{\"contact\":{\"city\":\"City$i\"}}"
		req GET "/search?q=Soak$n&include=contact"
		# forgetting is an admin's right: ana's clients forget
		if [ "$key" = "$KEY_ana" ] && [ $((i % 2)) = 0 ] && [ ${#ids[@]} -gt 1 ]; then
			id=${ids[0]}
			ids=("${ids[@]:1}")
			req DELETE "/contacts/$id/forget"
			[ "$code" = 200 ] && echo "$id" >>"$TMPD/forgot.$n"
		fi
	done
}

end=$(($(date +%s) + SECONDS_RUN))
keys=("$KEY_ana" "$KEY_bruno" "$KEY_carla")
pids=()
for ((c = 0; c < CLIENTS; c++)); do
	: >"$TMPD/codes.$c" >"$TMPD/created.$c" >"$TMPD/forgot.$c" >"$TMPD/bad.$c"
	client "$c" "${keys[$((c % 3))]}" "$end" &
	pids+=($!)
done
# RSS: once warm (a quarter in), then every second to the end
sleep_until() { while [ "$(date +%s)" -lt "$1" ]; do sleep 0.2; done; }
sleep_until $((end - SECONDS_RUN * 3 / 4))
rss_start=$(rss_kb)
rss_max=$rss_start
while [ "$(date +%s)" -lt "$end" ]; do
	r=$(rss_kb)
	[ "$r" -gt "$rss_max" ] && rss_max=$r
	sleep 1
done
wait "${pids[@]}"
rss_end=$(rss_kb)

cat "$TMPD"/codes.* >"$TMPD/codes"
total=$(wc -l <"$TMPD/codes")
n5xx=$(grep -c '^5' "$TMPD/codes")
n000=$(grep -c '^000' "$TMPD/codes")
nbad=$(grep -vc '^2' "$TMPD/codes")
created=$(cat "$TMPD"/created.* | wc -l)
forgot=$(cat "$TMPD"/forgot.* | wc -l)
echo "# $CLIENTS clients, ${SECONDS_RUN}s: $total requests ($((total / SECONDS_RUN))/s), $created created, $forgot forgotten, non-2xx $nbad"
echo "# RSS (kB): warm $rss_start, max $rss_max, end $rss_end"
check "the soak did real work (over $((CLIENTS * 8)) requests)" test "$total" -gt $((CLIENTS * 8))
is "no 5xx" "$n5xx" 0
is "no failed connection" "$n000" 0
is "every request answered 2xx" "$nbad" 0
[ "$nbad" -gt 0 ] && cat "$TMPD"/bad.* | head -n 20 | sed 's/^/#   /'
check "no 'database is locked' reached a client" test -z "$(cat "$TMPD"/bad.* | grep -i 'locked')"
check "forgets happened" test "$forgot" -gt 0

# no lost write: the created minus the forgotten are all in the database,
# the forgotten are gone
sort -u "$TMPD"/created.* >"$TMPD/created"
sort -u "$TMPD"/forgot.* >"$TMPD/forgot"
comm -23 "$TMPD/created" "$TMPD/forgot" >"$TMPD/kept"
sqlite3 "$DB" "SELECT id FROM contacts WHERE first_name LIKE 'Soak%'" | sort -u >"$TMPD/present"
is "every kept contact is in the database" "$(comm -23 "$TMPD/kept" "$TMPD/present" | wc -l)" 0
is "no forgotten contact is" "$(comm -12 "$TMPD/forgot" "$TMPD/present" | wc -l)" 0
is "and nothing else appeared" "$(comm -13 "$TMPD/kept" "$TMPD/present" | wc -l)" 0
# spot-check through the API too
id=$(tail -n 1 "$TMPD/kept")
api "$KEY_ana" GET "/contacts/$id"
is "a kept contact reads back" "$CODE" 200
id=$(tail -n 1 "$TMPD/forgot")
api "$KEY_ana" GET "/contacts/$id"
is "a forgotten one does not" "$CODE" 404

# RSS flat: the end within 25% (plus 4 MB) of the warm figure
check "RSS flat: $rss_start kB warm, $rss_max kB max" test "$rss_max" -le $((rss_start * 5 / 4 + 4096))
check "the server is still running" kill -0 "$SERVER_PID"
check "its log has no 'locked' either" test -z "$(grep -i 'database is locked' "$TMPD/serve.err")"
done_testing
