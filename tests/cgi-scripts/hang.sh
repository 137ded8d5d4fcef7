#!/bin/sh
# Writes its header, then waits in a child process (sleep is not exec'd:
# the child inherits the connection, as any real script's helper would).
printf 'Content-Type: text/plain\r\n\r\nbefore-sleep\n'
sleep 60
echo after-sleep
