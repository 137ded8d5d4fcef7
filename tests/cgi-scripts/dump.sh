#!/bin/sh
# A CGI script for the end-to-end tests (tests/e2e/test_cgi.py): answers
# with a JSON description of its process, in the format dump.c documents
# (byte strings hex-encoded; the environment as the raw NUL-separated block
# of /proc/$$/environ, exactly what exec gave the shell).  stdin:
# CONTENT_LENGTH bytes, or everything up to EOF when the script's name
# contains "eof".  POSIX sh + coreutils.
hex() { od -An -v -tx1 | tr -d ' \n'; }
hexarg() { printf '%s' "$1" | hex; }

case ${0##*/} in
*eof*)	mode=eof
	sum=$(sha256sum | cut -c1-64) ;;
*)	mode=length
	sum=$(head -c "${CONTENT_LENGTH:-0}" | sha256sum | cut -c1-64) ;;
esac

# The glob's directory fd is closed again by the time each entry is tested,
# so "still open" leaves it out.  The interpreter keeps its own script open
# (dash: fd 10); the test recognises that fd by its target.
fds=
for f in /proc/$$/fd/*; do
	[ -e "$f" ] || continue
	t=$(readlink "$f" | tr -d '\n' | hex)
	fds="$fds${fds:+, }\"${f##*/}\": \"$t\""
done

args="\"$(hexarg "$0")\""
for a in "$@"; do
	args="$args, \"$(hexarg "$a")\""
done

printf 'Content-Type: application/json\r\n\r\n'
printf '{"lang": "sh", "mode": "%s", "argv": [%s], ' "$mode" "$args"
printf '"environ_block": "%s", ' "$(hex < /proc/$$/environ)"
printf '"fds": {%s}, ' "$fds"
printf '"uid": %s, "euid": %s, "gid": %s, "egid": %s, "groups": [%s], ' \
	"$(id -ru)" "$(id -u)" "$(id -rg)" "$(id -g)" "$(id -G | sed 's/ /, /g')"
printf '"cwd": "%s", ' "$(pwd -P | tr -d '\n' | hex)"
printf '"stdin_len": null, "stdin_sha256": "%s"}\n' "$sum"
