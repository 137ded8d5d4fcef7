#!/bin/sh
# With --parse-headers this becomes a real "302 Found". Without it, the
# status line "200 Script output follows" is already out (as in Python),
# so the browser shows a page with the link instead.
printf 'Location: /docs/\r\nContent-Type: text/html\r\n\r\n'
printf '<p>Moved to <a href="/docs/">/docs/</a>.</p>\n'
