#!/bin/sh
# Answers, then closes stdin and stdout and works on for 3 s (a common way
# for a script to end the response early): the client must see the end of
# the response at once, not 3 s later.
printf 'Content-Type: text/plain\r\n\r\ndone\n'
exec 0<&- 1>&-
sleep 3
