#!/bin/bash
# crm-server's command line: help, version, usage errors (exit 2), init and
# its keys file, the "listening on" line, HTTPS, a clean exit on SIGINT and
# SIGTERM, and a log that names routes but never personal data.
. "$(dirname "$0")/../lib.sh"
S=$SERVER_BIN

out=$("$S" --help)
is "--help exits 0" "$?" 0
check "--help shows both commands" bash -c "grep -q 'crm-server init DB' <<<'$out' && grep -q 'crm-server serve DB' <<<'$out'"
check "--help documents the default rate limit" grep -q 'default 6000' <<<"$out"
is "--version" "$("$S" --version)" "crm-server 0.1.0"

usage() { # NAME ARGS...: expects exit 2 and a message on stderr
	local name=$1
	shift
	"$S" "$@" >"$TMPD/u.out" 2>"$TMPD/u.err"
	is "$name: exit 2" "$?" 2
	check "$name: says why on stderr" grep -q '^crm-server: ' "$TMPD/u.err"
}
usage "no command"
usage "an unknown command" frobnicate
usage "init without a path" init
usage "init with a bad --demo" init "$TMPD/x.db" --demo many
usage "init with a negative --demo" init "$TMPD/x.db" --demo -5
usage "an unknown init option" init "$TMPD/x.db" --colour
usage "serve without a path" serve
usage "serve with a bad --listen" serve "$TMPD/x.db" --listen 127.0.0.1
usage "serve with a bad port" serve "$TMPD/x.db" --listen 127.0.0.1:70000
usage "serve with an IPv6 address without brackets" serve "$TMPD/x.db" --listen ::1:8080
usage "serve with --rate-limit 0" serve "$TMPD/x.db" --rate-limit 0
usage "serve with --rate-limit missing its value" serve "$TMPD/x.db" --rate-limit
usage "--tls-cert without --tls-key" serve "$TMPD/x.db" --tls-cert "$ROOT/tests/fixtures/tls/cert.pem"
check "usage errors print the usage" grep -q '^usage: crm-server init' "$TMPD/u.err"
"$S" serve "$TMPD/none.db" >/dev/null 2>"$TMPD/e"
is "serve of a missing database: exit 1" "$?" 1
check "... and says to run init" grep -q 'crm-server init' "$TMPD/e"
check "... without creating it" test ! -e "$TMPD/none.db"

# init: the keys file is mode 0600 and holds the three demo users.
DB="$TMPD/crm.db"
umask 022
"$S" init "$DB" --demo 5 --keys-out "$TMPD/keys" >"$TMPD/init.out" 2>&1
is "init exits 0" "$?" 0
is "the keys file is mode 0600" "$(stat -c %a "$TMPD/keys")" 600
is "it holds name and role of each user" "$(cut -d' ' -f1,2 "$TMPD/keys" | tr '\n' ';')" "ana admin;bruno agent;carla agent;"
is "init with --keys-out prints no key" "$(grep -c . "$TMPD/init.out")" 0
"$S" init "$DB" >/dev/null 2>"$TMPD/e"
is "init of a database that has an account: exit 1" "$?" 1
check "... and says so" grep -q 'already holds an account' "$TMPD/e"
"$S" init "$TMPD/stdout.db" >"$TMPD/keys2" 2>/dev/null
is "without --keys-out the keys go to stdout" "$(cut -d' ' -f1 "$TMPD/keys2" | tr '\n' ' ')" "ana bruno carla "
printf 'this is not a database, just some text that is long enough to look like a header.....' >"$TMPD/junk.db"
"$S" serve "$TMPD/junk.db" >/dev/null 2>"$TMPD/e"
is "serve of a file that is not a database: exit 1" "$?" 1
while read -r name _role key; do eval "KEY_$name=\$key"; done <"$TMPD/keys"

# serve: the line, requests, and a clean SIGTERM.
start() { # ARGS...: starts serve on $DB, sets PID and BASE
	"$S" serve "$DB" "$@" >"$TMPD/serve.out" 2>"$TMPD/serve.err" &
	PID=$!
	BASE=
	for _ in $(seq 1 200); do
		BASE=$(sed -n 's/^listening on \(http[^ ]*\)$/\1/p' "$TMPD/serve.out")
		[ -n "$BASE" ] && break
		kill -0 "$PID" 2>/dev/null || break
		sleep 0.05
	done
}
start --listen 127.0.0.1:0
check "serve prints exactly the listening line" grep -qxE 'listening on http://127\.0\.0\.1:[0-9]+/crm/sales/api' "$TMPD/serve.out"
check "port 0 picked a real port" bash -c "[[ '$BASE' =~ :([0-9]+)/ ]] && [ \${BASH_REMATCH[1]} -gt 0 ]"
api "$KEY_ana" POST /contacts '{"contact":{"first_name":"Wilhelmina","last_name":"Quarterstaff","email":"wq.private@example.org","mobile_number":"+44 7700 900123"}}'
is "a contact is created" "$CODE" 200
WQ=$(jqr .contact.id)
api "$KEY_ana" GET "/search?q=Quarterst"
api "$KEY_ana" GET "/lookup?q=wq.private@example.org&f=email&entities=contact"
api "$KEY_ana" GET "/search?q=447700"
api "$KEY_ana" PUT "/contacts/$WQ" '{"contact":{"last_name":"Quarterstaffe"}}'
api "$KEY_ana" GET "/no/such/place?q=Wilhelmina"
kill -TERM "$PID"
wait "$PID"
is "SIGTERM: exit 0" "$?" 0
check "SIGTERM: the log says it stopped" grep -q 'SIGTERM received, stopping' "$TMPD/serve.err"
check "the log holds no name, email, phone or query" bash -c \
	"! grep -qiE 'wilhelmina|quarterst|wq\.private|example\.org|7700|q=' '$TMPD/serve.err'"
check "the log line: time, method, route, status, duration" \
	grep -qE '^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z PUT /contacts/\{id\} 200 [0-9]+\.[0-9]{3}ms$' "$TMPD/serve.err"
check "an unknown route is logged without its path" grep -qE ' GET \(no route\) 404 ' "$TMPD/serve.err"
check "the WAL was checkpointed away on exit" test ! -s "$DB-wal"

start --listen 127.0.0.1:0
kill -INT "$PID"
wait "$PID"
is "SIGINT: exit 0" "$?" 0

start --listen localhost:0
check "localhost is loopback" grep -qE '^listening on http://127\.0\.0\.1:' "$TMPD/serve.out"
kill "$PID"
wait "$PID"

# IPv6 loopback: served where the machine has ::1, else refused in words.
if python3 -c 'import socket; socket.socket(socket.AF_INET6).bind(("::1", 0))' 2>/dev/null; then
	start --listen '[::1]:0'
	check "[::1]: the line has the address in brackets" \
		grep -qxE 'listening on http://\[::1\]:[0-9]+/crm/sales/api' "$TMPD/serve.out"
	is "[::1]: it answers" \
		"$(curl -sg -H "Authorization: Token token=$KEY_ana" "$BASE/users/me" | jq -r .user.role)" admin
	check "[::1]: no warning that it is not loopback" bash -c "! grep -q 'not loopback' '$TMPD/serve.err'"
	kill "$PID"
	wait "$PID"
else
	"$S" serve "$DB" --listen '[::1]:0' >/dev/null 2>"$TMPD/e"
	is "[::1] on a machine without IPv6: exit 1" "$?" 1
	check "[::1] on a machine without IPv6: says why" grep -q 'cannot listen on \[::1\]:0' "$TMPD/e"
	check "[::1] on a machine without IPv6: nothing else to say" test "$(wc -l <"$TMPD/e")" -eq 1
fi
# An IPv6 address the machine does not have (documentation prefix).
"$S" serve "$DB" --listen '[2001:db8::1]:0' >/dev/null 2>"$TMPD/e"
is "an IPv6 address not on this machine: exit 1" "$?" 1
check "an IPv6 address not on this machine: says why" grep -q 'cannot listen on \[2001:db8::1\]:0: ' "$TMPD/e"

# HTTPS with the test-only certificate.
start --listen 127.0.0.1:0 --tls-cert "$ROOT/tests/fixtures/tls/cert.pem" --tls-key "$ROOT/tests/fixtures/tls/key.pem"
check "with a certificate the line says https" grep -qxE 'listening on https://127\.0\.0\.1:[0-9]+/crm/sales/api' "$TMPD/serve.out"
is "HTTPS answers with the certificate trusted" \
	"$(curl -s --cacert "$ROOT/tests/fixtures/tls/cert.pem" -H "Authorization: Token token=$KEY_ana" "$BASE/users/me" | jq -r .user.role)" admin
is "plain HTTP to the HTTPS port gets no API answer" "$(curl -s -o /dev/null -w '%{http_code}' "${BASE/https/http}/users/me")" 000
kill "$PID"
wait "$PID"
"$S" serve "$DB" --listen 127.0.0.1:0 --tls-cert "$TMPD/missing.pem" --tls-key "$TMPD/missing.pem" >/dev/null 2>"$TMPD/e"
is "an unreadable certificate: exit 1" "$?" 1

done_testing
