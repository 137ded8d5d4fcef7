#!/usr/bin/env python3
"""A form handler in Python, without the cgi module (removed in 3.13)."""
import html
import os
import sys
from urllib.parse import parse_qs

length = int(os.environ.get("CONTENT_LENGTH") or 0)
body = sys.stdin.buffer.read(length) if length > 0 else b""
fields = parse_qs(body.decode("utf-8", "replace"))
name = fields.get("name", ["stranger"])[0]
message = fields.get("message", [""])[0]

sys.stdout.write("Content-Type: text/html; charset=utf-8\r\n\r\n")
sys.stdout.write(f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Thank you</title></head>
<body>
<h1>Thank you, {html.escape(name)}</h1>
<p>Your message ({len(message)} characters):</p>
<blockquote>{html.escape(message)}</blockquote>
<p>Method {html.escape(os.environ.get("REQUEST_METHOD", ""))},
{length} bytes of body read from stdin.</p>
<p><a href="/">Back</a></p>
</body></html>
""")
