#!/usr/bin/env bash
# The long run: every target for N executions, J targets at a time, at low
# priority, then a table of executions, coverage and time per target.
#   fuzz/long-run.sh [RUNS [JOBS]]      (default 10000000 runs, 2 jobs)
# Builds first with -DFUZZ_LAX (the checks of bugs still open left out, so
# that the run goes past them; see fuzz/README.md), into build-fuzz-long.
# Logs and crashes: build-fuzz-long/TARGET.log, build-fuzz-long/artifacts/.
# The corpora it grows are fuzz/corpus-TARGET/, as with fuzz/run.sh.
# Environment: FUZZ_TARGETS (default: all seven), FUZZ_CFLAGS.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
runs=${1:-10000000}
jobs=${2:-2}
out=$top/build-fuzz-long
targets=${FUZZ_TARGETS:-fuzz-url fuzz-request fuzz-cgienv fuzz-url-small
	 fuzz-request-small fuzz-httpdate fuzz-mime fuzz-proxy fuzz-proxy-small}

rm -rf "$out"
mkdir -p "$out/snapshot"
# What was fuzzed: the commit, and the sources as they were (the working
# tree may differ from the commit).
{ git -C "$top" rev-parse HEAD; git -C "$top" status --short -- util; } \
	>"$out/snapshot/VERSION" 2>/dev/null || true
cp "$top"/util/*.[ch] "$out/snapshot/"
FUZZ_CFLAGS="-DFUZZ_LAX ${FUZZ_CFLAGS:-}" "$top/fuzz/build.sh" "$out" >/dev/null
export FUZZ_BUILD="$out"

one() {
	t=$1
	start=$(date +%s)
	rc=0
	nice -n 19 "$top/fuzz/run.sh" "$t" "-runs=$runs" >"$out/$t.log" 2>&1 || rc=$?
	echo "$(( $(date +%s) - start ))" >"$out/$t.seconds"
	echo "$rc" >"$out/$t.rc"
}

# A simple pool: start up to $jobs, wait for any to end, go on.
running=0
for t in $targets; do
	if [ "$running" -ge "$jobs" ]; then
		wait -n 2>/dev/null || wait
		running=$((running - 1))
	fi
	one "$t" &
	running=$((running + 1))
done
wait

printf '%-20s %12s %6s %7s %8s %8s %s\n' target executions cov ft corpus seconds result
for t in $targets; do
	log=$out/$t.log
	execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	last=$(grep -E '^#[0-9]+' "$log" | tail -n 1)
	cov=$(echo "$last" | sed -n 's/.*cov: \([0-9]*\).*/\1/p')
	ft=$(echo "$last" | sed -n 's/.*ft: \([0-9]*\).*/\1/p')
	corp=$(echo "$last" | sed -n 's/.*corp: \([0-9]*\/[0-9]*[a-zA-Z]*\).*/\1/p')
	rc=$(cat "$out/$t.rc")
	result=ok
	[ "$rc" = 0 ] || result="CRASH (exit $rc, see $log)"
	printf '%-20s %12s %6s %7s %8s %8s %s\n' "$t" "${execs:-?}" "${cov:-?}" \
		"${ft:-?}" "${corp:-?}" "$(cat "$out/$t.seconds")" "$result"
done
