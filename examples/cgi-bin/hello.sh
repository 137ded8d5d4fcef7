#!/bin/sh
# Shows what a CGI script is given: its arguments and the meta-variables.
printf 'Content-Type: text/plain; charset=utf-8\r\n\r\n'
echo "Hello from $SCRIPT_NAME, running as $(id -un) in $(pwd)"
echo
for name in REQUEST_METHOD SCRIPT_NAME PATH_INFO PATH_TRANSLATED QUERY_STRING \
	REQUEST_URI SERVER_NAME SERVER_PORT SERVER_PROTOCOL REMOTE_ADDR \
	REMOTE_PORT HTTP_HOST HTTP_USER_AGENT; do
	eval "value=\${$name-}"
	printf '%-16s %s\n' "$name" "$value"
done
