#!/bin/sh
# Runs each libFuzzer target in $FUZZ_BUILD for FUZZ_SECONDS seconds on its seed
# corpus (tests/fuzz/corpus/<target>/), then prints one line per target.
#   sh tools/fuzz.sh            run every built target (as make fuzz does)
#   sh tools/fuzz.sh NAME...    run only these (fuzz_sanitize, ...)
#   sh tools/fuzz.sh --check    only check that $FUZZ_CC can build fuzz targets
# Environment: FUZZ_SECONDS (default 20), FUZZ_BUILD (default build-fuzz),
# FUZZ_CC (default clang), FUZZ_ARGS (more libFuzzer flags, e.g. -only_ascii=1).
# Exits non-zero when a target crashes; the input is kept as
# $FUZZ_BUILD/crashes/<target>/crash-<sha1> (tests/fuzz/README.md says what next).
set -u

FUZZ_SECONDS=${FUZZ_SECONDS:-20}
FUZZ_BUILD=${FUZZ_BUILD:-build-fuzz}
FUZZ_CC=${FUZZ_CC:-clang}
FUZZ_ARGS=${FUZZ_ARGS:-}
SEEDS=tests/fuzz/corpus
DICTS=tests/fuzz/dict

if [ "${1:-}" = "--check" ]; then
	tmp=$(mktemp -d) || exit 1
	printf '%s\n' '#include <stddef.h>' '#include <stdint.h>' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n);' \
		'int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }' \
		>"$tmp/probe.c"
	if ! command -v "$FUZZ_CC" >/dev/null 2>&1; then
		echo "make fuzz needs clang ($FUZZ_CC was not found)." >&2
		echo "Run:  sudo apt-get install -y clang libclang-rt-14-dev" >&2
		rm -rf "$tmp"
		exit 1
	fi
	if ! "$FUZZ_CC" -fsanitize=fuzzer,address,undefined -o "$tmp/probe" "$tmp/probe.c" \
		>"$tmp/log" 2>&1; then
		cat "$tmp/log" >&2
		echo "make fuzz: $FUZZ_CC cannot build libFuzzer targets with ASan and UBSan." >&2
		echo "Run:  sudo apt-get install -y clang libclang-rt-14-dev" >&2
		rm -rf "$tmp"
		exit 1
	fi
	rm -rf "$tmp"
	exit 0
fi

case $FUZZ_SECONDS in
'' | *[!0-9]*)
	echo "FUZZ_SECONDS must be a whole number of seconds" >&2
	exit 2
	;;
esac

if [ $# -gt 0 ]; then
	targets=$*
else
	targets=""
	for bin in "$FUZZ_BUILD"/fuzz_*; do
		[ -x "$bin" ] && targets="$targets ${bin##*/}"
	done
fi
if [ -z "$targets" ]; then
	echo "no fuzz targets in $FUZZ_BUILD/: run make fuzz" >&2
	exit 2
fi

# A crash stops a target; leaks and UBSan reports count as crashes.
ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1:symbolize=1}
UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
export ASAN_OPTIONS UBSAN_OPTIONS

failed=0
total_execs=0
summary=""
for t in $targets; do
	bin=$FUZZ_BUILD/$t
	if [ ! -x "$bin" ]; then
		echo "$t: no such target in $FUZZ_BUILD/" >&2
		failed=1
		continue
	fi
	# New inputs go to a scratch corpus under $FUZZ_BUILD; the seeds in the
	# tree are only read, so a run leaves the checkout as it was.
	work=$FUZZ_BUILD/corpus/$t
	crashes=$FUZZ_BUILD/crashes/$t
	log=$FUZZ_BUILD/logs/$t.log
	mkdir -p "$work" "$crashes" "${log%/*}"
	seeds=""
	[ -d "$SEEDS/$t" ] && seeds=$SEEDS/$t
	dict=""
	case $t in
	fuzz_json_* | fuzz_export_* | fuzz_server_*) dict=$DICTS/json.dict ;;
	fuzz_config) dict=$DICTS/config.dict ;;
	esac
	# Inputs up to twice the sanitizer's default cap (4096 bytes), so that
	# clipping at the default is reached too.
	max_len=8192

	echo "== $t: ${FUZZ_SECONDS}s"
	# shellcheck disable=SC2086
	"$bin" -max_total_time="$FUZZ_SECONDS" -timeout=10 -rss_limit_mb=2048 \
		-max_len="$max_len" -print_final_stats=1 -artifact_prefix="$crashes/" \
		${dict:+-dict="$dict"} $FUZZ_ARGS "$work" $seeds >"$log" 2>&1
	rc=$?
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
	corpus=$(find "$work" -type f | wc -l | tr -d ' ')
	execs=${execs:-0}
	total_execs=$((total_execs + execs))
	if [ $rc -eq 0 ]; then
		result=ok
	else
		result="FAILED (exit $rc)"
		failed=1
		grep -E '^(==[0-9]+==ERROR|SUMMARY|.*property violated|.*runtime error)' "$log" |
			head -n 5 >&2
		input=$(sed -n 's/.*Test unit written to //p' "$log" | tail -n 1)
		echo "   log: $log; input: ${input:-none written}" >&2
	fi
	line=$(printf '%-22s %10s execs  corpus %6s  %s' "$t" "$execs" "$corpus" "$result")
	echo "$line"
	summary="$summary$line
"
done

printf '\n%s' "$summary"
echo "total: $total_execs executions in ${FUZZ_SECONDS}s per target"
exit $failed
