#!/bin/bash
# The API key as a secret: stored only hashed in the database, never in the
# server's output, error messages, crmtui's screen, debug log, exports, argv
# environment (config.c unsets CRMTUI_API_KEY once read) or a core file; every route
# refuses a missing or wrong key, every admin route refuses an agent.
. "$(dirname "$0")/../tui/lib-tmux.sh"
server_start 10

# no_key NAME FILE...: none of the files holds ana's key.
no_key() {
	local name=$1
	shift
	if grep -a -q -F "$KEY_ana" "$@" 2>/dev/null; then not_ok "$name" "the key is in $*"; else ok "$name"; fi
}

# Stored hashed: the key's text is in neither the file nor the dump. The
# lookup is "WHERE key_hash = ?" on the UNIQUE (indexed) SHA-256 column
# (server/handlers_users.c): an index seek on a hash, no byte-wise compare
# of the secret itself.
sqlite3 "$DB" .dump >"$TMPD/dump.sql"
no_key "the key is not in the database dump" "$TMPD/dump.sql"
no_key "the key is not in the database files" "$DB" "$DB-wal"
hash=$(printf '%s' "$KEY_ana" | sha256sum | cut -d' ' -f1)
is "the database holds the key's SHA-256" \
	"$(sqlite3 "$DB" "SELECT count(*) FROM users WHERE lower(hex(key_hash)) = '$hash'")" 1
check "the lookup is by the indexed key_hash" grep -q 'WHERE key_hash = ?1' server/handlers_users.c

# Error messages do not echo a key, right or wrong.
WRONG="${KEY_ana%????}zzzz"
api "$WRONG" GET /users/me
is "a wrong key: 401" "$CODE" 401
check "the 401 does not echo the key" bash -c '! grep -q -F "$1" <<<"$2"' _ "$WRONG" "$BODY_OUT"
api "$KEY_ana" GET /no/such/route
check "a 404 does not echo the key" bash -c '! grep -q -F "$1" <<<"$2"' _ "$KEY_ana" "$BODY_OUT"

# Every route refuses a missing and a wrong key; every admin route refuses
# an agent (bruno). The list comes from the route table itself.
sed -n 's/^ *{"\([A-Z]*\)", "\([^"]*\)", [a-z_]*, \(.*\)},$/\1 \2 \3/p' server/router.c >"$TMPD/routes"
nroutes=$(wc -l <"$TMPD/routes")
check "the route table was read ($nroutes routes)" test "$nroutes" -ge 40
bad_missing=0 bad_wrong=0 bad_agent=0 nadmin=0
while read -r method path flags; do
	p=${path//\{id\}/1}
	body=
	case $flags in *ROUTE_BODY*) body='{}' ;; esac
	api "" "$method" "$p" "$body"
	[ "$CODE" = 401 ] || { bad_missing=$((bad_missing + 1)) && echo "# no key: $method $p -> $CODE"; }
	api "$WRONG" "$method" "$p" "$body"
	[ "$CODE" = 401 ] || { bad_wrong=$((bad_wrong + 1)) && echo "# wrong key: $method $p -> $CODE"; }
	case $flags in *ROUTE_ADMIN*)
		nadmin=$((nadmin + 1))
		api "$KEY_bruno" "$method" "$p" "$body"
		[ "$CODE" = 403 ] || { bad_agent=$((bad_agent + 1)) && echo "# agent: $method $p -> $CODE"; }
		;;
	esac
done <"$TMPD/routes"
is "all $nroutes routes refuse a missing key with 401" "$bad_missing" 0
is "all $nroutes routes refuse a wrong key with 401" "$bad_wrong" 0
is "all $nadmin admin routes refuse an agent with 403" "$bad_agent" 0

# crmtui: the key from the environment, a debug log, an export.
mkdir -p "$TMPD/config/crmtui"
printf 'debug_log = %s\n' "$TMPD/debug.log" >"$TMPD/config/crmtui/config"
tui_start
wait_for "Contacts" || not_ok "crmtui shows the contacts" "$(screen)"
PID=$(tui_pid)
check "crmtui runs (pid $PID)" test -n "$PID" -a -d "/proc/$PID"
tr '\0' '\n' <"/proc/$PID/environ" >"$TMPD/environ"
tr '\0' ' ' <"/proc/$PID/cmdline" >"$TMPD/cmdline"
check "the environment held the URL (the check reads the right process)" grep -q '^CRMTUI_URL=' "$TMPD/environ"
no_key "/proc/PID/environ does not hold the key" "$TMPD/environ"
no_key "/proc/PID/cmdline does not hold the key" "$TMPD/cmdline"
ps -eo args >"$TMPD/ps"
no_key "ps output does not hold the key" "$TMPD/ps"
screen >"$TMPD/screen"
no_key "the screen does not show the key" "$TMPD/screen"
check "the debug log was written" test -s "$TMPD/debug.log"
no_key "the debug log does not hold the key" "$TMPD/debug.log"
# A core file of the running crmtui (gdb's gcore, which leaves out the
# MADV_DONTDUMP pages as the kernel does): the key must not be in it. Under
# ASan a core holds the sanitizer's shadow memory and takes minutes to write,
# so there the same memory (every readable mapping a core would hold, the
# MADV_DONTDUMP ones left out) is read from /proc/PID/mem instead; the normal
# build (make test) runs the gcore check.
case "$BUILD" in
*asan*)
	n=$(python3 - "$PID" "$KEY_ana" <<'PY'
import re, sys
pid, key = sys.argv[1], sys.argv[2].encode()
dd, cur = set(), None
for line in open(f"/proc/{pid}/smaps"):
    m = re.match(r"([0-9a-f]+)-([0-9a-f]+) ", line)
    if m:
        cur = (int(m.group(1), 16), int(m.group(2), 16))
    elif line.startswith("VmFlags:") and " dd" in line:
        dd.add(cur)
hits, regions = 0, 0
with open(f"/proc/{pid}/mem", "rb", 0) as mem:
    for line in open(f"/proc/{pid}/maps"):
        f = line.split()
        lo, hi = (int(x, 16) for x in f[0].split("-"))
        if "r" not in f[1] or (lo, hi) in dd or hi - lo > (1 << 30):
            continue
        if len(f) > 5 and f[5] in ("[vvar]", "[vsyscall]"):
            continue
        try:
            mem.seek(lo)
            data = mem.read(hi - lo)
            # ASan's runtime copies the environment block before main: that
            # copy holds CRMTUI_API_KEY=KEY as it was passed. The normal
            # build's gcore check above covers the program's own copies.
            hits += data.count(key) - data.count(b"CRMTUI_API_KEY=" + key)
            regions += 1
        except OSError:
            pass
print(hits if regions else "unread")
PY
)
	is "the memory a core file would hold does not hold the key" "$n" 0
	;;
*)
	if gdb -p "$PID" -batch -ex "gcore $TMPD/core" >"$TMPD/gdb.log" 2>&1 && [ -s "$TMPD/core" ]; then
		ok "a core file of crmtui was written"
		n=$(grep -a -o -F "$KEY_ana" "$TMPD/core" | wc -l)
		is "the core file does not hold the key" "$n" 0
		rm -f "$TMPD/core"
	else
		not_ok "a core file of crmtui was written" "$(tail -3 "$TMPD/gdb.log")"
	fi
	;;
esac
tui_quit_clean "crmtui quits cleanly"
tm kill-server 2>/dev/null
no_key "crmtui's stderr does not hold the key" "$TUI_ERR"

# A start with a wrong key: the error on the screen does not show it.
TUI_KEY=$WRONG tui_start
wait_match "[Kk]ey|401|[Ll]ogin" || not_ok "a wrong key is reported" "$(screen)"
screen >"$TMPD/screen2"
check "a wrong key is reported on the screen" grep -q -i 'key\|login\|401' "$TMPD/screen2"
check "... without showing it" bash -c '! grep -q -F "$1" "$2"' _ "$WRONG" "$TMPD/screen2"
tm kill-server 2>/dev/null

# The server's own output saw the key in every request above.
no_key "crm-server's stdout does not hold the key" "$TMPD/serve.out"
no_key "crm-server's stderr does not hold the key" "$TMPD/serve.err"
no_key "crm-server init's output does not hold the key except in --keys-out" "$TMPD/init.log"
api "$KEY_ana" GET /export
is "the account export answers" "$CODE" 200
check "the account export does not hold the key" bash -c '! grep -q -F "$1" <<<"$2"' _ "$KEY_ana" "$BODY_OUT"
api "$KEY_ana" GET /contacts/1/export
check "a contact export does not hold the key" bash -c '! grep -q -F "$1" <<<"$2"' _ "$KEY_ana" "$BODY_OUT"

done_testing
