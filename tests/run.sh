#!/bin/sh
# Runs every suite and tallies their TAP lines. Last line: "N passed, N failed".
# A suite that exits non-zero without reporting a failure counts as one failure.
BUILD=${BUILD:-build}
export BUILD
cd "$(dirname "$0")/.." || exit 1
pass=0
fail=0
log=$(mktemp)
trap 'rm -f "$log"' EXIT

run_suite() {
	name=$1
	shift
	printf '== %s\n' "$name"
	start=$(date +%s)
	# A hung suite fails instead of hanging the run.
	CMOCKA_MESSAGE_OUTPUT=TAP timeout -k 10 "${SUITE_TIMEOUT:-600}" "$@" >"$log" 2>&1
	rc=$?
	cat "$log"
	[ "$rc" -eq 124 ] && echo "not ok - $name timed out after ${SUITE_TIMEOUT:-600} s"
	echo "# $name: $(($(date +%s) - start)) s"
	p=$(grep -cE '^ok [0-9]+' "$log")
	f=$(grep -cE '^not ok [0-9]+' "$log")
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name exited with status $rc"
		f=1
	fi
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "not ok - $name ran no test"
		f=1
	fi
	pass=$((pass + p))
	fail=$((fail + f))
}

for t in "$BUILD"/tests/unit/test_*; do
	case "$t" in *.o | *.d) continue ;; esac
	[ -x "$t" ] && run_suite "unit/${t##*/}" "$t"
done
for t in "$BUILD"/tests/api/test_*; do
	case "$t" in *.o | *.d) continue ;; esac
	[ -x "$t" ] && run_suite "api/${t##*/}" bash tests/api/with-server.sh "$t"
done
for t in tests/api/test_*.sh tests/tui/test_*.sh; do
	[ -f "$t" ] && run_suite "${t#tests/}" bash "$t"
done

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
