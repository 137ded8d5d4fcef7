"""Hostile requests against cgihandlerd: a data table, one entry per attack.

Each Attack says what it tries (its name), the raw request (bytes, or a
Drip/Trickle driver for the slow ones), the expected status (an int, or a
small set where two answers are both right; `why` says why), and extra
assertions (`checks`: callables taking an Outcome, returning a list of
problems; `excludes`: byte strings that must never reach the client).

tests/hostile/test_hostile.py builds the web root these entries talk about
(see FIXTURE below), runs every entry through the harness's inetd mode and
adds the checks every entry gets:

  - the response starts with "HTTP/1.1 " and parses strictly (CRLF, a token
    for every header name, Content-Length equal to the body): never a
    dropped connection;
  - the status is the expected one; Server, Date, "Connection: close";
  - none of the markers (SECRET outside the root, the scripts' source, the
    hidden files' contents, /etc/passwd, the outside script's output) is
    anywhere in the bytes the client received;
  - a Location header, if any, is a path: one "/" and not "//" or "/\\";
  - no Set-Cookie (nothing injected a header);
  - the handler (or the script it became) exited 0, not by a signal, and
    within the entry's time bound;
  - stderr has a Common Log Format line whose status is the response's,
    and not one raw control character (C0, DEL, C1) in the whole log.

Data only, and the few small helpers that build requests and checks.
"""

import base64
import dataclasses
import os
import re

# ---------------------------------------------------------------------------
# Markers: if one of these reaches a client, something leaked.

_R = os.urandom(6).hex().encode()
SECRET = b"SECRET-OUTSIDE-THE-ROOT-" + _R          # outside/SECRET
SCRIPT_MARK = b"SCRIPT-SOURCE-MARK-" + _R           # in every script's source
EVIL_MARK = b"OUTSIDE-SCRIPT-RAN-" + _R             # printed by outside/evil.sh
GIT_MARK = b"GIT-CONFIG-" + _R
ENV_MARK = b"DOT-ENV-" + _R
HTPASSWD_MARK = b"HTPASSWD-" + _R
ADMIN_MARK = b"ADMIN-ONLY-" + _R + b"\n"
PASSWD_MARK = b"root:x:0:0"
HARD_CONTENT = b"HARD-LINKED-FILE-" + _R + b"\n"    # outside/hardsrc, linked in
A_TXT = b"A-FILE-" + _R + b"\n"
WELL_KNOWN = b"WELL-KNOWN-" + _R + b"\n"

DEFAULT_SITE = b"DEFAULT-SITE-" + _R + b"\n"
GOOD_SITE = b"GOOD-SITE-" + _R + b"\n"

NEVER = (SECRET, SCRIPT_MARK, EVIL_MARK, GIT_MARK, ENV_MARK, HTPASSWD_MARK,
         PASSWD_MARK)

# The CGI script that dumps what it was given: argv, then "--ENV--", then
# the environment, every record NUL-terminated (env -0), so any byte a
# header could smuggle in shows as it is.
ENV_SH = (b"#!/bin/sh\n# " + SCRIPT_MARK + b"\n"
          b"printf 'Content-Type: application/octet-stream\\r\\n\\r\\n'\n"
          b"printf 'ARGC=%s\\0' \"$#\"\n"
          b"for a in \"$@\"; do printf 'ARGV=%s\\0' \"$a\"; done\n"
          b"printf -- '--ENV--\\0'\n"
          b"env -0\n")
# The body it was given, exactly CONTENT_LENGTH bytes, between markers.
BODY_SH = (b"#!/bin/sh\n# " + SCRIPT_MARK + b"\n"
           b"printf 'Content-Type: application/octet-stream\\r\\n\\r\\nBODY['\n"
           b"head -c \"$CONTENT_LENGTH\"\n"
           b"printf ']'\n")
HELLO_SH = (b"#!/bin/sh\n# " + SCRIPT_MARK + b"\n"
            b"printf 'Content-Type: text/plain\\r\\n\\r\\nHELLO-OK\\n'\n")
BASH_SH = (b"#!/bin/bash\n# " + SCRIPT_MARK + b"\n"
           b"printf 'Content-Type: text/plain\\r\\n\\r\\nBASH-OK\\n'\n")
EVIL_SH = (b"#!/bin/sh\n# " + SCRIPT_MARK + b"\n"
           b"printf 'Content-Type: text/plain\\r\\n\\r\\n" + EVIL_MARK + b"\\n'\n")
GW_SH = (b"#!/bin/sh\n# " + SCRIPT_MARK + b"\n"
         b"printf 'Content-Type: text/plain\\r\\n\\r\\nWRITABLE-SCRIPT-RAN\\n'\n")

# Six nested directory names of 200 bytes: a 301 for it needs a Location of
# over 1200 bytes.
# sha512-crypt of "right horse" (openssl passwd -6), for alice on /admin
# and on the script directory /cgi-bin/priv.
AUTH_HASH = (b"$6$hostilesalt12345$LfKRFlx8j4FY94BfHt6MGzCyeDZy.X1ZYOituZV9O08TX6"
             b"AnscDQtXerLI9cmva.5zpmrbatUrGWnbYxPJwwg1")
AUTH_FILE = (b"# PATH-PREFIX USER:HASH\n/admin alice:" + AUTH_HASH +
             b"\n/cgi-bin/priv alice:" + AUTH_HASH + b"\n")
LONG_DIR = "long/" + "/".join(c * 200 for c in "LMNOPQ")

# Real paths longer than PATH_MAX (4096): 17 nested names of 250 bytes.
# Reached through a short link, the URL stays short; what /proc/self/fd
# says about the file does not fit in 4096 bytes.
LONG_CHAIN = "/".join("%02d" % i + "z" * 248 for i in range(17))
LONG_CHAIN_16 = LONG_CHAIN.rsplit("/", 1)[0]
LONG_LAST = LONG_CHAIN.rsplit("/", 1)[1]


def sh(body):
    """A /bin/sh CGI script (bytes) carrying SCRIPT_MARK in a comment."""
    return b"#!/bin/sh\n# " + SCRIPT_MARK + b"\n" + body + b"\n"


# Scripts that misbehave, for --parse-headers (the relay reads their header
# block): each is a fault the relay must turn into a clean answer.
FAULTY = {
    "silent.sh": sh(b"exit 0"),
    "unended.sh": sh(b"printf 'Content-Type: text/plain\\n'"),
    "nocolon.sh": sh(b"printf 'garbage line\\n\\n'"),
    "badstatus.sh": sh(b"printf 'Status: abc\\n\\n'"),
    "bigstatus.sh": sh(b"printf 'Status: 99999999999999999999 x\\n\\n'"),
    "ctlheader.sh": sh(b"printf 'X-A: a\\rSet-Cookie: x=y\\n\\n'"),
    "bighead.sh": sh(b"printf 'X-Big: '; head -c 200000 /dev/zero | tr '\\0' a; "
                     b"printf '\\n\\n'"),
    "manyheaders.sh": sh(b"i=0; while [ $i -lt 150 ]; do printf 'X-H%d: v\\n' $i; "
                         b"i=$((i+1)); done; printf '\\n'"),
    "escape.sh": sh(b"printf 'Location: /../outside/SECRET\\n\\n'"),
    "encescape.sh": sh(b"printf 'Location: /%%2e%%2e/outside/SECRET\\n\\n'"),
    "hiddenloc.sh": sh(b"printf 'Location: /.env\\n\\n'"),
    "aliasloc.sh": sh(b"printf 'Location: /scripts/env.sh\\n\\n'"),
    "loop.sh": sh(b"printf 'Location: /cgi-bin/loop.sh\\n\\n'"),
    "sleepybad.sh": sh(b"printf 'garbage\\n\\n'; exec sleep 5"),
    "sleepyloc.sh": sh(b"printf 'Location: /a.txt\\n\\n'; exec sleep 5"),
}

# The web root every entry talks about.  Kinds: ("file", bytes, mode),
# ("symlink", target) with {root}/{outside} placeholders,
# ("hardlink", path relative to BASE), ("fifo",).  test_hostile.py makes it.
FIXTURE = {
    "a.txt": ("file", A_TXT, 0o644),
    "d/b.txt": ("file", b"B\n", 0o644),
    # a symlink in the root to the SECRET outside, and a directory link out
    "secret-link": ("symlink", "../outside/SECRET"),
    "secret-abs": ("symlink", "{outside}/SECRET"),
    "outdir": ("symlink", "{outside}"),
    "procroot": ("symlink", "/proc/self/root"),
    "etc-passwd": ("symlink", "/etc/passwd"),
    "devzero": ("symlink", "/dev/zero"),
    # absolute symlink that lands inside the root: allowed
    "abs-inside.txt": ("symlink", "{root}/a.txt"),
    "reenter.txt": ("symlink", "../root/a.txt"),       # leaves, comes back in
    "fd0": ("symlink", "/proc/self/fd/0"),             # the connection itself
    "environ": ("symlink", "/proc/self/environ"),
    "idx-out/index.html": ("symlink", "{outside}/SECRET"),
    # a hard link is a file in the root (same inode as outside/hardsrc)
    "hard.txt": ("hardlink", "outside/hardsrc"),
    # a directory symlink cycle, and a self loop for ELOOP by depth
    "loopa": ("symlink", "loopb"),
    "loopb": ("symlink", "loopa"),
    "d/self": ("symlink", "."),
    "fifo": ("fifo",),
    # hidden files
    ".git/config": ("file", b"[core]\n\t# " + GIT_MARK + b"\n", 0o644),
    ".env": ("file", b"DB_PASSWORD=" + ENV_MARK + b"\n", 0o644),
    "a/.htpasswd": ("file", b"admin:" + HTPASSWD_MARK + b"\n", 0o644),
    "a/visible.txt": ("file", b"visible\n", 0o644),
    "a/.well-known/x": ("file", b"# nested: " + SECRET + b"\n", 0o644),
    ".well-known/x": ("file", WELL_KNOWN, 0o644),
    ".well-known/.secret": ("file", b"# " + SECRET + b"\n", 0o644),
    # CGI
    "cgi-bin/env.sh": ("file", ENV_SH, 0o755),
    "cgi-bin/hello.sh": ("file", HELLO_SH, 0o755),
    "cgi-bin/body.sh": ("file", BODY_SH, 0o755),
    "cgi-bin/bash.sh": ("file", BASH_SH, 0o755),
    "cgi-bin/gw.sh": ("file", GW_SH, 0o775),           # group-writable
    "cgi-bin/ow.sh": ("file", GW_SH, 0o757),           # writable by others
    "cgi-bin/noexec.sh": ("file", HELLO_SH, 0o644),
    "cgi-bin/notes.txt": ("file", b"NOTES-OK\n", 0o644),
    "cgi-bin/.hidden.sh": ("file", HELLO_SH, 0o755),
    "cgi-bin/outside.sh": ("symlink", "{outside}/evil.sh"),
    "cgi-bin/outside-rel.sh": ("symlink", "../../outside/evil.sh"),
    "cgi-bin/data-link": ("symlink", "../a.txt"),
    "cgi-bin/link.sh": ("symlink", "hello.sh"),
    "cgi-bin/sub/deep.sh": ("file", HELLO_SH, 0o755),
    "scripts": ("symlink", "cgi-bin"),                 # alias of a CGI dir
    "run.sh": ("symlink", "cgi-bin/env.sh"),           # a script by another name
    "d/cgi": ("symlink", "../cgi-bin"),
    "idx-script/index.html": ("symlink", "../cgi-bin/env.sh"),
    "idx-env/index.html": ("symlink", "../.env"),
    # hidden files reached through links with innocent names
    "gitlink": ("symlink", ".git/config"),
    "dotgit": ("symlink", ".git"),
    "envlink.txt": ("symlink", ".env"),
    "a/pw.txt": ("symlink", ".htpasswd"),
    # the same links, to files whose real path is over 4096 bytes
    "cgi-bin/deep/" + LONG_CHAIN + "/x.sh": ("file", HELLO_SH, 0o755),
    "deepalias": ("symlink", "cgi-bin/deep/" + LONG_CHAIN_16),
    "deephidden/" + LONG_CHAIN + "/.git/config": ("file", b"[core]\n\t# " + GIT_MARK + b"\n",
                                                  0o644),
    # (a symlink's target must stay under 4096 bytes: two hops)
    "deephidden/" + "/".join(LONG_CHAIN.split("/")[:8]) + "/hop":
        ("symlink", "/".join(LONG_CHAIN.split("/")[8:]) + "/.git"),
    "deepgit": ("symlink", "deephidden/" + "/".join(LONG_CHAIN.split("/")[:8]) + "/hop"),
    # directories whose 301 must not become an off-site Location
    "evil.example/i.txt": ("file", b"i\n", 0o644),
    "evil/i.txt": ("file", b"i\n", 0o644),
    "\\evil/i.txt": ("file", b"i\n", 0o644),
    "\\\\evil/i.txt": ("file", b"i\n", 0o644),
    LONG_DIR + "/i.txt": ("file", b"i\n", 0o644),
    # precompressed variants (--precompressed) that must never be sent:
    # links out of the root and to hidden files, a FIFO, and a variant
    # beside an innocent link inside a hidden directory reached by a link
    "pc/x.txt": ("file", b"x\n", 0o644),
    "pc/x.txt.gz": ("symlink", "{outside}/SECRET"),
    "pc/e.txt": ("file", b"e\n", 0o644),
    "pc/e.txt.br": ("symlink", "../.env"),
    "pc/f.txt": ("file", b"f\n", 0o644),
    "pc/f.txt.gz": ("fifo",),
    "pcidx/index.html": ("file", b"idx\n", 0o644),
    "pcidx/index.html.gz": ("symlink", "{outside}/SECRET"),
    ".git/innocent.txt": ("symlink", "../a.txt"),
    ".git/innocent.txt.gz": ("file", b"# " + GIT_MARK + b"\n", 0o644),
    # virtual hosts (--vhost): ROOT/HOST/ sites, the default one, a site
    # directory that is a link out of the root, and one to a hidden one
    "default/site.txt": ("file", DEFAULT_SITE, 0o644),
    "good.example/site.txt": ("file", GOOD_SITE, 0o644),
    "good.example/cgi-bin/env.sh": ("file", ENV_SH, 0o755),
    "default/cgi-bin/env.sh": ("file", ENV_SH, 0o755),
    "out.example": ("symlink", "{outside}"),
    "git.example": ("symlink", ".git"),
    "www.good.example": ("symlink", "good.example"),
    "deep.example": ("symlink", "good.example/cgi-bin"),
    "up.example": ("symlink", "."),
    # --auth: a protected directory, and a protected script directory
    "admin/s.txt": ("file", ADMIN_MARK, 0o644),
    "admin/sub/index.html": ("file", ADMIN_MARK, 0o644),
    "administrator.txt": ("file", b"PUBLIC\n", 0o644),
    "cgi-bin/priv/env.sh": ("file", ENV_SH, 0o755),
}
FIXTURE.update({"cgi-bin/" + k: ("file", v, 0o755) for k, v in FAULTY.items()})
OUTSIDE = {
    "SECRET": ("file", SECRET + b"\n", 0o644),
    "hardsrc": ("file", HARD_CONTENT, 0o644),
    "evil.sh": ("file", EVIL_SH, 0o755),
    # --auth files, outside the root as an operator keeps them
    "auth": ("file", AUTH_FILE, 0o644),
    "auth-plain": ("file", b"/ bob:secret\n", 0o644),
    "auth-fifo": ("fifo",),
}

# ---------------------------------------------------------------------------
# Requests


def b(s):
    return s if isinstance(s, bytes) else str(s).encode("latin-1")


def req(target, headers=(), method="GET", version="HTTP/1.1", host=b"x",
        body=b"", eol=b"\r\n"):
    """Raw request bytes.  headers: [(name, value)] sent as given, after
    Host (host=None leaves Host out)."""
    out = b(method) + b" " + b(target) + b" " + b(version) + eol
    if host is not None:
        out += b"Host: " + b(host) + eol
    for n, v in headers:
        out += b(n) + b": " + b(v) + eol
    return out + eol + b(body)


def raw_headers(target, lines, method="GET"):
    """A request whose header lines are given raw (bytes, no line end)."""
    out = b(method) + b" " + b(target) + b" HTTP/1.1\r\n"
    for line in lines:
        out += line + b"\r\n"
    return out + b"\r\n"


def line_of(total, prefix=b"GET /a.txt?", suffix=b" HTTP/1.1\r\n", fill=b"q"):
    """A request line of exactly `total` bytes, CRLF included."""
    n = total - len(prefix) - len(suffix)
    assert n >= 0
    return prefix + fill * n + suffix


def header_line_of(total, name=b"X-Big"):
    """A header line of exactly `total` bytes, CRLF included."""
    n = total - len(name) - 2 - 2
    return name + b": " + b"v" * n + b"\r\n"


def client_hello():
    """A real TLS ClientHello (made by Python's ssl), with every LF byte
    replaced, so that it is what a TLS client sends before it waits for
    the ServerHello and contains no line end at all."""
    try:
        import ssl
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.check_hostname = False
        ctx.verify_mode = ssl.CERT_NONE
        inc, out = ssl.MemoryBIO(), ssl.MemoryBIO()
        obj = ctx.wrap_bio(inc, out, server_hostname="example.com")
        try:
            obj.do_handshake()
        except ssl.SSLWantReadError:
            pass
        hello = out.read()
    except Exception:
        hello = b""
    if not hello.startswith(b"\x16\x03"):
        hello = (b"\x16\x03\x01\x00\x2f\x01\x00\x00\x2b\x03\x03" + bytes(range(32, 64))
                 + b"\x00\x00\x02\x13\x01\x01\x00")
    return hello.replace(b"\n", b"\x0b")


# ---------------------------------------------------------------------------
# Slow clients (everything else is sent in one go before the handler starts)

@dataclasses.dataclass
class Drip:
    """Send data one byte every `interval` seconds, from the handler's start,
    until it exits."""
    data: bytes
    interval: float


@dataclasses.dataclass
class Trickle:
    """A head that never ends: `prefix`, then `line` (numbered: {n}) every
    `interval` seconds, never the empty line, until the handler exits."""
    prefix: bytes
    line: bytes
    interval: float


# ---------------------------------------------------------------------------
# Checks: each returns a callable(outcome) -> [problems].  An Outcome has
# .res (harness Result), .resp (parsed Response or None), .log (raw stderr).

def parse_cgi_dump(body):
    """(argv list, env dict) from ENV_SH's output, as bytes; None if the
    body is not such a dump."""
    if b"--ENV--\0" not in body:
        return None
    head, _, tail = body.partition(b"--ENV--\0")
    recs = [r for r in head.split(b"\0") if r]
    argv = [r[5:] for r in recs if r.startswith(b"ARGV=")]
    env = {}
    for r in tail.split(b"\0"):
        if b"=" in r:
            k, _, v = r.partition(b"=")
            env[k] = v
    return argv, env


def _dump(o):
    if o.resp is None:
        return None, ["no parsed response"]
    d = parse_cgi_dump(o.resp.body)
    if d is None:
        return None, ["body is not the env dump: %r" % o.resp.body[:300]]
    return d, []


ABSENT = object()


def env_is(name, value):
    """The script's environment has name=value (value ABSENT: not set)."""
    name, want = b(name), value if value is ABSENT else b(value)

    def check(o):
        d, p = _dump(o)
        if p:
            return p
        got = d[1].get(name, ABSENT)
        if got is not want and got != want:
            return ["env %s = %r, want %s" % (name.decode(), got if got is not ABSENT
                    else "(unset)", "(unset)" if want is ABSENT else repr(want))]
        return []
    return check


def env_len(name, n):
    def check(o):
        d, p = _dump(o)
        if p:
            return p
        got = d[1].get(b(name))
        if got is None or len(got) != n:
            return ["env %s has length %s, want %d" % (name, None if got is None
                                                       else len(got), n)]
        return []
    return check


def env_no_key(pred, label):
    def check(o):
        d, p = _dump(o)
        if p:
            return p
        bad = [k for k in d[1] if pred(k)]
        return ["env has %s: %r" % (label, bad)] if bad else []
    return check


def argv_is(args):
    def check(o):
        d, p = _dump(o)
        if p:
            return p
        want = [b(a) for a in args]
        return [] if d[0] == want else ["argv[1:] = %r, want %r" % (d[0], want)]
    return check


def no_dash_argv():
    def check(o):
        d, p = _dump(o)
        if p:
            return p
        bad = [a for a in d[0] if a.startswith(b"-")]
        return ["argv has an option-like argument: %r" % bad] if bad else []
    return check


def body_is(data):
    def check(o):
        if o.resp is None:
            return ["no parsed response"]
        return [] if o.resp.body == data else ["body %r, want %r" % (
            o.resp.body[:200], data[:200])]
    return check


def body_has(data):
    def check(o):
        if o.resp is None or data not in o.resp.body:
            return ["body lacks %r" % data]
        return []
    return check


def no_line(data):
    """No line of the body (split on LF and NUL) is exactly `data`."""
    def check(o):
        if o.resp is None:
            return []
        lines = re.split(rb"[\n\0]", o.resp.body)
        return ["body has a line %r (something ran)" % data] if data in \
            [x.strip(b"\r") for x in lines] else []
    return check


def location_is(value):
    def check(o):
        got = o.resp.header_all("Location") if o.resp else None
        return [] if got == [value] else ["Location %r, want [%r]" % (got, value)]
    return check


def header_is(name, value):
    def check(o):
        got = o.resp.header_all(name) if o.resp else None
        return [] if got == [value] else ["%s %r, want [%r]" % (name, got, value)]
    return check


def env_endswith(name, suffix):
    """The script's environment has name, ending with suffix."""
    name, suffix = b(name), b(suffix)

    def check(o):
        d, p = _dump(o)
        if p:
            return p
        got = d[1].get(name)
        return [] if got and got.endswith(suffix) else [
            "%s=%r, want ...%r" % (name, got, suffix)]
    return check


def no_header(name):
    def check(o):
        got = o.resp.header_all(name) if o.resp else []
        return ["header %s present: %r" % (name, got)] if got else []
    return check


def elapsed(lo, hi):
    """The handler ended between lo and hi seconds after it started."""
    def check(o):
        e = o.res.elapsed
        return [] if lo <= e <= hi else ["handler ended after %.2f s, want %.1f..%.1f s"
                                         % (e, lo, hi)]
    return check


def log_has(data):
    def check(o):
        return [] if data in o.log else ["log lacks %r: %r" % (data, o.log[:400])]
    return check


def no_log_byte(data):
    def check(o):
        return ["log has raw %r: %r" % (data, o.log[:400])] if data in o.log else []
    return check


# ---------------------------------------------------------------------------
# The catalogue

@dataclasses.dataclass
class Attack:
    name: str
    send: object                    # bytes, Drip or Trickle
    status: object                  # int, or a set of acceptable statuses
    why: str = ""                   # why a set: both answers are right
    args: tuple = ("--timeout", "4")
    env: dict = None
    checks: tuple = ()
    excludes: tuple = ()
    method: str = "GET"
    half_close: bool = False
    # An answer, not a hang: ten times what a quiet machine needs, since a
    # loaded CI box can be that slow. Where timing is the point, the
    # status tells it (408 against 400 or 431), or a lower bound does.
    max_elapsed: float = 25
    timeout: float = 60             # the harness kills the handler after this

    @property
    def statuses(self):
        return {self.status} if isinstance(self.status, int) else set(self.status)


A = Attack
SAFE_NOT_FOUND = (404,)
T3 = ("--timeout", "3")
T2 = ("--timeout", "2")
PH = ("--timeout", "4", "--parse-headers")
VH = ("--timeout", "4", "--vhost")

# --proxy-protocol: headers as a front end sends them (HAProxy's
# doc/proxy-protocol.txt). The harness's client is 127.0.0.1.
PP = ("--timeout", "4", "--proxy-protocol")
PP2 = ("--timeout", "2", "--proxy-protocol")
PP_SIG = b"\r\n\r\n\x00\r\nQUIT\n"
# --auth (the file in outside/; test_hostile.py fills in {outside}).
# Credentials over plain HTTP only with --auth-over-http.
AU = ("--timeout", "4", "--auth", "{outside}/auth", "--auth-over-http")
AU_TLS_ONLY = ("--timeout", "4", "--auth", "{outside}/auth")


def basic(user, password):
    return ("Authorization", "Basic " +
            base64.b64encode(b(user) + b":" + b(password)).decode("ascii"))


RIGHT = basic("alice", "right horse")
PP_INET4 = bytes([192, 0, 2, 1, 198, 51, 100, 2, 0x30, 0x39, 1, 0xbb])
PP_INET6 = (b"\x20\x01\x0d\xb8" + b"\x00" * 11 + b"\x01" + b"\x20\x01\x0d\xb8" +
            b"\x00" * 11 + b"\x02" + b"\x30\x39\x01\xbb")
PP_V1 = b"PROXY TCP4 192.0.2.1 198.51.100.2 12345 443\r\n"


def pp_v2(block, cmd_fam=b"\x21\x11", length=None):
    """A v2 header: signature, command and family, the length (the block's
    own unless told), the block."""
    n = len(block) if length is None else length
    return PP_SIG + cmd_fam + n.to_bytes(2, "big") + block


def pp_tlv(kind, value):
    return bytes([kind]) + len(value).to_bytes(2, "big") + value


PP_SSL = pp_tlv(0x20, b"\x01\x00\x00\x00\x00" + pp_tlv(0x21, b"TLSv1.3") +
                pp_tlv(0x23, b"TLS_AES_256_GCM_SHA384"))
PP_POST_BODY = b"a=1&b=\x00\r\n\r\nGET / HTTP/1.1\r\n\r\n" + bytes(range(256))

# What runs a script: the dump, and none of the source.
RAN = (body_has(b"--ENV--\0"),)

CATALOGUE = [
    # ---- controls: prove the fixture answers, so a 404 below means something
    A("control: GET /a.txt -> 200, the file", req("/a.txt"), 200,
      checks=(body_is(A_TXT),)),
    A("control: GET /cgi-bin/env.sh runs the dump, argv empty", req("/cgi-bin/env.sh"), 200,
      checks=RAN + (argv_is([]), env_is("SCRIPT_NAME", "/cgi-bin/env.sh"),
                    env_is("PATH_INFO", ""))),
    A("control: absolute symlink that lands inside the root -> 200",
      req("/abs-inside.txt"), 200, checks=(body_is(A_TXT),)),
    A("control: HTTP/1.0 without Host -> 200", req("/a.txt", version="HTTP/1.0", host=None),
      200, checks=(body_is(A_TXT),)),

    # ---- traversal
    A("traversal: /../outside/SECRET", req("/../outside/SECRET"), 404),
    A("traversal: /../../../../etc/passwd", req("/../../../../etc/passwd"), 404),
    A("traversal: /d/../../outside/SECRET", req("/d/../../outside/SECRET"), 404),
    A("traversal: %2e%2e", req("/%2e%2e/outside/SECRET"), 404),
    A("traversal: %2E%2e/ mixed case", req("/%2E%2e/%2E%2e/outside/SECRET"), 404),
    A("traversal: .%2e and %2e.", req("/.%2e/%2e./outside/SECRET"), 404),
    A("traversal: ..%2f encoded slash", req("/..%2f..%2foutside%2fSECRET"), 404),
    A("traversal: %2f at the start", req("/%2f..%2foutside/SECRET"), 404),
    A("traversal: %2F%2E%2E%2F all encoded", req("/d%2F%2E%2E%2F%2E%2E%2Foutside%2FSECRET"), 404),
    A("traversal: ..%5c backslash encoded (a name char on Linux)",
      req("/..%5c..%5coutside%5cSECRET"), 404),
    A("traversal: raw backslash", req("/..\\..\\outside\\SECRET"), 404),
    A("traversal: overlong UTF-8 %c0%ae%c0%ae", req("/%c0%ae%c0%ae/outside/SECRET"), 404),
    A("traversal: overlong UTF-8 %c0%af slash", req("/..%c0%af..%c0%afoutside/SECRET"), 404),
    A("traversal: double encoding %252e%252e (decoded once)",
      req("/%252e%252e/outside/SECRET"), 404),
    A("traversal: %00 in the path -> 400", req("/a.txt%00.html"), 400),
    A("traversal: %00 then ../", req("/%00/../outside/SECRET"), 400),
    A("traversal: raw NUL in the path -> 400", b"GET /a.txt\x00 HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    A("traversal: ;path params are part of the name", req("/a.txt;x=1"), 404),
    A("traversal: ..;/ (Tomcat-style)", req("/..;/outside/SECRET"), 404),
    A("traversal: trailing dot /a.txt.", req("/a.txt."), 404),
    A("traversal: trailing slash /a.txt/ (Issue17324)", req("/a.txt/"), 404),
    A("traversal: trailing %20 /a.txt%20", req("/a.txt%20"), 404),
    A("traversal: trailing ::$DATA", req("/a.txt::$DATA"), 404),
    A("traversal: absolute-form, another host, serves OUR file (host is only a name)",
      req("http://evil.example/a.txt"), 200, checks=(body_is(A_TXT), no_header("Location"))),
    A("traversal: absolute-form with ../", req("http://evil.example/../outside/SECRET"), 404),
    A("traversal: absolute-form with userinfo -> 400", req("http://x@evil.example/a.txt"), 400),
    A("traversal: file:// target -> 400", req("file:///etc/passwd"), 400),
    A("traversal: absolute-form with an empty host -> 400", req("http:///a.txt"), 400),
    A("traversal: absolute-form HTTP://X/ upper case -> 200", req("HTTP://X/a.txt"), 200,
      checks=(body_is(A_TXT),)),
    A("traversal: 'http:/a.txt' (one slash) -> 400", req("http:/a.txt"), 400),
    A("traversal: lone '%' at the end -> 404", req("/a.txt%"), 404),
    A("traversal: '%zz' kept as is -> 404", req("/a%zz.txt"), 404),
    A("traversal: target without leading slash -> 400", req("a.txt"), 400),
    A("traversal: target '..' -> 400", req(".."), 400),
    A("confine: symlink in the root to SECRET outside -> 403", req("/secret-link"), 403),
    A("confine: absolute symlink to SECRET outside -> 403", req("/secret-abs"), 403),
    A("confine: directory symlink out of the root -> 403", req("/outdir/SECRET"), 403),
    A("confine: listing through a directory symlink out -> 403", req("/outdir/"), 403),
    A("confine: /proc/self/root symlink -> 403", req("/procroot/etc/passwd"), 403),
    A("confine: symlink to /etc/passwd -> 403", req("/etc-passwd"), 403),
    A("confine: symlink to /dev/zero -> 403 (never opened)", req("/devzero"), 403),
    A("confine: FIFO in the root -> 403 without blocking", req("/fifo"), 403),
    A("confine: symlink to /proc/self/fd/0 (the connection) -> 403", req("/fd0"), 403),
    A("confine: symlink to /proc/self/environ -> 403", req("/environ"), 403,
      excludes=(b"PATH=",)),
    A("confine: directory symlink out, without the slash -> 403, no redirect",
      req("/outdir"), 403),
    A("confine: index.html linking out of the root: SECRET never served",
      req("/idx-out/"), {200, 403, 404},
      why="a listing instead (200) or refusing the directory (403/404)"),
    A("confine: a symlink that leaves and re-enters the root (../root/a.txt) -> 200",
      req("/reenter.txt"), 200, checks=(body_is(A_TXT),)),
    A("confine: directory symlink cycle a->b->a -> 403 (ELOOP)", req("/loopa"), 403),
    A("confine: symlink cycle with a trailing slash -> 403", req("/loopa/"), 403),
    A("confine: symlink cycle below it -> 403", req("/loopb/x.txt"), 403),
    A("confine: d/self -> . 50 deep -> 403 (ELOOP)", req("/d" + "/self" * 50 + "/b.txt"), 403),
    A("confine: d/self -> . 3 deep stays inside -> 200", req("/d/self/self/self/b.txt"), 200,
      checks=(body_is(b"B\n"),)),
    A("documented behaviour: a hard link in the root to a file outside IS a file in "
      "the root (same inode) -> served 200", req("/hard.txt"), 200,
      checks=(body_is(HARD_CONTENT),)),
    A("confine: listing of / (cycles, links out, hidden) -> 200, nothing leaks",
      req("/"), 200, excludes=(b".git", b".env", b".well-known", b"htpasswd")),
    A("confine: decoded path over 4096 bytes -> 414", req("/" + "a" * 5000), 414),
    A("confine: 3000 empty components (//...) -> 200 of /a.txt",
      req("/" * 3000 + "a.txt"), 200, checks=(body_is(A_TXT),)),
    A("confine: 1000 './' components -> 200 of /a.txt",
      req("/." * 1000 + "/a.txt"), 200, checks=(body_is(A_TXT),)),
    A("confine: 2100 './' components (decoded path over 4096 bytes) -> 414",
      req("/." * 2100 + "/a.txt"), 414),
    A("confine: decoded control char %0d%0a in path -> 400", req("/a%0d%0aSet-Cookie:x"), 400),
    A("confine: decoded ESC %1b in path -> 400", req("/%1b[31m"), 400),
    A("confine: %ff byte in path -> 404", req("/%ff"), 404),
    # Found by tests/parity: a name the file system cannot hold is not
    # there (Python's 404); 414 is for the URL's own bound only.
    A("confine: a 300-byte name (over NAME_MAX) in a short URL -> 404, as Python",
      req("/" + "a" * 300), 404),
    A("confine: a 300-byte directory name -> 404", req("/" + "a" * 300 + "/x.txt"), 404),
    A("cgi: a 300-byte script name -> 404 (No such CGI script)",
      req("/cgi-bin/" + "a" * 300), 404),
    A("cgi: /cgi-bin/hello.sh/.. names the directory -> 403, as Python (not 301)",
      req("/cgi-bin/hello.sh/.."), 403),
    A("cgi: /cgi-bin/. -> 403 (the directory is no script)", req("/cgi-bin/."), 403),
    A("cgi: /cgi-bin%2f -> 403 (decoded, it ends in a slash)", req("/cgi-bin%2f"), 403),
    # Found by tests/parity/server.py: the page carries Python's message,
    # never the log reason.
    A("page: a hidden file's 404 says File not found, as a missing one",
      req("/.env"), 404, checks=(body_has(b"Message: File not found."),),
      excludes=(b"hidden",)),
    A("page: a link out of the root's 403 says Forbidden, not why",
      req("/secret-link"), 403, checks=(body_has(b"Message: Forbidden."),),
      excludes=(b"symlink", b"root")),
    A("page: a missing CGI script says No such CGI script, without the path",
      req("/cgi-bin/nothere.sh"), 404,
      checks=(body_has(b"Message: No such CGI script."),), excludes=(b"nothere",)),
    A("redirect: /d? (an empty query) -> Location /d/, no '?' (urlunsplit)",
      req("/d?"), 301, checks=(location_is("/d/"),)),
    A("redirect: /d/. -> 301 to /d/ (the slash sent counts for files)",
      req("/d/."), 301, checks=(location_is("/d/"),)),

    # ---- CGI source disclosure
    A("cgi: /cgi-bin/../cgi-bin/env.sh runs (collapsed), no source",
      req("/cgi-bin/../cgi-bin/env.sh"), 200, checks=RAN),
    A("cgi: //cgi-bin/env.sh runs, no source", req("//cgi-bin/env.sh"), 200, checks=RAN),
    A("cgi: /./cgi-bin/./env.sh runs, no source", req("/./cgi-bin/./env.sh"), 200, checks=RAN),
    A("cgi: /cgi-bin//env.sh runs, no source", req("/cgi-bin//env.sh"), 200, checks=RAN),
    A("cgi: /cgi-bin/env.sh/ trailing slash runs with PATH_INFO '/'",
      req("/cgi-bin/env.sh/"), 200, checks=RAN + (env_is("PATH_INFO", "/"),)),
    A("cgi: /cgi-bin/env.sh/../env.sh collapses, runs", req("/cgi-bin/env.sh/../env.sh"), 200,
      checks=RAN),
    A("cgi: /CGI-BIN/env.sh is not the CGI dir (case-sensitive) -> 404",
      req("/CGI-BIN/env.sh"), 404),
    A("cgi: /%63gi-bin/env.sh decodes to the CGI dir, runs", req("/%63gi-bin/env.sh"), 200,
      checks=RAN),
    A("cgi: /cgi-bin%2fenv.sh decodes to the CGI dir, runs", req("/cgi-bin%2fenv.sh"), 200,
      checks=RAN),
    A("cgi: /cgi-bin/env.sh%00 -> 400", req("/cgi-bin/env.sh%00"), 400),
    A("cgi: /cgi-bin/env.sh;x -> 404", req("/cgi-bin/env.sh;x"), 404),
    A("cgi: /cgi-bin/env.sh%20 -> 404", req("/cgi-bin/env.sh%20"), 404),
    A("cgi: /cgi-bin/ (the directory) -> 403, not a listing", req("/cgi-bin/"), 403,
      excludes=(b"env.sh",)),
    A("cgi: /cgi-bin/sub/ -> 403, not a listing", req("/cgi-bin/sub/"), 403,
      excludes=(b"deep.sh",)),
    A("cgi: nested /cgi-bin/sub/deep.sh runs", req("/cgi-bin/sub/deep.sh"), 200,
      checks=(body_is(b"HELLO-OK\n"),)),
    A("cgi: symlink inside cgi-bin to a script in it runs", req("/cgi-bin/link.sh"), 200,
      checks=(body_is(b"HELLO-OK\n"),)),
    A("cgi: /scripts -> cgi-bin alias must not disclose the script source",
      req("/scripts/env.sh"), {403, 404},
      why="refusing the aliased path (403) or not finding it (404) both keep the source in"),
    A("cgi: /scripts/hello.sh alias, no source", req("/scripts/hello.sh"), {403, 404},
      why="as above"),
    A("cgi: HEAD /scripts/env.sh alias gives no Content-Length of the source either",
      req("/scripts/env.sh", method="HEAD"), {403, 404}, method="HEAD",
      why="as above"),
    A("cgi: /scripts/ (listing the aliased CGI dir) -> 403 or 404", req("/scripts/"),
      {403, 404}, why="as above", excludes=(b"env.sh",)),
    A("cgi: /run.sh, a symlink in the root to cgi-bin/env.sh -> 403, no source",
      req("/run.sh"), {403, 404}, why="as above"),
    A("cgi: /d/cgi/env.sh, a directory link to cgi-bin from a subdir -> 403, no source",
      req("/d/cgi/env.sh"), {403, 404}, why="as above"),
    A("cgi: alias link to a script whose real path is over 4096 bytes: no source "
      "(the real-path check must not fail open)",
      req("/deepalias/" + LONG_LAST + "/x.sh"), {403, 404, 414},
      why="403/404 as above; 414 if a real path that long is refused as too long"),
    A("cgi: a directory whose index.html links to a script: source never served",
      req("/idx-script/"), {200, 403, 404},
      why="a listing instead of the index (200), or refusing the directory (403/404): "
          "what matters is that the source never goes out", excludes=(b"printf",)),
    A("cgi: --cgi-dir /scripts: the real dir /cgi-bin/env.sh is now plain files -> 403, "
      "no source", req("/cgi-bin/env.sh"), {403, 404}, args=("--timeout", "4", "--cgi-dir",
                                                             "/scripts"), why="as above"),
    A("cgi: --cgi-dir /scripts: a file in the real dir that no one may execute is no "
      "script, and is served", req("/cgi-bin/notes.txt"), 200,
      args=("--timeout", "4", "--cgi-dir", "/scripts"),
      checks=(body_is(b"NOTES-OK\n"),),
      why="only an executable file can be run (X_OK), so only its source is kept in"),
    A("cgi: /cgi-bin/notes.txt, not executable, in the CGI dir -> 403, not served",
      req("/cgi-bin/notes.txt"), 403, excludes=(b"NOTES-OK",)),
    A("cgi: --cgi-dir /scripts (a symlink to cgi-bin): /scripts/env.sh runs",
      req("/scripts/env.sh"), 200, args=("--timeout", "4", "--cgi-dir", "/scripts"),
      checks=RAN + (env_is("SCRIPT_NAME", "/scripts/env.sh"),)),
    A("cgi: non-executable script -> 403, source not served", req("/cgi-bin/noexec.sh"), 403),
    A("cgi: hidden script /cgi-bin/.hidden.sh -> 404", req("/cgi-bin/.hidden.sh"), 404),
    A("cgi: cgi-bin symlink to a data file in the root -> 403, not served",
      req("/cgi-bin/data-link"), 403, excludes=(A_TXT,)),
    A("cgi: POST to a non-script path -> 501", req("/a.txt", method="POST",
      headers=[("Content-Length", "0")]), 501),

    # ---- hidden files
    A("hidden: /.git/config -> 404", req("/.git/config"), 404),
    A("hidden: /.git/ -> 404", req("/.git/"), 404),
    A("hidden: /.env -> 404", req("/.env"), 404),
    A("hidden: /a/.htpasswd -> 404", req("/a/.htpasswd"), 404),
    A("hidden: /a/ listing leaves .htpasswd out", req("/a/"), 200,
      checks=(body_has(b"visible.txt"),), excludes=(b".htpasswd",)),
    A("hidden: /.well-known/x is served", req("/.well-known/x"), 200,
      checks=(body_is(WELL_KNOWN),)),
    A("hidden: /.well-known/.secret (hidden below it) -> 404", req("/.well-known/.secret"), 404),
    A("hidden: /a/.well-known is only special at the top -> 404", req("/a/.well-known/x"), 404),
    A("hidden: /gitlink, a symlink to .git/config -> 404", req("/gitlink"), 404),
    A("hidden: /dotgit/config, a directory link to .git -> 404", req("/dotgit/config"), 404),
    A("hidden: /dotgit/ listing of .git through a link -> 404", req("/dotgit/"), 404,
      excludes=(b"config",)),
    A("hidden: /envlink.txt, a symlink to .env -> 404", req("/envlink.txt"), 404),
    A("hidden: link to a .git whose real path is over 4096 bytes: /deepgit/config -> 404 "
      "(the real-path check must not fail open)", req("/deepgit/config"), {403, 404, 414},
      why="404 as hidden; 403/414 if a real path that long is refused"),
    A("hidden: /a/pw.txt, a symlink to a/.htpasswd -> 404", req("/a/pw.txt"), 404),
    A("hidden: a directory whose index.html links to .env: .env never served",
      req("/idx-env/"), {200, 403, 404},
      why="a listing (200) or refusing the directory (403/404); .env never goes out"),
    A("hidden: %2egit encoded dot -> 404", req("/%2egit/config"), 404),
    A("hidden: %2Eenv -> 404", req("/%2Eenv"), 404),
    A("hidden: /a/%2ehtpasswd -> 404", req("/a/%2ehtpasswd"), 404),
    A("hidden: /.well-known/../.git/config -> 404", req("/.well-known/../.git/config"), 404),
    A("hidden: /.well-known/%2e%2e/.env -> 404", req("/.well-known/%2e%2e/.env"), 404),
    A("hidden: /x/../.env -> 404", req("/x/../.env"), 404),

    # ---- framing
    A("framing: Transfer-Encoding chunked with Content-Length -> 400",
      req("/a.txt", [("Transfer-Encoding", "chunked"), ("Content-Length", "5")],
          body=b"0\r\n\r\n"), 400),
    A("framing: Content-Length before Transfer-Encoding -> 400",
      req("/a.txt", [("Content-Length", "5"), ("Transfer-Encoding", "chunked")],
          body=b"0\r\n\r\n"), 400),
    A("framing: Transfer-Encoding chunked alone to a script -> 200, decoded, "
      "CONTENT_LENGTH 0",
      req("/cgi-bin/env.sh", [("Transfer-Encoding", "chunked")], method="POST",
          body=b"0\r\n\r\n"), 200, checks=RAN + (env_is("CONTENT_LENGTH", "0"),)),
    A("framing: a chunked body to a script -> CONTENT_LENGTH the decoded length",
      req("/cgi-bin/env.sh", [("Transfer-Encoding", "chunked")], method="POST",
          body=b"5\r\nhello\r\n6;ext=1\r\n world\r\n0\r\nX-T: 1\r\n\r\n"), 200,
      checks=RAN + (env_is("CONTENT_LENGTH", "11"),)),
    A("framing: a chunked GET to a file -> 411",
      req("/a.txt", [("Transfer-Encoding", "chunked")], body=b"0\r\n\r\n"), 411),
    A("framing: Transfer-Encoding chunked twice -> 400",
      req("/a.txt", [("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "chunked")],
          body=b"0\r\n\r\n"), 400),
    A("framing: chunk size overflow -> 400",
      req("/cgi-bin/env.sh", [("Transfer-Encoding", "chunked")], method="POST",
          body=b"ffffffffffffffffff\r\nx\r\n0\r\n\r\n"), 400, excludes=(b"--ENV--",)),
    A("framing: chunk size with 0x -> 400",
      req("/cgi-bin/env.sh", [("Transfer-Encoding", "chunked")], method="POST",
          body=b"0x5\r\nhello\r\n0\r\n\r\n"), 400, excludes=(b"--ENV--",)),
    A("framing: chunk data without its CRLF -> 400",
      req("/cgi-bin/env.sh", [("Transfer-Encoding", "chunked")], method="POST",
          body=b"5\r\nhelloXX0\r\n\r\n"), 400, excludes=(b"--ENV--",)),
    A("framing: chunk size line ended by a bare LF -> 400",
      req("/cgi-bin/env.sh", [("Transfer-Encoding", "chunked")], method="POST",
          body=b"5\nhello\r\n0\r\n\r\n"), 400, excludes=(b"--ENV--",)),
    A("framing: a chunk extension of 8 KiB -> 400",
      req("/cgi-bin/env.sh", [("Transfer-Encoding", "chunked")], method="POST",
          body=b"5;" + b"x" * 8192 + b"\r\nhello\r\n0\r\n\r\n"), 400,
      excludes=(b"--ENV--",)),
    A("framing: a chunked body that never ends -> 408",
      Trickle(req("/cgi-bin/env.sh", [("Transfer-Encoding", "chunked")], method="POST"),
              b"1\r\nx\r\n", 0.3), 408, args=T2, max_elapsed=30, timeout=60,
      excludes=(b"--ENV--",)),
    A("framing: a chunked trailer that never ends -> 400",
      req("/cgi-bin/env.sh", [("Transfer-Encoding", "chunked")], method="POST",
          body=b"0\r\n" + b"X-Trailer: 0123456789\r\n" * 4000), 400,
      excludes=(b"--ENV--",)),
    A("framing: a chunked body over --max-body -> 413",
      req("/cgi-bin/env.sh", [("Transfer-Encoding", "chunked")], method="POST",
          body=b"400\r\n" + b"x" * 1024 + b"\r\n0\r\n\r\n"), 413,
      args=("--timeout", "4", "--max-body", "1000"), excludes=(b"--ENV--",)),
    A("framing: Transfer-Encoding twice with Content-Length -> 400",
      req("/a.txt", [("Transfer-Encoding", "chunked"), ("Transfer-Encoding", "chunked"),
                     ("Content-Length", "0")]), 400),
    A("framing: Transfer-Encoding: identity -> 501 (no coding we take but chunked)",
      req("/a.txt", [("Transfer-Encoding", "identity")]), 501),
    A("framing: 'Transfer-Encoding : chunked' (space before colon) -> 400",
      raw_headers("/a.txt", [b"Host: x", b"Transfer-Encoding : chunked"]), 400),
    A("framing: duplicate equal Content-Length -> 400",
      req("/a.txt", [("Content-Length", "5"), ("Content-Length", "5")], body=b"hello"), 400),
    A("framing: conflicting Content-Length -> 400",
      req("/a.txt", [("Content-Length", "5"), ("Content-Length", "6")], body=b"hello!"), 400),
    A("framing: Content-Length list '5, 5' -> 400",
      req("/a.txt", [("Content-Length", "5, 5")], body=b"hello"), 400),
    A("framing: Content-Length -1 -> 400", req("/a.txt", [("Content-Length", "-1")]), 400),
    A("framing: Content-Length 19 digits -> 400",
      req("/a.txt", [("Content-Length", "1234567890123456789")]), 400),
    A("framing: Content-Length 40 digits -> 400",
      req("/a.txt", [("Content-Length", "9" * 40)]), 400),
    A("framing: Content-Length abc -> 400", req("/a.txt", [("Content-Length", "abc")]), 400),
    A("framing: Content-Length +5 -> 400", req("/a.txt", [("Content-Length", "+5")],
      body=b"hello"), 400),
    A("framing: Content-Length 0x5 -> 400", req("/a.txt", [("Content-Length", "0x5")]), 400),
    A("framing: Content-Length empty -> 400", req("/a.txt", [("Content-Length", "")]), 400),
    A("framing: Content-Length ' 5' (OWS trimmed) is valid -> 200",
      raw_headers("/a.txt", [b"Host: x", b"Content-Length:    5  "]) + b"hello", 200,
      checks=(body_is(A_TXT),)),
    A("framing: Content-Length '5 5' -> 400", req("/a.txt", [("Content-Length", "5 5")]), 400),
    A("framing: Content-Length with a tab inside '5\\t5' -> 400",
      req("/a.txt", [("Content-Length", "5\t5")]), 400),
    A("framing: Content-Length 18 digits is a number -> 200 (GET ignores the body)",
      req("/a.txt", [("Content-Length", "9" * 18)]), 200, half_close=True),
    A("framing: obs-fold continuation line -> 400",
      raw_headers("/a.txt", [b"Host: x", b"X-A: one", b" two"]), 400),
    A("framing: obs-fold with a tab -> 400",
      raw_headers("/a.txt", [b"Host: x", b"X-A: one", b"\ttwo"]), 400),
    A("framing: obs-fold right after the request line -> 400",
      raw_headers("/a.txt", [b" Host: x"]), 400),
    A("framing: lone CR inside a header value -> 400",
      raw_headers("/a.txt", [b"Host: x", b"X-A: a\rb"]), 400),
    A("framing: lone CR inside the request line -> 400",
      b"GET /a.txt\rX HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    A("framing: CR CR LF line end -> 400", b"GET /a.txt HTTP/1.1\r\r\nHost: x\r\n\r\n", 400),
    A("framing: lone CR as the blank line (CR CR) never ends the head -> 400 on EOF",
      b"GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\r", 400, half_close=True),
    A("framing: bare LF line ends -> 200", b"GET /a.txt HTTP/1.1\nHost: x\n\n", 200,
      checks=(body_is(A_TXT),)),
    A("framing: mixed LF and CRLF -> 200", b"GET /a.txt HTTP/1.1\r\nHost: x\n\r\n", 200,
      checks=(body_is(A_TXT),)),
    A("framing: leading empty lines before the request line -> 200",
      b"\r\n\r\n\nGET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", 200, checks=(body_is(A_TXT),)),
    A("framing: NUL in the request line -> 400", b"GET /a\x00.txt HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    A("framing: NUL in the method -> 400", b"G\x00ET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    A("framing: \\x01 in the request line -> 400", b"GET /a\x01.txt HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    A("framing: ESC in the request line -> 400, logged escaped",
      b"GET /\x1b[2J\x1b]0;pwned\x07 HTTP/1.1\r\nHost: x\r\n\r\n", 400,
      checks=(log_has(b"\\x1b"),)),
    A("framing: DEL in the request line -> 400", b"GET /a\x7f.txt HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    A("framing: NUL in a header name -> 400", raw_headers("/a.txt", [b"Host: x", b"X\x00A: v"]), 400),
    A("framing: NUL in a header value -> 400", raw_headers("/a.txt", [b"Host: x", b"X-A: v\x00w"]), 400),
    A("framing: \\x01 in a header value -> 400", raw_headers("/a.txt", [b"Host: x", b"X-A: v\x01w"]), 400),
    A("framing: ESC in a header value -> 400", raw_headers("/a.txt", [b"Host: x", b"X-A: \x1b[2J"]), 400),
    A("framing: DEL in a header value -> 400", raw_headers("/a.txt", [b"Host: x", b"X-A: v\x7f"]), 400),
    A("framing: \\x01 in a header name -> 400", raw_headers("/a.txt", [b"Host: x", b"X\x01A: v"]), 400),
    A("framing: HTAB inside a header value is allowed -> 200",
      raw_headers("/a.txt", [b"Host: x", b"X-A: a\tb"]), 200),
    A("framing: obs-text (\\xff) in a header value is allowed -> 200",
      raw_headers("/a.txt", [b"Host: x", b"X-A: caf\xc3\xa9 \xff"]), 200),
    A("framing: space before the colon -> 400",
      raw_headers("/a.txt", [b"Host: x", b"X-A : v"]), 400),
    A("framing: tab before the colon -> 400",
      raw_headers("/a.txt", [b"Host: x", b"X-A\t: v"]), 400),
    A("framing: 'Host : x' (space before colon on Host) -> 400",
      raw_headers("/a.txt", [b"Host : x"]), 400),
    A("framing: empty header name -> 400", raw_headers("/a.txt", [b"Host: x", b": v"]), 400),
    A("framing: header line without a colon -> 400",
      raw_headers("/a.txt", [b"Host: x", b"NoColonHere"]), 400),
    A("framing: lower-case transfer-encoding with Content-Length -> 400",
      req("/a.txt", [("transfer-encoding", "chunked"), ("content-length", "0")]), 400),
    A("framing: TRANSFER-ENCODING upper case alone -> 411",
      req("/a.txt", [("TRANSFER-ENCODING", "chunked")]), 411),
    A("framing: 'Transfer_Encoding' (underscore) is just another header -> 200",
      req("/a.txt", [("Transfer_Encoding", "chunked")]), 200),
    A("framing: VT (\\x0b) in a header value -> 400",
      raw_headers("/a.txt", [b"Host: x", b"X-A: a\x0bb"]), 400),
    A("framing: FF (\\x0c) in the request line -> 400",
      b"GET /a.txt\x0c HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    A("framing: NUL before the request line -> 400", b"\x00GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n",
      400),
    A("framing: a blank before the method -> 200 or 400",
      b" GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", {200, 400},
      why="Python's split() accepts it; RFC 9112 3 allows refusing it"),
    A("framing: a pipelined second request is never answered",
      req("/a.txt") + req("/.env") + req("/secret-link"), 200, checks=(body_is(A_TXT),),
      excludes=(b"HTTP/1.1 404", b"HTTP/1.1 403")),
    A("framing: the head in one-byte segments every 10 ms -> 200",
      Drip(req("/a.txt"), 0.01), 200, checks=(body_is(A_TXT),)),
    A("framing: a 64 KiB header name (a valid token) -> 200",
      b"GET /a.txt HTTP/1.1\r\nHost: x\r\n" + b"N" * 65500 + b": v\r\n\r\n", 200),
    A("framing: If-Modified-Since far in the future -> 304",
      req("/a.txt", [("If-Modified-Since", "Fri, 31 Dec 9999 23:59:59 GMT")]), 304),
    A("framing: If-Modified-Since garbage -> 200",
      req("/a.txt", [("If-Modified-Since", "yesterday, at noon; " + "9" * 200)]), 200),
    A("framing: If-Modified-Since year 99999 -> 200",
      req("/a.txt", [("If-Modified-Since", "Fri, 31 Dec 99999 23:59:59 GMT")]), 200),
    A("framing: head cut short by EOF -> 400",
      b"GET /a.txt HTTP/1.1\r\nHost: x\r\n", 400, half_close=True),
    A("framing: only CRLFs then EOF -> 400", b"\r\n\r\n\r\n", 400, half_close=True),

    # ---- size
    A("size: request line of exactly 65,536 bytes with CRLF -> accepted (not 414)",
      line_of(65536) + b"Host: x\r\n\r\n", 200, checks=(body_is(A_TXT),)),
    A("size: request line of 65,537 bytes -> 414", line_of(65537) + b"Host: x\r\n\r\n", 414),
    A("size: request line of 65,536 bytes ending in a bare LF -> accepted",
      line_of(65536, suffix=b" HTTP/1.1\n") + b"Host: x\n\n", 200),
    A("size: request line of 65,537 bytes ending in a bare LF -> 414",
      line_of(65537, suffix=b" HTTP/1.1\n") + b"Host: x\n\n", 414),
    A("size: a request line of 200 KiB that never ends -> 414 at once",
      b"GET /" + b"a" * (200 * 1024), 414),
    A("size: header line of exactly 65,536 bytes -> accepted",
      b"GET /a.txt HTTP/1.1\r\nHost: x\r\n" + header_line_of(65536) + b"\r\n", 200,
      checks=(body_is(A_TXT),)),
    A("size: header line of 65,537 bytes -> 431",
      b"GET /a.txt HTTP/1.1\r\nHost: x\r\n" + header_line_of(65537) + b"\r\n", 431),
    A("size: header line of 100 KiB that never ends -> 431 at once",
      b"GET /a.txt HTTP/1.1\r\nHost: x\r\nX-Big: " + b"v" * (100 * 1024), 431),
    A("size: 100 header fields -> 200",
      req("/a.txt", [("X-F%d" % i, "v") for i in range(99)]), 200),
    A("size: 101 header fields -> 431",
      req("/a.txt", [("X-F%d" % i, "v") for i in range(100)]), 431),
    A("size: 101 fields of which 100 are empty-valued -> 431",
      req("/a.txt", [("X-F%d" % i, "") for i in range(100)]), 431),
    A("size: 18 header lines of 60 KiB (> 1 MiB in all) -> 431",
      b"GET /a.txt HTTP/1.1\r\nHost: x\r\n" +
      b"".join(header_line_of(60 * 1024, b"X-F%d" % i) for i in range(18)) + b"\r\n", 431),
    A("size: 1.1 MiB of empty lines before the request line -> 431",
      b"\r\n" * (580 * 1024) + req("/a.txt"), 431),
    A("size: head of 1 MiB minus a little -> 200",
      b"GET /a.txt HTTP/1.1\r\nHost: x\r\n" +
      b"".join(header_line_of(64 * 1024, b"X-F%d" % i) for i in range(15)) +
      header_line_of(1024 * 1024 - 15 * 64 * 1024 - 31 - 200, b"X-Last") + b"\r\n", 200),
    A("size: a head that never ends, header lines every 50 ms -> 408 at the deadline",
      Trickle(b"GET /a.txt HTTP/1.1\r\nHost: x\r\n", b"X-Slow-{n}: aaaaaaaa\r\n", 0.05),
      {408, 431}, args=T2, max_elapsed=35, checks=(elapsed(1.5, 35),),
      why="408 when the deadline comes first, 431 if the field cap does; both end it"),
    A("size: a head that never ends, fast: 101st field -> 431, not the deadline",
      Trickle(b"GET /a.txt HTTP/1.1\r\nHost: x\r\n", b"X-Fast-{n}: a\r\n", 0.005),
      431, args=("--timeout", "30")),
    A("size: a head that never ends, 60 KiB lines every 50 ms -> 431 at the 1 MiB cap",
      Trickle(b"GET /a.txt HTTP/1.1\r\nHost: x\r\n",
              b"X-Long-{n}: " + b"l" * (60 * 1024) + b"\r\n", 0.05),
      431, args=("--timeout", "30")),
    A("size: client stops mid-head -> 408 after --timeout 2",
      b"GET /a.txt HTTP/1.1\r\nHost: x\r\nX-Par", 408, args=T2, max_elapsed=35,
      checks=(elapsed(1.8, 35),)),
    A("size: client sends nothing but keeps the connection -> 408 after --timeout 2",
      b"", {408}, args=T2, max_elapsed=35, checks=(elapsed(1.8, 35),)),
    A("size: one byte per second -> 408 at --timeout 3: ONE deadline, not per byte",
      Drip(b"GET /a.txt HTTP/1.1\r\nHost: x\r\n\r\n", 1.0), 408, args=T3,
      # The drip lasts 35 s: ending well before it is one deadline.
      max_elapsed=20, checks=(elapsed(2.7, 20),)),

    # ---- redirect safety
    A("redirect: //evil.example -> Location /evil.example/ (one slash)",
      req("//evil.example"), 301, checks=(location_is("/evil.example/"),)),
    A("redirect: ///evil.example -> one slash", req("///evil.example"), 301,
      checks=(location_is("/evil.example/"),)),
    A("redirect: absolute-form http://x//evil.example -> one slash",
      req("http://x//evil.example"), 301, checks=(location_is("/evil.example/"),)),
    A("redirect: /\\evil -> Location /%5Cevil/", req("/\\evil"), 301,
      checks=(location_is("/%5Cevil/"),)),
    A("redirect: /%2F%2Fevil -> Location /evil/", req("/%2F%2Fevil"), 301,
      checks=(location_is("/evil/"),)),
    A("redirect: /%2f%2fevil.example -> Location /evil.example/",
      req("/%2f%2fevil.example"), 301, checks=(location_is("/evil.example/"),)),
    A("redirect: /%5C%5Cevil -> Location /%5C%5Cevil/", req("/%5C%5Cevil"), 301,
      checks=(location_is("/%5C%5Cevil/"),)),
    A("redirect: /./evil.example -> Location /evil.example/", req("/./evil.example"), 301,
      checks=(location_is("/evil.example/"),)),
    A("redirect: /x/..//evil.example -> one slash", req("/x/..//evil.example"), 301,
      checks=(location_is("/evil.example/"),)),
    A("redirect: encoded CRLF in the query stays encoded",
      req("/evil.example?x=%0d%0aSet-Cookie:%20a=b"), 301,
      checks=(location_is("/evil.example/?x=%0d%0aSet-Cookie:%20a=b"),)),
    A("redirect: raw CR LF in the query -> 400",
      b"GET /evil.example?x=\r\nSet-Cookie: a=b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    A("redirect: raw lone CR in the query -> 400",
      b"GET /evil.example?x=\rSet-Cookie:a=b HTTP/1.1\r\nHost: x\r\n\r\n", 400),
    A("redirect: a 1200-byte directory path: the Location is the whole path",
      req("/" + LONG_DIR), 301, checks=(location_is("/" + LONG_DIR + "/"),)),
    A("redirect: query of 3000 bytes is kept whole in the Location",
      req("/evil.example?" + "q" * 3000), 301,
      checks=(location_is("/evil.example/?" + "q" * 3000),)),

    # ---- CGI environment and arguments
    A("cgi: 'Proxy: http://evil' never becomes HTTP_PROXY (httpoxy)",
      req("/cgi-bin/env.sh", [("Proxy", "http://evil.example:3128")]), 200,
      checks=RAN + (env_is("HTTP_PROXY", ABSENT),)),
    A("cgi: 'proxy:' lower case, same", req("/cgi-bin/env.sh", [("proxy", "http://evil")]), 200,
      checks=RAN + (env_is("HTTP_PROXY", ABSENT),)),
    A("cgi: HTTP_PROXY inherited by the handler is not passed on",
      req("/cgi-bin/env.sh"), 200, env={"HTTP_PROXY": "http://inherited.evil"},
      checks=RAN + (env_is("HTTP_PROXY", ABSENT),)),
    A("cgi: 'X_Forwarded_For' (underscore) does not pose as X-Forwarded-For",
      req("/cgi-bin/env.sh", [("X_Forwarded_For", "6.6.6.6")]), 200,
      checks=RAN + (env_is("HTTP_X_FORWARDED_FOR", ABSENT),)),
    A("cgi: 'X-Forwarded-For' passes as HTTP_X_FORWARDED_FOR (control)",
      req("/cgi-bin/env.sh", [("X-Forwarded-For", "1.2.3.4")]), 200,
      checks=RAN + (env_is("HTTP_X_FORWARDED_FOR", "1.2.3.4"),)),
    A("cgi: shellshock value passed as a plain string, nothing executed",
      req("/cgi-bin/env.sh", [("X-Shock", "() { :; }; echo pwned"),
                              ("User-Agent", "() { :;}; echo pwned")]), 200,
      checks=RAN + (env_is("HTTP_X_SHOCK", "() { :; }; echo pwned"), no_line(b"pwned"))),
    A("cgi: shellshock value to a bash script, nothing executed",
      req("/cgi-bin/bash.sh", [("X-Shock", "() { :; }; echo pwned"),
                               ("Cookie", "() { :; }; echo pwned")]), 200,
      checks=(body_is(b"BASH-OK\n"),)),
    A("cgi: a 64 KiB header line to a script is accepted whole (as for a file)",
      b"GET /cgi-bin/env.sh HTTP/1.1\r\nHost: x\r\n" + header_line_of(65536) + b"\r\n", 200,
      checks=RAN + (env_len("HTTP_X_BIG", 65536 - len("X-Big: ") - 2),)),
    A("cgi: a 64 KiB + 1 header line to a script -> 431, as for a file",
      b"GET /cgi-bin/env.sh HTTP/1.1\r\nHost: x\r\n" + header_line_of(65537) + b"\r\n", 431),
    A("cgi: one header name repeated 3 x 60 KiB (joined > 128 KiB, execve's per-string "
      "limit) -> refused before the status line",
      req("/cgi-bin/env.sh", [("X-Rep", "r" * 60000)] * 3), {400, 431},
      why="431 (fields too large for a CGI environment) fits best; 400 is defensible"),
    A("cgi: Cookie 3 x 64 KiB (joined > 128 KiB) -> refused before the status line",
      b"GET /cgi-bin/hello.sh HTTP/1.1\r\nHost: x\r\n" + header_line_of(65536, b"Cookie") * 3
      + b"\r\n", {400, 431}, why="as above"),
    A("cgi: Cookie 2 x 64 KiB (joined just under 128 KiB) still runs",
      b"GET /cgi-bin/hello.sh HTTP/1.1\r\nHost: x\r\n" + header_line_of(65536, b"Cookie") * 2
      + b"\r\n", 200, checks=(body_is(b"HELLO-OK\n"),)),
    A("cgi: query 'hello+world' is argv[1] 'hello world' (control)",
      req("/cgi-bin/env.sh?hello+world"), 200, checks=RAN + (argv_is(["hello world"]),)),
    A("cgi: query '-h' never becomes an option", req("/cgi-bin/env.sh?-h"), 200,
      checks=RAN + (no_dash_argv(), argv_is([]))),
    A("cgi: query '--help' never becomes an option", req("/cgi-bin/env.sh?--help"), 200,
      checks=RAN + (no_dash_argv(), argv_is([]))),
    A("cgi: query '-n+foo' never becomes an option", req("/cgi-bin/env.sh?-n+foo"), 200,
      checks=RAN + (no_dash_argv(), argv_is([]))),
    A("cgi: query '%2Dh' is passed undecoded, as Python does",
      req("/cgi-bin/env.sh?%2Dh"), 200, checks=RAN + (no_dash_argv(), argv_is(["%2Dh"]))),
    A("cgi: query 'a=-h' is not an argument", req("/cgi-bin/env.sh?a=-h"), 200,
      checks=RAN + (argv_is([]), env_is("QUERY_STRING", "a=-h"))),
    A("cgi: group-writable script -> 403, not run", req("/cgi-bin/gw.sh"), 403,
      excludes=(b"WRITABLE-SCRIPT-RAN",)),
    A("cgi: world-writable script -> 403, not run", req("/cgi-bin/ow.sh"), 403,
      excludes=(b"WRITABLE-SCRIPT-RAN",)),
    A("cgi: symlink in cgi-bin to an executable outside the root -> 403, not run",
      req("/cgi-bin/outside.sh"), 403),
    A("cgi: relative symlink in cgi-bin climbing out to an executable -> 403",
      req("/cgi-bin/outside-rel.sh"), 403),
    A("cgi: /cgi-bin/../../outside/evil.sh -> 404", req("/cgi-bin/../../outside/evil.sh"), 404),
    A("cgi: PATH_INFO with %2e%2e collapses (no ../ reaches the script)",
      req("/cgi-bin/env.sh/%2e%2e/%2e%2e/etc"), 404,
      why="collapsed to /etc, which is not under /cgi-bin"),
    A("cgi: PATH_INFO /x/%2e%2e/y collapses to /y",
      req("/cgi-bin/env.sh/x/%2e%2e/y"), 200, checks=RAN + (env_is("PATH_INFO", "/y"),)),
    A("cgi: a 64 KiB header name to a script -> runs (within the line limit)",
      b"GET /cgi-bin/hello.sh HTTP/1.1\r\nHost: x\r\n" + b"N" * 65500 + b": v\r\n\r\n", 200,
      checks=(body_is(b"HELLO-OK\n"),)),
    A("cgi: Authorization with a 100-char type -> runs, no AUTH_TYPE garbage",
      req("/cgi-bin/env.sh", [("Authorization", "A" * 100 + " x")]), 200, checks=RAN),
    A("cgi: Authorization Basic with 3000 bytes of base64 -> runs, no REMOTE_USER",
      req("/cgi-bin/env.sh", [("Authorization", "Basic " + "QUFB" * 750)]), 200,
      checks=RAN + (env_is("REMOTE_USER", ABSENT),)),
    A("cgi: Authorization Basic 'a\\x00b:c' (NUL inside) -> runs, no REMOTE_USER",
      req("/cgi-bin/env.sh", [("Authorization", "Basic YQBiOmM=")]), 200,
      checks=RAN + (env_is("REMOTE_USER", ABSENT),)),
    A("cgi: Authorization Basic 'a\\nb:c' (LF inside) -> runs, no REMOTE_USER",
      req("/cgi-bin/env.sh", [("Authorization", "Basic YQpiOmM=")]), 200,
      checks=RAN + (env_is("REMOTE_USER", ABSENT),)),
    A("cgi: Authorization Basic not base64 -> runs", req("/cgi-bin/env.sh",
      [("Authorization", "Basic !!!***")]), 200, checks=RAN + (env_is("REMOTE_USER", ABSENT),)),
    A("cgi: Host header injection stays a name: SERVER_NAME from a valid Host",
      req("/cgi-bin/env.sh", host="evil.example:8080"), 200,
      checks=RAN + (env_is("SERVER_NAME", "evil.example"),)),

    # ---- faulty scripts behind --parse-headers: the relay answers cleanly
    A("relay: script writes nothing -> 502", req("/cgi-bin/silent.sh"), 502, args=PH),
    A("relay: header block never ended -> 502", req("/cgi-bin/unended.sh"), 502, args=PH),
    A("relay: header line without a colon -> 502", req("/cgi-bin/nocolon.sh"), 502, args=PH),
    A("relay: 'Status: abc' -> 502", req("/cgi-bin/badstatus.sh"), 502, args=PH),
    A("relay: 'Status: 99999999999999999999' -> 502", req("/cgi-bin/bigstatus.sh"), 502,
      args=PH),
    A("relay: lone CR in a script header (response splitting) -> 502",
      req("/cgi-bin/ctlheader.sh"), 502, args=PH),
    A("relay: 200 KB header line -> 502", req("/cgi-bin/bighead.sh"), 502, args=PH),
    A("relay: 150 header lines -> 502 or 200",
      req("/cgi-bin/manyheaders.sh"), {200, 502}, args=PH,
      why="a bound on the script's fields (502) or passing them all (200) are both sound"),
    A("relay: local Location /../outside/SECRET stays in the root -> 404",
      req("/cgi-bin/escape.sh"), 404, args=PH),
    A("relay: local Location /%2e%2e/outside/SECRET -> 404",
      req("/cgi-bin/encescape.sh"), 404, args=PH),
    A("relay: local Location /.env -> 404", req("/cgi-bin/hiddenloc.sh"), 404, args=PH),
    A("relay: local Location through the CGI alias /scripts/env.sh -> 403 or 404",
      req("/cgi-bin/aliasloc.sh"), {403, 404}, args=PH, why="as for the alias above"),
    A("relay: local Location loop -> 500 (bounded)", req("/cgi-bin/loop.sh"), {500, 508},
      args=PH, why="500 as documented; 508 Loop Detected would be as right"),
    A("relay: a bad header block, then the script sleeps: the 502 is not held back "
      "until the script ends", req("/cgi-bin/sleepybad.sh"), 502, args=PH),
    A("relay: a local Location, then the script sleeps: the redirect target is not "
      "held back until the script ends", req("/cgi-bin/sleepyloc.sh"), 200, args=PH,
      checks=(body_is(A_TXT),)),

    # ---- protocol confusion
    A("protocol: HTTP/2 preface 'PRI * HTTP/2.0' -> 505",
      b"PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n", 505),
    A("protocol: TLS ClientHello (no LF), client then waits -> 400 without waiting for "
      "the head deadline", client_hello(), 400, args=T3, max_elapsed=15),
    A("protocol: TLS ClientHello then EOF -> 400", client_hello(), 400, half_close=True),
    A("protocol: CONNECT host:443 -> 400 or 501",
      b"CONNECT evil.example:443 HTTP/1.1\r\nHost: evil.example:443\r\n\r\n", {400, 501},
      why="400: authority-form is not a target we accept; 501: method not implemented"),
    A("protocol: OPTIONS * -> 400 or 501", b"OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n", {400, 501},
      why="400: asterisk-form refused; 501: OPTIONS not implemented"),
    A("protocol: TRACE / -> 501, request headers never echoed",
      req("/", [("X-Trace-Marker", "TRACE-ECHO-" + _R.decode()), ("Cookie", "sess=COOKIE-ECHO")],
          method="TRACE"), 501, excludes=(b"TRACE-ECHO-", b"COOKIE-ECHO")),
    A("protocol: PUT -> 501", req("/a.txt", [("Content-Length", "0")], method="PUT"), 501),
    A("protocol: DELETE -> 501", req("/a.txt", method="DELETE"), 501),
    A("protocol: lower-case 'get' is another method -> 501", req("/a.txt", method="get"), 501),
    A("protocol: method that is not a token -> 400", req("/a.txt", method="G(E)T"), 400),
    A("protocol: Host of 300 chars -> 400", req("/a.txt", host="h" * 300), 400),
    A("protocol: empty Host -> 400", req("/a.txt", host=""), 400),
    A("protocol: duplicate Host -> 400", req("/a.txt", [("Host", "y")]), 400),
    A("protocol: duplicate Host, same value -> 400", req("/a.txt", [("Host", "x")]), 400),
    A("protocol: HTTP/1.1 without Host -> 400", req("/a.txt", host=None), 400),
    A("protocol: Host with a path 'x/../y' -> 400", req("/a.txt", host="x/../y"), 400),
    A("protocol: Host with userinfo 'a@b' -> 400", req("/a.txt", host="a@evil.example"), 400),
    A("protocol: Host with a space -> 400", req("/a.txt", host="a b"), 400),
    A("protocol: header name 'Bad[Name]' -> 400", req("/a.txt", [("Bad[Name]", "x")]), 400),
    A("protocol: header name 'Na me' -> 400", req("/a.txt", [("Na me", "x")]), 400),
    A("protocol: header name with '/' -> 400", req("/a.txt", [("X/Y", "x")]), 400),
    A("protocol: header name with non-ASCII -> 400", req("/a.txt", [(b"X-\xe9", "x")]), 400),
    A("protocol: HTTP/0.9 'GET /' with a blank line -> 400", b"GET /\r\n\r\n", 400),
    A("protocol: HTTP/0.9 'GET /' as a real 0.9 client (one line, then waits) -> 400 "
      "without waiting for the head deadline", b"GET /\r\n", 400, args=T3, max_elapsed=15),
    A("protocol: SMTP 'EHLO x' then waits -> 400 without waiting for the deadline",
      b"EHLO evil.example\r\n", 400, args=T3, max_elapsed=15),
    A("protocol: 'HTTP/1.1 200 OK' as a request -> 400", b"HTTP/1.1 200 OK\r\n\r\n", 400),
    A("protocol: SSH banner -> 400", b"SSH-2.0-OpenSSH_9.2\r\n\r\n", 400),
    A("protocol: four words in the request line -> 400", b"GET /a.txt HTTP/1.1 x\r\nHost: x\r\n\r\n", 400),
    A("protocol: version 'http/1.1' lower case -> 400", req("/a.txt", version="http/1.1"), 400),
    A("protocol: version 'HTTP/1' -> 400", req("/a.txt", version="HTTP/1"), 400),
    A("protocol: version 'HTTP/1.1.1' -> 400", req("/a.txt", version="HTTP/1.1.1"), 400),
    A("protocol: version 'HTTP/1.x' -> 400", req("/a.txt", version="HTTP/1.x"), 400),
    A("protocol: version with 11 digits -> 400", req("/a.txt", version="HTTP/1.00000000001"), 400),
    A("protocol: version 'HTTP/3.0' -> 505", req("/a.txt", version="HTTP/3.0"), 505),
    A("protocol: version 'HTTP/0.9' spelled out -> 505 or 400",
      req("/a.txt", version="HTTP/0.9", host=None), {400, 505},
      why="505: not HTTP/1.x; 400: 0.9 is refused outright (Python would serve it)"),
    A("protocol: tabs between the words -> 200 or 400",
      b"GET\t/a.txt\tHTTP/1.1\r\nHost: x\r\n\r\n", {200, 400},
      why="RFC 9112 3 lets a server accept other whitespace (Python does) or refuse it"),
    A("protocol: C1 CSI byte (0x9b) in the path -> 400 or 404, log has no raw C1",
      b"GET /\x9b31m HTTP/1.1\r\nHost: x\r\n\r\n", {400, 404},
      why="400: not a valid request-target byte; 404: no such name"),
    A("protocol: UTF-8 NEL (c2 85) in the path -> 400 or 404, log has no raw C1",
      b"GET /\xc2\x85x HTTP/1.1\r\nHost: x\r\n\r\n", {400, 404}, why="as above"),
    A("protocol: Expect: 100-continue on a GET of a file -> 200, no stray 100 before it",
      req("/a.txt", [("Expect", "100-continue")]), 200, checks=(body_is(A_TXT),)),

    # ---- ranges, preconditions and variants (issue 13): never more than
    # the file, never a fault, never another file
    A("range: last-pos 2^64 (integer overflow) -> 206, clamped to the file",
      req("/a.txt", [("Range", "bytes=0-18446744073709551616")]), 206,
      checks=(body_is(A_TXT),)),
    A("range: first-pos 2^64 -> 416 bytes */20",
      req("/a.txt", [("Range", "bytes=18446744073709551616-")]), 416,
      checks=(header_is("Content-Range", "bytes */%d" % len(A_TXT)),)),
    A("range: suffix 2^63 -> 206, the whole file once",
      req("/a.txt", [("Range", "bytes=-9223372036854775808")]), 206, checks=(body_is(A_TXT),)),
    A("range: 60000 digits -> 206, clamped",
      req("/a.txt", [("Range", "bytes=0-" + "9" * 60000)]), 206, checks=(body_is(A_TXT),)),
    A("range: bytes=-0 -> 416", req("/a.txt", [("Range", "bytes=-0")]), 416),
    A("range: negative first 'bytes=-5-10' -> ignored, 200",
      req("/a.txt", [("Range", "bytes=-5-10")]), 200, checks=(body_is(A_TXT),)),
    A("range: 1,000 ranges -> 200, the file once",
      req("/a.txt", [("Range", "bytes=" + ",".join("%d-%d" % (i % 20, i % 20)
                                                   for i in range(1000)))]), 200,
      checks=(body_is(A_TXT),)),
    A("range: 1,000 x '0-' (CVE-2011-3192) -> 200, the file once",
      req("/a.txt", [("Range", "bytes=" + ",".join(["0-"] * 1000))]), 200,
      checks=(body_is(A_TXT),)),
    A("range: 10 one-byte ranges on 20 bytes: framing outweighs it -> 200",
      req("/a.txt", [("Range", "bytes=" + ",".join("%d-%d" % (i, i) for i in range(0, 20, 2))
                      )]), 200, checks=(body_is(A_TXT),)),
    A("range: two Range headers -> the first counts, 206",
      req("/a.txt", [("Range", "bytes=0-1"), ("Range", "bytes=2-3")]), 206,
      checks=(body_is(A_TXT[:2]),)),
    A("range: on the symlink to SECRET -> 403", req("/secret-link", [("Range", "bytes=0-")]),
      403),
    A("range: on /dev/zero through a symlink -> 403",
      req("/devzero", [("Range", "bytes=0-99")]), 403),
    A("range: on the connection (/proc/self/fd/0) -> 403 or 404",
      req("/fd0", [("Range", "bytes=0-99")]), {403, 404},
      why="403: not a regular file; 404: the link leads out of the root"),
    A("range: on a CGI script runs it, never its source",
      req("/cgi-bin/env.sh", [("Range", "bytes=0-20")]), 200, checks=RAN),
    A("range: on a hidden file -> 404", req("/.env", [("Range", "bytes=0-")]), 404),
    A("precondition: If-None-Match list of 3000 tags -> 200",
      req("/a.txt", [("If-None-Match", ", ".join('"%d"' % i for i in range(3000)))]), 200,
      checks=(body_is(A_TXT),)),
    A("precondition: If-Match with an unterminated tag -> 412",
      req("/a.txt", [("If-Match", '"abc')]), 412),
    A("precondition: If-Range with 60000 bytes of junk -> 200, Range ignored",
      req("/a.txt", [("If-Range", "x" * 60000), ("Range", "bytes=0-1")]), 200,
      checks=(body_is(A_TXT),)),
    A("variant: FILE.gz a symlink to SECRET outside -> the file itself",
      req("/pc/x.txt", [("Accept-Encoding", "gzip")]), 200,
      args=("--timeout", "4", "--precompressed"),
      checks=(body_is(b"x\n"), no_header("Content-Encoding"))),
    A("variant: FILE.br a symlink to .env -> the file itself",
      req("/pc/e.txt", [("Accept-Encoding", "br")]), 200,
      args=("--timeout", "4", "--precompressed"),
      checks=(body_is(b"e\n"), no_header("Content-Encoding"))),
    A("variant: a directory's index.html.gz a symlink to SECRET -> the page itself",
      req("/pcidx/", [("Accept-Encoding", "gzip")]), 200,
      args=("--timeout", "4", "--precompressed"),
      checks=(body_is(b"idx\n"), no_header("Content-Encoding"))),
    A("variant: FILE.gz a FIFO -> the file, promptly (never blocks on it)",
      req("/pc/f.txt", [("Accept-Encoding", "gzip")]), 200,
      args=("--timeout", "4", "--precompressed"),
      checks=(body_is(b"f\n"), no_header("Content-Encoding"))),
    A("variant: beside a link inside a hidden directory reached through /dotgit -> "
      "the linked file, not .git's variant",
      req("/dotgit/innocent.txt", [("Accept-Encoding", "gzip")]), {200, 404},
      args=("--timeout", "4", "--precompressed"),
      why="200: the link's target a.txt; 404: the URL reaches into .git",
      checks=(no_header("Content-Encoding"),)),
    A("variant: Accept-Encoding of 60000 bytes -> 200",
      req("/pc/x.txt", [("Accept-Encoding", "gzip;q=0.5," * 5000)]), 200,
      args=("--timeout", "4", "--precompressed"), checks=(body_is(b"x\n"),)),
    A("variant: q with 20 decimals -> ignored, the file",
      req("/pc/x.txt", [("Accept-Encoding", "gzip;q=0.99999999999999999999")]), 200,
      args=("--timeout", "4", "--precompressed"), checks=(body_is(b"x\n"),)),

    # ---- virtual hosts (--vhost): every Host that is not a plain name is
    # the default site, and no Host reaches ROOT itself or outside it
    A("vhost: control: Host good.example -> its site",
      req("/site.txt", host="good.example"), 200, args=VH, checks=(body_is(GOOD_SITE),)),
    A("vhost: upper case GOOD.EXAMPLE -> good.example",
      req("/site.txt", host="GOOD.EXAMPLE"), 200, args=VH, checks=(body_is(GOOD_SITE),)),
    A("vhost: trailing dot good.example. -> good.example",
      req("/site.txt", host="good.example."), 200, args=VH, checks=(body_is(GOOD_SITE),)),
    A("vhost: port removed good.example:8080 -> good.example",
      req("/site.txt", host="good.example:8080"), 200, args=VH,
      checks=(body_is(GOOD_SITE),)),
    A("vhost: absolute-form authority wins over Host",
      req("http://good.example/site.txt", host="other.example"), 200, args=VH,
      checks=(body_is(GOOD_SITE),)),
    A("vhost: unknown host -> the default site",
      req("/site.txt", host="nope.example"), 200, args=VH, checks=(body_is(DEFAULT_SITE),)),
    A("vhost: HTTP/1.0 without Host -> the default site",
      req("/site.txt", version="HTTP/1.0", host=None), 200, args=VH,
      checks=(body_is(DEFAULT_SITE),)),
    A("vhost: empty Host (CVE-2018-18778) -> 400", req("/site.txt", host=""), 400, args=VH),
    A("vhost: Host .. (bozohttpd) -> default site, never ROOT/a.txt",
      req("/a.txt", host=".."), 404, args=VH, excludes=(A_TXT,)),
    A("vhost: Host .. -> the default site's file",
      req("/site.txt", host=".."), 200, args=VH, checks=(body_is(DEFAULT_SITE),)),
    A("vhost: Host . -> default", req("/site.txt", host="."), 200, args=VH,
      checks=(body_is(DEFAULT_SITE),)),
    A("vhost: Host ..:80 -> default", req("/a.txt", host="..:80"), 404, args=VH,
      excludes=(A_TXT,)),
    A("vhost: Host good.example.. -> default", req("/site.txt", host="good.example.."), 200,
      args=VH, checks=(body_is(DEFAULT_SITE),)),
    A("vhost: Host with a slash -> 400", req("/a.txt", host="../outside"), 400, args=VH),
    # '%' is no byte of a DNS name: the Host rule refuses it before any
    # site is chosen.
    A("vhost: Host %2e%2e -> 400", req("/a.txt", host="%2e%2e"), 400, args=VH,
      excludes=(A_TXT,)),
    A("vhost: Host %2f -> 400", req("/site.txt", host="good.example%2f.."), 400, args=VH,
      excludes=(DEFAULT_SITE,)),
    A("vhost: Host with a NUL -> 400", req("/a.txt", host=b"good.example\x00.."), 400,
      args=VH),
    A("vhost: Host with a backslash -> 400 or default", req("/a.txt", host="..\\.."),
      {400, 404}, args=VH, excludes=(A_TXT,), why="400: not a Host byte; 404: default site"),
    A("vhost: IPv6 literal [::1]:80 -> default", req("/site.txt", host="[::1]:80"), 200,
      args=VH, checks=(body_is(DEFAULT_SITE),)),
    A("vhost: Host 'default' is the default site by name", req("/site.txt", host="default"),
      200, args=VH, checks=(body_is(DEFAULT_SITE),)),
    A("vhost: a site directory that links out of the root -> default, nothing outside",
      req("/SECRET", host="out.example"), 404, args=VH),
    A("vhost: a site directory that links to .git -> default", req("/config", host="git.example"),
      {403, 404}, args=VH, why="404: the default site has no config; 403 if refused"),
    A("vhost: a site directory linked to another site -> that site (an alias)",
      req("/site.txt", host="www.good.example"), 200, args=VH, checks=(body_is(GOOD_SITE),)),
    A("vhost: a site directory linked into a site's cgi-bin -> default, no source",
      req("/env.sh", host="deep.example"), 404, args=VH),
    A("vhost: a site directory linked to ROOT itself -> default, never ROOT/a.txt",
      req("/a.txt", host="up.example"), 404, args=VH, excludes=(A_TXT,)),
    A("vhost: .git by name -> default (a leading dot is no name)",
      req("/config", host=".git"), 404, args=VH),
    A("vhost: 254-byte name -> default", req("/site.txt", host="a" * 63 + "." + "b" * 63 + "." +
                                           "c" * 63 + "." + "d" * 63), 200, args=VH,
      checks=(body_is(DEFAULT_SITE),)),
    A("vhost: path traversal out of the site -> ROOT/a.txt never",
      req("/../a.txt", host="good.example"), 404, args=VH, excludes=(A_TXT,)),
    A("vhost: %2e%2e out of the site -> never ROOT/a.txt",
      req("/%2e%2e/a.txt", host="good.example"), 404, args=VH, excludes=(A_TXT,)),
    A("vhost: CGI per site, DOCUMENT_ROOT the site's directory",
      req("/cgi-bin/env.sh", host="good.example"), 200, args=VH,
      checks=RAN + (env_endswith("DOCUMENT_ROOT", "/good.example"),
                    env_endswith("SCRIPT_FILENAME", "/good.example/cgi-bin/env.sh"),
                    env_is("SERVER_NAME", "good.example"))),
    A("vhost: CGI of the default site for an unknown host",
      req("/cgi-bin/env.sh", host="x.example"), 200, args=VH,
      checks=RAN + (env_endswith("DOCUMENT_ROOT", "/default"),)),
    # ---- PROXY protocol (--proxy-protocol, --proxy-from)
    A("proxy: v1 TCP4 -> the script's REMOTE_ADDR/PORT and the log are the client's",
      PP_V1 + req("/cgi-bin/env.sh"), 200, args=PP,
      checks=RAN + (env_is("REMOTE_ADDR", "192.0.2.1"), env_is("REMOTE_PORT", "12345"),
                    env_is("SERVER_PORT", "443"), env_is("HTTPS", ABSENT),
                    log_has(b"192.0.2.1 - - ["))),
    A("proxy: v1 TCP6 -> REMOTE_ADDR canonical",
      b"PROXY TCP6 2001:DB8:0::1 ::1 1 2\r\n" + req("/cgi-bin/env.sh"), 200, args=PP,
      checks=RAN + (env_is("REMOTE_ADDR", "2001:db8::1"), env_is("REMOTE_PORT", "1"))),
    A("proxy: v1 UNKNOWN -> the socket's own peer",
      b"PROXY UNKNOWN whatever\r\n" + req("/cgi-bin/env.sh"), 200, args=PP,
      checks=RAN + (env_is("REMOTE_ADDR", "127.0.0.1"),)),
    A("proxy: v2 TCP4 with an SSL TLV -> HTTPS=on, SSL_PROTOCOL, SSL_CIPHER",
      pp_v2(PP_INET4 + PP_SSL + pp_tlv(0x02, b"www.example.org")) +
      req("/cgi-bin/env.sh"), 200, args=PP,
      checks=RAN + (env_is("REMOTE_ADDR", "192.0.2.1"), env_is("HTTPS", "on"),
                    env_is("SSL_PROTOCOL", "TLSv1.3"),
                    env_is("SSL_CIPHER", "TLS_AES_256_GCM_SHA384"),
                    env_is("SSL_TLS_SNI", "www.example.org"),
                    log_has(b"192.0.2.1 - - ["))),
    A("proxy: v2 SSL TLV without the client bit -> no HTTPS",
      pp_v2(PP_INET4 + pp_tlv(0x20, b"\x00\x00\x00\x00\x00" + pp_tlv(0x21, b"TLSv1.3"))) +
      req("/cgi-bin/env.sh"), 200, args=PP,
      checks=RAN + (env_is("HTTPS", ABSENT), env_is("SSL_PROTOCOL", ABSENT))),
    A("proxy: v2 SSL version with a control byte and a space -> not passed",
      pp_v2(PP_INET4 + pp_tlv(0x20, b"\x01\x00\x00\x00\x00" +
                               pp_tlv(0x21, b"TLS\x1bv1 3"))) +
      req("/cgi-bin/env.sh"), 200, args=PP,
      checks=RAN + (env_is("HTTPS", "on"), env_is("SSL_PROTOCOL", ABSENT))),
    A("proxy: v2 TCP6", pp_v2(PP_INET6, b"\x21\x21") + req("/cgi-bin/env.sh"), 200,
      args=PP, checks=RAN + (env_is("REMOTE_ADDR", "2001:db8::1"),)),
    A("proxy: v2 LOCAL (a health check) -> the socket's peer",
      pp_v2(b"", b"\x20\x00") + req("/a.txt"), 200, args=PP,
      checks=(body_is(A_TXT), log_has(b"127.0.0.1 - - ["))),
    A("proxy: v2 UNSPEC -> the socket's peer",
      pp_v2(b"", b"\x21\x00") + req("/cgi-bin/env.sh"), 200, args=PP,
      checks=RAN + (env_is("REMOTE_ADDR", "127.0.0.1"),)),
    A("proxy: header and a POST in one segment -> the body byte-exact",
      PP_V1 + req("/cgi-bin/body.sh", [("Content-Length", str(len(PP_POST_BODY)))],
                  method="POST", body=PP_POST_BODY), 200, args=PP,
      checks=(body_is(b"BODY[" + PP_POST_BODY + b"]"),), method="POST"),
    A("proxy: v2 header and a POST in one segment -> the body byte-exact",
      pp_v2(PP_INET4 + PP_SSL) +
      req("/cgi-bin/body.sh", [("Content-Length", str(len(PP_POST_BODY)))],
          method="POST", body=PP_POST_BODY), 200, args=PP,
      checks=(body_is(b"BODY[" + PP_POST_BODY + b"]"),), method="POST"),
    A("proxy: v1 header dripped a byte at a time, then the request",
      Drip(PP_V1 + req("/cgi-bin/env.sh"), 0.02), 200, args=("--timeout", "20",
                                                              "--proxy-protocol"),
      checks=RAN + (env_is("REMOTE_ADDR", "192.0.2.1"),), max_elapsed=40, timeout=60),
    A("proxy: v2 header dripped a byte at a time, then the request",
      Drip(pp_v2(PP_INET4 + PP_SSL) + req("/a.txt"), 0.02), 200,
      args=("--timeout", "20", "--proxy-protocol"), checks=(body_is(A_TXT),),
      max_elapsed=40, timeout=60),
    A("proxy: --proxy-from the peer's network, header sent -> used",
      PP_V1 + req("/cgi-bin/env.sh"), 200,
      args=("--timeout", "4", "--proxy-from", "127.0.0.0/8"),
      checks=RAN + (env_is("REMOTE_ADDR", "192.0.2.1"),)),
    A("proxy: --proxy-from the peer's network, no header -> 400",
      req("/a.txt"), 400, args=("--timeout", "4", "--proxy-from", "127.0.0.1"),
      excludes=(A_TXT,), checks=(log_has(b"no PROXY protocol header"),)),
    A("proxy: a peer outside --proxy-from is a direct client",
      req("/cgi-bin/env.sh"), 200,
      args=("--timeout", "4", "--proxy-from", "192.0.2.0/24", "--proxy-from", "::1"),
      checks=RAN + (env_is("REMOTE_ADDR", "127.0.0.1"),)),
    A("proxy: a peer outside --proxy-from sending a header -> 400, not believed",
      PP_V1 + req("/cgi-bin/env.sh"), 400,
      args=("--timeout", "4", "--proxy-from", "192.0.2.0/24"), excludes=(b"--ENV--",),
      checks=(log_has(b"127.0.0.1 - - ["),)),
    A("proxy: a header without --proxy-protocol -> 400, nothing served",
      PP_V1 + req("/cgi-bin/env.sh"), 400, excludes=(b"--ENV--",)),
    A("proxy: a v2 header without --proxy-protocol -> 400, nothing served",
      pp_v2(PP_INET4) + req("/a.txt"), 400, excludes=(A_TXT,)),
    A("proxy: no header with --proxy-protocol -> 400, nothing served",
      req("/cgi-bin/env.sh"), 400, args=PP, excludes=(b"--ENV--",),
      checks=(log_has(b"no PROXY protocol header"),)),
    A("proxy: the client closes inside the header -> 400",
      b"PROXY TCP4 192.0.2.1", 400, args=PP, half_close=True,
      checks=(log_has(b"mid-PROXY header"),)),
    A("proxy: v1 truncated, never ended -> 408", b"PROXY TCP4 192.0.2.1 198.5", 408,
      args=PP2, max_elapsed=35, checks=(log_has(b"timed out reading the PROXY header"),)),
    A("proxy: v1 of 108 bytes -> 400",
      b"PROXY UNKNOWN " + b"x" * 92 + b"\r\n" + req("/a.txt"), 400, args=PP,
      excludes=(A_TXT,), checks=(log_has(b"PROXY v1 header too long"),)),
    A("proxy: v1 of 4 KiB without a line end -> 400",
      b"PROXY TCP4 " + b"1" * 4096, 400, args=PP),
    A("proxy: v1 bare LF -> 400", b"PROXY TCP4 192.0.2.1 198.51.100.2 1 2\n" + req("/a.txt"),
      400, args=PP, excludes=(A_TXT,)),
    A("proxy: v1 two spaces -> 400",
      b"PROXY TCP4 192.0.2.1  198.51.100.2 1 2\r\n" + req("/a.txt"), 400, args=PP),
    A("proxy: v1 TCP4 with an IPv6 address -> 400",
      b"PROXY TCP4 ::1 198.51.100.2 1 2\r\n" + req("/a.txt"), 400, args=PP,
      checks=(log_has(b"PROXY v1 address invalid for its family"),)),
    A("proxy: v1 octet 256 -> 400",
      b"PROXY TCP4 192.0.2.256 198.51.100.2 1 2\r\n" + req("/a.txt"), 400, args=PP),
    A("proxy: v1 address with a NUL -> 400",
      b"PROXY TCP4 192.0.2.1\x00 198.51.100.2 1 2\r\n" + req("/a.txt"), 400, args=PP),
    A("proxy: v1 port 65536 -> 400",
      b"PROXY TCP4 192.0.2.1 198.51.100.2 65536 2\r\n" + req("/a.txt"), 400, args=PP,
      checks=(log_has(b"PROXY v1 port invalid"),)),
    A("proxy: v1 port with a leading zero -> 400",
      b"PROXY TCP4 192.0.2.1 198.51.100.2 080 2\r\n" + req("/a.txt"), 400, args=PP),
    A("proxy: v1 port with a sign -> 400",
      b"PROXY TCP4 192.0.2.1 198.51.100.2 -1 2\r\n" + req("/a.txt"), 400, args=PP),
    A("proxy: v1 UDP4 -> 400",
      b"PROXY UDP4 192.0.2.1 198.51.100.2 1 2\r\n" + req("/a.txt"), 400, args=PP),
    A("proxy: v2 truncated in the fixed part, never ended -> 408",
      PP_SIG + b"\x21", 408, args=PP2, max_elapsed=35),
    A("proxy: v2 truncated in the addresses, client closes -> 400",
      pp_v2(PP_INET4)[:22], 400, args=PP, half_close=True),
    A("proxy: v2 lying length, longer than sent -> 408, no hang",
      pp_v2(PP_INET4, length=200) + req("/a.txt"), 408, args=PP2, max_elapsed=35,
      excludes=(A_TXT,), checks=(log_has(b"timed out reading the PROXY header"),)),
    A("proxy: v2 lying length, shorter than the IPv4 block -> 400",
      pp_v2(PP_INET4[:8]) + req("/a.txt"), 400, args=PP, excludes=(A_TXT,),
      checks=(log_has(b"PROXY v2 length too short for its address family"),)),
    A("proxy: v2 TCP6 with an IPv4 block's length -> 400",
      pp_v2(PP_INET4, b"\x21\x21") + req("/a.txt"), 400, args=PP, excludes=(A_TXT,)),
    A("proxy: v2 UNIX with an IPv4 block's length -> 400",
      pp_v2(PP_INET4, b"\x21\x31") + req("/a.txt"), 400, args=PP),
    A("proxy: v2 over the 4096-byte cap -> 400",
      pp_v2(PP_INET4 + pp_tlv(0x04, b"\x00" * 4069)) + req("/a.txt"), 400, args=PP,
      excludes=(A_TXT,), checks=(log_has(b"PROXY v2 header too large"),)),
    A("proxy: v2 at the 4096-byte cap -> used",
      pp_v2(PP_INET4 + pp_tlv(0x04, b"\x00" * 4065)) + req("/cgi-bin/env.sh"), 200,
      args=PP, checks=RAN + (env_is("REMOTE_ADDR", "192.0.2.1"),)),
    A("proxy: v2 announcing 65535 bytes -> 400", PP_SIG + b"\x21\x11\xff\xff", 400,
      args=PP),
    A("proxy: v2 version 1 -> 400", PP_SIG + b"\x11\x11\x00\x0c" + PP_INET4 +
      req("/a.txt"), 400, args=PP),
    A("proxy: v2 command 15 -> 400", PP_SIG + b"\x2f\x11\x00\x0c" + PP_INET4 +
      req("/a.txt"), 400, args=PP),
    A("proxy: v2 family 5 -> 400", PP_SIG + b"\x21\x51\x00\x0c" + PP_INET4 +
      req("/a.txt"), 400, args=PP),
    A("proxy: v2 TLV longer than the header -> 400",
      pp_v2(PP_INET4 + b"\x04\x00\x10xx") + req("/a.txt"), 400, args=PP,
      checks=(log_has(b"PROXY v2 TLV overruns the header"),)),
    A("proxy: v2 SSL sub-TLV longer than the SSL TLV -> 400",
      pp_v2(PP_INET4 + pp_tlv(0x20, b"\x01\x00\x00\x00\x00\x21\x00\x09TLS")) +
      req("/a.txt"), 400, args=PP),
    A("proxy: two headers, the second is a bad request -> 400",
      PP_V1 + PP_V1 + req("/a.txt"), 400, args=PP, excludes=(A_TXT,)),
    # ---- password-protected paths (--auth)
    A("auth: control: the right password -> 200, the file",
      req("/admin/s.txt", [RIGHT]), 200, args=AU, checks=(body_is(ADMIN_MARK),)),
    A("auth: no credentials -> 401 with the challenge, nothing of the file",
      req("/admin/s.txt"), 401, args=AU, excludes=(ADMIN_MARK,),
      checks=(header_is("WWW-Authenticate", 'Basic realm="/admin", charset="UTF-8"'),
              log_has(b"no credentials"))),
    A("auth: a wrong password -> 401, the log names the user for fail2ban",
      req("/admin/s.txt", [basic("alice", "wrong horse")]), 401, args=AU,
      excludes=(ADMIN_MARK,), checks=(log_has(b"auth failed for user alice: wrong password"),)),
    A("auth: an unknown user -> 401",
      req("/admin/s.txt", [basic("mallory", "right horse")]), 401, args=AU,
      excludes=(ADMIN_MARK,), checks=(log_has(b"auth failed for user mallory: unknown user"),)),
    A("auth: the right password with a byte more -> 401",
      req("/admin/s.txt", [basic("alice", "right horse ")]), 401, args=AU,
      excludes=(ADMIN_MARK,)),
    A("auth: the hash itself as the password -> 401",
      req("/admin/s.txt", [basic("alice", AUTH_HASH)]), 401, args=AU, excludes=(ADMIN_MARK,)),
    A("auth: a user with a control byte -> 400, the log escapes nothing raw",
      req("/admin/s.txt", [basic("ali\x1bce", "right horse")]), 400, args=AU,
      excludes=(ADMIN_MARK,), checks=(no_log_byte(b"\x1b"),)),
    A("auth: a NUL inside the password -> 400 (crypt would stop at it)",
      req("/admin/s.txt", [basic("alice", "right horse\x00tail")]), 400, args=AU,
      excludes=(ADMIN_MARK,)),
    A("auth: %-encoded prefix /%61dmin -> still protected",
      req("/%61dmin/s.txt"), 401, args=AU, excludes=(ADMIN_MARK,)),
    A("auth: //admin -> still protected", req("//admin/s.txt"), 401, args=AU,
      excludes=(ADMIN_MARK,)),
    A("auth: /x/../admin -> still protected", req("/x/../admin/s.txt"), 401, args=AU,
      excludes=(ADMIN_MARK,)),
    A("auth: /admin/. with a query and a fragment -> still protected",
      req("/admin/./s.txt?x#y"), 401, args=AU, excludes=(ADMIN_MARK,)),
    A("auth: the directory itself -> 401 before its redirect or listing",
      req("/admin"), 401, args=AU, excludes=(ADMIN_MARK, b"s.txt")),
    A("auth: an index.html below -> protected",
      req("/admin/sub/"), 401, args=AU, excludes=(ADMIN_MARK,)),
    A("auth: /administrator.txt shares letters, not the component -> public",
      req("/administrator.txt"), 200, args=AU, checks=(body_is(b"PUBLIC\n"),)),
    A("auth: absolute-form target -> still protected",
      req("http://x/admin/s.txt"), 401, args=AU, excludes=(ADMIN_MARK,)),
    A("auth: HEAD -> 401 too", req("/admin/s.txt", method="HEAD"), 401, args=AU,
      method="HEAD", excludes=(ADMIN_MARK,)),
    A("auth: bad base64 -> 400", req("/admin/s.txt", [("Authorization", "Basic !!!!")]),
      400, args=AU, excludes=(ADMIN_MARK,)),
    A("auth: base64 without its padding -> 400",
      req("/admin/s.txt", [("Authorization", "Basic YWxpY2U6eA")]), 400, args=AU,
      excludes=(ADMIN_MARK,)),
    A("auth: 2000 bytes of credentials -> 400 before decoding",
      req("/admin/s.txt", [("Authorization", "Basic " + "QUFB" * 500)]), 400, args=AU,
      excludes=(ADMIN_MARK,)),
    A("auth: two Authorization fields, the right one second -> 400",
      req("/admin/s.txt", [basic("mallory", "x"), RIGHT]), 400, args=AU,
      excludes=(ADMIN_MARK,), checks=(log_has(b"Authorization header repeated"),)),
    A("auth: another scheme (Bearer) -> 401 with the challenge",
      req("/admin/s.txt", [("Authorization", "Bearer abc")]), 401, args=AU,
      excludes=(ADMIN_MARK,)),
    A("auth: the right password over plain HTTP without --auth-over-http -> 403",
      req("/admin/s.txt", [RIGHT]), 403, args=AU_TLS_ONLY, excludes=(ADMIN_MARK,),
      checks=(log_has(b"protected path over plain HTTP"),)),
    A("auth: the right password behind a PROXY v2 SSL TLV -> 200",
      pp_v2(PP_INET4 + PP_SSL) + req("/admin/s.txt", [RIGHT]), 200,
      args=AU_TLS_ONLY + ("--proxy-protocol",), checks=(body_is(ADMIN_MARK),)),
    A("auth: a PROXY v2 SSL TLV without the client bit is not TLS -> 403",
      pp_v2(PP_INET4 + pp_tlv(0x20, b"\x00\x00\x00\x00\x00")) +
      req("/admin/s.txt", [RIGHT]), 403, args=AU_TLS_ONLY + ("--proxy-protocol",),
      excludes=(ADMIN_MARK,)),
    A("auth: a protected script, verified -> REMOTE_USER, AUTH_TYPE, no HTTP_AUTHORIZATION",
      req("/cgi-bin/priv/env.sh", [RIGHT]), 200, args=AU,
      checks=RAN + (env_is("REMOTE_USER", "alice"), env_is("AUTH_TYPE", "Basic"),
                    env_is("HTTP_AUTHORIZATION", ABSENT))),
    A("auth: a protected script without credentials -> 401, never run",
      req("/cgi-bin/priv/env.sh"), 401, args=AU, excludes=(b"--ENV--",)),
    A("auth: a protected script with PATH_INFO -> 401, never run",
      req("/cgi-bin/priv/env.sh/more?q"), 401, args=AU, excludes=(b"--ENV--",)),
    A("auth: a protected script by %2f -> 401 or refused, never run",
      req("/cgi-bin%2fpriv%2fenv.sh"), (401, 404), args=AU, excludes=(b"--ENV--",),
      why="an encoded slash may be refused before the check, or decoded and checked"),
    A("auth: a public script given Basic credentials -> no REMOTE_USER from them",
      req("/cgi-bin/env.sh", [basic("root", "anything")]), 200, args=AU,
      checks=RAN + (env_is("REMOTE_USER", ABSENT), env_is("AUTH_TYPE", ABSENT))),
    A("auth: without --auth a claimed user is nobody",
      req("/cgi-bin/env.sh", [basic("root", "anything")]), 200,
      checks=RAN + (env_is("REMOTE_USER", ABSENT), env_is("AUTH_TYPE", ABSENT))),
    A("auth: a plaintext line in the file -> 500 for every path, fail closed",
      req("/a.txt"), 500, args=("--timeout", "4", "--auth", "{outside}/auth-plain",
                                "--auth-over-http"), excludes=(A_TXT,),
      checks=(log_has(b"line 1"),)),
    A("auth: the file is a FIFO -> 500, not a hang",
      req("/a.txt"), 500, args=("--timeout", "4", "--auth", "{outside}/auth-fifo",
                                "--auth-over-http"), excludes=(A_TXT,)),
    A("auth: the file is missing -> 500",
      req("/a.txt"), 500, args=("--timeout", "4", "--auth", "{outside}/no-such-file",
                                "--auth-over-http"), excludes=(A_TXT,)),
    A("vhost: ROOT's own cgi-bin is not a site's", req("/cgi-bin/hello.sh", host="good.example"),
      404, args=VH),
]


def names_unique():
    seen = set()
    dup = [a.name for a in CATALOGUE if a.name in seen or seen.add(a.name)]
    return dup
