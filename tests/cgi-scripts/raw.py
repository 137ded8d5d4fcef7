#!/usr/bin/env python3
"""Writes, byte for byte, the request body (CONTENT_LENGTH bytes) when
there is one, else the percent-decoded QUERY_STRING: the test chooses
exactly what the script answers (header blocks for --parse-headers, with
any line ends and any bytes)."""
import os
import sys
from urllib.parse import unquote_to_bytes

length = int(os.environ.get("CONTENT_LENGTH") or 0)
if length > 0:
    out = b""
    while len(out) < length:
        chunk = os.read(0, length - len(out))
        if not chunk:
            break
        out += chunk
else:
    out = unquote_to_bytes(os.environ.get("QUERY_STRING", ""))
sys.stdout.buffer.write(out)
sys.stdout.flush()
