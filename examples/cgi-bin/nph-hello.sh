#!/bin/sh
# An nph- ("non-parsed headers") script: the handler sends nothing before
# it, so it writes the status line and the whole head itself (RFC 3875
# section 5), in exec mode and with --parse-headers alike.
printf 'HTTP/1.1 200 OK\r\n'
printf 'Content-Type: text/plain; charset=utf-8\r\n'
printf 'Connection: close\r\n'
printf 'X-Written-By: nph-hello.sh\r\n\r\n'
echo "This whole response, status line included, came from $SCRIPT_NAME."
