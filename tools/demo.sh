#!/bin/sh
# make demo: a demo database kept between runs, crm-server on a free loopback
# port, and crmtui on it as the demo admin (ana); the server stops with crmtui.
set -u
BUILD=${BUILD:-build}
SERVER="$BUILD/crm-server"
CLIENT="$BUILD/crmtui"
DATA="${XDG_DATA_HOME:-$HOME/.local/share}/crmtui"
DB="$DATA/demo.db"
KEYS="$DATA/demo.keys"
DEMO_N=${DEMO_N:-2000}

die() {
	echo "demo: $*" >&2
	exit 1
}

[ -x "$SERVER" ] && [ -x "$CLIENT" ] || die "$SERVER and $CLIENT are not built (run make)"

# The database once; its keys file (mode 0600, written by crm-server) beside it.
if [ ! -s "$DB" ] || [ ! -s "$KEYS" ]; then
	mkdir -p "$DATA" && chmod 700 "$DATA" || die "cannot create $DATA"
	rm -f "$DB" "$DB-wal" "$DB-shm" "$KEYS"
	echo "demo: creating $DB with $DEMO_N contacts (once)..." >&2
	if ! "$SERVER" init "$DB" --demo "$DEMO_N" --keys-out "$KEYS" >/dev/null; then
		rm -f "$DB" "$DB-wal" "$DB-shm" "$KEYS"
		die "crm-server init failed"
	fi
	chmod 600 "$DB"
fi
KEY=$(awk '$1 == "ana" { print $3 }' "$KEYS")
[ -n "$KEY" ] || die "no key for ana in $KEYS (remove $DB to start over)"

if [ ! -t 0 ] || [ ! -t 1 ]; then
	cat <<-EOT
	demo: crmtui needs a terminal, and this is not one; here is what make demo does.
	  1. start the server on a free loopback port:
	       $SERVER serve $DB --listen 127.0.0.1:0
	     it prints "listening on http://127.0.0.1:PORT/crm/sales/api"
	  2. in a terminal, open crmtui on it as ana (the demo admin):
	       CRMTUI_URL=http://127.0.0.1:PORT/crm/sales/api \\
	       CRMTUI_API_KEY=\$(awk '\$1 == "ana" { print \$3 }' $KEYS) $CLIENT
	  The keys of ana, bruno and carla are in $KEYS (mode 0600).
	  Reach the API with curl:
	       curl -H "Authorization: Token token=KEY" http://127.0.0.1:PORT/crm/sales/api/contacts/filters
	EOT
	exit 0
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/crmdemo.XXXXXX") || die "mktemp failed"
PID=
stop() {
	if [ -n "$PID" ]; then
		kill "$PID" 2>/dev/null
		wait "$PID" 2>/dev/null
		PID=
	fi
	rm -rf "$TMP"
}
trap stop EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

"$SERVER" serve "$DB" --listen 127.0.0.1:0 >"$TMP/out" 2>"$TMP/err" &
PID=$!
URL=
i=0
while [ $i -lt 200 ]; do
	URL=$(sed -n 's/^listening on \(http[^ ]*\)$/\1/p' "$TMP/out")
	[ -n "$URL" ] && break
	kill -0 "$PID" 2>/dev/null || break
	sleep 0.05
	i=$((i + 1))
done
if [ -z "$URL" ]; then
	sed 's/^/  /' "$TMP/err" >&2
	die "crm-server did not start"
fi
echo "demo: crm-server at $URL; starting crmtui as ana (q quits)" >&2
CRMTUI_URL="$URL" CRMTUI_API_KEY="$KEY" "$CLIENT"
rc=$?
stop
echo "demo: stopped crm-server" >&2
exit $rc
