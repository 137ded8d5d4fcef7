#!/bin/sh
# Burns CPU in the shell itself (no child) for ever.
printf 'Content-Type: text/plain\r\n\r\nburning\n'
while :; do :; done
echo finished
