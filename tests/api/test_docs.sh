#!/bin/bash
# The docs follow the code: every route of server/router.c is in docs/api.md,
# every long option of both --help texts is in the man pages, and make install
# puts binaries, themes and man pages into a user's prefix with the right modes.
. "$(dirname "$0")/../lib.sh"
cd "$ROOT" || exit 1

# Routes: lines {"METHOD", "/pattern", ...} of the route table; api.md lists
# each as a table row "| METHOD | `/crm/sales/api/pattern` |".
n=0
while read -r method path; do
	n=$((n + 1))
	if grep -qF "| $method | \`/crm/sales/api$path\` |" docs/api.md; then
		ok "api.md lists $method $path"
	else
		not_ok "api.md lists $method $path" "no row \"| $method | \`/crm/sales/api$path\` |\""
	fi
done < <(sed -n 's/^ *{"\([A-Z]*\)", "\(\/[^"]*\)",.*/\1 \2/p' server/router.c)
check "router.c has more than 40 routes to check ($n)" test "$n" -gt 40

# Long options: each --name of a --help text appears as \-\-name in the page.
options_in() {
	"$@" 2>&1 | grep -oE -- '--[a-z][a-z-]*' | sort -u
}
man_has() {
	local page=$1 opt=$2 roff
	roff=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
	grep -q -- "$roff" "$page"
}
for prog in crmtui crm-server; do
	page=docs/$prog.1
	if [ "$prog" = crmtui ]; then
		opts=$( (options_in "$CLIENT_BIN" --help; options_in "$CLIENT_BIN" export --help) | sort -u)
	else
		opts=$(options_in "$SERVER_BIN" --help)
	fi
	count=$(printf '%s\n' "$opts" | grep -c .)
	check "$prog --help names options ($count)" test "$count" -ge 5
	for opt in $opts; do
		check "$page documents $opt" man_has "$page" "$opt"
	done
	for sec in NAME SYNOPSIS DESCRIPTION OPTIONS ENVIRONMENT FILES "EXIT STATUS" "SEE ALSO"; do
		check "$page has the section $sec" grep -qx "\\.SH \"\\?$sec\"\\?" "$page"
	done
	warn=$(groff -man -Tutf8 -ww -z "$page" 2>&1)
	is "$page renders without groff warnings" "$warn" ""
done
check "crmtui.1 documents the batch commands" grep -q '^\.SH COMMANDS' docs/crmtui.1

# make install into a fresh prefix, as whoever runs the tests.
P="$TMPD/p"
# A copy of the build: the prefix is compiled into crmtui, so installing to
# another one rebuilds it (with the sanitizers when the copy has them), and
# the suites after this one use the original.
cp -a "$ROOT/$BUILD" "$TMPD/build"
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory BUILD="$TMPD/build" \
	SANITIZE="${SANITIZE:-0}" install PREFIX="$P" >"$TMPD/install.log" 2>&1; then
	ok "make install PREFIX=$P succeeds"
else
	not_ok "make install PREFIX=$P succeeds" "$(tail -5 "$TMPD/install.log")"
fi
mode() { stat -c %a "$1" 2>/dev/null || echo missing; }
for b in crmtui crm-server; do
	is "bin/$b installed with mode 0755" "$(mode "$P/bin/$b")" 755
done
is "installed crm-server runs" "$("$P/bin/crm-server" --version 2>&1 | cut -d' ' -f1)" crm-server
for t in themes/*.theme; do
	is "theme ${t##*/} installed with mode 0644" "$(mode "$P/share/crmtui/themes/${t##*/}")" 644
done
for m in crmtui.1 crm-server.1; do
	is "man page $m installed with mode 0644" "$(mode "$P/share/man/man1/$m")" 644
done
extra=$(find "$P" -type f ! -path "$P/bin/*" ! -name '*.theme' ! -name '*.1')
is "nothing else installed" "$extra" ""

done_testing
