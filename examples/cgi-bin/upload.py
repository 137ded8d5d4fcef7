#!/usr/bin/env python3
"""Reports what a form sent: each field, and for each uploaded file its
name, size and SHA-256, so that an upload can be checked end to end.
Takes application/x-www-form-urlencoded and multipart/form-data; reads
exactly CONTENT_LENGTH bytes, as RFC 3875 asks."""
import hashlib
import html
import os
import re
import sys
from urllib.parse import parse_qsl

LIMIT = 64 << 20


def multipart(body, ctype):
    """(name, filename or None, data) for each part. A small parser of our
    own: the cgi module is gone from Python 3.13, and the email package
    may rewrite line ends inside binary data."""
    m = re.search(r'boundary="?([^";]+)"?', ctype)
    if not m:
        raise ValueError("no boundary")
    delim = b"--" + m.group(1).encode("latin-1")
    parts = body.split(b"\r\n" + delim)
    if not parts[0].startswith(delim):
        raise ValueError("body does not start with the boundary")
    parts[0] = parts[0][len(delim):]
    out = []
    for part in parts[:-1]:
        # Each part starts with the CRLF that ended the boundary line.
        head, sep, data = part[2:].partition(b"\r\n\r\n")
        if not sep:
            raise ValueError("part without a head")
        disp = ""
        for line in head.decode("utf-8", "replace").split("\r\n"):
            if line.lower().startswith("content-disposition:"):
                disp = line
        name = re.search(r'\bname="([^"]*)"', disp)
        filename = re.search(r'\bfilename="([^"]*)"', disp)
        out.append((name.group(1) if name else "",
                    filename.group(1) if filename else None, data))
    if not parts[-1].startswith(b"--"):
        raise ValueError("no closing boundary")
    return out


def main():
    length = int(os.environ.get("CONTENT_LENGTH") or 0)
    if length > LIMIT:
        sys.stdout.write("Status: 413 Content Too Large\r\nContent-Type: text/plain\r\n\r\n"
                         "At most %d bytes, please.\n" % LIMIT)
        return
    body = sys.stdin.buffer.read(length) if length > 0 else b""
    ctype = os.environ.get("CONTENT_TYPE", "")
    rows = []
    try:
        if ctype.startswith("multipart/form-data"):
            for name, filename, data in multipart(body, ctype):
                if filename is None:
                    rows.append((name, data.decode("utf-8", "replace"), None))
                else:
                    rows.append((name, filename, (len(data), hashlib.sha256(data).hexdigest())))
        else:
            for name, value in parse_qsl(body.decode("utf-8", "replace"), keep_blank_values=True):
                rows.append((name, value, None))
    except ValueError as exc:
        sys.stdout.write("Status: 400 Bad Request\r\nContent-Type: text/plain\r\n\r\n"
                         "Malformed form: %s\n" % exc)
        return
    items = []
    for name, value, file in rows:
        if file:
            items.append('<li>file <b>%s</b>: <span class="filename">%s</span>, '
                         '<span class="size">%d</span> bytes, SHA-256 '
                         '<code class="sha256">%s</code></li>'
                         % (html.escape(name), html.escape(value), file[0], file[1]))
        else:
            items.append('<li>field <b>%s</b> = <span class="value">%s</span></li>'
                         % (html.escape(name), html.escape(value)))
    sys.stdout.write("Content-Type: text/html; charset=utf-8\r\n\r\n")
    sys.stdout.write("""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Upload received</title></head>
<body>
<h1>Upload received</h1>
<p>%d bytes of %s body.</p>
<ul id="report">
%s
</ul>
<p><a href="/">Back</a></p>
</body></html>
""" % (len(body), html.escape(ctype.split(";")[0] or "no"), "\n".join(items)))


main()
