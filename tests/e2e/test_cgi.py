#!/usr/bin/env python3
"""End-to-end tests of CGI (issue 3): routing as Python's is_cgi/run_cgi,
the environment variable by variable, argv, the process a script starts in,
request bodies, Expect: 100-continue, faults and limits, nph- scripts,
--parse-headers, logging, and the examples/ site.

Every behaviour runs through the inetd mode (a connected socket on fd 0/1,
the test's own copy of the server side closed at once, as inetd does, so
EOF on the client means every process holding the connection is gone); a
representative subset also runs through systemd-socket-activate (--inetd
and fd 3) and through --listen, with raw sockets and curl.

The scripts are in tests/cgi-scripts/ (dump.sh, dump.py, dump.c and small
single-purpose ones); they are installed into a temporary web root.  dump.c
is compiled with `cc` at run time unless CGIHANDLERD_CGI_DUMP names a built
one; without either, the C variants are skipped.  TAP on stdout; exit 1 on
any failure.

Run:  CGIHANDLERD=build/cgihandlerd python3 tests/e2e/test_cgi.py
"""

import base64
import contextlib
import dataclasses
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

# Handlers run with their cwd in the temporary tree: a relative binary
# path (CGIHANDLERD=build/cgihandlerd) must be made absolute first.
if os.environ.get("CGIHANDLERD"):
    os.environ["CGIHANDLERD"] = os.path.abspath(os.environ["CGIHANDLERD"])
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import (  # noqa: E402
    BINARY, SOURCE, TAP, File, Symlink, WebRoot, Result, ProtocolError, InetdSession,
    parse_response, response_problems, common_problems, request, run_inetd,
    socket_activate, listen_server, curl, short, require_binary, raw_request)

tap = TAP()
require_binary(tap)

SCRIPTS = os.path.join(SOURCE, "tests", "cgi-scripts")
# Scripts run as nobody: the PATH must not lead into /root (pyenv shims).
SAFE_PATH = "/usr/local/bin:/usr/bin:/bin"
BASE_ENV = {"PATH": SAFE_PATH, "LANG": "C.UTF-8"}
NOBODY = 65534
STDERR_MARK = b"cgi-stderr-marker-7f3a9c"
FILE_TXT = b"a static file reached by a local redirect\n"
BIG_BODY = b"".join(hashlib.sha256(b"%d" % i).digest() for i in range(32768))
IS_ROOT = os.geteuid() == 0


def script(name):
    with open(os.path.join(SCRIPTS, name), "rb") as f:
        return f.read()


# ---------------------------------------------------------------------------
# The C dump: prebuilt (meson) or compiled here.

def build_c_dump():
    prebuilt = os.environ.get("CGIHANDLERD_CGI_DUMP")
    if prebuilt and os.access(prebuilt, os.X_OK):
        with open(prebuilt, "rb") as f:
            return f.read(), "prebuilt " + prebuilt
    cc = shutil.which("cc") or shutil.which("gcc") or shutil.which("clang")
    if not cc:
        return None, "no C compiler and no CGIHANDLERD_CGI_DUMP"
    tmp = tempfile.mkdtemp(prefix="cgi-dump-")
    try:
        out = os.path.join(tmp, "dump")
        p = subprocess.run([cc, "-std=c17", "-O2", "-o", out,
                            os.path.join(SCRIPTS, "dump.c")],
                           capture_output=True, timeout=60)
        if p.returncode != 0:
            return None, "cc failed: " + p.stderr.decode(errors="replace")[:500]
        with open(out, "rb") as f:
            return f.read(), "compiled with " + cc
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


C_DUMP, C_DUMP_HOW = build_c_dump()
tap.diag("C dump: %s" % (C_DUMP_HOW if C_DUMP else "unavailable: " + C_DUMP_HOW))

# dump variants: (URL name, language); "eof" in the name = read to EOF
DUMPS = [("dump.sh", "sh"), ("dump.py", "py")] + ([("dump", "c")] if C_DUMP else [])
DUMP = "dump" if C_DUMP else "dump.py"          # the fastest one available


# ---------------------------------------------------------------------------
# The web root

def exe(content):
    return File(content, mode=0o755)


SH, PY = script("dump.sh"), script("dump.py")
SPEC = {
    "cgi-bin/dump.sh": exe(SH),
    "cgi-bin/dump-eof.sh": exe(SH),
    "cgi-bin/dump.py": exe(PY),
    "cgi-bin/dump-eof.py": exe(PY),
    "cgi-bin/sub/dump.py": exe(PY),
    "cgi-bin/sub/deeper/dump.sh": exe(SH),
    "cgi-bin/dir/inside.txt": b"a file in a directory below cgi-bin\n",
    "cgi-bin/noexec.sh": File(SH, mode=0o644),
    "cgi-bin/rootonly.sh": File(SH, mode=0o700),
    "cgi-bin/gw.sh": File(SH, mode=0o775),
    "cgi-bin/ww.sh": File(SH, mode=0o757),
    "cgi-bin/.hidden.sh": exe(SH),
    "cgi-bin/escape.sh": Symlink("{outside}/evil.sh"),
    "htbin/dump.sh": exe(SH),
    "scripts/dump.sh": exe(SH),
    "app/cgi/dump.sh": exe(SH),
    "cgi-binx/dump.sh": exe(SH),
    "some/file.txt": FILE_TXT,
    "static.txt": b"static\n",
}
for name in ("crash.sh", "fail.sh", "silent.sh", "hang.sh", "hang.py",
             "burn.sh", "stderr.sh", "nph-hello.sh", "status404.sh",
             "loc-abs.sh", "loc-local.sh", "loc-cgi.sh", "loop.sh",
             "malformed.sh", "hello.sh", "big.py", "raw.py", "detach.sh",
             "wait-for.sh"):
    SPEC["cgi-bin/" + name] = exe(script(name))
if C_DUMP:
    SPEC["cgi-bin/dump"] = exe(C_DUMP)
    SPEC["cgi-bin/dump-eof"] = exe(C_DUMP)
EVIL_MARK = b"EVIL-OUTSIDE-SCRIPT-RAN"
OUTSIDE = {"evil.sh": File(b"#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n"
                           + EVIL_MARK + b"\\n'\n", mode=0o755)}

W = WebRoot(SPEC, outside=OUTSIDE)
ROOT = W.root                       # already a real path (WebRoot uses realpath)
# mkdtemp makes BASE 0700.  Scripts run as nobody, and Python opens its
# script by absolute path (3.9+), so every ancestor of the root must be
# searchable, as it is in any real deployment.  (outside/ stays reachable
# for the symlink tests; nothing there is readable by way of the handler.)
os.chmod(W.base, 0o755)


def _watchdog(seconds):
    """The harness's watchdog, but the temporary root goes first."""
    def fire():
        sys.stdout.write("Bail out! watchdog: script ran over %d s\n" % seconds)
        sys.stdout.flush()
        with contextlib.suppress(Exception):
            W.cleanup()
        os._exit(1)
    t = threading.Timer(seconds, fire)
    t.daemon = True
    t.start()


_watchdog(240)
# meson's timeout sends SIGTERM: leave through main()'s finally (cleanup).
signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))


# ---------------------------------------------------------------------------
# Running the handler inetd-style, the way inetd really does it

def inetd(data, args=(), env=None, root=None, timeout=10, half_close=False, cwd=None,
          family="v4", stderr_is_conn=False, wait_exit=True):
    """Send data (small: before the handler starts, so the head and the
    first body bytes are one segment; large: from a thread), read to EOF.
    The test's copy of the connection is closed right after the spawn, so
    the client sees EOF only when every process holding it has closed it;
    the handler runs in its own session, so its leftovers are found and
    killed by pid.  stderr_is_conn: fd 2 is the connection too, as xinetd
    may give it."""
    e = dict(BASE_ENV)
    e.update(env or {})
    return run_inetd(data, args=args, root=root or ROOT, env=e, timeout=timeout,
                     half_close=half_close, cwd=cwd or W.base, wait_exit=wait_exit,
                     family=family, stderr="conn" if stderr_is_conn else None,
                     new_session=True, hold=False)


# ---------------------------------------------------------------------------
# Parsing what came back

def split_interim(raw):
    """(list of interim 1xx heads, rest)."""
    interim = []
    while raw.startswith(b"HTTP/1.1 1"):
        end = raw.find(b"\r\n\r\n")
        if end < 0:
            break
        interim.append(raw[:end + 4])
        raw = raw[end + 4:]
    return interim, raw


def hexstr(x):
    return bytes.fromhex(x).decode("utf-8", "surrogateescape")


@dataclasses.dataclass
class Dump:
    data: dict
    env: dict
    env_names: list           # in order, with repeats
    argv: list
    fds: dict                 # fd -> readlink target

    def __getitem__(self, k):
        return self.data[k]

    def args(self):
        return self.argv[1:]

    def dupes(self):
        return sorted({n for n in self.env_names if self.env_names.count(n) > 1})


def decode_dump(body):
    d = json.loads(body)
    if "environ_block" in d:
        entries = [e for e in bytes.fromhex(d["environ_block"]).split(b"\0") if e]
    else:
        entries = [bytes.fromhex(e) for e in d["environ"]]
    names, env = [], {}
    for e in entries:
        k, _, v = e.decode("utf-8", "surrogateescape").partition("=")
        names.append(k)
        env[k] = v
    d["cwd"] = hexstr(d["cwd"])
    return Dump(d, env, names, [hexstr(a) for a in d["argv"]],
                {int(k): hexstr(v) for k, v in d["fds"].items()})


@dataclasses.dataclass
class Cgi:
    run: Result
    resp: object              # harness Response or None
    error: str                # why resp / dump is None
    dump: Dump = None
    interim: list = None

    def problems(self, status=200):
        p = []
        if self.resp is None:
            return ["no response: %s" % self.error, self.run.describe()]
        if status is not None and self.resp.status != status:
            p.append("status %d %s, want %d; body %s" % (
                self.resp.status, self.resp.reason, status, short(self.resp.body, 300)))
        return p

    def dump_problems(self):
        p = self.problems(200)
        if not p and self.dump is None:
            p.append("body is not a dump: %s (%s)" % (short(self.resp.body, 300), self.error))
        return p


def cgi(target, method="GET", headers=(), body=b"", args=(), env=None,
        version="HTTP/1.1", host="x", timeout=10, half_close=False, root=None,
        cwd=None, family="v4", stderr_is_conn=False):
    data = request(method, target, headers=list(headers), version=version,
                   host=host, body=body)
    r = inetd(data, args=args, env=env, root=root, timeout=timeout,
              half_close=half_close, cwd=cwd, family=family,
              stderr_is_conn=stderr_is_conn)
    return to_cgi(r)


def served(raw, port):
    """A Result for what raw_request() read from a server on port."""
    return Result(raw=raw, stderr="", returncode=0, leftover=b"", elapsed=0, eof=True,
                  eof_after=0, client_port=raw.client_port, server_port=port)


def to_cgi(r):
    interim, rest = split_interim(r.raw)
    try:
        resp = parse_response(rest, method="GET")  # exec mode: a HEAD body is the script's
    except ProtocolError as exc:
        return Cgi(r, None, str(exc), None, interim)
    c = Cgi(r, resp, None, None, interim)
    if resp.status == 200 and (resp.header("Content-Type") or "") == "application/json":
        try:
            c.dump = decode_dump(resp.body)
        except (ValueError, KeyError) as exc:
            c.error = "dump does not decode: %r" % exc
    return c


def env_problems(c, want, absent=()):
    """want: {NAME: value}; absent: names that must not be set."""
    p = c.dump_problems()
    if p:
        return p
    for k, v in want.items():
        got = c.dump.env.get(k)
        if got != v:
            p.append("%s=%r, want %r" % (k, got, v))
    for k in absent:
        if k in c.dump.env:
            p.append("%s is set (%r), want absent" % (k, c.dump.env[k]))
    return p


# ---------------------------------------------------------------------------
# Routing: Python's is_cgi and run_cgi, case by case

def test_routing():
    D = DUMP
    cases = [
        # name, target, status, {env expected}
        ("/cgi-bin/x runs the script", "/cgi-bin/" + D, 200,
         {"SCRIPT_NAME": "/cgi-bin/" + D, "PATH_INFO": "", "QUERY_STRING": ""}),
        ("/htbin/x runs the script", "/htbin/dump.sh", 200,
         {"SCRIPT_NAME": "/htbin/dump.sh", "PATH_INFO": ""}),
        ("nested /cgi-bin/sub/x", "/cgi-bin/sub/dump.py", 200,
         {"SCRIPT_NAME": "/cgi-bin/sub/dump.py", "PATH_INFO": ""}),
        ("nested twice /cgi-bin/sub/deeper/x", "/cgi-bin/sub/deeper/dump.sh", 200,
         {"SCRIPT_NAME": "/cgi-bin/sub/deeper/dump.sh"}),
        ("/cgi-bin/sub/x/extra/path gives PATH_INFO", "/cgi-bin/sub/dump.py/extra/path", 200,
         {"SCRIPT_NAME": "/cgi-bin/sub/dump.py", "PATH_INFO": "/extra/path",
          "PATH_TRANSLATED": ROOT + "/extra/path"}),
        ("/cgi-bin/../cgi-bin/x is collapsed", "/cgi-bin/../cgi-bin/" + D, 200,
         {"SCRIPT_NAME": "/cgi-bin/" + D}),
        ("//cgi-bin/x is collapsed", "//cgi-bin/" + D, 200,
         {"SCRIPT_NAME": "/cgi-bin/" + D}),
        ("/cgi-bin/./x is collapsed", "/cgi-bin/./" + D, 200,
         {"SCRIPT_NAME": "/cgi-bin/" + D}),
        ("/cgi-bin//x (empty component) is collapsed", "/cgi-bin//" + D, 200,
         {"SCRIPT_NAME": "/cgi-bin/" + D}),
        ("/%63gi-bin/x is decoded, then CGI", "/%63gi-bin/" + D, 200,
         {"SCRIPT_NAME": "/cgi-bin/" + D}),
        ("/cgi-bin%2fx is decoded, then CGI (runs, source never served)",
         "/cgi-bin%2f" + D, 200, {"SCRIPT_NAME": "/cgi-bin/" + D}),
        ("/cgi-bin/x%2fpi: encoded slash splits script and PATH_INFO",
         "/cgi-bin/" + D + "%2fpi", 200,
         {"SCRIPT_NAME": "/cgi-bin/" + D, "PATH_INFO": "/pi"}),
        ("multiple '?': the first splits, QUERY_STRING raw 'a=1?b=2'",
         "/cgi-bin/" + D + "?a=1?b=2", 200, {"QUERY_STRING": "a=1?b=2"}),
        ("query is raw (not decoded): a%20b&c=%2F+d",
         "/cgi-bin/" + D + "?a%20b&c=%2F+d", 200, {"QUERY_STRING": "a%20b&c=%2F+d"}),
        ("'/' in the query does not move PATH_INFO", "/cgi-bin/" + D + "/pi?q=a/b", 200,
         {"PATH_INFO": "/pi", "QUERY_STRING": "q=a/b"}),
        ("PATH_INFO decoded once: /x/a%20b -> '/a b'", "/cgi-bin/" + D + "/a%20b", 200,
         {"PATH_INFO": "/a b", "PATH_TRANSLATED": ROOT + "/a b"}),
        ("PATH_INFO decoded only once: %2541 -> '/%41'", "/cgi-bin/" + D + "/%2541", 200,
         {"PATH_INFO": "/%41"}),
        ("PATH_INFO keeps a trailing slash: /x/a/ -> '/a/'", "/cgi-bin/" + D + "/a/", 200,
         {"PATH_INFO": "/a/"}),
        ("PATH_INFO of /x/ is '/'", "/cgi-bin/" + D + "/", 200, {"PATH_INFO": "/"}),
        ("PATH_INFO is collapsed: /x/a/../b/./c -> '/b/c'", "/cgi-bin/" + D + "/a/../b/./c",
         200, {"PATH_INFO": "/b/c"}),
        ("empty query '?' gives QUERY_STRING ''", "/cgi-bin/" + D + "?", 200,
         {"QUERY_STRING": ""}),
    ]

    def check(case):
        _, target, status, want = case
        c = cgi(target)
        return env_problems(c, want) if status == 200 else c.problems(status)
    tap.table(cases, check)

    refusals = [
        ("/cgi-bin/ itself -> 403 (not a plain file, as Python)", "/cgi-bin/", 403),
        ("/htbin/ itself -> 403", "/htbin/", 403),
        ("missing script -> 404", "/cgi-bin/missing.sh", 404),
        ("missing script with PATH_INFO -> 404", "/cgi-bin/missing.sh/a/b", 404),
        ("a directory as the script -> 403", "/cgi-bin/dir", 403),
        ("a directory with a slash as the script -> 403", "/cgi-bin/dir/", 403),
        ("a plain file in a directory below cgi-bin is no script (not executable) -> 403",
         "/cgi-bin/dir/inside.txt", 403),
        ("non-executable script (0644) -> 403", "/cgi-bin/noexec.sh", 403),
        ("group-writable script (0775) -> 403", "/cgi-bin/gw.sh", 403),
        ("world-writable script (0757) -> 403", "/cgi-bin/ww.sh", 403),
        ("hidden script /cgi-bin/.hidden.sh -> 404", "/cgi-bin/.hidden.sh", 404),
        ("symlink to a script outside the root -> refused (403/404)", "/cgi-bin/escape.sh",
         (403, 404)),
        ("/cgi-bin/../../outside/evil.sh cannot leave the root -> 404",
         "/cgi-bin/../../outside/evil.sh", 404),
    ]
    if IS_ROOT:
        refusals.append(("script executable only by root (0700), scripts run as nobody -> 403",
                         "/cgi-bin/rootonly.sh", 403))

    def refused(case):
        _, target, status = case
        c = cgi(target)
        p = c.problems(None)
        if p:
            return p
        ok = status if isinstance(status, tuple) else (status,)
        if c.resp.status not in ok:
            p.append("status %d, want %s" % (c.resp.status, ok))
        if EVIL_MARK in c.run.raw or b'"lang"' in c.run.raw:
            p.append("a script ran: %s" % short(c.run.raw, 300))
        if b"#!/bin/sh" in c.run.raw:
            p.append("script source disclosed")
        p += common_problems(c.resp)
        return p
    tap.table(refusals, refused)

    with tap.guard("/cgi-bin without slash -> 301 to /cgi-bin/"):
        c = cgi("/cgi-bin?q=1")
        p = c.problems(301)
        if not p and c.resp.header("Location") not in ("/cgi-bin/?q=1",):
            p.append("Location %r, want '/cgi-bin/?q=1'" % c.resp.header("Location"))
        tap.expect("/cgi-bin (no slash) -> 301 to /cgi-bin/ (query kept)", p)

    for name, target in (("/CGI-BIN/x is not CGI (case-sensitive) -> 404", "/CGI-BIN/dump.sh"),):
        c = cgi(target)
        tap.expect(name, c.problems(404))
    c = cgi("/cgi-binx/dump.sh")
    p = c.problems(200)
    if not p and c.resp.body != SH:
        p.append("body is not the file: %s" % short(c.resp.body, 200))
    tap.expect("/cgi-binx/ is not a CGI dir: its file is static (200, the source)", p)

    for mode, target in (("0775", "/cgi-bin/gw.sh"), ("0757", "/cgi-bin/ww.sh")):
        c = cgi(target, args=["--allow-writable-scripts"])
        tap.expect("--allow-writable-scripts: %s script runs" % mode,
                   env_problems(c, {"SCRIPT_NAME": target}))

    # --cgi-dir replaces the defaults
    args = ["--cgi-dir", "/scripts"]
    c = cgi("/scripts/dump.sh", args=args)
    tap.expect("--cgi-dir /scripts: /scripts/x runs",
               env_problems(c, {"SCRIPT_NAME": "/scripts/dump.sh"}))
    for t in ("/cgi-bin/dump.sh", "/htbin/dump.sh"):
        c = cgi(t, args=args)
        p = c.problems(200)
        if not p and c.resp.body != SH:
            p.append("body is not the script's source: %s" % short(c.resp.body, 200))
        if not p and c.dump is not None:
            p.append("the script ran")
        tap.expect("--cgi-dir /scripts replaces the defaults: %s is a plain file now, "
                   "its SOURCE is served (the operator's choice, documented)" % t, p)
    c = cgi("/app/cgi/dump.sh/pi", args=["--cgi-dir", "/app/cgi", "-c", "/scripts"])
    tap.expect("--cgi-dir /app/cgi (two components) with a second -c: runs, PATH_INFO",
               env_problems(c, {"SCRIPT_NAME": "/app/cgi/dump.sh", "PATH_INFO": "/pi"}))
    c = cgi("/scripts/dump.sh", args=["--cgi-dir", "/app/cgi", "-c", "/scripts/"])
    tap.expect("repeated --cgi-dir: the second (/scripts/, trailing slash) works too",
               env_problems(c, {"SCRIPT_NAME": "/scripts/dump.sh"}))

    # methods
    c = cgi("/cgi-bin/" + D, method="POST", body=b"x=1",
            headers=[("Content-Length", "3")])
    tap.expect("POST to a CGI script runs it (REQUEST_METHOD=POST)",
               env_problems(c, {"REQUEST_METHOD": "POST", "CONTENT_LENGTH": "3"}))
    c = cgi("/static.txt", method="POST", body=b"x=1", headers=[("Content-Length", "3")])
    tap.expect("POST to a static file -> 501", c.problems(501))
    c = cgi("/cgi-bin/" + D, method="HEAD")
    tap.expect("HEAD to a CGI script runs it with REQUEST_METHOD=HEAD",
               env_problems(c, {"REQUEST_METHOD": "HEAD"}))
    c = cgi("/cgi-bin/" + D, method="PUT", body=b"", headers=[("Content-Length", "0")])
    tap.expect("PUT to a CGI script -> 501 (as Python: no do_PUT)", c.problems(501))
    c = cgi("/static.txt")
    p = c.problems(200)
    if not p and c.resp.body != b"static\n":
        p.append("body %s" % short(c.resp.body))
    tap.expect("GET of a static file beside the CGI dirs still works", p)


# ---------------------------------------------------------------------------
# The environment

def b64(s):
    return base64.b64encode(s.encode()).decode()


def test_environment():
    D = DUMP
    inherited = {
        "HTTP_PROXY": "http://inherited-proxy:3128", "HTTP_FOO": "inherited",
        "LISTEN_FDS": "1", "LISTEN_PID": "1", "LISTEN_FDNAMES": "inherited",
        "FOO_KEEP": "1", "REMOTE_USER": "mallory", "AUTH_TYPE": "Evil",
        "SCRIPT_NAME": "/evil", "PATH_INFO": "/evil", "HTTPS": "on",
        "CONTENT_TYPE": "evil/x", "QUERY_STRING": "evil=1", "TCPREMOTEINFO": "evil",
        "GATEWAY_INTERFACE": "CGI/0.9",
    }
    hdrs = [
        ("User-Agent", "ua/1.0"), ("Accept", "text/html"), ("Accept", "text/plain"),
        ("Cookie", "a=1"), ("Cookie", "b=2"), ("X-Multi", "one"), ("X-Multi", "two"),
        ("X_Under", "spoof"), ("Proxy", "http://evil-proxy:1"),
        ("Referer", "http://ref.example/"), ("Accept-Encoding", "gzip"),
        ("Authorization", "Basic " + b64("alice:s3cret")),
    ]
    target = "/cgi-bin/%s/p%%20i?q=1&r=%%41" % D
    c = cgi(target, headers=hdrs, host="example.org:8080", env=inherited)
    p = c.dump_problems()
    tap.expect("env: the dump answered (GET %s)" % target, p)
    if p:
        return
    e = c.dump.env
    r = c.run

    def var(name, want, label=None):
        # names stay the same from run to run: no ports, no temporary paths
        shown = label if label and (ROOT in want or want.isdigit()) else \
            "%s = %r" % (label or name, want)
        tap.eq(e.get(name), want, "env: " + shown)

    tap.check(e.get("SERVER_SOFTWARE", "").startswith("cgihandlerd/"),
              "env: SERVER_SOFTWARE starts 'cgihandlerd/'", diag=repr(e.get("SERVER_SOFTWARE")))
    var("SERVER_NAME", "example.org", "SERVER_NAME (Host without its port)")
    var("GATEWAY_INTERFACE", "CGI/1.1")
    var("SERVER_PROTOCOL", "HTTP/1.1")
    var("SERVER_PORT", str(r.server_port), "SERVER_PORT (the socket's local port)")
    var("REQUEST_METHOD", "GET")
    var("PATH_INFO", "/p i")
    var("PATH_TRANSLATED", ROOT + "/p i", "PATH_TRANSLATED (DOCUMENT_ROOT + PATH_INFO)")
    var("SCRIPT_NAME", "/cgi-bin/" + D)
    var("QUERY_STRING", "q=1&r=%41", "QUERY_STRING (raw)")
    var("REMOTE_ADDR", "127.0.0.1")
    var("REMOTE_PORT", str(r.client_port), "REMOTE_PORT (the client's real port)")
    var("REQUEST_URI", target, "REQUEST_URI (as sent)")
    var("DOCUMENT_ROOT", ROOT, "DOCUMENT_ROOT (real path of the root)")
    var("SCRIPT_FILENAME", ROOT + "/cgi-bin/" + D, "SCRIPT_FILENAME (root + SCRIPT_NAME)")
    # Deliberately not Python's: a header nobody checked names no user
    # (only --auth's verified user does; tests/e2e/test_auth.py).
    tap.check("AUTH_TYPE" not in e and "REMOTE_USER" not in e,
              "env: Basic alice:s3cret unchecked: no AUTH_TYPE, no REMOTE_USER",
              diag=repr((e.get("AUTH_TYPE"), e.get("REMOTE_USER"))))
    var("CONTENT_TYPE", "text/plain", "CONTENT_TYPE (text/plain when absent, as Python)")
    var("CONTENT_LENGTH", "", "CONTENT_LENGTH ('' when absent, as Python)")
    var("HTTP_HOST", "example.org:8080")
    var("HTTP_USER_AGENT", "ua/1.0")
    var("HTTP_REFERER", "http://ref.example/")
    var("HTTP_ACCEPT_ENCODING", "gzip", "HTTP_ACCEPT_ENCODING (- becomes _)")
    var("HTTP_ACCEPT", "text/html,text/plain", "HTTP_ACCEPT (repeated, joined with ',')")
    var("HTTP_COOKIE", "a=1; b=2", "HTTP_COOKIE (repeated, joined with '; ' as RFC 6265 says)")
    var("HTTP_X_MULTI", "one, two", "HTTP_X_MULTI (other repeated headers: ', ')")
    tap.check("HTTP_X_UNDER" not in e, "env: header name with '_' (X_Under) is not passed",
              diag=repr(e.get("HTTP_X_UNDER")))
    tap.check(e.get("HTTP_PROXY") is None,
              "env: httpoxy: 'Proxy:' header and inherited HTTP_PROXY give no HTTP_PROXY",
              diag=repr(e.get("HTTP_PROXY")))
    tap.check("HTTP_FOO" not in e, "env: inherited HTTP_FOO is dropped", diag=repr(e.get("HTTP_FOO")))
    listen = sorted(k for k in e if k.startswith("LISTEN_"))
    tap.check(not listen, "env: inherited LISTEN_FDS/LISTEN_PID/LISTEN_FDNAMES are dropped",
              diag=repr(listen))
    tcp = sorted(k for k in e if k.startswith("TCP"))
    tap.check(not tcp, "env: inherited TCP* (TCPREMOTEINFO) is dropped", diag=repr(tcp))
    var("FOO_KEEP", "1", "FOO_KEEP (an ordinary inherited variable passes)")
    var("PATH", SAFE_PATH, "PATH (inherited)")
    tap.check(not c.dump.dupes(), "env: no variable is set twice", diag=repr(c.dump.dupes()))
    tap.check("HTTPS" not in e, "env: inherited HTTPS=on is dropped (no --https, no SSL_PROTOCOL)",
              diag=repr(e.get("HTTPS")))
    tap.check(not any(k in ("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH") for k in e),
              "env: no HTTP_CONTENT_TYPE / HTTP_CONTENT_LENGTH")
    if "HTTP_AUTHORIZATION" in e:
        tap.diag("note: HTTP_AUTHORIZATION is passed to scripts (RFC 3875 4.1.18 says "
                 "SHOULD remove it; Apache does unless CGIPassAuth)")

    # HTTP/1.0, no headers at all: Python's empty defaults
    c = cgi("/cgi-bin/" + D, version="HTTP/1.0", host=None)
    defaults = {k: "" for k in ("QUERY_STRING", "REMOTE_HOST", "CONTENT_LENGTH",
                                "HTTP_ACCEPT", "HTTP_USER_AGENT", "HTTP_COOKIE",
                                "HTTP_REFERER")}
    tap.expect("env: Python's empty defaults (QUERY_STRING, REMOTE_HOST, CONTENT_LENGTH, "
               "HTTP_ACCEPT, HTTP_USER_AGENT, HTTP_COOKIE, HTTP_REFERER) present and ''",
               env_problems(c, defaults))
    tap.expect("env: HTTP/1.0 request: SERVER_PROTOCOL=HTTP/1.0, no AUTH_TYPE/REMOTE_USER/"
               "HTTPS/HTTP_HOST, CONTENT_TYPE text/plain, SERVER_NAME = local address",
               env_problems(c, {"SERVER_PROTOCOL": "HTTP/1.0", "CONTENT_TYPE": "text/plain",
                                "SERVER_NAME": "127.0.0.1"},
                            absent=("AUTH_TYPE", "REMOTE_USER", "HTTPS", "HTTP_HOST")))

    hosts = [
        ("[::1]:8080", "[::1]"), ("[::1]", "[::1]"), ("example.org", "example.org"),
        ("Example.ORG:80", "Example.ORG"), ("10.0.0.1:81", "10.0.0.1"),
    ]
    tap.table(hosts, lambda h: env_problems(cgi("/cgi-bin/" + D, host=h[0]),
                                            {"SERVER_NAME": h[1], "HTTP_HOST": h[0]}),
              name=lambda h: "env: Host %r -> SERVER_NAME %r" % h)

    c = cgi("/cgi-bin/" + D, method="POST", body=b"a=1",
            headers=[("Content-Type", "application/x-www-form-urlencoded"),
                     ("Content-Length", "3")])
    tap.expect("env: POST: CONTENT_TYPE and CONTENT_LENGTH from the headers, "
               "no HTTP_CONTENT_*",
               env_problems(c, {"CONTENT_TYPE": "application/x-www-form-urlencoded",
                                "CONTENT_LENGTH": "3"},
                            absent=("HTTP_CONTENT_TYPE", "HTTP_CONTENT_LENGTH")))

    c = cgi("/cgi-bin/%s/pi" % D, root=".", cwd=ROOT)
    tap.expect("env: root given as '.' (relative): DOCUMENT_ROOT, SCRIPT_FILENAME, "
               "PATH_TRANSLATED are absolute real paths",
               env_problems(c, {"DOCUMENT_ROOT": ROOT, "SCRIPT_FILENAME": ROOT + "/cgi-bin/" + D,
                                "PATH_TRANSLATED": ROOT + "/pi"}))

    # IPv6 and IPv4-mapped peers
    c = cgi("/cgi-bin/" + D, family="v6", version="HTTP/1.0", host=None)
    tap.expect("env: IPv6 connection: REMOTE_ADDR '::1' (no brackets), REMOTE_PORT the "
               "client's port, SERVER_PORT the local port",
               env_problems(c, {"REMOTE_ADDR": "::1", "REMOTE_PORT": str(c.run.client_port),
                                "SERVER_PORT": str(c.run.server_port)}))
    tap.expect("env: IPv6 connection without Host: SERVER_NAME is the bracketed literal "
               "'[::1]' (RFC 3875 4.1.14: server-name = ... | \"[\" ipv6-address \"]\")",
               env_problems(c, {"SERVER_NAME": "[::1]"}))
    c = cgi("/cgi-bin/" + D, family="mapped", version="HTTP/1.0", host=None)
    tap.expect("env: IPv4 peer on a dual-stack socket: REMOTE_ADDR and SERVER_NAME "
               "'127.0.0.1', not '::ffff:127.0.0.1'",
               env_problems(c, {"REMOTE_ADDR": "127.0.0.1", "SERVER_NAME": "127.0.0.1"}))

    # absolute-form request-target (RFC 9112 3.2.2): the authority wins over Host
    c = cgi("http://abs.example:8080/cgi-bin/%s/pi?x=1" % D, host="other.example")
    tap.expect("env: absolute-form target: SCRIPT_NAME/PATH_INFO/QUERY_STRING from its "
               "path, SERVER_NAME from its authority, HTTP_HOST the Host header",
               env_problems(c, {"SCRIPT_NAME": "/cgi-bin/" + D, "PATH_INFO": "/pi",
                                "QUERY_STRING": "x=1", "SERVER_NAME": "abs.example",
                                "HTTP_HOST": "other.example"}))

    # Who is the peer
    c = cgi("/cgi-bin/" + D, env={"REMOTE_ADDR": "10.1.2.3", "REMOTE_PORT": "5"})
    tap.expect("env: systemd style REMOTE_ADDR=10.1.2.3 REMOTE_PORT=5 given to the "
               "handler -> the script's REMOTE_ADDR/REMOTE_PORT",
               env_problems(c, {"REMOTE_ADDR": "10.1.2.3", "REMOTE_PORT": "5"}))
    ucspi = {"TCPREMOTEIP": "10.9.8.7", "TCPREMOTEPORT": "77", "TCPLOCALIP": "10.0.0.1",
             "TCPLOCALPORT": "8081", "TCPREMOTEHOST": "peer.example", "PROTO": "TCP"}
    c = cgi("/cgi-bin/" + D, env=ucspi, version="HTTP/1.0", host=None)
    p = env_problems(c, {"REMOTE_ADDR": "10.9.8.7", "REMOTE_PORT": "77",
                         "SERVER_PORT": "8081"})
    if not p:
        tcp = sorted(k for k in c.dump.env if k.startswith("TCP"))
        if tcp:
            p.append("TCP* variables reach the script: %s" % tcp)
    tap.expect("env: ucspi TCPREMOTEIP/TCPREMOTEPORT/TCPLOCALPORT -> REMOTE_ADDR/"
               "REMOTE_PORT/SERVER_PORT, and no TCP* variable in the script", p)

    # HTTPS
    for label, args, env, want in (
            ("--https", ["--https"], None, "on"),
            ("env SSL_PROTOCOL=TLSv1.3", [], {"SSL_PROTOCOL": "TLSv1.3"}, "on"),
            ("neither", [], None, None)):
        c = cgi("/cgi-bin/" + D, args=args, env=env)
        if want:
            p = env_problems(c, {"HTTPS": want})
        else:
            p = env_problems(c, {}, absent=("HTTPS",))
        tap.expect("env: HTTPS %s with %s" % ("=on" if want else "absent", label), p)

    # Authorization, case by case: whatever it says, without --auth no
    # AUTH_TYPE or REMOTE_USER (Python takes both from it unchecked), and
    # the header itself reaches the script as HTTP_AUTHORIZATION.
    long_token = "t" * 1500
    auth = [
        ("Basic alice:pw -> nothing", "Basic " + b64("alice:pw"), None, None),
        ("basic (lower case) bob:pw -> nothing", "basic " + b64("bob:pw"), None, None),
        ("Basic user:pw:extra -> nothing", "Basic " + b64("user:pw:extra"), None, None),
        ("Basic without colon -> nothing", "Basic " + b64("userpw"), None, None),
        ("Basic bad base64 -> nothing", "Basic !!!!", None, None),
        ("Bearer xyz -> nothing", "Bearer xyz", None, None),
        ("Bearer with a 1500-byte token (a JWT) -> nothing", "Bearer " + long_token,
         None, None),
        ("one word 'Basic' -> nothing", "Basic", None, None),
        ("three words -> nothing", "Basic a b", None, None),
    ]

    def auth_case(case):
        _, value, atype, user = case
        c = cgi("/cgi-bin/" + D, headers=[("Authorization", value)])
        absent = []
        want = {}
        if atype is None:
            absent.append("AUTH_TYPE")
        else:
            want["AUTH_TYPE"] = atype
        if user is None:
            absent.append("REMOTE_USER")
        else:
            want["REMOTE_USER"] = user
        want["HTTP_AUTHORIZATION"] = value
        return env_problems(c, want, absent)
    tap.table(auth, auth_case, name=lambda a: "env: Authorization: " + a[0])


# ---------------------------------------------------------------------------
# argv (Python's ISINDEX rule, and never an option)

def test_argv():
    cases = [
        ("query 'foo+bar' -> argv[1] 'foo bar'", "?foo+bar", ["foo bar"]),
        ("query 'a=b' -> no argv[1]", "?a=b", []),
        ("query '' -> no argv[1]", "?", []),
        ("no query -> no argv[1]", "", []),
        ("query '-n' -> no argv[1] (never an option)", "?-n", []),
        ("query '--help' -> no argv[1]", "?--help", []),
        ("query '+-x' -> argv[1] ' -x' (does not start with '-')", "?+-x", [" -x"]),
        ("query 'a%20b' -> argv[1] 'a%20b' (not decoded, as Python)", "?a%20b", ["a%20b"]),
        ("query 'x=1&-n' -> no argv[1] (has '=')", "?x=1&-n", []),
        ("query 'a+-b' -> argv[1] 'a -b' (one argument)", "?a+-b", ["a -b"]),
    ]
    for script_name, lang in DUMPS:
        def check(case, script_name=script_name):
            _, q, want = case
            c = cgi("/cgi-bin/%s%s" % (script_name, q))
            p = c.dump_problems()
            if p:
                return p
            got = c.dump.args()
            if got != want:
                p.append("argv[1:] = %r, want %r" % (got, want))
            if any(a.startswith("-") for a in got):
                p.append("an argument starts with '-': %r" % got)
            return p
        tap.table(cases, check, name=lambda c, lang=lang: "argv (%s): %s" % (lang, c[0]))
    if C_DUMP:
        c = cgi("/cgi-bin/dump")
        p = c.dump_problems()
        if not p and c.dump.argv[:1] != ["dump"]:
            p.append("argv[0] = %r, want 'dump'" % c.dump.argv[:1])
        tap.expect("argv (c): argv[0] is the script's file name", p)


# ---------------------------------------------------------------------------
# The process a script starts in

def fd_problems(c, script_path):
    """Only 0, 1, 2; 0 and 1 the connection, 2 not the connection.  An fd
    an interpreter keeps on its own script (dash: 10) is not ours."""
    p = c.dump_problems()
    if p:
        return p
    fds = {fd: t for fd, t in c.dump.fds.items() if t != script_path}
    if sorted(fds) != [0, 1, 2]:
        p.append("open fds %r, want only 0, 1, 2" % fds)
        return p
    if not fds[0].startswith("socket:") or fds[0] != fds[1]:
        p.append("fd 0/1 are not the one connection: %r" % fds)
    if fds[2] == fds[0]:
        p.append("fd 2 is the connection: %r" % fds)
    return p


def test_passwd_file():
    """The script user as /etc/passwd has it, read by the handler itself on
    builds without NSS (static musl) and by getpwnam on glibc: each build
    must give the script the same ids and home. Each case bind-mounts its
    own /etc/passwd over the real one, in a mount namespace of the
    handler's alone."""
    unshare = shutil.which("unshare")
    if unshare is None:
        tap.skip("process: --user from an /etc/passwd of the test's", "no unshare(1)")
        return
    # Root without CAP_SYS_ADMIN (a container's) cannot make a mount namespace.
    probe = subprocess.run([unshare, "--mount", "--propagation", "private", "true"],
                           capture_output=True, timeout=30)
    if probe.returncode != 0:
        tap.skip("process: --user from an /etc/passwd of the test's",
                 "no mount namespace here: %s" % probe.stderr.decode(errors="replace").strip())
        return
    # ~110 KiB, so many reads; a read that cut a line and lost its start
    # would find "web:" inside one of these.
    filler = "".join("x" * (1 + i % 7) + "web:x:9999:9999::/wrong:/bin/sh\n"
                     for i in range(3000))
    cases = [
        ("a user the system lacks, last line, no newline, after 3,000 names that end in web",
         "root:x:0:0:root:/root:/bin/bash\n" + filler +
         "web:x:4321:4322:Web:/srv/web-home:/bin/sh", (4321, 4322, "/srv/web-home")),
        ("a malformed line of the name before a good one (the C library skips it)",
         "web:x:12ab:8::/h:/bin/sh\n" + filler + "web:x:4323:4324::/srv/two:/bin/sh\n",
         (4323, 4324, "/srv/two")),
        ("a line longer than the handler's reader takes, before the user",
         "long:x:5:5:" + "g" * 10000 + ":/l:/bin/sh\nweb:x:4325:4326::/srv/three:/bin/sh\n",
         (4325, 4326, "/srv/three")),
        ("a uid of 0 in the file is still refused", "web:x:0:4327::/srv/four:/bin/sh\n",
         None),
    ]
    wrapper = os.path.join(W.base, "with-passwd")
    for i, (label, text, want) in enumerate(cases):
        passwd = os.path.join(W.base, "passwd-%d" % i)
        with open(passwd, "w") as f:
            f.write(text)
        os.chmod(passwd, 0o644)
        with open(wrapper, "w") as f:
            f.write("#!/bin/sh\nexec %s --mount --propagation private sh -c "
                    "'mount --bind \"$0\" /etc/passwd && exec \"$@\"' %s %s \"$@\"\n"
                    % (unshare, passwd, harness.BINARY))
        os.chmod(wrapper, 0o755)
        binary, harness.BINARY = harness.BINARY, wrapper
        try:
            c = cgi("/cgi-bin/" + DUMP, args=["--user", "web"])
        finally:
            harness.BINARY = binary
        if want is None:
            p = c.problems(None)
            if not p and (c.resp.status < 500 or c.dump is not None):
                p.append("status %d, dump %s: a script ran as root?" % (c.resp.status, c.dump))
            tap.expect("process: --user from the test's /etc/passwd: %s" % label, p)
            continue
        p = c.dump_problems()
        if not p:
            d = c.dump
            got = (d["uid"], d["gid"], d.env.get("HOME"))
            if got != want or (d["euid"], d["egid"]) != want[:2] or \
                    sorted(d["groups"]) != [want[1]]:
                p.append("uid, gid, HOME %r (euid %d, egid %d, groups %r), want %r" % (
                    got, d["euid"], d["egid"], d["groups"], want))
        tap.expect("process: --user from the test's /etc/passwd: %s" % label, p)


def test_process():
    for name, lang in DUMPS:
        path = ROOT + "/cgi-bin/" + name
        c = cgi("/cgi-bin/" + name)
        tap.expect("process (%s): only fds 0, 1, 2 are open (0/1 the socket, 2 not)" % lang,
                   fd_problems(c, path))
        p = c.dump_problems()
        if not p and c.dump["cwd"] != ROOT + "/cgi-bin":
            p.append("cwd %r, want %r" % (c.dump["cwd"], ROOT + "/cgi-bin"))
        tap.expect("process (%s): cwd is the script's directory" % lang, p)
        if IS_ROOT:
            p = c.dump_problems()
            if not p:
                d = c.dump
                ids = (d["uid"], d["euid"], d["gid"], d["egid"])
                if ids != (NOBODY,) * 4:
                    p.append("uid/euid/gid/egid %r, want all %d" % (ids, NOBODY))
                if sorted(d["groups"]) != [NOBODY]:
                    p.append("groups %r, want [%d] (nogroup only)" % (d["groups"], NOBODY))
            tap.expect("process (%s): started as root, the script runs as nobody:nogroup, "
                       "groups just nogroup" % lang, p)
    c = cgi("/cgi-bin/sub/deeper/dump.sh")
    p = c.dump_problems()
    if not p and c.dump["cwd"] != ROOT + "/cgi-bin/sub/deeper":
        p.append("cwd %r" % c.dump["cwd"])
    tap.expect("process: a nested script's cwd is its own directory", p)
    if C_DUMP:
        c = cgi("/cgi-bin/dump")
        p = c.dump_problems()
        if not p:
            for k in ("sigblk", "sigign"):
                if int(c.dump[k], 16) != 0:
                    p.append("%s = %s, want 0" % (k, c.dump[k]))
        tap.expect("process (c): no blocked and no ignored signals (SIGPIPE default)", p)
    if IS_ROOT:
        c = cgi("/cgi-bin/" + DUMP, args=["--user", "daemon"])
        p = c.dump_problems()
        if not p:
            d = c.dump
            if (d["uid"], d["euid"], d["gid"], d["egid"]) != (1, 1, 1, 1) or \
                    sorted(d["groups"]) != [1]:
                p.append("ids %r groups %r, want daemon (1:1, [1])" % (
                    (d["uid"], d["euid"], d["gid"], d["egid"]), d["groups"]))
        tap.expect("process: --user daemon -> the script runs as daemon (uid 1, gid 1)", p)
        c = cgi("/cgi-bin/" + DUMP, args=["--user", "root"])
        p = c.problems(None)
        if not p and (c.resp.status < 500 or c.dump is not None):
            p.append("status %d, dump %s: a script ran as root?" % (c.resp.status, c.dump))
        tap.expect("process: --user root is refused (5xx, no script runs as root)", p)
        c = cgi("/cgi-bin/" + DUMP, args=["--user", "no-such-user-xyz"])
        p = c.problems(None)
        if not p and (c.resp.status < 500 or c.dump is not None):
            p.append("status %d" % c.resp.status)
        tap.expect("process: an unknown --user -> 5xx, the script does not run", p)
        test_passwd_file()
    else:
        tap.skip("process: privilege drop", "not running as root")

    r = inetd(request("GET", "/cgi-bin/stderr.sh"))
    p = []
    if STDERR_MARK in r.raw:
        p.append("the script's stderr reached the client: %s" % short(r.raw, 400))
    if STDERR_MARK.decode() not in r.stderr:
        p.append("the script's stderr is not in the handler's stderr (the log): %s"
                 % short(r.stderr))
    if b"stdout ok" not in r.raw:
        p.append("stdout missing: %s" % short(r.raw))
    tap.expect("process: the script's stderr goes to the handler's stderr, not the client", p)

    # xinetd may give the connection as fd 2 too: then the log and the
    # script's stderr go to syslog, never into the response.
    r = inetd(request("GET", "/cgi-bin/stderr.sh"), stderr_is_conn=True)
    p = []
    if STDERR_MARK in r.raw:
        p.append("the script's stderr reached the client: %s" % short(r.raw, 400))
    if b'"GET /cgi-bin/stderr.sh' in r.raw:
        p.append("the log line reached the client: %s" % short(r.raw, 400))
    if b"stdout ok" not in r.raw or not r.eof or r.eof_after > 3:
        p.append("response incomplete or late: %s" % r.describe())
    tap.expect("process (xinetd style, fd 2 = the connection): neither the script's stderr "
               "nor the log line reaches the client", p)
    c = cgi("/cgi-bin/" + DUMP, stderr_is_conn=True)
    p = c.dump_problems()
    if not p and c.dump.fds.get(2, "").startswith("socket:"):
        p.append("the script's fd 2 is the connection: %r" % c.dump.fds)
    p = p or fd_problems(c, ROOT + "/cgi-bin/" + DUMP)
    tap.expect("process (xinetd style): the script's fd 2 is not the connection; "
               "only fds 0, 1, 2", p)
    for xinetd in (False, True):
        r = inetd(request("GET", "/cgi-bin/detach.sh"), stderr_is_conn=xinetd, timeout=6,
                  wait_exit=False)
        p = []
        if b"done" not in r.raw:
            p.append("response missing: %s" % short(r.raw, 300))
        if not r.eof or r.eof_after > 1.5:
            p.append("the client saw EOF only after %.1f s (eof=%s): something besides the "
                     "script still holds the connection" % (r.eof_after, r.eof))
        tap.expect("process%s: a script that closes stdin and stdout and works on: the "
                   "client sees EOF at once" % (" (xinetd style, fd 2 = the connection)"
                                                 if xinetd else ""), p)


# ---------------------------------------------------------------------------
# Request bodies

def body_problems(c, body):
    p = c.dump_problems()
    if p:
        return p
    want = hashlib.sha256(body).hexdigest()
    if c.dump["stdin_sha256"] != want:
        p.append("stdin sha256 %s (len %s), want %s (len %d)" % (
            c.dump["stdin_sha256"], c.dump.data.get("stdin_len"), want, len(body)))
    return p


def test_bodies():
    sizes = [0, 1, 5000, 64 * 1024]
    big = os.urandom(20 * 1024 * 1024)
    for name, lang in DUMPS:
        for n in sizes:
            body = os.urandom(n)
            c = cgi("/cgi-bin/" + name, method="POST", body=body,
                    headers=[("Content-Length", str(n)),
                             ("Content-Type", "application/octet-stream")])
            tap.expect("body (%s): POST %d B arrives byte-exact (CONTENT_LENGTH read%s)" % (
                lang, n, "; head and body in one send()" if n <= InetdSession.SMALL else ""),
                body_problems(c, body))
        eof_name = name.replace("dump", "dump-eof")
        body = os.urandom(64 * 1024 + 7)
        c = cgi("/cgi-bin/" + eof_name, method="POST", body=body, half_close=True,
                headers=[("Content-Length", str(len(body)))])
        tap.expect("body (%s): POST 64 KiB read to EOF (client half-close)" % lang,
                   body_problems(c, body))
    big_script = "dump" if C_DUMP else "dump.py"
    t0 = time.monotonic()
    c = cgi("/cgi-bin/" + big_script, method="POST", body=big, timeout=30,
            headers=[("Content-Length", str(len(big)))])
    tap.diag("20 MiB POST: %.1f s" % (time.monotonic() - t0))
    tap.expect("body: POST 20 MiB arrives byte-exact", body_problems(c, big))
    c = cgi("/cgi-bin/" + big_script.replace("dump", "dump-eof"), method="POST", body=big,
            half_close=True, timeout=30, headers=[("Content-Length", str(len(big)))])
    tap.expect("body: POST 20 MiB read to EOF arrives byte-exact", body_problems(c, big))
    # a body that starts with what looks like a head end / another request
    body = b"\r\n\r\nGET /cgi-bin/dump HTTP/1.1\r\nHost: x\r\n\r\n"
    c = cgi("/cgi-bin/" + DUMP, method="POST", body=body,
            headers=[("Content-Length", str(len(body)))])
    tap.expect("body: a body that looks like a second request arrives byte-exact",
               body_problems(c, body))

    c = cgi("/cgi-bin/" + DUMP, method="POST", body=b"5\r\nhello\r\n0\r\n\r\n",
            headers=[("Transfer-Encoding", "chunked")])
    tap.expect("body: Transfer-Encoding: chunked to a CGI -> decoded, the script gets "
               "'hello' and CONTENT_LENGTH 5",
               body_problems(c, b"hello") + env_problems(c, {"CONTENT_LENGTH": "5"}))
    c = cgi("/cgi-bin/" + DUMP, method="POST", body=b"abc",
            headers=[("Content-Length", "abc")])
    tap.expect("body: Content-Length: abc -> 400", c.problems(400))
    c = cgi("/cgi-bin/" + DUMP, method="POST", body=b"abc",
            headers=[("Content-Length", "3"), ("Transfer-Encoding", "chunked")])
    tap.expect("body: Content-Length with Transfer-Encoding -> 400", c.problems(400))
    c = cgi("/cgi-bin/" + DUMP, method="POST", body=b"abc",
            headers=[("Content-Length", "3"), ("Content-Length", "3")])
    tap.expect("body: duplicate Content-Length -> 400", c.problems(400))


def expect_continue_raw(args=(), script=None, version="HTTP/1.1", n=5000):
    """Head with Expect: 100-continue, no body; wait for the interim
    answer; then the body.  Returns (bytes before the body was sent, Cgi)."""
    body = os.urandom(n)
    head = request("POST", "/cgi-bin/" + (script or DUMP), version=version,
                   headers=[("Content-Length", str(n)), ("Expect", "100-continue")])
    with InetdSession(args, root=ROOT, env=BASE_ENV, cwd=W.base, start=False,
                      new_session=True, hold=False) as conn:
        before = conn.start_with(head).recv_some(until=b"\r\n\r\n", timeout=3)
        conn.send_async(body)
        return before, body, to_cgi(conn.finish(10))


def test_expect():
    before, body, c = expect_continue_raw()
    p = []
    if not before.startswith(b"HTTP/1.1 100 Continue\r\n\r\n"):
        p.append("before the body was sent, got %s" % short(before, 200))
    p += body_problems(c, body)
    tap.expect("expect: 'Expect: 100-continue' -> 'HTTP/1.1 100 Continue\\r\\n\\r\\n' "
               "first, then the script gets the body", p)
    before, body, c = expect_continue_raw(version="HTTP/1.0")
    p = []
    if b"100 Continue" in c.run.raw:
        p.append("HTTP/1.0 request got a 100 Continue: %s" % short(c.run.raw, 200))
    p += body_problems(c, body)
    tap.expect("expect: HTTP/1.0 with Expect -> no 100 Continue (RFC 9110 10.1.1)", p)
    before, body, c = expect_continue_raw(args=["--parse-headers"])
    p = []
    if not before.startswith(b"HTTP/1.1 100 Continue\r\n\r\n"):
        p.append("before the body was sent, got %s" % short(before, 200))
    p += body_problems(c, body)
    tap.expect("expect: with --parse-headers too, 100 Continue first, body arrives", p)
    c = cgi("/cgi-bin/missing.sh", method="POST", body=b"abc",
            headers=[("Content-Length", "3"), ("Expect", "100-continue")])
    p = c.problems(404)
    if c.interim:
        p.append("a 100 Continue before a 404: %r" % c.interim)
    tap.expect("expect: a refused request gets its error, no 100 Continue", p)


def curl_post_file(url, path, headers=(), timeout=20):
    """curl --data-binary @path; returns (rc, interim heads, final head
    bytes, body, curl's own time_total, stderr)."""
    with tempfile.NamedTemporaryFile(prefix="curl-head-") as hf, \
            tempfile.NamedTemporaryFile(prefix="curl-body-") as bf:
        argv = ["curl", "-sS", "--max-time", str(timeout), "-o", bf.name, "-D", hf.name,
                "-w", "%{time_total}", "--data-binary", "@" + path,
                "-H", "Content-Type: application/octet-stream"]
        for h in headers:
            argv += ["-H", h]
        try:
            p = subprocess.run(argv + [url], capture_output=True, timeout=timeout + 10)
        except subprocess.TimeoutExpired:
            return None, [], b"", b"", None, "timed out"
        head = open(hf.name, "rb").read()
        body = open(bf.name, "rb").read()
    interim, final = split_interim(head)
    try:
        t = float(p.stdout.decode().strip().replace(",", "."))
    except ValueError:
        t = None
    return p.returncode, interim, final, body, t, p.stderr.decode(errors="replace")


def curl_timing(base_url, label):
    """curl --data-binary @2MiB, (a) as curl does by itself, (b) with an
    explicit Expect: 100-continue, (c) with Expect: switched off.  (a) and
    (b) must not wait for curl's 1 s expect timeout."""
    with tempfile.NamedTemporaryFile(prefix="cgi-big-") as f:
        data = os.urandom(2 * 1024 * 1024)
        f.write(data)
        f.flush()
        want = hashlib.sha256(data).hexdigest()
        url = base_url + "/cgi-bin/" + DUMP
        times, probs = {}, []
        for mode, hdrs in (("automatic", []), ("explicit", ["Expect: 100-continue"]),
                           ("off", ["Expect:"])):
            best = None
            for _ in range(2):
                rc, interim, final, body, t, err = curl_post_file(url, f.name, hdrs)
                if rc != 0 or t is None or not final.startswith(b"HTTP/1.1 200 "):
                    probs.append("%s: rc=%s head=%s stderr=%s" % (
                        mode, rc, short(final, 200), short(err, 200)))
                    break
                if mode == "explicit" and not interim:
                    probs.append("explicit Expect: no 100 Continue before the 200")
                if mode == "off" and interim:
                    probs.append("no Expect sent, yet an interim response: %r" % interim)
                try:
                    if decode_dump(body)["stdin_sha256"] != want:
                        probs.append("%s: body sha256 differs" % mode)
                except (ValueError, KeyError) as exc:
                    probs.append("%s: no dump (%r): %s" % (mode, exc, short(body)))
                best = t if best is None else min(best, t)
            times[mode] = best
        if not probs:
            for mode in ("automatic", "explicit"):
                if times[mode] - times["off"] >= 0.8:
                    probs.append("%s Expect %.2f s vs %.2f s without: curl waited for its "
                                 "1 s expect timeout" % (mode, times[mode], times["off"]))
        tap.diag("curl time_total (%s): automatic Expect %s s, explicit %s s, off %s s" % (
            label, _fmt(times.get("automatic")), _fmt(times.get("explicit")),
            _fmt(times.get("off"))))
        tap.expect("expect (%s): curl --data-binary @2MiB with Expect: 100-continue "
                   "(automatic and explicit) is not ~1 s slower than without" % label, probs)


def _fmt(t):
    return "?" if t is None else "%.2f" % t


# ---------------------------------------------------------------------------
# Faults and limits

def processes_with(mark, exe):
    """Pids of the processes running exe whose environment holds mark."""
    found = []
    for pid in filter(str.isdigit, os.listdir("/proc")):
        try:
            if os.path.realpath("/proc/%s/exe" % pid) != exe:
                continue
            with open("/proc/%s/environ" % pid, "rb") as f:
                if mark in f.read().split(b"\0"):
                    found.append(int(pid))
        except OSError:
            pass                        # gone meanwhile, or not ours to read
    return found


def watchdog_state(dog, script_pid):
    """What is wrong with the watchdog dog's fds: [] when it holds exactly
    one, a pidfd of script_pid."""
    fds = {}
    for fd in os.listdir("/proc/%d/fd" % dog):
        with contextlib.suppress(OSError):
            fds[fd] = os.readlink("/proc/%d/fd/%s" % (dog, fd))
    if list(fds.values()) != ["anon_inode:[pidfd]"]:
        return ["the watchdog holds %s, want one pidfd and nothing else" % fds]
    with open("/proc/%d/fdinfo/%s" % (dog, next(iter(fds)))) as f:
        info = f.read()
    if "Pid:\t%d\n" % script_pid not in info:
        return ["the pidfd is not the script's (pid %d): %r" % (script_pid, info)]
    return []


def watchdog_follows_script():
    """The --cgi-timeout watchdog (a copy of the handler) watches the
    script through a pidfd, holds nothing else, and leaves when the script
    has ended, not at the deadline. The script waits for a file the test
    makes, so that it is still running however slowly the watchdog gets
    to closing what it inherited."""
    mark = b"CGIHANDLERD_TEST_MARK=watchdog-%d" % os.getpid()
    env = dict(BASE_ENV)
    env[mark.split(b"=")[0].decode()] = mark.split(b"=")[1].decode()
    binary = os.path.realpath(BINARY)
    go = os.path.join(tempfile.mkdtemp(prefix="watchdog-", dir=W.base), "go")
    os.chmod(os.path.dirname(go), 0o755)   # the script runs as nobody
    p = []
    with InetdSession(["--cgi-timeout", "600"], root=ROOT, env=env, cwd=W.base,
                      start=False, new_session=True, hold=False) as conn:
        before = conn.start_with(request("GET", "/cgi-bin/wait-for.sh?" + go)).recv_some(
            until=b"waiting", timeout=20)
        script_pid = conn.proc.pid       # the handler, the script since its exec
        if b"waiting" not in before:
            p.append("the script did not start: %s" % short(before, 300))
        else:
            # Until the watchdog has run its first lines it holds what it
            # inherited: look until it is settled (or the script gives up).
            deadline = time.monotonic() + 50
            while True:
                dogs = processes_with(mark, binary)
                wrong = (["%d watchdogs while the script runs, want 1" % len(dogs)]
                         if len(dogs) != 1 else watchdog_state(dogs[0], script_pid))
                if not wrong or time.monotonic() > deadline:
                    break
                time.sleep(0.05)
            p += wrong
        fds_line = before.split(b"fds:", 1)[-1].split(b"\n", 1)[0]
        if b"socket:" not in fds_line or b"pidfd" in fds_line:
            p.append("the script's fds are not the connection (and the shell's own): %s"
                     % short(fds_line, 300))
        with open(go, "w"):
            pass
        r = conn.finish(30)
    if b"done-waiting" not in r.raw:
        p.append("the script did not finish: %s" % short(r.raw, 300))
    # Gone by itself, long before the 600 s deadline (ten times the need of
    # a loaded machine: it leaves within a second of the script's reaping).
    deadline = time.monotonic() + 20
    while processes_with(mark, binary) and time.monotonic() < deadline:
        time.sleep(0.1)
    left = processes_with(mark, binary)
    if left:
        p.append("the watchdog is still there 20 s after the script ended: %s" % left)
        for pid in left:
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
    tap.expect("fault: --cgi-timeout's watchdog holds only a pidfd of the script (not the "
               "connection), the script sees no fd of it, and it leaves when the script ends", p)


def test_faults():
    # exec mode: the status line is out before the script runs
    for name, label in (("crash.sh", "a script killed by SIGSEGV"),
                        ("fail.sh", "a script exiting 1 without output"),
                        ("silent.sh", "a script writing nothing")):
        r = inetd(request("GET", "/cgi-bin/" + name), timeout=40)
        p = []
        if not r.raw.startswith(b"HTTP/1.1 200 Script output follows\r\n"):
            p.append("does not start with the status line: %s" % short(r.raw, 200))
        # Bounds here: ten times a quiet machine's need, and well below
        # the 60 s that a script left running would take.
        if not r.eof or r.eof_after > 30:
            p.append("connection not closed within 30 s: %s" % r.describe())
        tap.expect("fault: %s: the client gets the status line then EOF" % label, p)

    r = inetd(request("GET", "/cgi-bin/hang.py"), args=["--cgi-timeout", "1"], timeout=45)
    p = []
    if not r.eof or r.eof_after > 30:
        p.append("connection not closed within 30 s (the script sleeps 60 s): %s"
                 % r.describe())
    if b"before-sleep" not in r.raw or b"after-sleep" in r.raw:
        p.append("unexpected output: %s" % short(r.raw, 300))
    tap.diag("hang.py closed after %.1f s" % r.eof_after)
    tap.expect("fault: --cgi-timeout 1, a script sleeping 60 s in-process (python) -> "
               "connection closed long before the sleep ends", p)

    r = inetd(request("GET", "/cgi-bin/hang.sh"), args=["--cgi-timeout", "1"], timeout=45)
    p = []
    if not r.eof or r.eof_after > 30:
        p.append("connection not closed within 30 s (eof=%s after %.1f s); %d process(es) "
                 "of the script were still alive and holding the connection "
                 "(killed by the test)" % (r.eof, r.eof_after, r.killed))
    if b"after-sleep" in r.raw:
        p.append("the script finished: %s" % short(r.raw, 300))
    tap.expect("fault: --cgi-timeout 1, a shell script running 'sleep 60' (a child) -> "
               "connection closed long before the sleep ends", p)

    t0 = time.monotonic()
    r = inetd(request("GET", "/cgi-bin/burn.sh"), args=["--cgi-cpu", "1"], timeout=60)
    p = []
    if not r.eof or r.eof_after > 45:   # 1 s of CPU, on a box shared with others
        p.append("connection not closed within 45 s: %s" % r.describe())
    if r.returncode is not None and r.returncode >= 0:
        p.append("exit code %s, want killed by a signal (SIGXCPU/SIGKILL)" % r.returncode)
    if b"finished" in r.raw:
        p.append("the loop finished?")
    tap.diag("burn.sh ended after %.1f s, exit %s" % (time.monotonic() - t0, r.returncode))
    tap.expect("fault: --cgi-cpu 1, a script burning CPU is killed by a signal", p)

    r = inetd(request("GET", "/cgi-bin/" + DUMP), args=["--cgi-timeout", "5", "--cgi-cpu", "5"])
    c = to_cgi(r)
    tap.expect("fault: limits do not disturb a quick script", c.dump_problems())

    watchdog_follows_script()

    # nph-
    for args in ([], ["--parse-headers"]):
        r = inetd(request("GET", "/cgi-bin/nph-hello.sh"), args=args)
        p = []
        if not r.raw.startswith(b"HTTP/1.1 299 NPH Fine\r\n"):
            p.append("the script's status line is not first: %s" % short(r.raw, 300))
        if b"Script output follows" in r.raw:
            p.append("'Script output follows' was written")
        try:
            resp = parse_response(r.raw)
            if resp.body != b"nph body\n":
                p.append("body %s" % short(resp.body))
        except ProtocolError as exc:
            p.append(str(exc))
        tap.expect("nph-%s: no 'Script output follows'; the script's own status line is "
                   "what the client sees first" % (" (--parse-headers)" if args else ""), p)


# ---------------------------------------------------------------------------
# --parse-headers

PH = ["--parse-headers"]


def ph(target, method="GET", **kw):
    kw.setdefault("args", PH)
    data = request(method, target, headers=kw.pop("headers", []), body=kw.pop("body", b""))
    return inetd(data, args=kw.pop("args"), timeout=kw.pop("timeout", 10), **kw)


def test_parse_headers():
    r = ph("/cgi-bin/status404.sh")
    tap.expect("parse-headers: 'Status: 404 Not Here' -> 'HTTP/1.1 404 Not Here'",
               response_problems(r, status=404, body=b"nothing here\n",
                                 ctype="text/plain") +
               ([] if r.raw.startswith(b"HTTP/1.1 404 Not Here\r\n")
                else ["status line: %s" % short(r.raw[:60])]))
    r = ph("/cgi-bin/loc-abs.sh")
    tap.expect("parse-headers: Location: http://example.com/ -> 302 with that Location",
               response_problems(r, status=302,
                                 headers={"Location": "http://example.com/"}))
    r = ph("/cgi-bin/loc-local.sh")
    tap.expect("parse-headers: Location: /some/file.txt -> the file, 200, its Content-Type "
               "(internal redirect)",
               response_problems(r, status=200, body=FILE_TXT, ctype="text/plain",
                                 headers={"Content-Length": str(len(FILE_TXT))},
                                 absent=("Location",)))
    r = ph("/cgi-bin/loc-local.sh", method="HEAD")
    tap.expect("parse-headers: HEAD + local redirect to a file -> headers, no body",
               response_problems(r, status=200, method="HEAD",
                                 headers={"Content-Length": str(len(FILE_TXT))}))
    r = ph("/cgi-bin/loc-cgi.sh")
    c = to_cgi(r)
    tap.expect("parse-headers: a local Location to another CGI script -> that script's "
               "output (GET, its PATH_INFO and QUERY_STRING)",
               env_problems(c, {"SCRIPT_NAME": "/cgi-bin/dump.py", "PATH_INFO": "/pi",
                                "QUERY_STRING": "q=1", "REQUEST_METHOD": "GET",
                                "REQUEST_URI": "/cgi-bin/dump.py/pi?q=1"}))
    body = b"secret=first-script-only"
    r = ph("/cgi-bin/loc-cgi.sh", method="POST", body=body,
           headers=[("Content-Length", str(len(body))),
                    ("Content-Type", "application/x-www-form-urlencoded")])
    c = to_cgi(r)
    p = env_problems(c, {"REQUEST_METHOD": "GET", "CONTENT_LENGTH": ""})
    if not p and c.dump["stdin_len"] != 0:
        p.append("the redirected GET read %d bytes of the original POST body from stdin"
                 % c.dump["stdin_len"])
    tap.expect("parse-headers: POST + local redirect -> the second script gets a GET "
               "without a body (CONTENT_LENGTH '', nothing on stdin; RFC 3875 6.2.2)", p)
    def q(block):
        return "/cgi-bin/raw.py?" + urllib.parse.quote_from_bytes(block, safe="")
    cases = [
        # name, script output, status, {header: value}, body (None: not checked)
        ("LF-only line ends are accepted ('Status: 201 Made', a header, the body)",
         b"Status: 201 Made\nX-A: 1\n\nlf body\n", 201, {"X-A": "1"}, b"lf body\n",
         "Made"),
        ("'Status: 404' without reason -> '404 Not Found'",
         b"Status: 404\r\nContent-Type: text/plain\r\n\r\nx", 404, {}, b"x", "Not Found"),
        ("'Status: 201' without reason -> '201 Created' (reason from the status table)",
         b"Status: 201\r\nContent-Type: text/plain\r\n\r\nx", 201, {}, b"x", "Created"),
        ("Location: //evil.example/x (network-path) -> 302, not an internal redirect",
         b"Location: //evil.example/x\r\n\r\n", 302, {"Location": "//evil.example/x"},
         None, None),
        ("Status: 301 with a local Location -> 301 to it, not an internal redirect",
         b"Status: 301 Moved\r\nLocation: /some/file.txt\r\n\r\n", 301,
         {"Location": "/some/file.txt"}, None, "Moved"),
        ("a script's Content-Length is kept and frames the body",
         b"Content-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello", 200,
         {"Content-Length": "5"}, b"hello", None),
        ("a script's 'Connection: keep-alive' is dropped (one Connection: close)",
         b"Connection: keep-alive\r\nContent-Type: text/plain\r\n\r\nx", 200, {},
         b"x", None),
        ("a local Location to a missing file -> 404",
         b"Location: /some/missing.txt\r\n\r\n", 404, {}, None, None),
        ("a local Location to a hidden file -> 404",
         b"Location: /cgi-bin/.hidden.sh\r\n\r\n", 404, {}, None, None),
        ("a local Location that leaves the root -> not served",
         b"Location: /../outside/evil.sh\r\n\r\n", 404, {}, None, None),
        ("Status: abc -> 502", b"Status: abc\r\n\r\n", 502, {}, None, None),
        ("Status: 99 -> 502", b"Status: 99\r\n\r\n", 502, {}, None, None),
        ("Status: 2000 -> 502", b"Status: 2000\r\n\r\n", 502, {}, None, None),
        ("a control byte in a header value (lone CR) -> 502",
         b"X-A: a\rb\r\nContent-Type: text/plain\r\n\r\nx", 502, {}, None, None),
        ("a space before the colon -> 502",
         b"Content-Type : text/plain\r\n\r\nx", 502, {}, None, None),
        ("a header block never ended (EOF) -> 502",
         b"Content-Type: text/plain\r\n", 502, {}, None, None),
        ("a header block over 64 KiB -> 502",
         b"X-Big: " + b"a" * 70000 + b"\r\n\r\n", 502, {}, None, None),
    ]

    def raw_case(case):
        _, block, status, hdrs, body, reason = case
        if len(block) < 4000:
            r = ph(q(block))
        else:   # too long for a request line: the script echoes the body
            r = ph("/cgi-bin/raw.py", method="POST", body=block,
                   headers=[("Content-Length", str(len(block)))])
        p = response_problems(r, status=status, headers=hdrs,
                              body=body)
        if not p and reason is not None:
            resp = parse_response(r.raw)
            if resp.reason != reason:
                p.append("reason %r, want %r" % (resp.reason, reason))
        if EVIL_MARK in r.raw:
            p.append("the outside script ran or was served")
        return p
    tap.table(cases, raw_case, name=lambda c: "parse-headers: " + c[0])

    c = to_cgi(ph("/cgi-bin/loc-cgi.sh", root=".", cwd=ROOT))
    tap.expect("parse-headers: root given as '.' (relative): a local redirect to a script "
               "still gets DOCUMENT_ROOT/SCRIPT_FILENAME/PATH_TRANSLATED of the root",
               env_problems(c, {"DOCUMENT_ROOT": ROOT,
                                "SCRIPT_FILENAME": ROOT + "/cgi-bin/dump.py",
                                "PATH_TRANSLATED": ROOT + "/pi"}))
    t0 = time.monotonic()
    r = ph("/cgi-bin/loop.sh", timeout=60)
    dt = time.monotonic() - t0
    p = response_problems(r, status=500)
    if dt > 50:
        p.append("took %.1f s" % dt)
    tap.expect("parse-headers: a loop of local redirects -> 500 (bounded, no hang)", p)
    r = ph("/cgi-bin/hello.sh", method="HEAD")
    tap.expect("parse-headers: HEAD -> the script's headers, no body",
               response_problems(r, status=200, method="HEAD",
                                 headers={"X-Hello": "yes", "Content-Type": "text/plain"}))
    r = ph("/cgi-bin/hello.sh")
    tap.expect("parse-headers: the script's Server header is not repeated (one Server, ours)",
               response_problems(r, status=200, body=b"hello body\n",
                                 headers={"X-Hello": "yes"}))
    for name, label in (("malformed.sh", "a header line without a colon"),
                        ("silent.sh", "a script that writes nothing"),
                        ("fail.sh", "a script that exits 1 without output"),
                        ("crash.sh", "a script killed by SIGSEGV")):
        r = ph("/cgi-bin/" + name)
        tap.expect("parse-headers: %s -> 502" % label,
                   response_problems(r, status=502))
    r = ph("/cgi-bin/crash.sh")
    tap.check("signal 11" in r.stderr,
              "parse-headers: the crash is logged ('killed by signal 11')",
              diag=short(r.stderr))
    r = ph("/cgi-bin/big.py", timeout=20)
    p = response_problems(r, status=200)
    if not p:
        got = parse_response(r.raw).body
        if hashlib.sha256(got).digest() != hashlib.sha256(BIG_BODY).digest():
            p.append("body: %d bytes, sha256 differs (want %d bytes)" % (len(got), len(BIG_BODY)))
    tap.expect("parse-headers: a 1 MiB body is relayed byte-exact (sha256)", p)
    c = to_cgi(ph("/cgi-bin/" + DUMP, method="POST", body=b"x" * 70000,
                  headers=[("Content-Length", "70000")]))
    tap.expect("parse-headers: POST body of 70000 B reaches the script byte-exact",
               body_problems(c, b"x" * 70000))
    if C_DUMP:
        c = to_cgi(ph("/cgi-bin/dump"))
        tap.expect("parse-headers: the script still gets only fds 0, 1, 2 (1 = the relay's pipe)",
                   _ph_fd_problems(c))
    r = ph("/cgi-bin/hang.py", args=PH + ["--cgi-timeout", "1"], timeout=45)
    p = []
    if not r.eof or r.eof_after > 30:
        p.append("not closed within 30 s (the script sleeps 60 s): %s" % r.describe())
    if b"before-sleep" not in r.raw:
        p.append("the output before the hang is missing: %s" % short(r.raw, 300))
    tap.expect("parse-headers: --cgi-timeout 1 ends a hanging script; the client gets "
               "what it wrote and EOF", p)


def _ph_fd_problems(c):
    p = c.dump_problems()
    if p:
        return p
    fds = c.dump.fds
    if sorted(fds) != [0, 1, 2]:
        p.append("open fds %r, want only 0, 1, 2" % fds)
    elif not fds[0].startswith("socket:") or not fds[1].startswith("pipe:"):
        p.append("fd 0 should be the socket and fd 1 the relay's pipe: %r" % fds)
    return p


# ---------------------------------------------------------------------------
# Logging

LOG_RE = re.compile(r'^(?P<host>\S+) - - \[[^\]]+\] "(?P<request>[^"]*)" '
                    r'(?P<status>[0-9]{3}|-) (?P<bytes>[0-9]+|-)(?: (?P<why>.*))?$')


def log_lines(stderr):
    return [m for m in (LOG_RE.match(line) for line in stderr.splitlines()) if m]


def test_logging():
    r = inetd(request("GET", "/cgi-bin/%s?q=1" % DUMP))
    lines = log_lines(r.stderr)
    p = []
    if len(lines) != 1:
        p.append("%d log lines, want 1: %s" % (len(lines), short(r.stderr)))
    else:
        m = lines[0]
        want = ("127.0.0.1", "GET /cgi-bin/%s?q=1 HTTP/1.1" % DUMP, "200", "-")
        got = (m["host"], m["request"], m["status"], m["bytes"])
        if got != want:
            p.append("log %r, want %r" % (got, want))
    tap.expect("log: a CGI request (exec in place) logs one line: 200 and size '-'", p)

    r = ph("/cgi-bin/status404.sh")
    lines = log_lines(r.stderr)
    p = []
    if len(lines) != 1:
        p.append("%d log lines, want 1: %s" % (len(lines), short(r.stderr)))
    elif (lines[0]["status"], lines[0]["bytes"]) != ("404", str(len(b"nothing here\n"))):
        p.append("status/bytes %r, want ('404', '13')" % ((lines[0]["status"], lines[0]["bytes"]),))
    tap.expect("log: --parse-headers logs the script's status (404) and the body bytes (13)", p)

    r = ph("/cgi-bin/big.py", timeout=20)
    lines = log_lines(r.stderr)
    p = []
    if len(lines) != 1 or (lines[0]["status"], lines[0]["bytes"]) != ("200", str(len(BIG_BODY))):
        p.append("log: %s" % short(r.stderr))
    tap.expect("log: --parse-headers logs 200 and the relayed byte count (1048576)", p)

    r = inetd(request("GET", "/cgi-bin/noexec.sh"))
    lines = log_lines(r.stderr)
    p = []
    if len(lines) != 1 or lines[0]["status"] != "403" or \
            "not executable" not in (lines[0]["why"] or ""):
        p.append("log: %s" % short(r.stderr))
    tap.expect("log: a refused script logs 403 with its reason ('not executable')", p)


# ---------------------------------------------------------------------------
# The examples/ site

def test_examples():
    src = os.path.join(SOURCE, "examples")
    if not os.path.isdir(os.path.join(src, "cgi-bin")):
        tap.skip("examples: form.py and form.sh", "no examples/cgi-bin in the source")
        return
    with WebRoot({}) as ex:
        os.chmod(ex.base, 0o755)
        shutil.rmtree(ex.root)
        shutil.copytree(src, ex.root, symlinks=True)
        form = b"name=%3Cb%3EBob%20%26%20co%3C%2Fb%3E&message=Hi+%22there%22+%3Cscript%3E"
        c = cgi("/cgi-bin/form.py", method="POST", body=form, root=ex.root,
                headers=[("Content-Type", "application/x-www-form-urlencoded"),
                         ("Content-Length", str(len(form)))])
        p = c.problems(200)
        if not p:
            for want in (b"Thank you, &lt;b&gt;Bob &amp; co&lt;/b&gt;",
                         b"Hi &quot;there&quot; &lt;script&gt;", b"Method POST"):
                if want not in c.resp.body:
                    p.append("body lacks %r: %s" % (want, short(c.resp.body, 500)))
            if b"<script>" in c.resp.body or b"<b>Bob" in c.resp.body:
                p.append("unescaped input in the page")
        tap.expect("examples: POST to /cgi-bin/form.py answers with the escaped values", p)
        form = b"word=%3Cx%3E+%26+%22y%22&other=1"
        c = cgi("/cgi-bin/form.sh", method="POST", body=form, root=ex.root,
                headers=[("Content-Type", "application/x-www-form-urlencoded"),
                         ("Content-Length", str(len(form)))])
        p = c.problems(200)
        if not p:
            want = b"&lt;x&gt; &amp; &quot;y&quot;"
            if want not in c.resp.body:
                p.append("body lacks %r: %s" % (want, short(c.resp.body, 500)))
            if b"<x>" in c.resp.body:
                p.append("unescaped input in the page")
        tap.expect("examples: POST to /cgi-bin/form.sh answers with the escaped value", p)
        c = cgi("/cgi-bin/hello.sh/a/b?x=1", root=ex.root)
        p = c.problems(200)
        if not p and b"/cgi-bin/hello.sh" not in c.resp.body:
            p.append("body %s" % short(c.resp.body, 300))
        tap.expect("examples: /cgi-bin/hello.sh answers", p)
        r = inetd(request("GET", "/cgi-bin/redirect.sh"), args=PH, root=ex.root)
        tap.expect("examples: /cgi-bin/redirect.sh with --parse-headers -> 302 to /docs/",
                   response_problems(r, status=302, headers={"Location": "/docs/"}))


# ---------------------------------------------------------------------------
# The same through systemd-socket-activate and --listen

    # A site in a clone below /root (mode 0700): the script user cannot
    # search the directories above the root, and Python reopens its script
    # by absolute path. The handler must still run it.
    if IS_ROOT:
        with WebRoot({}) as closed:
            os.chmod(closed.base, 0o700)
            shutil.rmtree(closed.root)
            shutil.copytree(src, closed.root, symlinks=True)
            form = b"name=Ann&message=hi"
            c = cgi("/cgi-bin/form.py", method="POST", body=form, root=closed.root,
                    headers=[("Content-Type", "application/x-www-form-urlencoded"),
                             ("Content-Length", str(len(form)))])
            p = c.problems(200)
            if not p and b"Thank you, Ann" not in c.resp.body:
                p.append("body %s; %s" % (short(c.resp.body, 300), c.run.describe()))
            tap.expect("examples: form.py runs from a root below a 0700 directory "
                       "(as nobody, via /proc/self/cwd)", p)
    else:
        tap.skip("examples: form.py below a 0700 directory", "needs root to drop to nobody")

def server_subset(label, make, expect_timing=False):
    try:
        cm = make()
        srv = cm.__enter__()
    except Exception as exc:
        tap.check(False, "%s: server starts" % label, diag=repr(exc))
        return
    try:
        target = "/cgi-bin/%s/pi?q=1" % DUMP
        raw = raw_request(srv.port, request("GET", target, host="h.example:%d" % srv.port))
        c = to_cgi(served(raw, srv.port))
        p = env_problems(c, {"SCRIPT_NAME": "/cgi-bin/" + DUMP, "PATH_INFO": "/pi",
                             "QUERY_STRING": "q=1", "SERVER_NAME": "h.example",
                             "SERVER_PORT": str(srv.port), "REMOTE_ADDR": "127.0.0.1",
                             "REMOTE_PORT": str(raw.client_port), "GATEWAY_INTERFACE": "CGI/1.1"})
        if not p:
            bad = sorted(k for k in c.dump.env if k.startswith(("LISTEN_", "TCP", "HTTP_PROXY")))
            if bad:
                p.append("superserver variables reach the script: %s" % bad)
        tap.expect("%s: GET %s: SCRIPT_NAME, PATH_INFO, QUERY_STRING, SERVER_PORT, "
                   "REMOTE_ADDR/REMOTE_PORT (client's port), no LISTEN_*" % (label, target), p)
        tap.expect("%s: only fds 0, 1, 2 in the script (no listening socket)" % label,
                   fd_problems(c, ROOT + "/cgi-bin/" + DUMP))
        if IS_ROOT:
            p = c.dump_problems()
            if not p and (c.dump["uid"], c.dump["gid"], sorted(c.dump["groups"])) != \
                    (NOBODY, NOBODY, [NOBODY]):
                p.append("uid %s gid %s groups %s" % (c.dump["uid"], c.dump["gid"],
                                                      c.dump["groups"]))
            tap.expect("%s: the script runs as nobody" % label, p)

        body = os.urandom(64 * 1024)
        with tempfile.NamedTemporaryFile(prefix="cgi-body-") as f:
            f.write(body)
            f.flush()
            r = curl(srv.url + "/cgi-bin/" + DUMP,
                     extra=["--data-binary", "@" + f.name, "-H", "Expect:",
                            "-H", "Content-Type: application/octet-stream"])
        p = []
        if r.returncode != 0 or r.status != 200:
            p.append(r.describe())
        else:
            try:
                d = decode_dump(r.body)
                if d["stdin_sha256"] != hashlib.sha256(body).hexdigest():
                    p.append("sha256 differs")
                if d.env.get("REQUEST_METHOD") != "POST" or \
                        d.env.get("CONTENT_TYPE") != "application/octet-stream":
                    p.append("REQUEST_METHOD/CONTENT_TYPE %r/%r" % (
                        d.env.get("REQUEST_METHOD"), d.env.get("CONTENT_TYPE")))
            except (ValueError, KeyError) as exc:
                p.append("no dump: %r %s" % (exc, short(r.body)))
        tap.expect("%s: curl POST 64 KiB to a script arrives byte-exact" % label, p)

        for path, status in (("/cgi-bin", 301), ("/cgi-bin/", 403),
                             ("/cgi-bin/missing.sh", 404), ("/cgi-bin/noexec.sh", 403)):
            r = curl(srv.url + path)
            tap.check(r.returncode == 0 and r.status == status,
                      "%s: curl %s -> %d" % (label, path, status), diag=r.describe)
        r = curl(srv.url + "/cgi-bin/" + DUMP, method="HEAD")
        tap.check(r.returncode in (0, 18) and r.status == 200,
                  "%s: curl -I (HEAD) to a script -> 200" % label, diag=r.describe)
        raw = raw_request(srv.port, request("GET", "/cgi-bin/nph-hello.sh"))
        tap.check(raw.startswith(b"HTTP/1.1 299 NPH Fine\r\n"),
                  "%s: nph- script's own status line comes first" % label,
                  diag=lambda: short(raw, 300))
        raw = raw_request(srv.port, request("GET", "/cgi-bin/stderr.sh"))
        time.sleep(0.1)
        err = srv.stderr_text()
        tap.check(STDERR_MARK not in raw and STDERR_MARK.decode() in err,
                  "%s: the script's stderr goes to the server's stderr, not the client" % label,
                  diag=lambda: "raw: %s\nstderr: %s" % (short(raw, 300), short(err, 300)))
        if expect_timing:
            curl_timing(srv.url, label)
    finally:
        cm.__exit__(None, None, None)


def test_servers():
    env = dict(BASE_ENV)
    if not shutil.which("systemd-socket-activate"):
        tap.skip("systemd-socket-activate subset", "systemd-socket-activate not installed")
    else:
        _socket_activate_subsets(env)
    _listen_subsets(env)


def _socket_activate_subsets(env):
    server_subset("systemd-socket-activate --inetd -a",
                  lambda: socket_activate(root=W, inetd=True, env=env), expect_timing=True)
    server_subset("systemd-socket-activate -a (fd 3)",
                  lambda: socket_activate(root=W, inetd=False, env=env))


def _listen_subsets(env):
    server_subset("--listen", lambda: listen_server(root=W, env=env), expect_timing=True)
    # --listen ignores REMOTE_ADDR in its own environment: it knows the peer
    with listen_server(root=W, env=dict(env, REMOTE_ADDR="10.6.6.6", REMOTE_PORT="6")) as srv:
        raw = raw_request(srv.port, request("GET", "/cgi-bin/" + DUMP))
        c = to_cgi(served(raw, srv.port))
        tap.expect("--listen: REMOTE_ADDR/REMOTE_PORT in the server's environment are not "
                   "trusted; the peer's real address is used",
                   env_problems(c, {"REMOTE_ADDR": "127.0.0.1",
                                    "REMOTE_PORT": str(raw.client_port)}))
    with listen_server(root=W, args=PH, env=env) as srv:
        raw = raw_request(srv.port, request("GET", "/cgi-bin/status404.sh"))
        try:
            resp = parse_response(raw)
            ok = resp.status == 404 and resp.body == b"nothing here\n"
        except ProtocolError as exc:
            ok, resp = False, exc
        tap.check(ok, "--listen --parse-headers: Status: 404 -> 404", diag=lambda: repr(resp))


# ---------------------------------------------------------------------------

def main():
    t0 = time.monotonic()
    try:
        for name, fn in (("routing", test_routing), ("environment", test_environment),
                         ("argv", test_argv), ("process", test_process),
                         ("bodies", test_bodies), ("expect", test_expect),
                         ("faults", test_faults), ("parse-headers", test_parse_headers),
                         ("logging", test_logging), ("examples", test_examples),
                         ("servers", test_servers)):
            t1 = time.monotonic()
            with tap.guard("section " + name):
                fn()
            tap.diag("section %s: %.1f s" % (name, time.monotonic() - t1))
    finally:
        W.cleanup()
    tap.diag("total %.1f s" % (time.monotonic() - t0))
    sys.exit(tap.done())


if __name__ == "__main__":
    main()
