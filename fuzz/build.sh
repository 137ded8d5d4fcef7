#!/bin/sh
# Builds the libFuzzer targets with clang, apart from the meson build:
#   fuzz/build.sh [OUTDIR]          (default: build-fuzz at the top)
# Each target links only the pure modules it drives, plus the generated
# mime-table.h and a config-build.h written here. The "-small" variants
# are the same harnesses with every limit of util/bounds.h scaled down
# (fuzz/small-bounds.h), so that inputs of a few KiB reach each bound.
# Environment: CC (default clang), FUZZ_CFLAGS (added to the flags, e.g.
# -DFUZZ_LAX to skip the checks of bugs still open), FUZZ_SANITIZE
# (default address,undefined; "memory" builds MemorySanitizer targets,
# which see reads of uninitialised memory that ASan does not).
set -eu
top=$(cd "$(dirname "$0")/.." && pwd)
out=${1:-$top/build-fuzz}
CC=${CC:-clang}

mkdir -p "$out/gen"
# Regenerate only when missing: the table depends on this machine's Python.
[ -s "$out/gen/mime-table.h" ] ||
	python3 "$top/tools/gen-mime-table.py" "$out/gen/mime-table.h"
cat >"$out/gen/config-build.h" <<CONF
#pragma once
#define HAVE_JOURNAL 1
#define HAVE_OPENAT2_H 1
#define PACKAGE_VERSION "fuzz"
CONF

sanitize=${FUZZ_SANITIZE:-address,undefined}
case $sanitize in
*memory*) sanitize="$sanitize -fsanitize-memory-track-origins" ;;
esac
cflags="-std=c17 -D_GNU_SOURCE -g -O1 -fno-omit-frame-pointer
	-fsanitize=fuzzer,$sanitize -fno-sanitize-recover=all
	-Wall -Wextra -Wno-unused-parameter -Werror
	-I$out/gen -I$top -I$top/util ${FUZZ_CFLAGS:-}"

# target  sources (besides fuzz/TARGET.c)
build() {
	name=$1 harness=$2 extra=$3
	shift 3
	srcs=
	for s in "$@"; do srcs="$srcs $top/util/$s"; done
	# shellcheck disable=SC2086
	$CC $cflags $extra -o "$out/$name" "$top/fuzz/$harness.c" $srcs
}

# Every bound of util/bounds.h must have its scaled-down twin.
for b in $(sed -n 's/^#define \([A-Z_]*_MAX\|[A-Z_]*_DEFAULT\) .*/\1/p' "$top/util/bounds.h"); do
	grep -q "^#define $b " "$top/fuzz/small-bounds.h" || {
		echo "build.sh: $b of util/bounds.h is missing from fuzz/small-bounds.h" >&2
		exit 1
	}
done
small="-include $top/fuzz/small-bounds.h"
build fuzz-request       fuzz-request  ""       request.c
build fuzz-request-small fuzz-request  "$small" request.c
build fuzz-url           fuzz-url      ""       url.c
build fuzz-url-small     fuzz-url      "$small" url.c
build fuzz-cgienv        fuzz-cgienv   ""       cgienv.c request.c
build fuzz-cgiheader     fuzz-cgiheader ""      cgiheader.c status.c
build fuzz-chunked       fuzz-chunked  ""       chunked.c url.c
build fuzz-mime          fuzz-mime     ""       mime.c
build fuzz-httpdate      fuzz-httpdate ""       httpdate.c
build fuzz-range         fuzz-range    ""       range.c
build fuzz-proxy         fuzz-proxy    ""       proxy.c
build fuzz-proxy-small   fuzz-proxy    "$small" proxy.c
build fuzz-auth          fuzz-auth     ""       auth.c
build fuzz-auth-small    fuzz-auth     "$small" auth.c
build fuzz-passwd        fuzz-passwd   ""       passwd.c
build fuzz-static        fuzz-static   ""       conditional.c encoding.c vhost.c \
	httpdate.c confine.c status.c
echo "fuzz targets in $out"
