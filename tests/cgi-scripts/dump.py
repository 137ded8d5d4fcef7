#!/usr/bin/env python3
"""A CGI script for the end-to-end tests (tests/e2e/test_cgi.py): answers
with a JSON description of its process, in the format dump.c documents
(byte strings hex-encoded).  stdin: CONTENT_LENGTH bytes, or everything up
to EOF when the script's name contains "eof"."""
import hashlib
import json
import os
import sys

eof_mode = "eof" in os.path.basename(sys.argv[0])
h = hashlib.sha256()
got = 0
want = None if eof_mode else int(os.environ.get("CONTENT_LENGTH") or 0)
while want is None or got < want:
    chunk = os.read(0, 1 << 16 if want is None else min(1 << 16, want - got))
    if not chunk:
        break
    h.update(chunk)
    got += len(chunk)

listing = os.listdir("/proc/self/fd")   # its own fd is closed again now
fds = {}
for name in listing:
    try:
        fds[name] = os.readlink("/proc/self/fd/" + name).encode(
            "utf-8", "surrogateescape").hex()
    except OSError:
        pass                            # the listing's fd: gone

out = {
    "lang": "py",
    "mode": "eof" if eof_mode else "length",
    "argv": [os.fsencode(a).hex() for a in sys.argv],
    "environ": [(k + b"=" + v).hex() for k, v in os.environb.items()],
    "fds": fds,
    "uid": os.getuid(), "euid": os.geteuid(),
    "gid": os.getgid(), "egid": os.getegid(),
    "groups": os.getgroups(),
    "cwd": os.fsencode(os.getcwd()).hex(),
    "stdin_len": got,
    "stdin_sha256": h.hexdigest(),
}
sys.stdout.buffer.write(b"Content-Type: application/json\r\n\r\n"
                        + json.dumps(out).encode() + b"\n")
sys.stdout.flush()
