#!/bin/sh
# A local redirect to another script, with PATH_INFO and a query.
printf 'Location: /cgi-bin/dump.py/pi?q=1\r\n\r\n'
