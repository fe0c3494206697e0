# Shared by the shell suites: TAP output, a fresh crm-server on a free
# loopback port, and curl helpers. Source it; call server_start first.
BUILD=${BUILD:-build}
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SERVER_BIN="$ROOT/$BUILD/crm-server"
CLIENT_BIN="$ROOT/$BUILD/crmtui"
TMPD=$(mktemp -d "${TMPDIR:-/tmp}/crmtest.XXXXXX")
TAP_N=0
TAP_FAILED=0
SERVER_PID=

cleanup() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	[ -n "${TMUX_SOCK:-}" ] && tmux -S "$TMUX_SOCK" kill-server 2>/dev/null
	rm -rf "$TMPD"
}
trap cleanup EXIT

ok() {
	TAP_N=$((TAP_N + 1))
	echo "ok $TAP_N - $1"
}
not_ok() {
	TAP_N=$((TAP_N + 1))
	TAP_FAILED=$((TAP_FAILED + 1))
	echo "not ok $TAP_N - $1"
	shift
	for line in "$@"; do echo "#   $line"; done
}
# check NAME CMD...: passes when CMD succeeds.
check() {
	local name=$1
	shift
	if "$@"; then ok "$name"; else not_ok "$name" "command: $*"; fi
}
# is NAME GOT WANT
is() {
	if [ "$2" = "$3" ]; then ok "$1"; else not_ok "$1" "got:  $2" "want: $3"; fi
}
done_testing() {
	echo "1..$TAP_N"
	[ "$TAP_FAILED" -eq 0 ]
}

# server_start [DEMO_N] [SERVE_ARGS...]: fresh database, free port; sets DB,
# BASE (API prefix URL), ROOT_URL, KEY_ana, KEY_bruno, KEY_carla.
server_start() {
	local n=${1:-50}
	shift || true
	DB="$TMPD/crm.db"
	rm -f "$DB" "$DB-wal" "$DB-shm"
	"$SERVER_BIN" init "$DB" --demo "$n" --keys-out "$TMPD/keys" >"$TMPD/init.log" 2>&1 ||
		{ echo "# server init failed:"; sed 's/^/#   /' "$TMPD/init.log"; exit 1; }
	while read -r name _role key; do
		eval "KEY_$name=\$key"
	done <"$TMPD/keys"
	server_serve "$@"
}

# server_serve [SERVE_ARGS...]: (re)start on the existing DB.
server_serve() {
	local out="$TMPD/serve.out" i
	: >"$out"
	"$SERVER_BIN" serve "$DB" --listen 127.0.0.1:0 "$@" >"$out" 2>"$TMPD/serve.err" &
	SERVER_PID=$!
	for i in $(seq 1 200); do
		BASE=$(sed -n 's/^listening on \(http[^ ]*\)$/\1/p' "$out")
		[ -n "$BASE" ] && break
		kill -0 "$SERVER_PID" 2>/dev/null || break
		sleep 0.05
	done
	if [ -z "$BASE" ]; then
		echo "# crm-server did not start:"
		sed 's/^/#   /' "$TMPD/serve.err"
		exit 1
	fi
	ROOT_URL=${BASE%/crm/sales/api}
}

server_stop() {
	[ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null && wait "$SERVER_PID" 2>/dev/null
	SERVER_PID=
}

# api KEY METHOD PATH [BODY]: sets CODE and BODY_OUT (response body).
api() {
	local key=$1 method=$2 path=$3 body=${4-}
	local args=(-s -o "$TMPD/body" -w '%{http_code}' -X "$method"
		-H "Accept: application/json")
	[ -n "$key" ] && args+=(-H "Authorization: Token token=$key")
	[ -n "$body" ] && args+=(-H "Content-Type: application/json" --data-binary "$body")
	CODE=$(curl "${args[@]}" "$BASE$path")
	BODY_OUT=$(cat "$TMPD/body")
}
# jqr FILTER: apply jq to the last response body (raw output).
jqr() { printf '%s' "$BODY_OUT" | jq -r "$1" 2>/dev/null; }
