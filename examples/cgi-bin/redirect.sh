#!/bin/sh
# With --parse-headers this becomes a real "302 Found" (a Location with a
# local path and no Status would be served in place instead, RFC 3875
# 6.2.2). Without it, the status line "200 Script output follows" is
# already out (as in Python), so the browser shows the page with the link.
printf 'Status: 302 Found\r\nLocation: /docs/\r\nContent-Type: text/html\r\n\r\n'
printf '<p>Moved to <a href="/docs/">/docs/</a>.</p>\n'
