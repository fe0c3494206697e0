#!/bin/sh
# make bench: the figures of DESIGN.md section 7 against crm-server on loopback,
# each printed beside its target, and written to docs/performance.md.
set -u
BUILD=${BUILD:-build}
SERVER="$BUILD/crm-server"
CLIENT="$BUILD/crmtui"
B="$BUILD/bench"
DOC=${BENCH_DOC:-docs/performance.md}
PAGES=${BENCH_PAGES:-1900}
DRIVE="python3 tools/bench/drive.py"

die() {
	echo "bench: $*" >&2
	exit 1
}

[ -x "$SERVER" ] && [ -x "$CLIENT" ] || die "$SERVER and $CLIENT are not built (run make)"
command -v python3 >/dev/null 2>&1 || die "python3 is needed (apt-get install -y python3)"
if ! command -v wrk >/dev/null 2>&1; then
	if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "bench: installing wrk" >&2
		apt-get install -y -qq --no-install-recommends wrk >&2 ||
			{ apt-get update -qq >&2 && apt-get install -y -qq --no-install-recommends wrk >&2; }
	fi
	command -v wrk >/dev/null 2>&1 ||
		echo "bench: wrk is missing; run: sudo apt-get install -y wrk (its figure is left out)" >&2
fi

mkdir -p "$B" || die "cannot create $B"
TMP=$(mktemp -d "${TMPDIR:-/tmp}/crmbench.XXXXXX") || die "mktemp failed"
PIDS=
stop() {
	for p in $PIDS; do
		kill "$p" 2>/dev/null
		wait "$p" 2>/dev/null
	done
	PIDS=
}
trap 'stop; rm -rf "$TMP"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# A database of N demo contacts, once; the init time is kept beside it.
db_init() { # NAME N
	if [ ! -s "$B/$1.db" ] || [ ! -s "$B/$1.keys" ] || [ ! -s "$B/$1.init-seconds" ]; then
		rm -f "$B/$1.db" "$B/$1.db-wal" "$B/$1.db-shm" "$B/$1.keys"
		echo "bench: crm-server init --demo $2 into $B/$1.db (once)..." >&2
		t0=$(date +%s.%N)
		"$SERVER" init "$B/$1.db" --demo "$2" --keys-out "$B/$1.keys" >/dev/null ||
			die "crm-server init --demo $2 failed"
		t1=$(date +%s.%N)
		echo "$t0 $t1" | awk '{ printf "%.1f\n", $2 - $1 }' >"$B/$1.init-seconds"
	fi
}

# Starts crm-server on DB; sets URL and PORT.
serve() { # DB RATE
	out="$TMP/srv.$$.$(date +%s%N)"
	"$SERVER" serve "$1" --listen 127.0.0.1:0 --rate-limit "$2" >"$out" 2>"$out.log" &
	PIDS="$PIDS $!"
	spid=$!
	URL=
	i=0
	while [ $i -lt 400 ]; do
		URL=$(sed -n 's/^listening on \(http[^ ]*\)$/\1/p' "$out")
		[ -n "$URL" ] && break
		kill -0 "$spid" 2>/dev/null || break
		sleep 0.05
		i=$((i + 1))
	done
	[ -n "$URL" ] || die "crm-server did not start on $1"
	PORT=$(echo "$URL" | sed 's|^http://127.0.0.1:\([0-9]*\)/.*|\1|')
	LOG="$out.log"
}

RES="$TMP/results"
: >"$RES"
row() { # NAME|VALUE|TARGET lines on stdin
	while IFS='|' read -r name value target; do
		printf '%-72s %-18s target %s\n' "$name" "$value" "$target"
		printf '| %s | %s | %s |\n' "$name" "$value" "$target" >>"$RES"
	done
}

db_init crm100k 100000
db_init crm1k 1000
KEY100=$(awk '$1 == "ana" { print $3 }' "$B/crm100k.keys")
KEY1=$(awk '$1 == "ana" { print $3 }' "$B/crm1k.keys")
TOTAL=$(sqlite3 "$B/crm100k.db" "SELECT count(*) FROM contacts" 2>/dev/null || echo "?")
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
CPU0=$(awk '$1 == "cpu" { print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, $9 }' /proc/stat)
START=$(date +%s)

echo "crm-server init --demo 100000|$(cat "$B/crm100k.init-seconds") s|-" | row

# The TUI figures: no rate limit in the way of a scripted session.
serve "$B/crm100k.db" 1000000
U100=$URL
LOG100=$LOG
serve "$B/crm1k.db" 1000000
U1=$URL
KT="$TMP/keytimes"
$DRIVE first --exe "$CLIENT" --url "$U100" --key "$KEY100" --kt "$KT" --n 7 | row
$DRIVE keys --exe "$CLIENT" --url "$U1" --key "$KEY1" --kt "$KT" --label 1,000 | row
$DRIVE keys --exe "$CLIENT" --url "$U100" --key "$KEY100" --kt "$KT" --label 100,000 --bytes | row
n0=$(wc -l <"$LOG100")
$DRIVE rss --exe "$CLIENT" --url "$U100" --key "$KEY100" --kt "$KT" --pages "$PAGES" \
	--rows 64 --log "$LOG100" | row
echo "requests of the scroll and open sessions (the server's log)|$(($(wc -l <"$LOG100") - n0))|-" | row

# crm-server alone.
$DRIVE server --exe "$CLIENT" --url "$U100" --key "$KEY100" --kt "$KT" --n 300 2>"$TMP/view" | row
VIEW=$(sed -n 's/^VIEW //p' "$TMP/view")
if command -v wrk >/dev/null 2>&1 && [ -n "$VIEW" ]; then
	for c in 1 8; do
		t=2
		[ $c -lt 2 ] && t=1
		rps=$(wrk -t$t -c$c -d5s -H "Authorization: Token token=$KEY100" \
			"$U100/contacts/view/$VIEW?page=1" 2>&1 | awk '/^Requests\/sec/ { print $2 }')
		echo "crm-server list page 1 under wrk, $t thread(s), $c connection(s)|${rps:-?} req/s|-" | row
	done
fi

# Bulk erasure: a shell loop of curl against crmtui's batch mode, one server.
if "$CLIENT" forget --help 2>&1 | grep -q -- '--from-csv'; then
	rm -f "$B/erase.db" "$B/erase.db-wal" "$B/erase.db-shm" "$B/erase.keys"
	"$SERVER" init "$B/erase.db" --demo 2200 --keys-out "$B/erase.keys" >/dev/null ||
		die "crm-server init of the erasure database failed"
	KEYE=$(awk '$1 == "ana" { print $3 }' "$B/erase.keys")
	serve "$B/erase.db" 6000
	sqlite3 "$B/erase.db" "SELECT id FROM contacts ORDER BY id LIMIT 2000" >"$TMP/ids"
	head -n 1000 "$TMP/ids" >"$TMP/ids.curl"
	{
		echo "id"
		tail -n +1001 "$TMP/ids"
	} >"$TMP/ids.csv"
	t0=$(date +%s.%N)
	while read -r id; do
		curl -s -o /dev/null -X DELETE -H "Authorization: Token token=$KEYE" "$URL/contacts/$id/forget"
	done <"$TMP/ids.curl"
	t1=$(date +%s.%N)
	CRMTUI_URL="$URL" CRMTUI_API_KEY="$KEYE" XDG_CONFIG_HOME="$TMP" XDG_STATE_HOME="$TMP" \
		XDG_DATA_HOME="$TMP" "$CLIENT" forget --from-csv "$TMP/ids.csv" \
		--journal "$TMP/journal" >"$TMP/forget.out" 2>&1
	rc=$?
	t2=$(date +%s.%N)
	left=$(sqlite3 "$B/erase.db" "SELECT count(*) FROM contacts WHERE id IN ($(paste -sd, "$TMP/ids"))")
	echo "$t0 $t1 $t2" | awk -v rc=$rc -v left="$left" '{
		c = $2 - $1; f = $3 - $2
		printf "erasure of 1,000, shell loop of curl|%.1f s|-\n", c
		printf "erasure of 1,000, crmtui forget --from-csv (exit %d)|%.1f s|-\n", rc, f
		printf "erasure, curl loop / batch (contacts left: %s)|%.1fx|>= 5x\n", left, c / f }' | row
	rm -f "$B/erase.db" "$B/erase.db-wal" "$B/erase.db-shm" "$B/erase.keys"
	ERASE_NOTE=
else
	ERASE_NOTE="Not measured: this build of crmtui has no batch mode (\`crmtui forget --from-csv\`)."
	echo "erasure of 1,000, curl loop / crmtui forget --from-csv|not measured|>= 5x" | row
fi
stop
LOAD1=$(cut -d' ' -f1-3 /proc/loadavg)
CPU1=$(awk '$1 == "cpu" { print $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9, $9 }' /proc/stat)
# The share of CPU time the hypervisor gave to others while the bench ran
# (steal): when it is high, elapsed times and even CPU times grow with it.
STEAL=$(echo "$CPU0 $CPU1" | awk '{ t = $3 - $1; printf "%.1f%%", (t > 0 ? 100 * ($4 - $2) / t : 0) }')
SECS=$(($(date +%s) - START))

# docs/performance.md: the figures, the machine, how to rerun, and the notes
# kept in tools/bench/notes.md.
{
	echo "# Performance"
	echo
	echo "Measured by \`make bench\` on $(date -u +%Y-%m-%d) against crm-server on loopback"
	echo "with \`init --demo 100000\` ($TOTAL contacts in the table) and with \`--demo 1000\`;"
	echo "crmtui at 80x24 in a pty (the whole-list scroll: 80x64, 1,000 contacts opened: 120x24), TERM=xterm-256color."
	echo
	echo "Machine: $(nproc) cores, $(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo | head -n 1)," \
		"$(awk '/^MemTotal/ { printf "%.1f GB", $2 / 1048576 }' /proc/meminfo) of memory;" \
		"load average $LOAD0 at the start and $LOAD1 at the end (1, 5, 15 min);" \
		"CPU time stolen by the hypervisor during the bench: $STEAL;" \
		"the bench took $SECS s."
	echo
	echo "| figure | measured | target |"
	echo "| --- | --- | --- |"
	cat "$RES"
	echo
	[ -n "$ERASE_NOTE" ] && echo "$ERASE_NOTE" && echo
	cat tools/bench/notes.md
} >"$DOC.tmp" && mv "$DOC.tmp" "$DOC"
echo "bench: wrote $DOC" >&2
