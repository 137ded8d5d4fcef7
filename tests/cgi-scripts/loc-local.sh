#!/bin/sh
# A local redirect to a static file (RFC 3875 6.2.2).
printf 'Location: /some/file.txt\r\n\r\n'
