#!/usr/bin/env python3
"""End-to-end tests of static serving: files, directories, errors, limits,
traversal, timeouts, no-over-read, logging, options.  Every behaviour runs
through the inetd mode (connected socket on fd 0/1); a representative subset
also runs through systemd-socket-activate (--inetd and fd 3) with curl and
http.client, and through --listen.  TAP on stdout; exit 1 on any failure.

Run:  CGIHANDLERD=build/cgihandlerd python3 tests/e2e/test_static.py
"""

import calendar
import os
import re
import sys
import time
import urllib.parse

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import (  # noqa: E402
    TAP, File, Dir, Symlink, RandomFile, WebRoot, InetdSession, run_inetd,
    run_pipe, run_binary, socket_activate, listen_server, response_problems,
    common_problems, parse_response, parse_log_lines, http_date, request,
    curl, http_request, raw_request, short, require_binary, Result,
    sanitizer_problems)

tap = TAP()
require_binary(tap)

MT = 1600000000                      # Sun, 13 Sep 2020 12:26:40 GMT
LM = http_date(MT)
BIG = 200 * 1024 * 1024
SECRET = b"TOP-SECRET-" + os.urandom(8).hex().encode()
PASSWD_MARK = b"root:x:0:0"

FILE_TXT = b"Hello from file.txt\n" + bytes(range(32, 127)) + b"\nend\n"
ALL_BYTES = bytes(range(256)) * 4
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256))
LISTED = ["<b>&x.txt", "A.txt", "b.txt", "C.txt", "dirlink", "link.txt", "sub"]

SPEC = {
    "file.txt": File(FILE_TXT, mtime=MT),
    "page.html": File(b"<html><body>page</body></html>\n", mtime=MT),
    "img.png": File(PNG, mtime=MT),
    "UPPER.PNG": File(PNG, mtime=MT),
    "blob.xyzunknown": File(ALL_BYTES, mtime=MT),
    "noext": File(b"no extension\n", mtime=MT),
    "archive.tar.gz": File(b"\x1f\x8b\x08\x00" + bytes(60), mtime=MT),
    "empty.txt": File(b"", mtime=MT),
    "sp ace%.txt": File(b"space and percent\n", mtime=MT),
    "subsec.txt": File(b"sub-second mtime\n", mtime=MT + 0.75),
    "alias.txt": Symlink("file.txt"),
    "dir/a.txt": File(b"a in dir\n"),
    "dir/.htpasswd": File(b"user:SECRET-HTPASSWD\n"),
    "dir/up.txt": Symlink("../file.txt"),
    "list/A.txt": File(b"A"),
    "list/b.txt": File(b"b"),
    "list/C.txt": File(b"C"),
    "list/<b>&x.txt": File(b"escaped"),
    "list/sub/x.txt": File(b"x"),
    "list/link.txt": Symlink("b.txt"),
    "list/dirlink": Symlink("sub"),
    "list/.hidden": File(b"hidden"),
    "list/.hiddendir/y.txt": File(b"y"),
    "<i>d/z.txt": File(b"z"),
    "idx1/index.html": File(b"INDEX-HTML-1\n"),
    "idx1/index.htm": File(b"INDEX-HTM-1\n"),
    "idx2/index.htm": File(b"INDEX-HTM-2\n"),
    ".git/config": File(b"[core] SECRET-GIT\n"),
    ".env": File(b"SECRET_ENV=1\n"),
    ".well-known/x.txt": File(b"well known\n"),
    "escape.txt": Symlink("../outside/secret.txt"),
    "escape_abs.txt": Symlink("{outside}/secret.txt"),
    "outdir": Symlink("{outside}"),
    "big.bin": RandomFile(BIG),
}
OUTSIDE = {"secret.txt": SECRET}

W = WebRoot(SPEC, outside=OUTSIDE)
tap.at_exit(W.cleanup)
tap.watchdog(240)


def inetd(data, args=(), **kw):
    return run_inetd(data, args=args, root=W, **kw)


def GET(target, headers=None, version="HTTP/1.1", host="x", method="GET"):
    return request(method, target, headers=headers, version=version, host=host)


C = harness.case


def run_cases(cases):
    harness.run_cases(tap, cases, inetd)


# ---------------------------------------------------------------------------
# Files

def test_files():
    run_cases([
        C("GET /file.txt -> 200, body exact, Content-Type text/plain, "
          "Content-Length, Last-Modified = mtime, Server/Date/Connection",
          GET("/file.txt"), status=200, body=FILE_TXT, ctype="text/plain",
          headers={"Content-Length": str(len(FILE_TXT)), "Last-Modified": LM}),
        C("Content-Type: .html -> text/html", GET("/page.html"),
          status=200, ctype="text/html"),
        C("Content-Type: .png -> image/png, body exact", GET("/img.png"),
          status=200, ctype="image/png", body=PNG),
        C("Content-Type: .PNG (upper case, as Python) -> image/png",
          GET("/UPPER.PNG"), status=200, ctype="image/png"),
        C("Content-Type: unknown extension -> application/octet-stream; "
          "all 256 byte values exact", GET("/blob.xyzunknown"), status=200,
          ctype="application/octet-stream", body=ALL_BYTES),
        C("Content-Type: no extension -> application/octet-stream",
          GET("/noext"), status=200, ctype="application/octet-stream"),
        C("Content-Type: .tar.gz -> application/gzip", GET("/archive.tar.gz"),
          status=200, ctype="application/gzip"),
        C("empty file -> 200, Content-Length: 0, empty body", GET("/empty.txt"),
          status=200, body=b"", headers={"Content-Length": "0"}),
        C("percent-decoded name /sp%20ace%25.txt -> 200", GET("/sp%20ace%25.txt"),
          status=200, body=b"space and percent\n"),
        C("query string ignored for a file: /file.txt?a=b&c -> 200",
          GET("/file.txt?a=b&c"), status=200, body=FILE_TXT),
        C("symlink inside root to a file inside root -> 200 with content",
          GET("/alias.txt"), status=200, body=FILE_TXT),
        C("symlink dir/up.txt -> ../file.txt (still inside) -> 200",
          GET("/dir/up.txt"), status=200, body=FILE_TXT),
        C("HTTP/1.0 request without Host -> 200",
          GET("/file.txt", version="HTTP/1.0", host=None), status=200, body=FILE_TXT),
    ])

    # HEAD: the same headers as GET, not one body byte on the wire.
    g = inetd(GET("/file.txt"))
    h = inetd(GET("/file.txt", method="HEAD"))
    probs = response_problems(h, method="HEAD", status=200)
    if not probs:
        gr, hr = g.parse(), h.parse("HEAD")
        for name in ("Content-Type", "Content-Length", "Last-Modified"):
            if gr.header_all(name) != hr.header_all(name):
                probs.append("%s: HEAD %r vs GET %r" % (
                    name, hr.header_all(name), gr.header_all(name)))
        if hr.header("Content-Length") != str(len(FILE_TXT)):
            probs.append("HEAD Content-Length %r" % hr.header("Content-Length"))
    tap.expect("HEAD /file.txt -> 200, same Content-Type/Length/Last-Modified "
               "as GET, no body bytes", probs)


# ---------------------------------------------------------------------------
# Directories

def listing_links(body):
    """[(href, text)] of the <a> elements in a listing."""
    return [(m.group(1), m.group(2)) for m in re.finditer(rb'<a href="([^"]*)">([^<]*)</a>', body)]


def test_directories():
    run_cases([
        C("GET /dir (no slash) -> 301, Location: /dir/, Content-Length: 0",
          GET("/dir"), status=301, body=b"",
          headers={"Location": "/dir/", "Content-Length": "0"}),
        C("GET /dir?x=1 -> 301, Location: /dir/?x=1 (query kept)",
          GET("/dir?x=1"), status=301, headers={"Location": "/dir/?x=1"}),
        C("GET /list/sub (nested) -> 301, Location: /list/sub/",
          GET("/list/sub"), status=301, headers={"Location": "/list/sub/"}),
        C("HEAD /dir -> 301 Location /dir/, no body", GET("/dir", method="HEAD"),
          method="HEAD", status=301, headers={"Location": "/dir/"}),
        C("GET /idx1/ -> index.html served (wins over index.htm), text/html",
          GET("/idx1/"), status=200, body=b"INDEX-HTML-1\n", ctype="text/html"),
        C("GET /idx2/ -> index.htm served when no index.html",
          GET("/idx2/"), status=200, body=b"INDEX-HTM-2\n", ctype="text/html"),
        C("GET /file.txt/ (file with trailing slash) -> 404",
          GET("/file.txt/"), status=404, excludes=(FILE_TXT,)),
    ])

    res = inetd(GET("/list/"))
    probs = response_problems(res, status=200, ctype="text/html; charset=utf-8",
                              contains=(b"<title>Directory listing for /list/</title>",))
    tap.expect("GET /list/ -> 200 listing, Content-Type 'text/html; charset=utf-8', "
               "title 'Directory listing for /list/', Content-Length matches", probs)
    body = res.parse().body if not res.try_parse()[1] else b""
    links = [(h, t) for h, t in listing_links(body) if h not in (b"../", b"..")]
    want = [(b"%3Cb%3E%26x.txt", b"&lt;b&gt;&amp;x.txt"), (b"A.txt", b"A.txt"),
            (b"b.txt", b"b.txt"), (b"C.txt", b"C.txt"), (b"dirlink/", b"dirlink@"),
            (b"link.txt", b"link.txt@"), (b"sub/", b"sub/")]
    tap.check([h for h, _ in links] == [h for h, _ in want],
              "listing: entries sorted case-insensitively, dirs linked with '/', "
              "'<b>&x.txt' linked as %3Cb%3E%26x.txt",
              diag=lambda: "hrefs: %r\nwant:  %r" % ([h for h, _ in links],
                                                      [h for h, _ in want]))
    tap.check(links == want,
              "listing: names HTML-escaped, 'sub/' shown with slash, symlinks "
              "shown with '@' (link.txt@, dirlink@)",
              diag=lambda: "links: %r\nwant:  %r" % (links, want))
    tap.check(b"<b>&x" not in body,
              "listing: raw '<b>&x' never appears unescaped",
              diag=lambda: short(body, 800))
    tap.check(body and b".hidden" not in body and b".hiddendir" not in body,
              "listing: hidden entries (.hidden, .hiddendir) not listed",
              diag=lambda: short(body, 800))

    res = inetd(GET("/list/"), args=["--show-hidden"])
    probs = response_problems(res, status=200,
                              contains=(b'href=".hidden"', b'href=".hiddendir/"'))
    tap.expect("listing with --show-hidden: .hidden and .hiddendir/ listed", probs)

    res = inetd(GET("/%3Ci%3Ed/"))
    probs = response_problems(res, status=200, excludes=(b"<i>d",),
                              contains=(b"Directory listing for /&lt;i&gt;d/",))
    tap.expect("listing of directory '<i>d': title escaped, raw '<i>d' absent", probs)

    res = inetd(GET("/list/", method="HEAD"))
    tap.expect("HEAD /list/ -> 200 text/html; charset=utf-8, no body",
               response_problems(res, method="HEAD", status=200,
                                 ctype="text/html; charset=utf-8"))


# ---------------------------------------------------------------------------
# Conditional requests

def test_conditional():
    ims = "If-Modified-Since"
    run_cases([
        C("If-Modified-Since == mtime -> 304, no body",
          GET("/file.txt", [(ims, LM)]), status=304, body=b""),
        C("If-Modified-Since later than mtime -> 304",
          GET("/file.txt", [(ims, http_date(MT + 86400))]), status=304, body=b""),
        C("If-Modified-Since earlier than mtime -> 200 with body",
          GET("/file.txt", [(ims, http_date(MT - 1))]), status=200, body=FILE_TXT),
        C("If-Modified-Since == mtime plus If-None-Match -> IMS ignored, 200",
          GET("/file.txt", [(ims, LM), ("If-None-Match", '"abc"')]),
          status=200, body=FILE_TXT),
        C("malformed If-Modified-Since -> 200",
          GET("/file.txt", [(ims, "not a date at all")]), status=200, body=FILE_TXT),
        C("If-Modified-Since == whole second of a sub-second mtime -> 304 "
          "(mtime truncated, as Python)",
          GET("/subsec.txt", [(ims, LM)]), status=304, body=b""),
        C("HEAD with If-Modified-Since == mtime -> 304",
          GET("/file.txt", [(ims, LM)], method="HEAD"), method="HEAD", status=304),
    ])


# ---------------------------------------------------------------------------
# Errors and methods

def test_errors():
    res = inetd(GET("/nope.txt"))
    tap.expect("missing file -> 404, Content-Type text/html;charset=utf-8, "
               "Content-Length matches, HTML error page",
               response_problems(res, status=404, ctype="text/html;charset=utf-8",
                                 headers={"Content-Length": None},
                                 contains=(b"404", b"<html")))
    xss = b"<script>alert(1)</script>"
    run_cases([
        C("404 page never echoes the path (%-encoded <script>)",
          GET("/nope%3Cscript%3Ealert(1)%3C/script%3E.txt"), status=404,
          excludes=(b"<script", b"alert(1)")),
        C("error page never echoes the path (raw <script> in target) -> 400/404",
          GET(b"/nope" + xss), statuses={400, 404}, excludes=(b"<script", b"alert(1)")),
    ] + [
        C("%s /file.txt -> 501" % m, GET("/file.txt", method=m), status=501,
          excludes=(FILE_TXT,))
        for m in ("PUT", "DELETE", "OPTIONS", "TRACE", "PATCH")
    ] + [
        C("unknown method BREW -> 501 (as Python)", GET("/file.txt", method="BREW"),
          status=501),
        C("POST to a non-CGI path -> 501 'Can only POST to CGI scripts'",
          request("POST", "/file.txt", headers=[("Content-Length", "0")]),
          status=501, contains=(b"Can only POST to CGI scripts",)),
        C("HEAD of a missing file -> 404 headers only, no body",
          GET("/nope.txt", method="HEAD"), method="HEAD", status=404,
          ctype="text/html;charset=utf-8"),
    ])


# ---------------------------------------------------------------------------
# The request line

def test_request_line():
    ok = dict(status=200, body=FILE_TXT)
    run_cases([
        C("request line with one word -> 400", b"GET\r\nHost: x\r\n\r\n", status=400),
        C("request line with four words -> 400",
          b"GET /file.txt HTTP/1.1 extra\r\nHost: x\r\n\r\n", status=400),
        C("lone CR inside the request line -> 400",
          b"GET /file\r.txt HTTP/1.1\r\nHost: x\r\n\r\n", status=400),
        C("NUL inside the request line -> 400",
          b"GET /file\x00.txt HTTP/1.1\r\nHost: x\r\n\r\n", status=400),
        C("version HTTP/2.0 -> 505", GET("/file.txt", version="HTTP/2.0"), status=505),
        C("version HTTP/3.0 -> 505", GET("/file.txt", version="HTTP/3.0"), status=505),
        C("version HTTP/1 -> 400", GET("/file.txt", version="HTTP/1"), status=400),
        C("version FOO/1.1 -> 400", GET("/file.txt", version="FOO/1.1"), status=400),
        C("version HTTP/1.1.1 -> 400", GET("/file.txt", version="HTTP/1.1.1"),
          status=400),
        C("two-word HTTP/0.9 style 'GET /' -> 400 as an HTTP/1.1 response",
          b"GET /\r\n\r\n", status=400),
        C("several spaces between request-line words -> 200",
          b"GET   /file.txt   HTTP/1.1\r\nHost: x\r\n\r\n", **ok),
        C("bare LF line endings -> 200",
          b"GET /file.txt HTTP/1.1\nHost: x\n\n", **ok),
        C("empty lines before the request line tolerated -> 200",
          b"\r\n\r\nGET /file.txt HTTP/1.1\r\nHost: x\r\n\r\n", **ok),
        C("absolute-form http://example.com/file.txt -> serves /file.txt",
          GET("http://example.com/file.txt", host="example.com"), **ok),
        C("GET //file.txt -> '//' reduced to '/', 200", GET("//file.txt"), **ok),
        C("GET //dir -> 301 Location '/dir/' (never '//dir/')", GET("//dir"),
          status=301, headers={"Location": "/dir/"}),
    ])


# ---------------------------------------------------------------------------
# Header fields

def test_headers():
    run_cases([
        C("HTTP/1.1 without Host -> 400", GET("/file.txt", host=None), status=400),
        C("two Host headers -> 400",
          b"GET /file.txt HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", status=400),
        C("space before colon 'Host : x' -> 400",
          b"GET /file.txt HTTP/1.1\r\nHost : x\r\n\r\n", status=400),
        C("obs-fold continuation line -> 400",
          b"GET /file.txt HTTP/1.1\r\nHost: x\r\nX-A: 1\r\n  folded\r\n\r\n",
          status=400),
        C("header name not a token 'X(bad): 1' -> 400",
          b"GET /file.txt HTTP/1.1\r\nHost: x\r\nX(bad): 1\r\n\r\n", status=400),
        C("header line without a colon -> 400",
          b"GET /file.txt HTTP/1.1\r\nHost: x\r\nNoColonHere\r\n\r\n", status=400),
        C("Transfer-Encoding: chunked -> 411",
          GET("/file.txt", [("Transfer-Encoding", "chunked")]), status=411),
        C("Transfer-Encoding together with Content-Length -> 400",
          GET("/file.txt", [("Transfer-Encoding", "chunked"),
                            ("Content-Length", "5")]), status=400),
        C("Content-Length non-numeric 'abc' -> 400",
          GET("/file.txt", [("Content-Length", "abc")]), status=400),
        C("Content-Length negative '-1' -> 400",
          GET("/file.txt", [("Content-Length", "-1")]), status=400),
        C("Content-Length '+5' -> 400",
          GET("/file.txt", [("Content-Length", "+5")]), status=400),
        C("two different Content-Length values -> 400",
          GET("/file.txt", [("Content-Length", "5"), ("Content-Length", "6")]),
          status=400),
        C("Content-Length: 0 on GET -> 200", GET("/file.txt", [("Content-Length", "0")]),
          status=200, body=FILE_TXT),
    ])


# ---------------------------------------------------------------------------
# Limits

def test_limits():
    def line_req(total):
        # request line of exactly `total` bytes including CRLF; the length
        # sits in the query so that the path limit is not what answers
        fixed = len(b"GET /file.txt? HTTP/1.1\r\n")
        return b"GET /file.txt?" + b"q" * (total - fixed) + b" HTTP/1.1\r\nHost: x\r\n\r\n"

    def header_req(total):
        # one header line of exactly `total` bytes including CRLF
        fixed = len(b"X-Long: \r\n")
        return (b"GET /file.txt HTTP/1.1\r\nHost: x\r\nX-Long: " +
                b"h" * (total - fixed) + b"\r\n\r\n")

    def fields_req(n):
        # n header fields in all, Host included
        return (b"GET /file.txt HTTP/1.1\r\nHost: x\r\n" +
                b"".join(b"X-F%d: v\r\n" % i for i in range(n - 1)) + b"\r\n")

    r = line_req(65536)
    assert r.index(b"\r\n") + 2 == 65536
    r2 = header_req(65537)
    assert len(r2.split(b"\r\n")[2]) + 2 == 65537
    big_head = (b"GET /file.txt HTTP/1.1\r\nHost: x\r\n" +
                b"".join(b"X-B%02d: " % i + b"b" * (60 * 1024) + b"\r\n"
                         for i in range(20)) + b"\r\n")
    run_cases([
        C("request line of exactly 65536 bytes (CRLF included) -> not 414 (200)",
          r, status=200, body=FILE_TXT),
        C("request line of 65537 bytes -> 414", line_req(65537), status=414),
        C("header line of exactly 65536 bytes -> accepted (200)",
          header_req(65536), status=200, body=FILE_TXT),
        C("header line of 65537 bytes -> 431", r2, status=431),
        C("100 header fields (Host included) -> 200", fields_req(100),
          status=200, body=FILE_TXT),
        C("101 header fields -> 431", fields_req(101), status=431),
        C("head over 1 MiB (20 lines of 60 KiB) -> 431", big_head, status=431),
    ])


# ---------------------------------------------------------------------------
# Traversal and confinement

def test_traversal():
    outside_abs = urllib.parse.quote(W.outside + "/secret.txt", safe="")
    bad = (SECRET, PASSWD_MARK)
    deny = {400, 403, 404}
    run_cases([
        C("traversal /../etc/passwd -> 4xx, no passwd content",
          GET("/../etc/passwd"), statuses=deny, excludes=bad),
        C("traversal /%2e%2e/%2e%2e/etc/passwd -> 4xx",
          GET("/%2e%2e/%2e%2e/etc/passwd"), statuses=deny, excludes=bad),
        C("traversal /..%2f..%2fetc/passwd -> 4xx",
          GET("/..%2f..%2fetc/passwd"), statuses=deny, excludes=bad),
        C("traversal /%2fetc%2fpasswd -> 4xx",
          GET("/%2fetc%2fpasswd"), statuses=deny, excludes=bad),
        C("traversal /../outside/secret.txt -> 4xx, secret never sent",
          GET("/../outside/secret.txt"), statuses=deny, excludes=bad),
        C("traversal /%2e%2e/outside/secret.txt -> 4xx",
          GET("/%2e%2e/outside/secret.txt"), statuses=deny, excludes=bad),
        C("traversal /..%2foutside%2fsecret.txt -> 4xx",
          GET("/..%2foutside%2fsecret.txt"), statuses=deny, excludes=bad),
        C("traversal /dir/../../outside/secret.txt -> 4xx",
          GET("/dir/../../outside/secret.txt"), statuses=deny, excludes=bad),
        C("absolute path %-encoded (/%2F<abs>/secret.txt) -> 4xx",
          GET("/" + outside_abs), statuses=deny, excludes=bad),
        C("absolute-form http://x/../outside/secret.txt -> 4xx",
          GET("http://x/../outside/secret.txt"), statuses=deny, excludes=bad),
        C("backslashes /..\\outside\\secret.txt -> 4xx",
          GET("/..\\outside\\secret.txt"), statuses=deny, excludes=bad),
        C("encoded backslashes /..%5coutside%5csecret.txt -> 4xx",
          GET("/..%5coutside%5csecret.txt"), statuses=deny, excludes=bad),
        C("%00 in path -> 400", GET("/file.txt%00.html"), status=400,
          excludes=(FILE_TXT,)),
        C("symlink inside root to a file outside (relative) -> 403/404, no content",
          GET("/escape.txt"), statuses={403, 404}, excludes=bad),
        C("symlink inside root to a file outside (absolute) -> 403/404, no content",
          GET("/escape_abs.txt"), statuses={403, 404}, excludes=bad),
        C("through a directory symlink leading outside -> 403/404, no content",
          GET("/outdir/secret.txt"), statuses={403, 404}, excludes=bad),
        C("listing of a directory symlink leading outside -> 403/404",
          GET("/outdir/"), statuses={403, 404}, excludes=bad + (b"secret.txt",)),
    ])


def test_hidden():
    run_cases([
        C("hidden /.git/config -> 404", GET("/.git/config"), status=404,
          excludes=(b"SECRET-GIT",)),
        C("hidden /.env -> 404", GET("/.env"), status=404, excludes=(b"SECRET_ENV",)),
        C("hidden /dir/.htpasswd -> 404", GET("/dir/.htpasswd"), status=404,
          excludes=(b"SECRET-HTPASSWD",)),
        C("hidden via %2e: /%2eenv -> 404", GET("/%2eenv"), status=404,
          excludes=(b"SECRET_ENV",)),
        C("/.well-known/x.txt -> 200", GET("/.well-known/x.txt"), status=200,
          body=b"well known\n"),
        C("--show-hidden: /.env -> 200", GET("/.env"), args=["--show-hidden"],
          status=200, body=b"SECRET_ENV=1\n"),
    ])


# ---------------------------------------------------------------------------
# Timeouts, no over-read, a client that goes away

# Bounds on durations here are ten times what a quiet machine needs (a
# loaded CI box can be that slow); lower bounds prove a deadline is kept.
def test_timeouts():
    with InetdSession(["--timeout", "2"], root=W) as s:
        s.send(b"GET /file.txt HTTP/1.1\r\nHo")
        res = s.finish(timeout=60)
    probs = response_problems(res, status=408, max_elapsed=35, exit_codes={0})
    if res.elapsed < 1.0:
        probs.append("exited after %.2f s: before the 2 s timeout" % res.elapsed)
    tap.expect("--timeout 2, partial head then silence -> 408, not before 2 s", probs)

    with InetdSession(["--timeout", "2"], root=W) as s:
        res = s.finish(timeout=60)
    probs = res.exit_problems()
    if res.elapsed > 35:
        probs.append("took %.2f s" % res.elapsed)
    if res.raw:  # an answer is optional; if there is one it must be sound
        resp, err = res.try_parse()
        if err or resp.status != 408:
            probs.append("unexpected answer: %s" % short(res.raw, 300))
    tap.expect("--timeout 2, client sends nothing -> handler exits (no hang)", probs)

    # The drip would last 100 s: ending long before it is one deadline for
    # the whole head, not one per byte.
    with InetdSession(["--timeout", "2"], root=W) as s:
        s.drip(b"GET /file.txt HTTP/1.1\r\nX-Slow: " + b"s" * 400, interval=0.25,
               timeout=60)
        res = s.finish(timeout=60)
    tap.expect("--timeout 2 bounds the whole head: a client dripping a byte "
               "every 0.25 s -> 408 long before the drip ends",
               response_problems(res, status=408, max_elapsed=35, exit_codes={0}))

    with InetdSession(["--timeout", "5"], root=W) as s:
        s.send(GET("/file.txt"))
        s.shutdown_write()
        res = s.finish(timeout=60)
    tap.expect("client half-closes after a complete request -> still 200",
               response_problems(res, status=200, body=FILE_TXT, max_elapsed=30,
                                 exit_codes={0}))


def test_no_over_read():
    data = GET("/file.txt") + b"EXTRA-BYTES-HERE"
    # On a socket, what follows the head is read after the answer (an
    # orderly close: unread bytes would make the close a reset); the CGI
    # tests show that a script gets every byte after the head.
    tap.expect("no over-read (inetd socket): head+more in one send() -> the whole "
               "200, then the bytes after the head are drained before the close",
               response_problems(inetd(data), status=200, body=FILE_TXT,
                                 leftover=b"", exit_codes={0}))
    tap.expect("no over-read (pipe): 'EXTRA-BYTES-HERE' left in the stdin pipe",
               response_problems(run_pipe(data, root=W), status=200, body=FILE_TXT,
                                 leftover=b"EXTRA-BYTES-HERE", exit_codes={0}))
    # tcpserver's environment names both ends, so no socket call comes
    # before the first read: that read is what finds the pipe.
    ucspi = {"TCPREMOTEIP": "10.9.8.7", "TCPREMOTEPORT": "77",
             "TCPLOCALIP": "10.0.0.1", "TCPLOCALPORT": "80"}
    res = run_pipe(data, root=W, env=ucspi)
    tap.expect("no over-read (pipe, the environment naming both ends): the 200, "
               "'EXTRA-BYTES-HERE' left in the pipe, the peer logged",
               response_problems(res, status=200, body=FILE_TXT,
                                 leftover=b"EXTRA-BYTES-HERE", exit_codes={0}) +
               ([] if res.stderr.startswith("10.9.8.7 - - [") else
                ["log %r" % short(res.stderr, 300)]))
    data = b"GET /file.txt HTTP/1.1\nHost: x\n\nEXTRA-BYTES-HERE"
    tap.expect("bare-LF head (inetd socket): the whole 200, then the bytes after "
               "the head drained",
               response_problems(inetd(data), status=200, body=FILE_TXT,
                                 leftover=b"", exit_codes={0}))
    tap.expect("no over-read with bare-LF head (pipe)",
               response_problems(run_pipe(data, root=W), status=200, body=FILE_TXT,
                                 leftover=b"EXTRA-BYTES-HERE", exit_codes={0}))


def test_client_goes_away():
    with InetdSession([], root=W) as s:
        s.send(GET("/big.bin"))
        s.recv_some(1, timeout=3)
        s.close_client()
        res = s.finish(timeout=60)
    probs = res.exit_problems()
    # A handler that kept writing would take minutes for 200 MiB.
    if not res.timed_out and res.elapsed > 50:
        probs.append("took %.2f s to exit" % res.elapsed)
    if probs:
        probs.append("stderr: " + short(res.stderr, 300))
    tap.diag("client went away: handler exit %s after %.2f s"
             % (res.returncode, res.elapsed))
    tap.expect("client closes right after requesting the 200 MiB file -> handler "
               "exits (it does not write on), not killed by a signal", probs)


# ---------------------------------------------------------------------------
# Logging

def test_logging():
    def one_line(res, host, request_line, status, nbytes=None, name=""):
        good, other = parse_log_lines(res.stderr)
        p = []
        if len(good) != 1:
            p.append("want exactly one CLF line, got %d: %s" % (len(good), short(res.stderr)))
            return p
        m = good[0]
        if m.group("host") != host and not (host == "-" and m.group("host") in ("", "-")):
            p.append("host %r, want %r" % (m.group("host"), host))
        if m.group("ident") != "-" or m.group("user") != "-":
            p.append("ident/user %r %r, want - -" % (m.group("ident"), m.group("user")))
        if m.group("request") != request_line:
            p.append("request %r, want %r" % (m.group("request"), request_line))
        if m.group("status") != str(status):
            p.append("status %s, want %s" % (m.group("status"), status))
        if nbytes is not None and m.group("bytes") != nbytes:
            p.append("bytes %s, want %s" % (m.group("bytes"), nbytes))
        t = calendar.timegm(time.strptime(m.group("date"), "%d/%b/%Y:%H:%M:%S +0000"))
        if abs(t - time.time()) > 120:
            p.append("log date %s is not now" % m.group("date"))
        return p

    res = inetd(GET("/file.txt"))
    tap.expect('log (inetd): one CLF line 127.0.0.1 - - [date +0000] '
               '"GET /file.txt HTTP/1.1" 200 %d' % len(FILE_TXT),
               one_line(res, "127.0.0.1", "GET /file.txt HTTP/1.1", 200,
                        str(len(FILE_TXT))))
    res = inetd(GET("/nope.txt"))
    tap.expect('log (inetd): a 404 is logged with status 404',
               one_line(res, "127.0.0.1", "GET /nope.txt HTTP/1.1", 404))
    res = inetd(b"GET /a\x1b[31mred\x01 HTTP/1.1\r\nHost: x\r\n\r\n")
    probs = []
    if "\x1b" in res.stderr or "\x01" in res.stderr:
        probs.append("raw control characters in the log: %r" % res.stderr)
    if "\\x1b" not in res.stderr.lower() or "\\x01" not in res.stderr:
        probs.append("escapes \\x1b / \\x01 not found in the log: %r" % res.stderr)
    good, _ = parse_log_lines(res.stderr)
    if len(good) != 1:
        probs.append("want one CLF line, got %d: %r" % (len(good), res.stderr))
    tap.expect("log: control characters of the request escaped as \\xNN", probs)

    res = run_pipe(GET("/file.txt"), root=W)
    tap.expect("log (pipe, no peer): host '-'",
               response_problems(res, status=200, body=FILE_TXT) +
               one_line(res, "-", "GET /file.txt HTTP/1.1", 200))
    res = run_pipe(GET("/file.txt"), root=W, env={"REMOTE_ADDR": "10.1.2.3"})
    tap.expect("log (pipe): REMOTE_ADDR=10.1.2.3 (systemd) is the logged host",
               one_line(res, "10.1.2.3", "GET /file.txt HTTP/1.1", 200))
    res = run_pipe(GET("/file.txt"), root=W, env={"TCPREMOTEIP": "10.9.8.7"})
    tap.expect("log (pipe): TCPREMOTEIP=10.9.8.7 (ucspi) is the logged host",
               one_line(res, "10.9.8.7", "GET /file.txt HTTP/1.1", 200))


# ---------------------------------------------------------------------------
# Options

def test_options():
    p = run_binary(["--help"])
    out = p.stdout + p.stderr
    missing = [o for o in ("--listen", "--timeout", "--show-hidden") if o not in out]
    tap.check(p.returncode == 0 and not missing,
              "--help exits 0 and lists --listen, --timeout, --show-hidden",
              diag="exit %s, missing %s, output %s" % (p.returncode, missing, short(out)))
    p = run_binary(["--version"])
    first = (p.stdout.splitlines() or [""])[0].strip()
    tap.check(p.returncode == 0 and first == "cgihandlerd 0.1.0",
              "--version exits 0 printing 'cgihandlerd 0.1.0'",
              diag="exit %s stdout %r stderr %r" % (p.returncode, p.stdout, p.stderr))
    for args, name in ((["--no-such-option"], "an unknown option"),
                       (["--timeout", "abc", W.root], "--timeout abc")):
        p = run_binary(args)
        tap.check(p.returncode == 100 and p.stderr.strip(),
                  "%s -> exit 100 with a message on stderr" % name,
                  diag="exit %s stdout %r stderr %r" % (p.returncode, p.stdout, p.stderr))
    # The letter of a short option, not its cluster or the next word.
    for args, want in ((["-Zx", W.root], "unknown option '-Z'"),
                       (["-qZ", W.root], "unknown option '-q'"),
                       (["--show-hidden", "-Zx", W.root], "unknown option '-Z'"),
                       (["--help=x"], "unknown option '--help=x'"),
                       (["-t"], "option '-t' needs a value"),
                       (["--timeout"], "option '--timeout' needs a value"),
                       (["--no-such-option", W.root], "unknown option '--no-such-option'")):
        p = run_binary(args)
        tap.check(p.returncode == 100 and want in p.stderr,
                  "%s -> exit 100, the message names it: %s" % (" ".join(args[:2]), want),
                  diag="exit %s stderr %r" % (p.returncode, p.stderr))
    # Ports are 1..65535: getaddrinfo would take 65537 as port 1.
    for spec in ("127.0.0.1:65537", "127.0.0.1:65536", "0", "127.0.0.1:0",
                 "99999999999999999999", "[::1]:70000", "127.0.0.1:-1", "127.0.0.1:"):
        p = run_binary(["--listen", spec, W.root], timeout=5)
        tap.check(p.returncode == 100 and "invalid --listen" in p.stderr,
                  "--listen %s -> exit 100, not listening" % spec,
                  diag="exit %s stderr %r" % (p.returncode, p.stderr))
    missing = os.path.join(W.base, "no-such-dir")
    p = run_binary(["--listen", "127.0.0.1:1", missing], timeout=5)
    tap.check(p.returncode == 111 and "cgihandlerd: fatal: unable to open" in p.stderr,
              "--listen, non-existent DIRECTORY -> exit 111, 'cgihandlerd: fatal:' on stderr",
              diag="exit %s stdout %r stderr %r" % (p.returncode, p.stdout, p.stderr))
    # Under a superserver a client is waiting: it gets an answer, not a
    # reset; the log says why.
    for root, name in ((missing, "non-existent"), (W.path("file.txt"), "a file as")):
        res = run_inetd(GET("/file.txt"), root=root)
        tap.expect("%s DIRECTORY, a request waiting -> 500 and a log line why" % name,
                   response_problems(res, status=500) +
                   ([] if "document root cannot be opened" in res.stderr and
                    "unable to open" in res.stderr else
                    ["stderr %r" % short(res.stderr, 400)]))

    # By hand on a terminal, the handler says what it waits for at once.
    import pty
    import select
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(harness.BINARY, [harness.BINARY, W.root])
    out = b""
    deadline = time.monotonic() + 20
    while b"--listen" not in out and time.monotonic() < deadline:
        if select.select([fd], [], [], 1)[0]:
            try:
                out += os.read(fd, 4096)
            except OSError:
                break
    os.kill(pid, 9)
    os.waitpid(pid, 0)
    os.close(fd)
    tap.check(b"superserver" in out and b"cgihandlerd --listen 8000" in out,
              "no request, stdin a terminal: a hint on stderr at once", diag=repr(out))


# ---------------------------------------------------------------------------
# Through real superservers and --listen: a representative subset

def subset_raw(label, port):
    """file, listing, 301, 304, 404, 501, HEAD over a raw socket (so that
    framing and 'no body bytes for HEAD' are checked on the wire)."""
    cases = [
        ("GET /file.txt -> 200 exact", GET("/file.txt"), "GET",
         dict(status=200, body=FILE_TXT, ctype="text/plain",
              headers={"Last-Modified": LM})),
        ("GET /list/ -> listing", GET("/list/"), "GET",
         dict(status=200, ctype="text/html; charset=utf-8",
              contains=(b"Directory listing for /list/",))),
        ("GET /dir -> 301 /dir/", GET("/dir"), "GET",
         dict(status=301, headers={"Location": "/dir/"})),
        ("IMS -> 304", GET("/file.txt", [("If-Modified-Since", LM)]), "GET",
         dict(status=304)),
        ("GET /nope.txt -> 404", GET("/nope.txt"), "GET", dict(status=404)),
        ("PUT -> 501", GET("/file.txt", method="PUT"), "GET", dict(status=501)),
        ("HEAD /file.txt -> 200, no body bytes", GET("/file.txt", method="HEAD"),
         "HEAD", dict(status=200, headers={"Content-Length": str(len(FILE_TXT))})),
    ]
    for name, req, method, exp in cases:
        raw = raw_request(port, req)
        res = Result(raw=raw, stderr="", returncode=0, leftover=b"", elapsed=0)
        tap.expect("%s raw socket: %s" % (label, name),
                   response_problems(res, method=method, **exp))


def subset_curl(label, url):
    def chk(name, r, status, body=None, headers=None, contains=()):
        p = []
        if r.returncode != 0:
            p.append("curl exit %s: %s" % (r.returncode, r.stderr))
        if r.head_error:
            p.append("head: " + r.head_error)
        if r.status != status:
            p.append("status %s, want %s" % (r.status, status))
        if body is not None and r.body != body:
            p.append("body %s" % short(r.body, 200))
        for c in contains:
            if c not in r.body:
                p.append("body lacks %r" % c)
        for k, v in (headers or {}).items():
            if r.header_all(k) != [v]:
                p.append("%s: %r, want %r" % (k, r.header_all(k), v))
        if not p:
            p += common_problems(parse_response(r.head_raw, method="HEAD"))
        tap.expect("%s curl: %s" % (label, name), p + ([r.describe()] if p else []))

    chk("GET /file.txt -> 200 exact", curl(url + "/file.txt"), 200, body=FILE_TXT,
        headers={"Content-Type": "text/plain",
                 "Content-Length": str(len(FILE_TXT))})
    chk("GET /list/ -> listing", curl(url + "/list/"), 200,
        contains=(b"Directory listing for /list/", b'href="sub/"'),
        headers={"Content-Type": "text/html; charset=utf-8"})
    chk("GET /dir -> 301 /dir/", curl(url + "/dir"), 301, body=b"",
        headers={"Location": "/dir/"})
    chk("IMS -> 304", curl(url + "/file.txt", headers=["If-Modified-Since: " + LM]),
        304, body=b"")
    chk("GET /nope.txt -> 404", curl(url + "/nope.txt"), 404,
        headers={"Content-Type": "text/html;charset=utf-8"})
    chk("DELETE -> 501", curl(url + "/file.txt", method="DELETE"), 501)
    chk("HEAD (-I) /file.txt -> 200, Content-Length", curl(url + "/file.txt",
                                                           method="HEAD"), 200,
        headers={"Content-Length": str(len(FILE_TXT)), "Last-Modified": LM})


def subset_http_client(label, port):
    def chk(name, method, path, status, headers=None, body=None, want=None,
            contains=()):
        resp, err = http_request(port, method, path, headers=headers)
        p = [err] if err else []
        if resp is not None:
            if resp.status != status:
                p.append("status %d, want %d" % (resp.status, status))
            if body is not None and resp.body != body:
                p.append("body %s" % short(resp.body, 200))
            for c in contains:
                if c not in resp.body:
                    p.append("body lacks %r" % c)
            for k, v in (want or {}).items():
                if resp.header_all(k) != [v]:
                    p.append("%s: %r, want %r" % (k, resp.header_all(k), v))
            p += common_problems(resp)
        tap.expect("%s http.client: %s" % (label, name), p)

    chk("GET /file.txt -> 200 exact", "GET", "/file.txt", 200, body=FILE_TXT,
        want={"Content-Type": "text/plain", "Last-Modified": LM})
    chk("GET /list/ -> listing", "GET", "/list/", 200,
        contains=(b"Directory listing for /list/",),
        want={"Content-Type": "text/html; charset=utf-8"})
    chk("GET /dir?x=1 -> 301 /dir/?x=1", "GET", "/dir?x=1", 301, body=b"",
        want={"Location": "/dir/?x=1"})
    chk("IMS -> 304", "GET", "/file.txt", 304, headers={"If-Modified-Since": LM},
        body=b"")
    chk("GET /nope.txt -> 404", "GET", "/nope.txt", 404)
    chk("OPTIONS -> 501", "OPTIONS", "/file.txt", 501)
    chk("HEAD /file.txt -> 200", "HEAD", "/file.txt", 200, body=b"",
        want={"Content-Length": str(len(FILE_TXT))})


def server_log_problems(srv, min_lines):
    # a handler may still be writing its line after the client has its
    # answer (HEAD, Content-Length reached): give it a moment
    deadline = time.monotonic() + 3
    while True:
        good, _ = parse_log_lines(srv.stderr_text())
        if len(good) >= min_lines or time.monotonic() > deadline:
            break
        time.sleep(0.05)
    p = sanitizer_problems(srv.stderr_text())
    if len(good) < min_lines:
        p.append("%d CLF lines in the server's stderr, want >= %d: %s" % (
            len(good), min_lines, short(srv.stderr_text(), 800)))
    bad_hosts = {m.group("host") for m in good} - {"127.0.0.1"}
    if bad_hosts:
        p.append("logged hosts %r, want 127.0.0.1" % bad_hosts)
    return p


def test_servers():
    modes = [
        ("systemd-socket-activate --inetd -a:",
         lambda: socket_activate(root=W, inetd=True)),
        ("systemd-socket-activate -a (fd 3, LISTEN_FDS):",
         lambda: socket_activate(root=W, inetd=False)),
        ("--listen:", lambda: listen_server(root=W)),
    ]
    for label, start in modes:
        with tap.guard(label + " server start and subset"):
            with start() as srv:
                subset_raw(label, srv.port)
                subset_curl(label, srv.url)
                subset_http_client(label, srv.port)
                tap.expect(label + " one CLF log line per request, host 127.0.0.1",
                           server_log_problems(srv, 21))
                if "--inetd" in label:
                    t0 = time.monotonic()
                    r = curl(srv.url + "/big.bin", keep_body=False, timeout=30)
                    dt = time.monotonic() - t0
                    p = []
                    if r.returncode != 0 or r.status != 200:
                        p.append(r.describe())
                    if r.body_len != BIG:
                        p.append("received %d bytes, want %d" % (r.body_len, BIG))
                    if r.sha256 != W.sha256["big.bin"]:
                        p.append("sha256 %s, want %s" % (r.sha256, W.sha256["big.bin"]))
                    if r.header("Content-Length") != str(BIG):
                        p.append("Content-Length %r" % r.header("Content-Length"))
                    tap.diag("200 MiB through curl: %.1f s" % dt)
                    tap.expect("%s curl: 200 MiB random file byte-exact (sha256)"
                               % label, p)


# ---------------------------------------------------------------------------

def main():
    tap.main([test_files, test_directories, test_conditional, test_errors,
              test_request_line, test_headers, test_limits, test_traversal,
              test_hidden, test_timeouts, test_no_over_read, test_client_goes_away,
              test_logging, test_options, test_servers])


if __name__ == "__main__":
    main()
