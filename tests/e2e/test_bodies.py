#!/usr/bin/env python3
"""Request bodies for scripts (issue 12), with real clients:

  ignored     a script that never reads its body still ends its response in
              order (exec mode): curl exits 0, urllib gets the page
  chunked     chunked uploads, decoded into the script's stdin with a
              CONTENT_LENGTH, in exec and --parse-headers mode, with and
              without 100-continue; --max-body; chunked to a file is 411
  methods     --cgi-methods: PUT, DELETE, PATCH, OPTIONS for scripts only

TAP on stdout.
"""

import hashlib
import os
import shutil
import subprocess
import sys
import urllib.error
import urllib.request

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (  # noqa: E402
    BINARY, TAP, File, WebRoot, listen_server, request, require_binary, run_inetd, short)

tap = TAP()
tap.watchdog(400)
require_binary(tap)

# Reports what it was given: method, CONTENT_LENGTH, and the size and
# sha256 of its stdin.
SUM = File(b"#!/bin/sh\n"
           b"sum=$(head -c \"${CONTENT_LENGTH:-0}\" | sha256sum | cut -c1-64)\n"
           b"printf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
           b"printf 'method=%s\\nlength=%s\\nsha256=%s\\n' "
           b"\"$REQUEST_METHOD\" \"$CONTENT_LENGTH\" \"$sum\"\n", mode=0o755)
IGNORE = File(b"#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\nignored the body\\n'\n",
              mode=0o755)

W = WebRoot({
    "a.txt": b"a file\n",
    "cgi-bin/sum.sh": SUM,
    "cgi-bin/ignore.sh": IGNORE,
}, prefix="cgihandlerd-bodies-")
tap.at_exit(W.cleanup)
os.chmod(W.base, 0o755)

BLOB = os.urandom(3 * 1024 * 1024)
BLOB_FILE = os.path.join(W.base, "blob.bin")
with open(BLOB_FILE, "wb") as f:
    f.write(BLOB)
BLOB_SUM = hashlib.sha256(BLOB).hexdigest()


def curl(url, *extra):
    return subprocess.run(["curl", "-sS", "--max-time", "60", "-o", "-", "-w",
                           "\\n%{http_code}", url] + list(extra),
                          capture_output=True, timeout=90)


def section_ignored():
    have_curl = shutil.which("curl") is not None
    with listen_server([], root=W.root) as srv:
        url = "http://127.0.0.1:%d/cgi-bin/ignore.sh" % srv.port
        for size in (6, 4 * 1024 * 1024):
            if have_curl:
                body = os.path.join(W.base, "body-%d" % size)
                with open(body, "wb") as f:
                    f.write(b"x" * size)
                r = curl(url, "--data-binary", "@" + body)
                tap.check(r.returncode == 0 and b"ignored the body" in r.stdout and
                          r.stdout.endswith(b"\n200"),
                          "ignored: curl POST of %d bytes to a script that never reads "
                          "them -> the page, curl exits 0 (no reset)" % size,
                          diag=lambda: "exit %d: %s %s" % (r.returncode, short(r.stdout),
                                                            r.stderr))
            try:
                with urllib.request.urlopen(urllib.request.Request(
                        url, data=b"y" * size, method="POST"), timeout=60) as resp:
                    page = resp.read()
                ok, err = b"ignored the body" in page, None
            except (OSError, urllib.error.URLError) as exc:
                ok, err = False, repr(exc)
            tap.check(ok, "ignored: urllib POST of %d bytes to a script that never reads "
                      "them -> the page, no ConnectionResetError" % size, diag=err)


def section_chunked():
    if shutil.which("curl") is None:
        tap.skip("chunked: curl uploads", "curl not installed")
        return
    for mode in ([], ["--parse-headers"]):
        label = "parse-headers" if mode else "exec mode"
        with listen_server(mode, root=W.root) as srv:
            url = "http://127.0.0.1:%d/cgi-bin/sum.sh" % srv.port
            for expect in ("Expect:", "Expect: 100-continue"):
                r = curl(url, "-H", "Transfer-Encoding: chunked", "-H", expect,
                         "--data-binary", "@" + BLOB_FILE)
                want = b"length=%d\nsha256=%s\n" % (len(BLOB), BLOB_SUM.encode())
                tap.check(r.returncode == 0 and want in r.stdout and r.stdout.endswith(b"200"),
                          "chunked (%s, %s): 3 MiB uploaded chunked reach the script whole, "
                          "with CONTENT_LENGTH" % (label, expect),
                          diag=lambda: "exit %d: %s %s" % (r.returncode, short(r.stdout),
                                                            r.stderr))
    with listen_server(["--max-body", "1000000"], root=W.root) as srv:
        r = curl("http://127.0.0.1:%d/cgi-bin/sum.sh" % srv.port, "-H",
                 "Transfer-Encoding: chunked", "--data-binary", "@" + BLOB_FILE)
        tap.check(r.stdout.endswith(b"413") and b"sha256" not in r.stdout,
                  "chunked: 3 MiB with --max-body 1000000 -> 413, the script never runs",
                  diag=lambda: short(r.stdout))
    data = request("PUT", "/a.txt", headers=[("Transfer-Encoding", "chunked")]) + \
        b"5\r\nhello\r\n0\r\n\r\n"
    r = run_inetd(data, args=["--cgi-methods", "PUT"], root=W.root)
    resp, _ = r.try_parse()
    tap.check(resp is not None and resp.status == 501,
              "chunked: a PUT to a file, even with --cgi-methods PUT -> 501",
              diag=lambda: short(r.raw))


def section_methods():
    def send(method, target, args, body=b""):
        headers = [("Content-Length", str(len(body)))] if body else []
        r = run_inetd(request(method, target, headers=headers, body=body), args=args,
                      root=W.root)
        resp, _ = r.try_parse("HEAD" if method == "HEAD" else "GET")
        return resp
    allowed = ["--cgi-methods", "PUT,DELETE,PATCH,OPTIONS"]
    for method in ("PUT", "DELETE", "PATCH", "OPTIONS"):
        resp = send(method, "/cgi-bin/sum.sh", allowed, b"data")
        tap.check(resp is not None and resp.status == 200 and
                  ("method=%s\nlength=4\n" % method).encode() in resp.body,
                  "methods: %s to a script with --cgi-methods -> the script runs with "
                  "REQUEST_METHOD=%s" % (method, method),
                  diag=lambda: resp and short(resp.body))
        resp = send(method, "/cgi-bin/sum.sh", [], b"data")
        tap.check(resp is not None and resp.status == 501,
                  "methods: %s to a script without --cgi-methods -> 501" % method)
        resp = send(method, "/a.txt", allowed, b"data")
        tap.check(resp is not None and resp.status == 501,
                  "methods: %s to a file, even with --cgi-methods -> 501" % method)
    resp = send("TRACE", "/cgi-bin/sum.sh", allowed)
    tap.check(resp is not None and resp.status == 501,
              "methods: a method not listed (TRACE) -> 501")
    for bad in ("GET", "PUT,", "P T", "PUT,post;", ""):
        r = subprocess.run([BINARY, "--cgi-methods",
                            bad, W.root], capture_output=True, timeout=10, stdin=subprocess.DEVNULL)
        tap.check(r.returncode == 100, "methods: --cgi-methods %r -> exit 100" % bad,
                  diag=lambda: (r.returncode, r.stderr))


tap.main([section_ignored, section_chunked, section_methods])
