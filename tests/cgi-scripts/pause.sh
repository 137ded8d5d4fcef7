#!/bin/sh
# Writes its header, waits two seconds in a child (sleep), then ends: a
# script that is still running when a test looks at its watchdog. First
# it lists what its open fds are, which should be the connection and
# nothing of the handler's.
printf 'Content-Type: text/plain\r\n\r\nfds:'
for fd in /proc/$$/fd/*; do
	printf ' %s' "$(readlink "$fd")"
done
printf '\nbefore-pause\n'
sleep 2
echo after-pause
