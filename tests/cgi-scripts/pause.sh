#!/bin/sh
# Writes its header, waits two seconds in a child (sleep), then ends: a
# script that is still running when a test looks at its watchdog. It
# lists its own open fds, which should be the connection and nothing of
# the handler's.
printf 'Content-Type: text/plain\r\n\r\nfds:'
ls /proc/$$/fd | tr '\n' ' '
printf '\nbefore-pause\n'
sleep 2
echo after-pause
