#!/bin/sh
# make check: the wall between core/ and tui/, banned calls, formatting.
set -u
fail=0
bad() { echo "check: $*" >&2; fail=1; }

hits=$(grep -rlE '#include *[<"](ncursesw/)?(n?curses|panel|menu|form)\.h[>"]' core server 2>/dev/null)
[ -n "$hits" ] && bad "curses included outside tui/: $hits"
hits=$(grep -rlE '#include *[<"]curl/' core tui server 2>/dev/null | grep -vE '^(core/http|server/notify)\.c$')
[ -n "$hits" ] && bad "libcurl included outside core/http.c (and crm-server's notices, server/notify.c): $hits"
hits=$(grep -rlE '#include *[<"](cjson/)?cJSON\.h' core tui 2>/dev/null | grep -vE '^core/[a-z_]+_json\.c$')
[ -n "$hits" ] && bad "cJSON included outside core/*_json.c: $hits"
hits=$(grep -rlE '#include *[<"]microhttpd\.h' core tui 2>/dev/null)
[ -n "$hits" ] && bad "libmicrohttpd included in the client: $hits"
# The client's only SQLite file is the batch journal (ids and states only).
hits=$(grep -rlE '#include *[<"]sqlite3\.h' core tui 2>/dev/null | grep -v '^core/journal\.c$')
[ -n "$hits" ] && bad "SQLite included in the client outside core/journal.c: $hits"
hits=$(grep -rnE '\b(sprintf|vsprintf|strcpy|strcat|strtok|atoi|gets)[[:space:]]*\(' \
	--include='*.c' --include='*.h' core tui server tests 2>/dev/null | grep -vE 'v?snprintf')
[ -n "$hits" ] && bad "banned calls (use snprintf, bounded copies, strtol):
$hits"
hits=$(grep -rnE 'sqlite3_exec[[:space:]]*\([^;]*%' --include='*.c' server 2>/dev/null)
[ -n "$hits" ] && bad "SQL built with format strings: $hits"

files=$(git ls-files '*.c' '*.h' 2>/dev/null; git ls-files -o --exclude-standard '*.c' '*.h' 2>/dev/null)
if command -v clang-format >/dev/null 2>&1; then
	# shellcheck disable=SC2086
	[ -n "$files" ] && ! clang-format --dry-run --Werror $files 2>/dev/null && \
		bad "code not formatted: run 'make format'"
else
	bad "clang-format not installed (apt-get install clang-format)"
fi
exit $fail
