#!/bin/sh
# A form handler in POSIX sh: reads exactly CONTENT_LENGTH bytes of an
# application/x-www-form-urlencoded body and echoes the "word" field.
printf 'Content-Type: text/html; charset=utf-8\r\n\r\n'
body=$(head -c "${CONTENT_LENGTH:-0}")
word=$(printf '%s\n' "$body" | tr '&' '\n' | sed -n 's/^word=//p' | head -n 1)
# Decode + and %XX (awk, since sh's printf has no \x), then escape for HTML.
word=$(printf '%s\n' "$word" | awk '{
	out = ""
	for (i = 1; i <= length($0); i++) {
		c = substr($0, i, 1)
		if (c == "+") c = " "
		else if (c == "%" && substr($0, i + 1, 2) ~ /^[0-9A-Fa-f][0-9A-Fa-f]$/) {
			c = sprintf("%c", index("0123456789abcdef", tolower(substr($0, i + 1, 1))) * 16 - 16 + index("0123456789abcdef", tolower(substr($0, i + 2, 1))) - 1)
			i += 2
		}
		out = out c
	}
	print out
}' | sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g')
cat <<HTML
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Echo</title></head>
<body><p>You sent: <strong>$word</strong></p><p><a href="/">Back</a></p></body></html>
HTML
