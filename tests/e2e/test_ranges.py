#!/usr/bin/env python3
"""End-to-end tests of what static serving does beyond Python: ETag and
the RFC 9110 13.2.2 preconditions case by case, byte ranges (one, several
as multipart/byteranges parsed back, unsatisfiable, invalid, abusive),
If-Range, precompressed variants, --charset and --max-age, and the
directory listing (--listing=simple against Python's own page).  Every case runs
through the inetd mode with raw bytes checked strictly; curl (-r, -C -,
--compressed) and http.client run against --listen.  TAP on stdout.

Run:  CGIHANDLERD=build/cgihandlerd python3 tests/e2e/test_ranges.py
"""

import gzip
import hashlib
import html
import os
import re
import subprocess
import sys
import tempfile
import time

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import (  # noqa: E402
    TAP, File, Symlink, RandomFile, WebRoot, run_inetd, listen_server,
    response_problems, parse_log_lines, http_date, request, curl,
    http_request, require_binary, short)

tap = TAP()
require_binary(tap)

MT = 1600000000                      # Sun, 13 Sep 2020 12:26:40 GMT
LM = http_date(MT)
OTHER = '"not-the-tag"'                # an ETag no file has
DIGITS = bytes(range(256)) * 4       # 1024 bytes, every value
TEXT = "price: 5 \u20ac\n".encode()  # UTF-8 with a euro sign
BIG = 24 * 1024 * 1024
PAGE = b"<html><body>" + b"compressible " * 400 + b"</body></html>\n"
GZ = gzip.compress(PAGE, mtime=0)
SCRIPT = b"#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\nfrom cgi\\n'\n"

SPEC = {
    "d.bin": File(DIGITS, mtime=MT),
    "t.txt": File(TEXT, mtime=MT),
    "empty.txt": File(b"", mtime=MT),
    "big.bin": RandomFile(BIG),
    "page.html": File(PAGE, mtime=MT),
    "page.html.gz": File(GZ, mtime=MT + 1),
    "page.html.br": File(b"BROTLI-BYTES-" * 10, mtime=MT + 1),
    "page.html.zst": File(b"ZSTD-BYTES-" * 10, mtime=MT + 1),
    "site/index.html": File(PAGE, mtime=MT),
    "site/index.html.gz": File(GZ, mtime=MT),
    "site2/index.htm": File(PAGE, mtime=MT),
    "site2/index.htm.gz": File(GZ, mtime=MT),
    "site2/index.html.gz": File(b"NOT-THIS-ONE", mtime=MT),
    "doc.html": File(PAGE, mtime=MT),
    "doc.html.gz": File(GZ, mtime=MT),
    "stale.css": File(b"body{}\n" * 50, mtime=MT + 100),
    "stale.css.gz": File(b"OLD-GZIP", mtime=MT),
    "link.js": File(b"var a = 1;\n" * 30, mtime=MT),
    "link.js.gz": Symlink("secret.gz"),
    "secret.gz": File(b"SECRET-THROUGH-SYMLINK", mtime=MT + 5),
    "sym.txt": Symlink("list/real.txt"),
    "list/real.txt": File(b"real text\n", mtime=MT),
    "sym.txt.gz": File(b"GZ-BESIDE-THE-LINK", mtime=MT + 5),
    "dirv.txt": File(b"dir variant\n", mtime=MT),
    "dirv.txt.gz/x": File(b"x", mtime=MT + 5),
    "list/a.txt": File(b"a", mtime=MT),
    "list/<b>&x.txt": File(b"x" * 1536, mtime=MT),
    "list/sp ace.txt": File(b"s" * 5000000, mtime=MT),
    "list/sub/z": File(b"z"),
    "list/link": Symlink("a.txt"),
    "list/broken": Symlink("nowhere"),
    "cgi-bin/hello.sh": File(SCRIPT, mode=0o755),
}



def many_names():
    """300 names for one directory, made to try the listing's sort: long
    shared prefixes (most comparisons must look past the first 8 bytes),
    mixed case, bytes that are quoted or escaped, UTF-8 (lower case: Python
    folds the rest, we fold ASCII only), each unique under
    str.lower() (Python keeps listdir's order for equal keys, we use the
    bytes'). Each with a size and an mtime spread over days and years."""
    import random
    rnd = random.Random(9)
    stems = ["report-2026-11-", "Report-2026-11-", "a", "photo_", "PHOTO_0",
             "x&y<z>", "sp ace ", "%41-", "~tilde.", "file-000"]
    seen, names = set(), {}
    while len(names) < 300:
        name = rnd.choice(stems) + "".join(
            rnd.choice("abcXYZ019-_.&% \u00e9\u00fc\u20ac") for _ in range(rnd.randint(0, 6)))
        if name.lower() in seen or name.startswith(".") or name.endswith(" "):
            continue
        seen.add(name.lower())
        mtime = rnd.choice([-3 * 86400 + 5, 0, MT, MT + 1, MT + 86399, MT + 86400,
                            MT + 40 * 86400 + 3661, 4102444800 + 59])
        names["many/" + name] = File(b"m" * rnd.randint(0, 3000), mtime=mtime)
    return names


SPEC.update(many_names())
W = WebRoot(SPEC)
tap.at_exit(W.cleanup)
tap.watchdog(400)


def inetd(data, args=()):
    return run_inetd(data, args=args, root=W)


def GET(target, headers=None, method="GET"):
    return request(method, target, headers=headers, host="x")


def parsed(res, method="GET"):
    resp, err = res.try_parse(method)
    if err:
        raise AssertionError(err + "\n" + res.describe())
    return resp


def etag_of(target, args=()):
    return parsed(inetd(GET(target), args)).header("ETag")


C = harness.case


def run_cases(cases):
    harness.run_cases(tap, cases, inetd)


def multipart_parts(body, ctype):
    """Strictly split a multipart/byteranges body: each part's headers and
    bytes, the framing exactly as RFC 9110 14.6 and RFC 2046 have it, every
    part's length from its Content-Range. Raises AssertionError."""
    m = re.fullmatch(r"multipart/byteranges; boundary=([0-9a-f]{32})", ctype or "")
    assert m, "Content-Type %r" % ctype
    delim = b"--" + m.group(1).encode()
    parts, pos = [], 0
    if body.startswith(b"\r\n"):
        pos = 2
    while True:
        assert body[pos:pos + len(delim)] == delim, "no delimiter at %d: %s" % (
            pos, short(body[pos:pos + 80]))
        pos += len(delim)
        if body[pos:pos + 4] == b"--\r\n":
            assert pos + 4 == len(body), "bytes after the close delimiter"
            return parts
        assert body[pos:pos + 2] == b"\r\n", "delimiter not followed by CRLF"
        end = body.index(b"\r\n\r\n", pos + 2)
        headers = {}
        for line in body[pos + 2:end].split(b"\r\n"):
            name, _, value = line.decode("latin-1").partition(":")
            headers[name.strip().lower()] = value.strip()
        cr = re.fullmatch(r"bytes ([0-9]+)-([0-9]+)/([0-9]+)",
                          headers.get("content-range", ""))
        assert cr, "part Content-Range %r" % headers.get("content-range")
        first, last, size = map(int, cr.groups())
        data = body[end + 4:end + 4 + last - first + 1]
        assert len(data) == last - first + 1, "part shorter than its range"
        parts.append((headers, first, last, size, data))
        pos = end + 4 + len(data)
        assert body[pos:pos + 2] == b"\r\n", "part not followed by CRLF"
        pos += 2


# ---------------------------------------------------------------------------
# Validators

def test_validators():
    res = inetd(GET("/d.bin"))
    r = parsed(res)
    etag = r.header("ETag") or ""
    tap.check(re.fullmatch(r'"[0-9a-f]+-[0-9a-f]+-[0-9a-f]+\.[0-9a-f]+"', etag),
              "ETag is strong, quoted, inode-size-mtime.ns: %s" % etag)
    tap.expect("200 carries ETag, Last-Modified, Accept-Ranges: bytes",
               response_problems(res, status=200, body=DIGITS, headers={
                   "ETag": None, "Last-Modified": LM, "Accept-Ranges": "bytes"},
                   absent=["Cache-Control", "Vary", "Content-Encoding"]))
    tap.check(etag_of("/d.bin") == etag, "ETag stable across requests")

    # A rewrite with the same size and the same second: only the
    # nanoseconds (and perhaps the inode) tell it apart.
    path = W.path("t.txt")
    before = etag_of("/t.txt")
    st = os.stat(path)
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1))
    after = etag_of("/t.txt")
    tap.check(before != after, "ETag changes with one nanosecond of mtime "
              "(%s -> %s)" % (before, after))
    os.utime(path, (MT, MT))

    res = inetd(GET("/d.bin", [("If-None-Match", etag)]))
    tap.expect("304 carries ETag, Last-Modified, Date, no body, no Content-Type",
               response_problems(res, status=304, body=b"", headers={
                   "ETag": etag, "Last-Modified": LM, "Date": None},
                   absent=["Content-Type", "Content-Range"]))
    res = inetd(GET("/d.bin", [("If-None-Match", etag)], method="HEAD"))
    tap.expect("HEAD + If-None-Match: the ETag -> 304",
               response_problems(res, method="HEAD", status=304,
                                 headers={"ETag": etag}))


# ---------------------------------------------------------------------------
# RFC 9110 13.2.2, case by case

def precedence_cases():
    """RFC 9110 13.2.2, case by case: (name, headers, expectation)."""
    E = etag_of("/d.bin")
    BEFORE, AFTER = http_date(MT - 1), http_date(MT + 1)
    ok = dict(status=200, body=DIGITS)
    nm = dict(status=304, body=b"", headers={"ETag": E})
    pf = dict(status=412)
    cases = [
        ("If-Match: the ETag -> 200", [("If-Match", E)], ok),
        ("If-Match: * -> 200", [("If-Match", "*")], ok),
        ("If-Match: a list holding it -> 200", [("If-Match", OTHER + ", " + E)], ok),
        ("If-Match: another tag -> 412", [("If-Match", OTHER)], pf),
        ("If-Match: W/ of the tag (strong comparison) -> 412",
         [("If-Match", "W/" + E)], pf),
        ("If-Match: garbage -> 412", [("If-Match", "garbage")], pf),
        ("If-Unmodified-Since: mtime -> 200", [("If-Unmodified-Since", LM)], ok),
        ("If-Unmodified-Since: before mtime -> 412",
         [("If-Unmodified-Since", BEFORE)], pf),
        ("If-Unmodified-Since: not a date -> ignored, 200",
         [("If-Unmodified-Since", "soon")], ok),
        ("If-None-Match: the ETag -> 304", [("If-None-Match", E)], nm),
        ("If-None-Match: W/ of the tag (weak comparison) -> 304",
         [("If-None-Match", "W/" + E)], nm),
        ("If-None-Match: * -> 304", [("If-None-Match", "*")], nm),
        ("If-None-Match: list with it last -> 304",
         [("If-None-Match", '"a", "b", ' + E)], nm),
        ("If-None-Match: another tag -> 200", [("If-None-Match", OTHER)], ok),
        ("If-Modified-Since: mtime -> 304", [("If-Modified-Since", LM)], nm),
        ("If-Modified-Since: before mtime -> 200",
         [("If-Modified-Since", BEFORE)], ok),
        ("step 1 over 2: If-Match true hides a false If-Unmodified-Since -> 200",
         [("If-Match", E), ("If-Unmodified-Since", BEFORE)], ok),
        ("step 1 over 2: If-Match false, If-Unmodified-Since true -> 412",
         [("If-Match", OTHER), ("If-Unmodified-Since", AFTER)], pf),
        ("step 1 before 3: If-Match false beats If-None-Match match -> 412",
         [("If-Match", OTHER), ("If-None-Match", E)], pf),
        ("steps 1, 3: If-Match true then If-None-Match match -> 304",
         [("If-Match", E), ("If-None-Match", E)], nm),
        ("step 2 before 3: If-Unmodified-Since false beats If-None-Match -> 412",
         [("If-Unmodified-Since", BEFORE), ("If-None-Match", E)], pf),
        ("step 2 before 4: If-Unmodified-Since false beats If-Modified-Since -> 412",
         [("If-Unmodified-Since", BEFORE), ("If-Modified-Since", LM)], pf),
        ("step 3 over 4 (Python's rule): If-None-Match no match, "
         "If-Modified-Since ignored -> 200",
         [("If-None-Match", OTHER), ("If-Modified-Since", LM)], ok),
        ("step 3 over 4: If-None-Match match, If-Modified-Since says modified -> 304",
         [("If-None-Match", E), ("If-Modified-Since", BEFORE)], nm),
        ("step 4 before 5: If-Modified-Since 304 wins over Range",
         [("If-Modified-Since", LM), ("Range", "bytes=0-9")], nm),
        ("step 3 before 5: If-None-Match 304 wins over Range",
         [("If-None-Match", E), ("Range", "bytes=0-9")], nm),
        ("step 1 before 5: If-Match false beats Range -> 412",
         [("If-Match", OTHER), ("Range", "bytes=0-9")], pf),
        ("step 5: If-Match true, then Range -> 206",
         [("If-Match", E), ("Range", "bytes=0-9")],
         dict(status=206, body=DIGITS[:10])),
        ("step 5: If-Range the ETag -> 206",
         [("If-Range", E), ("Range", "bytes=0-9")],
         dict(status=206, body=DIGITS[:10])),
        ("step 5: If-Range = Last-Modified -> 206",
         [("If-Range", LM), ("Range", "bytes=0-9")],
         dict(status=206, body=DIGITS[:10])),
        ("step 5: If-Range another tag -> whole file, 200",
         [("If-Range", OTHER), ("Range", "bytes=0-9")], ok),
        ("step 5: If-Range a weak tag -> 200", [("If-Range", "W/" + E),
                                                ("Range", "bytes=0-9")], ok),
        ("step 5: If-Range a later date -> 200",
         [("If-Range", AFTER), ("Range", "bytes=0-9")], ok),
        ("step 5: If-Range garbage -> 200",
         [("If-Range", "garbage"), ("Range", "bytes=0-9")], ok),
        ("If-Range without Range -> 200", [("If-Range", E)], ok),
    ]
    return cases


def test_precedence():
    cases = precedence_cases()
    run_cases([C(name, GET("/d.bin", hdrs), **want) for name, hdrs, want in cases])
    res = inetd(GET("/d.bin", [("If-Match", OTHER)]))
    good, _ = parse_log_lines(res.stderr)
    tap.check(good and good[0]["status"] == "412" and
              "precondition failed" in (good[0]["extra"] or ""),
              "412 logged with its reason", diag=res.stderr)


# ---------------------------------------------------------------------------
# Ranges through inetd

def test_ranges():
    N = len(DIGITS)
    cr = "Content-Range"

    def part(first, last, **kw):
        return dict(status=206, body=DIGITS[first:last + 1],
                    headers={cr: "bytes %d-%d/%d" % (first, last, N),
                             "Content-Length": str(last - first + 1),
                             "Accept-Ranges": "bytes", "ETag": None},
                    ctype="application/octet-stream", **kw)
    whole = dict(status=200, body=DIGITS, absent=[cr])
    unsat = dict(status=416, headers={cr: "bytes */%d" % N},
                 contains=[b"Error code: 416"])
    rows = [
        ("bytes=0-9 -> 206, first ten bytes", "bytes=0-9", part(0, 9)),
        ("bytes=1000- -> 206, the tail", "bytes=1000-", part(1000, 1023)),
        ("bytes=-24 -> 206, suffix", "bytes=-24", part(1000, 1023)),
        ("bytes=0-0 -> 206, one byte", "bytes=0-0", part(0, 0)),
        ("bytes=1023-1023 -> last byte", "bytes=1023-1023", part(1023, 1023)),
        ("bytes=0- -> 206, the whole file as a range", "bytes=0-", part(0, 1023)),
        ("bytes=500-99999 -> last clamped", "bytes=500-99999", part(500, 1023)),
        ("bytes=-99999 -> suffix past the start: whole file as 206",
         "bytes=-99999", part(0, 1023)),
        ("bytes=0-9,5-19 -> overlap coalesced into one 206",
         "bytes=0-9,5-19", part(0, 19)),
        ("bytes=0-9,10-19 -> adjacent coalesced", "bytes=0-9,10-19", part(0, 19)),
        ("BYTES=0-9 -> unit case-insensitive", "BYTES=0-9", part(0, 9)),
        ("Range integer overflow in last: bytes=0-99999999999999999999999 -> clamped",
         "bytes=0-99999999999999999999999", part(0, 1023)),
        ("Range integer overflow in suffix -> whole file as 206",
         "bytes=-99999999999999999999999", part(0, 1023)),
        ("Range 2^63 as first -> 416", "bytes=9223372036854775808-", unsat),
        ("Range 2^64+1 as first -> 416", "bytes=18446744073709551617-", unsat),
        ("bytes=1024- -> 416", "bytes=1024-", unsat),
        ("bytes=5000-6000 -> 416", "bytes=5000-6000", unsat),
        ("bytes=-0 -> 416", "bytes=-0", unsat),
        ("bytes=-0,-0 -> 416", "bytes=-0,-0", unsat),
        ("invalid: bytes=9-0 -> ignored, 200", "bytes=9-0", whole),
        ("invalid: bytes=abc -> 200", "bytes=abc", whole),
        ("invalid: items=0-9 -> 200", "items=0-9", whole),
        ("invalid: bytes=+0-9 -> 200", "bytes=+0-9", whole),
        ("invalid: bytes=0-9;x -> 200", "bytes=0-9;x", whole),
        ("invalid: bytes= -> 200", "bytes=", whole),
        ("invalid: bytes=0x10-0x20 -> 200", "bytes=0x10-0x20", whole),
        ("invalid: bytes=--1 -> 200", "bytes=--1", whole),
        ("17 range-specs -> 200 whole file",
         "bytes=" + ",".join("%d-%d" % (i * 2, i * 2) for i in range(17)), whole),
        ("1,000 overlapping ranges (CVE-2011-3192) -> 200 whole file",
         "bytes=" + ",".join("%d-%d" % (i, i + 500) for i in range(1000)), whole),
        ("16 one-byte ranges on a 1 KiB file: framing outweighs it -> 200",
         "bytes=" + ",".join("%d-%d" % (i * 60, i * 60) for i in range(16)), whole),
    ]
    run_cases([C(name, GET("/d.bin", [("Range", rng)]), **want)
               for name, rng, want in rows])
    run_cases([
        C("HEAD with Range -> 206 headers, no body", GET("/d.bin", [("Range", "bytes=0-9")],
                                                          "HEAD"),
          method="HEAD", status=206, body=b"",
          headers={"Content-Range": "bytes 0-9/1024", "Content-Length": "10"}),
        C("HEAD with two ranges -> 206 multipart headers, no body",
          GET("/d.bin", [("Range", "bytes=0-99,500-599")], "HEAD"), method="HEAD",
          status=206, body=b"", absent=["Content-Range"]),
        C("empty file, bytes=0- -> 416 bytes */0",
          GET("/empty.txt", [("Range", "bytes=0-")]), status=416,
          headers={"Content-Range": "bytes */0"}),
        C("empty file, bytes=-5 -> 200 empty", GET("/empty.txt", [("Range", "bytes=-5")]),
          status=200, body=b""),
        C("a directory listing ignores Range -> 200",
          GET("/list/", [("Range", "bytes=0-9")]), status=200,
          contains=[b"a.txt"], absent=["Content-Range", "Accept-Ranges"]),
    ])

    # Several ranges: multipart/byteranges, parsed back part by part.
    def multi(rng, want_parts, name, target="/d.bin", data=DIGITS,
              ptype="application/octet-stream"):
        res = inetd(GET(target, [("Range", rng)]))
        p = response_problems(res, status=206, absent=["Content-Range"])
        if not p:
            r = parsed(res)
            try:
                parts = multipart_parts(r.body, r.header("Content-Type"))
                got = [(f, l) for _, f, l, _, _ in parts]
                if got != want_parts:
                    p.append("parts %r, want %r" % (got, want_parts))
                for h, f, l, size, d in parts:
                    if d != data[f:l + 1] or size != len(data):
                        p.append("part %d-%d bytes or size wrong" % (f, l))
                    if h.get("content-type") != ptype:
                        p.append("part Content-Type %r" % h.get("content-type"))
                if len(r.body) > len(data):
                    p.append("multipart body %d bytes > file %d" % (len(r.body), len(data)))
            except (AssertionError, ValueError) as exc:
                p.append("multipart: %s" % exc)
        tap.expect(name, p)
    multi("bytes=0-99,200-299", [(0, 99), (200, 299)],
          "two ranges -> multipart/byteranges, parts exact")
    multi("bytes=500-599,0-99", [(500, 599), (0, 99)],
          "two ranges kept in the order asked")
    multi("bytes=0-99,50-149,300-399,-100", [(0, 149), (300, 399), (924, 1023)],
          "overlap merged, suffix last: three parts")
    multi("bytes=0-99, 200-299 ,,400-499", [(0, 99), (200, 299), (400, 499)],
          "OWS and empty elements in the list")
    r1, r2 = parsed(inetd(GET("/d.bin", [("Range", "bytes=0-99,200-299")]))), \
        parsed(inetd(GET("/d.bin", [("Range", "bytes=0-99,200-299")])))
    tap.check(r1.header("Content-Type") != r2.header("Content-Type"),
              "the multipart boundary differs between responses (random)")

    # The log shows the 206 and the bytes sent.
    res = inetd(GET("/d.bin", [("Range", "bytes=0-9")]))
    good, _ = parse_log_lines(res.stderr)
    tap.check(good and good[0]["status"] == "206" and good[0]["bytes"] == "10",
              "log: 206 with 10 bytes", diag=res.stderr)


# ---------------------------------------------------------------------------
# Precompressed variants, --charset, --max-age

def test_variants():
    P = ("--precompressed",)
    AE = "Accept-Encoding"
    v = lambda coding, body, **kw: dict(  # noqa: E731
        status=200, body=body, ctype="text/html",
        headers=dict({"Content-Encoding": coding, "Vary": "Accept-Encoding",
                      "Content-Length": str(len(body))}, **kw))
    ident = dict(status=200, body=PAGE, ctype="text/html", absent=["Content-Encoding"])
    br, zst = SPEC["page.html.br"].content, SPEC["page.html.zst"].content
    run_cases([
        C("gzip accepted -> page.html.gz, Content-Encoding gzip, FILE's type, Vary",
          GET("/page.html", [(AE, "gzip")]), args=P, **v("gzip", GZ)),
        C("Chromium's Accept-Encoding -> br", GET("/page.html", [(AE, "gzip, deflate, br, zstd")]),
          args=P, **v("br", br)),
        C("zstd only -> .zst", GET("/page.html", [(AE, "zstd")]), args=P, **v("zstd", zst)),
        C("q-values: gzip;q=1, br;q=0.5 -> gzip",
          GET("/page.html", [(AE, "gzip;q=1, br;q=0.5")]), args=P, **v("gzip", GZ)),
        C("br;q=0, * -> zstd", GET("/page.html", [(AE, "br;q=0, *")]), args=P,
          **v("zstd", zst)),
        C("identity;q=0, gzip -> gzip", GET("/page.html", [(AE, "identity;q=0, gzip")]),
          args=P, **v("gzip", GZ)),
        C("gzip;q=0.5, identity -> identity (higher weight), still Vary",
          GET("/page.html", [(AE, "gzip;q=0.5, identity")]), args=P,
          headers={"Vary": "Accept-Encoding"}, **ident),
        C("no Accept-Encoding -> the file itself", GET("/page.html"), args=P, **ident),
        C("Accept-Encoding: identity -> the file", GET("/page.html", [(AE, "identity")]),
          args=P, **ident),
        C("malformed q (gzip;q=2) ignored -> the file",
          GET("/page.html", [(AE, "gzip;q=2")]), args=P, **ident),
        C("without --precompressed: never a variant", GET("/page.html", [(AE, "gzip, br")]),
          absent=["Content-Encoding", "Vary"], status=200, body=PAGE),
        C("stale variant (older than FILE) not sent", GET("/stale.css", [(AE, "gzip")]),
          args=P, status=200, body=SPEC["stale.css"].content,
          absent=["Content-Encoding", "Vary"]),
        C("variant that is a symlink not sent", GET("/link.js", [(AE, "gzip")]), args=P,
          status=200, body=SPEC["link.js"].content, excludes=[b"SECRET-THROUGH-SYMLINK"],
          absent=["Content-Encoding"]),
        C("FILE a symlink elsewhere: a variant beside the link is not its variant",
          GET("/sym.txt", [(AE, "gzip")]), args=P, status=200, body=b"real text\n",
          absent=["Content-Encoding"]),
        C("a directory's index.html has its variant: /site/ -> index.html.gz",
          GET("/site/", [(AE, "gzip")]), args=P, **v("gzip", GZ)),
        C("index.htm's variant is index.htm.gz, not index.html.gz",
          GET("/site2/", [(AE, "gzip")]), args=P, **v("gzip", GZ)),
        C("variant that is a directory not sent", GET("/dirv.txt", [(AE, "gzip")]), args=P,
          status=200, body=b"dir variant\n", absent=["Content-Encoding"]),
        C("Range applies to the variant: bytes=0-9 of page.html.gz",
          GET("/page.html", [(AE, "gzip"), ("Range", "bytes=0-9")]), args=P,
          status=206, body=GZ[:10],
          headers={"Content-Encoding": "gzip",
                   "Content-Range": "bytes 0-9/%d" % len(GZ)}),
        C("HEAD: variant's headers, no body", GET("/page.html", [(AE, "gzip")], "HEAD"),
          method="HEAD", args=P, status=200, body=b"",
          headers={"Content-Encoding": "gzip", "Content-Length": str(len(GZ))}),
    ])
    e_file = etag_of("/page.html", P)
    r = parsed(inetd(GET("/page.html", [(AE, "gzip")]), P))
    e_gz = r.header("ETag")
    tap.check(e_gz and e_file and e_gz != e_file,
              "the variant has its own ETag (%s vs %s)" % (e_gz, e_file))
    run_cases([
        C("If-None-Match: the variant's ETag -> 304 with Vary",
          GET("/page.html", [(AE, "gzip"), ("If-None-Match", e_gz)]), args=P,
          status=304, headers={"ETag": e_gz, "Vary": "Accept-Encoding"}),
        C("If-None-Match: the file's ETag, variant chosen -> 200 gzip",
          GET("/page.html", [(AE, "gzip"), ("If-None-Match", e_file)]), args=P,
          **v("gzip", GZ)),
    ])


def test_charset_max_age():
    run_cases([
        C("default: text/plain without charset (as Python)", GET("/t.txt"),
          status=200, ctype="text/plain", body=TEXT),
        C("--charset utf-8: text/plain; charset=utf-8", GET("/t.txt"),
          args=("--charset", "utf-8"), status=200, ctype="text/plain; charset=utf-8"),
        C("--charset: text/html too", GET("/page.html"), args=("--charset", "utf-8"),
          status=200, ctype="text/html; charset=utf-8"),
        C("--charset: not on application/octet-stream", GET("/d.bin"),
          args=("--charset", "utf-8"), status=200, ctype="application/octet-stream"),
        C("--charset: the 206 part type too",
          GET("/t.txt", [("Range", "bytes=0-3")]), args=("--charset", "utf-8"),
          status=206, ctype="text/plain; charset=utf-8", body=TEXT[:4]),
        C("--max-age 3600: Cache-Control on 200", GET("/d.bin"), args=("--max-age", "3600"),
          status=200, headers={"Cache-Control": "max-age=3600"}),
        C("--max-age 0: max-age=0", GET("/d.bin"), args=("--max-age", "0"),
          status=200, headers={"Cache-Control": "max-age=0"}),
        C("--max-age: on 206", GET("/d.bin", [("Range", "bytes=0-1")]),
          args=("--max-age", "60"), status=206, headers={"Cache-Control": "max-age=60"}),
        C("--max-age: on 304", GET("/d.bin", [("If-Modified-Since", LM)]),
          args=("--max-age", "60"), status=304, headers={"Cache-Control": "max-age=60"}),
        C("--max-age: not on a listing", GET("/list/"), args=("--max-age", "60"),
          status=200, absent=["Cache-Control"]),
        C("--listing-max-age 30: Cache-Control on a listing", GET("/list/"),
          args=("--max-age", "60", "--listing-max-age", "30"), status=200,
          headers={"Cache-Control": "max-age=30"}),
        C("--listing-max-age alone: files get none", GET("/d.bin"),
          args=("--listing-max-age", "30"), status=200, absent=["Cache-Control"]),
        C("--max-age: not on a 404", GET("/nope"), args=("--max-age", "60"),
          status=404, absent=["Cache-Control"]),
        C("--max-age: not on CGI output", GET("/cgi-bin/hello.sh"),
          args=("--max-age", "60"), status=200, contains=[b"from cgi"],
          absent=["Cache-Control"]),
    ])
    for args, name in [(("--charset", "utf 8"), "--charset with a space"),
                       (("--charset", "a\r\nX: y"), "--charset with CRLF"),
                       (("--charset", ""), "--charset empty"),
                       (("--charset", "x" * 41), "--charset of 41 bytes"),
                       (("--max-age", "-1"), "--max-age negative"),
                       (("--max-age", "1e3"), "--max-age not decimal"),
                       (("--max-age", "99999999999"), "--max-age over a year"),
                       (("--listing-max-age", "x"), "--listing-max-age not a number")]:
        p = subprocess.run([os.environ.get("CGIHANDLERD", "cgihandlerd")] + list(args) +
                           [W.root], input=b"", capture_output=True, timeout=10)
        tap.check(p.returncode == 100, "%s -> exit 100" % name,
                  diag="exit %s stderr %s" % (p.returncode, p.stderr))


# ---------------------------------------------------------------------------
# Directory listings

def python_listing(path):
    """The page Python's own SimpleHTTPRequestHandler sends for path."""
    import functools
    import http.server
    import threading
    import urllib.request

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *a):
            pass
    srv = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Quiet, directory=W.root))
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d%s" % (srv.server_port, path),
                                    timeout=10) as r:
            return r.read()
    finally:
        srv.shutdown()
        srv.server_close()


def test_listing():
    res = inetd(GET("/list/"), ("--listing=simple",))
    ours = parsed(res).body
    theirs = python_listing("/list/")
    tap.check(ours == theirs, "--listing=simple: byte for byte Python's page",
              diag=lambda: "ours:   %s\npython: %s" % (short(ours, 900), short(theirs, 900)))
    res = inetd(GET("/list/"), ("--listing", "simple"))
    tap.check(parsed(res).body == theirs, "--listing simple (separate value) too")

    res = inetd(GET("/list/"))
    page = parsed(res).body
    tap.expect("default listing: 200, text/html; charset=utf-8",
               response_problems(res, status=200, ctype="text/html; charset=utf-8"))
    hrefs = re.findall(rb'<a href="([^"]*)">', page)
    tap.check(hrefs == re.findall(rb'<a href="([^"]*)">', theirs),
              "default listing: the same links, in the same order, as Python's",
              diag=lambda: short(page, 900))
    day = b'<time datetime="2020-09-13T12:26:40Z">2020-09-13 12:26</time>'
    for name, want in [
            ("a file of 1 byte", b'>a.txt</a> <span class="size">1 B</span> ' + day),
            ("1536 bytes as 1.5 KiB, name still escaped",
             b'>&lt;b&gt;&amp;x.txt</a> <span class="size">1.5 KiB</span> ' + day),
            ("5,000,000 bytes as 4.8 MiB",
             b'>sp ace.txt</a> <span class="size">4.8 MiB</span> ' + day),
            ("a link: its target's size and time", b'>link@</a> <span class="size">1 B</span> '
             + day),
            ("a broken link: listed, no details", b'>broken@</a></li>'),
            ("a directory: a time, no size", b'>sub/</a> <time datetime="')]:
        tap.check(want in page, "default listing: " + name,
                  diag=lambda: short(page, 1200))

    ours = parsed(inetd(GET("/many/"), ("--listing=simple",))).body
    theirs = python_listing("/many/")
    tap.check(ours == theirs, "--listing=simple, 300 names with long shared prefixes: "
              "byte for byte Python's page",
              diag=lambda: "ours:   %s\npython: %s" % (short(ours, 900), short(theirs, 900)))
    page = parsed(inetd(GET("/many/"))).body
    shown = re.findall(rb'<a href="[^"]*">([^<]*)</a> <span class="size">([^<]*)</span> '
                       rb'<time datetime="([^"]*)">([^<]*)</time>', page)
    wrong = []
    for text, size, iso, short_form in shown:
        name = html.unescape(text.decode())
        f = SPEC["many/" + name]
        t = time.gmtime(f.mtime)
        want = (time.strftime("%Y-%m-%dT%H:%M:%SZ", t).encode(),
                time.strftime("%Y-%m-%d %H:%M", t).encode())
        n = len(f.content)
        want_size = (b"%d B" % n if n < 1024 else b"%.1f KiB" % (n / 1024))
        if (iso, short_form, size) != want + (want_size,):
            wrong.append((name, iso, short_form, size, want, want_size))
    tap.check(len(shown) == 300 and not wrong,
              "default listing, 300 entries over 8 days and 130 years: each one's size "
              "and mtime (UTC) as Python's time.gmtime writes them",
              diag=lambda: "%d entries; wrong: %r" % (len(shown), wrong[:5]))

    p = subprocess.run([os.environ.get("CGIHANDLERD", "cgihandlerd"), "--listing=fancy",
                        W.root], input=b"", capture_output=True, timeout=10)
    tap.check(p.returncode == 100, "--listing=fancy -> exit 100", diag=p.stderr)


# ---------------------------------------------------------------------------
# Real clients against --listen

def test_clients():
    with listen_server(args=("--precompressed",), root=W) as srv:
        # curl -r with several ranges, the multipart body parsed back.
        r = curl(srv.url + "/d.bin", extra=["-r", "0-9,100-199,-5"])
        p = [] if r.returncode == 0 and r.status == 206 else [r.describe()]
        if not p:
            try:
                parts = multipart_parts(r.body, r.header("Content-Type"))
                got = [(f, l, d) for _, f, l, _, d in parts]
                want = [(0, 9, DIGITS[0:10]), (100, 199, DIGITS[100:200]),
                        (1019, 1023, DIGITS[1019:])]
                if got != want:
                    p.append("parts %r" % [(f, l) for f, l, _ in got])
            except (AssertionError, ValueError) as exc:
                p.append("multipart: %s" % exc)
        tap.expect("curl -r 0-9,100-199,-5: three parts parsed back, bytes exact", p)

        r = curl(srv.url + "/d.bin", extra=["-r", "10-19"])
        tap.check(r.status == 206 and r.body == DIGITS[10:20] and
                  r.header("Content-Range") == "bytes 10-19/1024",
                  "curl -r 10-19 -> 206, ten bytes", diag=r.describe)

        # curl -C -: a download cut short, then resumed byte-exact.
        with tempfile.TemporaryDirectory() as d:
            out = os.path.join(d, "big.bin")
            with open(W.path("big.bin"), "rb") as src, open(out, "wb") as dst:
                dst.write(src.read(7 * 1024 * 1024 + 12345))
            t0 = time.monotonic()
            proc = subprocess.run(["curl", "-sS", "--max-time", "60", "-C", "-",
                                   "-o", out, "-D", os.path.join(d, "head"),
                                   srv.url + "/big.bin"],
                                  capture_output=True, timeout=90)
            dt = time.monotonic() - t0
            h = hashlib.sha256()
            with open(out, "rb") as f:
                for chunk in iter(lambda: f.read(1 << 20), b""):
                    h.update(chunk)
            head = open(os.path.join(d, "head"), "rb").read()
            tap.diag("curl -C - resumed %d MiB in %.1f s" %
                     ((BIG - 7 * 1024 * 1024) >> 20, dt))
            tap.check(proc.returncode == 0 and head.startswith(b"HTTP/1.1 206") and
                      b"Content-Range: bytes %d-%d/%d" % (7 * 1024 * 1024 + 12345, BIG - 1,
                                                          BIG) in head and
                      h.hexdigest() == W.sha256["big.bin"],
                      "curl -C - resumes a 24 MiB download byte-exact (sha256)",
                      diag="rc %s %s %s" % (proc.returncode, short(head), proc.stderr))

        # curl --compressed decodes the gzip variant back to the page.
        r = curl(srv.url + "/doc.html", extra=["--compressed"])
        tap.check(r.status == 200 and r.body == PAGE and
                  r.header("Content-Encoding") == "gzip",
                  "curl --compressed: doc.html.gz sent, decoded to the page",
                  diag=r.describe)

        # An abusive multi-range request: never more than the file.
        rng = "bytes=" + ",".join("%d-%d" % (i * 3, i * 3) for i in range(16))
        r = curl(srv.url + "/d.bin", headers=["Range: " + rng])
        tap.check(r.status == 200 and r.body_len <= len(DIGITS),
                  "curl: 16 one-byte ranges -> no answer larger than the file "
                  "(%d bytes)" % r.body_len, diag=r.describe)
        rng = "bytes=" + ",".join(["0-"] * 1000)
        r = curl(srv.url + "/big.bin", headers=["Range: " + rng], keep_body=False)
        tap.check(r.status == 200 and r.body_len == BIG,
                  "curl: 1,000 x 'bytes=0-' on 24 MiB -> 200, exactly the file once",
                  diag=r.describe)

        # http.client
        def hc(name, headers, status, body=None, want=None):
            resp, err = http_request(srv.port, "GET", "/d.bin", headers=headers)
            p = [err] if err else []
            if resp and resp.status != status:
                p.append("status %d, want %d" % (resp.status, status))
            if resp and body is not None and resp.body != body:
                p.append("body %s" % short(resp.body))
            for k, v in (want or {}).items():
                if resp and resp.header(k) != v:
                    p.append("%s: %r, want %r" % (k, resp.header(k), v))
            tap.expect("http.client: " + name, p)
        etag = etag_of("/d.bin")
        hc("Range: bytes=-16 -> 206", {"Range": "bytes=-16"}, 206, DIGITS[-16:],
           {"Content-Range": "bytes 1008-1023/1024"})
        hc("If-None-Match -> 304", {"If-None-Match": etag}, 304, b"", {"ETag": etag})
        hc("If-Match other -> 412", {"If-Match": '"x"'}, 412)
        hc("If-Range stale date + Range -> 200 whole",
           {"If-Range": http_date(MT - 60), "Range": "bytes=0-9"}, 200, DIGITS)
        hc("bytes=2000- -> 416", {"Range": "bytes=2000-"}, 416, None,
           {"Content-Range": "bytes */1024"})
        resp, err = http_request(srv.port, "GET", "/d.bin",
                                 headers={"Range": "bytes=0-1,10-11"})
        p = [err] if err else []
        if resp:
            try:
                parts = multipart_parts(resp.body, resp.header("Content-Type"))
                if [d for *_, d in parts] != [DIGITS[0:2], DIGITS[10:12]]:
                    p.append("parts wrong")
            except (AssertionError, ValueError) as exc:
                p.append(str(exc))
        tap.expect("http.client: two ranges -> multipart parsed back", p)

        # The precedence table once more, through both real clients.
        for name, hdrs, want in precedence_cases():
            resp, err = http_request(srv.port, "GET", "/d.bin", headers=dict(hdrs))
            p = [err] if err else []
            if resp and resp.status != want["status"]:
                p.append("status %d, want %d" % (resp.status, want["status"]))
            if resp and "body" in want and resp.body != want["body"]:
                p.append("body %s" % short(resp.body))
            r = curl(srv.url + "/d.bin", headers=["%s: %s" % h for h in hdrs])
            if r.returncode != 0 or r.status != want["status"]:
                p.append("curl: " + r.describe())
            elif "body" in want and want["status"] != 412 and r.body != want["body"]:
                p.append("curl body %s" % short(r.body))
            tap.expect("http.client and curl: " + name, p)

        time.sleep(0.2)
        good, _ = parse_log_lines(srv.stderr_text())
        tap.check(any(m["status"] == "206" for m in good),
                  "--listen log has 206 lines")


def main():
    tap.main([test_validators, test_precedence, test_ranges, test_variants,
              test_charset_max_age, test_listing, test_clients])


if __name__ == "__main__":
    main()
