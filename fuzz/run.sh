#!/bin/sh
# Runs one fuzz target on its corpus:
#   fuzz/run.sh TARGET [SECONDS | -runs=N] [libFuzzer option]...
# TARGET is fuzz-request, fuzz-request-small, fuzz-url, fuzz-url-small,
# fuzz-cgienv, fuzz-mime, fuzz-httpdate, fuzz-proxy, fuzz-proxy-small or
# fuzz-passwd (the "fuzz-" may be left out).
# Builds the targets first if they are missing (fuzz/build.sh). New inputs
# go to fuzz/corpus-TARGET/ (not committed), the seeds of fuzz/corpus/ are
# read only, and a crash is written to build-fuzz/artifacts/. Default: 60 s.
# Environment: FUZZ_BUILD (default build-fuzz at the top).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
[ $# -ge 1 ] || { echo "usage: fuzz/run.sh TARGET [SECONDS|-runs=N] [OPTION]..." >&2; exit 100; }
target=fuzz-${1#fuzz-}
shift
limit=-max_total_time=60
if [ $# -ge 1 ]; then
	case $1 in
	-*)     limit=$1 ;;
	*[!0-9]*) echo "run.sh: '$1' is neither SECONDS nor -runs=N" >&2; exit 100 ;;
	*)      limit=-max_total_time=$1 ;;
	esac
	shift
fi
build=${FUZZ_BUILD:-$top/build-fuzz}
[ -x "$build/$target" ] || "$top/fuzz/build.sh" "$build" >/dev/null

base=${target#fuzz-}
base=${base%-small}
seeds="$top/fuzz/corpus/$base"
[ -d "$seeds" ] || { echo "run.sh: unknown target $target" >&2; exit 100; }
extra=
[ "$base" = cgienv ] && extra="$top/fuzz/corpus/request"
dict=$top/fuzz/$base.dict
[ "$base" = cgienv ] && dict=$top/fuzz/request.dict

work="$top/fuzz/corpus-${target#fuzz-}"
mkdir -p "$work" "$build/artifacts"
# shellcheck disable=SC2086
exec "$build/$target" "$limit" -dict="$dict" \
	-artifact_prefix="$build/artifacts/$target-" -print_final_stats=1 \
	"$@" "$work" "$seeds" $extra
