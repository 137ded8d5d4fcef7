#!/bin/sh
# Writes its header, lists what its open fds are (the connection and
# nothing of the handler's), then waits, in a child (sleep), until the
# file named by the query exists, or 60 s: a script that is running for
# as long as a test wants to look at it.
printf 'Content-Type: text/plain\r\n\r\nfds:'
for fd in /proc/$$/fd/*; do
	printf ' %s' "$(readlink "$fd")"
done
printf '\nwaiting\n'
tries=0
while [ ! -e "$QUERY_STRING" ] && [ "$tries" -lt 600 ]; do
	sleep 0.1
	tries=$((tries + 1))
done
echo done-waiting
