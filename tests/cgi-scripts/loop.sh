#!/bin/sh
# A local redirect to itself, for ever.
printf 'Location: /cgi-bin/loop.sh\r\n\r\n'
