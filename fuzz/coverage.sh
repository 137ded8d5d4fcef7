#!/usr/bin/env bash
# Source coverage of the modules each target drives, by the corpus it has
# grown (fuzz/corpus-TARGET/) and the seeds (fuzz/corpus/BASE/):
#   fuzz/coverage.sh [OUTDIR]      (default build-fuzz-cov)
# Builds with clang's source-based coverage (no sanitizers), runs each
# target once over its corpus, and prints llvm-cov's line and branch
# coverage of the util/ files it links.
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build-fuzz-cov}
ver=$(clang --version | sed -n 's/.*clang version \([0-9]*\).*/\1/p' | head -n 1)
profdata=$(command -v "llvm-profdata-$ver" || command -v llvm-profdata)
cov=$(command -v "llvm-cov-$ver" || command -v llvm-cov)
FUZZ_SANITIZE=undefined FUZZ_CFLAGS="-DFUZZ_LAX -fprofile-instr-generate -fcoverage-mapping ${FUZZ_CFLAGS:-}" \
	"$top/fuzz/build.sh" "$out" >/dev/null

declare -A sources=(
	[fuzz-request]="request.c" [fuzz-request-small]="request.c"
	[fuzz-url]="url.c" [fuzz-url-small]="url.c"
	[fuzz-cgienv]="cgienv.c request.c" [fuzz-mime]="mime.c"
	[fuzz-httpdate]="httpdate.c" [fuzz-proxy]="proxy.c" [fuzz-proxy-small]="proxy.c"
	[fuzz-auth]="auth.c" [fuzz-auth-small]="auth.c" [fuzz-passwd]="passwd.c"
)
for t in fuzz-request fuzz-request-small fuzz-url fuzz-url-small fuzz-cgienv \
	 fuzz-mime fuzz-httpdate fuzz-proxy fuzz-proxy-small fuzz-auth fuzz-auth-small \
	 fuzz-passwd; do
	base=${t#fuzz-}
	base=${base%-small}
	dirs=("$top/fuzz/corpus/$base")
	[ -d "$top/fuzz/corpus-${t#fuzz-}" ] && dirs+=("$top/fuzz/corpus-${t#fuzz-}")
	rm -f "$out/$t.profraw"
	LLVM_PROFILE_FILE="$out/$t.profraw" "$out/$t" -runs=0 "${dirs[@]}" \
		>"$out/$t.log" 2>&1 || true
	"$profdata" merge -sparse "$out/$t.profraw" -o "$out/$t.profdata"
	files=()
	for s in ${sources[$t]}; do files+=("$top/util/$s"); done
	echo "== $t"
	"$cov" report "$out/$t" -instr-profile="$out/$t.profdata" "${files[@]}" |
		sed -n '1,2p;/^[^-]*\.c /p'
done
