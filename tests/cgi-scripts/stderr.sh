#!/bin/sh
# Writes a marker to stderr, which must reach the log and not the client.
echo "cgi-stderr-marker-7f3a9c" >&2
printf 'Content-Type: text/plain\r\n\r\nstdout ok\n'
