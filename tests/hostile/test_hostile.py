#!/usr/bin/env python3
"""Hostile input (issue 5): every entry of catalogue.py sent to the real
binary in the harness's inetd mode (a connected socket on fd 0/1), against a
web root with a SECRET outside it, links out of it, a symlink cycle, a FIFO,
a hard link, hidden files, an alias of the CGI directory and CGI scripts.

Each entry is one TAP test point: its own assertions plus the ones every
entry gets (see catalogue.py's docstring).  TAP on stdout; exit 1 on any
failure.

Run:  CGIHANDLERD=build/cgihandlerd python3 tests/hostile/test_hostile.py
      [substring ...]      only the entries whose name contains one of them
"""

import contextlib
import dataclasses
import os
import re
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "e2e"))
sys.path.insert(0, HERE)
from harness import (  # noqa: E402
    TAP, WebRoot, InetdSession, auth_probe, common_problems, require_binary, short)
import catalogue as C  # noqa: E402

tap = TAP()
tap.watchdog(560)
require_binary(tap)

# ---------------------------------------------------------------------------
# The web root


def build(w, spec, top):
    """Make the fixture with directory fds, one component at a time: some
    of its real paths are longer than PATH_MAX."""
    for rel, item in spec.items():
        parts = rel.split("/")
        fd = os.open(top, os.O_RDONLY | os.O_DIRECTORY)
        try:
            for name in parts[:-1]:
                with contextlib.suppress(FileExistsError):
                    os.mkdir(name, 0o755, dir_fd=fd)
                nfd = os.open(name, os.O_RDONLY | os.O_DIRECTORY, dir_fd=fd)
                os.close(fd)
                fd = nfd
            name, kind = parts[-1], item[0]
            if kind == "file":
                f = os.open(name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600, dir_fd=fd)
                with os.fdopen(f, "wb") as fh:
                    fh.write(item[1])
                os.chmod(name, item[2], dir_fd=fd)
            elif kind == "symlink":
                os.symlink(item[1].format(root=w.root, outside=w.outside), name, dir_fd=fd)
            elif kind == "hardlink":
                os.link(os.path.join(w.base, item[1]), name, dst_dir_fd=fd)
            elif kind == "fifo":
                os.mkfifo(name, 0o644, dir_fd=fd)
            else:
                raise ValueError("bad fixture kind %r for %s" % (kind, rel))
        finally:
            os.close(fd)


W = WebRoot({}, prefix="cgihandlerd-hostile-")
try:
    build(W, C.OUTSIDE, W.outside)     # first: the hard link needs its source
    build(W, C.FIXTURE, W.root)
    # Scripts run as nobody; an interpreter that resolves its script's
    # absolute path must be able to walk down to it.
    os.chmod(W.base, 0o755)
except BaseException:
    W.cleanup()
    raise

# ---------------------------------------------------------------------------
# Running one entry


class Session(InetdSession):
    def stderr_bytes(self):
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read()


@dataclasses.dataclass
class Outcome:
    res: object
    resp: object
    log: bytes


def drive(a, s):
    send = a.send
    if isinstance(send, (bytes, bytearray)):
        s.start_with(send, a.half_close)
    elif isinstance(send, C.Drip):
        s.start()
        s.drip(send.data, send.interval, timeout=a.timeout)
    elif isinstance(send, C.Trickle):
        s.send(send.prefix)
        s.start()
        deadline = time.monotonic() + a.timeout
        n = 0
        while s.poll() is None and time.monotonic() < deadline:
            try:
                s.client.sendall(send.line.replace(b"{n}", str(n).encode()))
            except OSError:
                break
            n += 1
            s.wait(send.interval)
    else:
        raise TypeError("bad send %r" % (send,))


def run(a):
    args = [x.format(outside=W.outside) if x.startswith("{outside}") else x
            for x in a.args]
    with Session(args, root=W, env=a.env, start=False) as s:
        drive(a, s)
        res = s.finish(a.timeout)
        log = s.stderr_bytes()
    resp, _ = res.try_parse(a.method)
    return Outcome(res, resp, log)


# ---------------------------------------------------------------------------
# What every entry must satisfy

LOG_RE = re.compile(
    r'^(?P<host>\S+) - - \[[0-9]{2}/[A-Z][a-z]{2}/[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} '
    r'\+0000\] "(?P<request>.*)" (?P<status>[0-9]{3}|-) (?P<bytes>[0-9]+|-)(?: (?P<why>.*))?$')


# Notes for the operator that may accompany the one log line: the relay's
# about its script, and what is wrong with an --auth file.
RELAY_NOTE = re.compile(r"^cgihandlerd: (CGI script (exit status \d+|killed by signal \d+)|"
                        r"--auth \S+ (line \d+: [ -~]+|cannot be read: [ -~]+))$")


def log_problems(log, resp):
    p = []
    text = log.decode("utf-8", "surrogateescape")
    for i, ch in enumerate(text):
        o = ord(ch)
        if (o < 0x20 and ch != "\n") or o == 0x7f or 0x80 <= o <= 0x9f:
            p.append("raw control character U+%04X in the log at %d: %s"
                     % (o, i, short(log[max(0, i - 40):i + 20])))
            break
        if 0xdc80 <= o <= 0xdc9f:     # an undecodable byte 0x80..0x9f: raw C1
            p.append("raw C1 byte 0x%02x in the log at %d: %s"
                     % (o - 0xdc00, i, short(log[max(0, i - 40):i + 20])))
            break
    lines = [ln for ln in text.split("\n") if ln]
    clf = [LOG_RE.match(ln) for ln in lines]
    good = [m for m in clf if m]
    other = [ln for ln, m in zip(lines, clf) if not m and not RELAY_NOTE.match(ln)]
    if not good:
        p.append("no Common Log Format line in the log: %s" % short(log, 400))
    elif len(good) > 1:
        p.append("%d log lines for one request: %s" % (len(good), short(log, 400)))
    elif resp is not None and good[0].group("status") != str(resp.status):
        p.append("log status %s but the response is %d" % (good[0].group("status"),
                                                            resp.status))
    if other:
        p.append("unexpected log lines: %s" % short("\n".join(other), 400))
    return p


# What an error page may say (util/status.c): Python's own message for the
# refusals Python makes, else the status's reason phrase. A log reason is
# for the operator and may name a detail of the server.
PYTHON_MESSAGES = {
    "No such CGI script", "CGI script is not a plain file",
    "CGI script is not executable", "Can only POST to CGI scripts",
    "No permission to list directory", "File not found",
    "Bad request version", "Bad request syntax", "Invalid HTTP version",
    "Unsupported method", "Too many headers",
}
PAGE_MESSAGE = re.compile(rb"<p>Message: (.*?)\.</p>")
pages_checked = []


def page_problems(o):
    """An error page of ours carries no log reason."""
    resp = o.resp
    if resp is None or resp.status < 400 or b"<h1>Error response</h1>" not in resp.body:
        return []
    m = PAGE_MESSAGE.search(resp.body)
    if not m:
        return ["error page without a message: %s" % short(resp.body, 300)]
    message = m.group(1).decode("utf-8", "replace")
    p = []
    if message not in PYTHON_MESSAGES and message != resp.reason:
        p.append("error page message %r is neither Python's nor the status "
                 "phrase %r" % (message, resp.reason))
    for ln in o.log.decode("utf-8", "replace").split("\n"):
        lm = LOG_RE.match(ln)
        why = lm and lm.group("why")
        if why and why not in PYTHON_MESSAGES:
            pages_checked.append(why)
            if why.encode() in resp.body:
                p.append("the log reason %r is on the client's page" % why)
    return p


def universal(a, o):
    res, resp = o.res, o.resp
    p = []
    if res.timed_out:
        p.append("handler still running after %.0f s (killed)" % a.timeout)
    elif res.returncode != 0:
        p.append("exit %s (want 0; negative = killed by a signal)" % res.returncode)
    if not res.raw.startswith(b"HTTP/1.1 "):
        p.append("no 'HTTP/1.1 ' status line; received %s" % short(res.raw, 200))
    if resp is None:
        _, err = res.try_parse(a.method)
        p.append("response does not parse: %s" % err)
    else:
        if resp.status not in a.statuses:
            p.append("status %d %s, want %s" % (resp.status, resp.reason,
                                                 "|".join(map(str, sorted(a.statuses)))))
        p += common_problems(resp)
        for loc in resp.header_all("Location"):
            if not loc.startswith("/") or loc.startswith("//") or loc.startswith("/\\") \
                    or re.match(r"^[A-Za-z][A-Za-z0-9+.-]*:", loc):
                p.append("Location may leave the host: %r" % loc)
        if resp.header_all("Set-Cookie"):
            p.append("Set-Cookie in the response: %r" % resp.header_all("Set-Cookie"))
    for m in C.NEVER + tuple(a.excludes):
        if m in res.raw:
            i = res.raw.find(m)
            p.append("forbidden bytes %s reached the client: ...%s..." % (
                short(m, 60), short(res.raw[max(0, i - 80):i + 80], 300)))
    if not res.timed_out and res.elapsed > a.max_elapsed:
        p.append("handler took %.2f s, want <= %.1f s" % (res.elapsed, a.max_elapsed))
    p += log_problems(o.log, resp)
    p += page_problems(o)
    return p


def describe_send(send):
    if isinstance(send, (bytes, bytearray)):
        return "request (%d bytes): %s" % (len(send), short(send, 300))
    return repr(send)[:300]


def one(a):
    o = run(a)
    p = universal(a, o)
    for check in a.checks:
        p += check(o)
    if p:
        p.append(describe_send(a.send))
        p.append("args: %s" % " ".join(a.args))
        p.append("got: exit=%s elapsed=%.2fs raw=%s" % (
            o.res.returncode, o.res.elapsed, short(o.res.raw, 400)))
        p.append("log: %s" % short(o.log, 400))
    return p


def label(a):
    want = "|".join(map(str, sorted(a.statuses)))
    return "%s [want %s]" % (a.name, want)


# ---------------------------------------------------------------------------

def main():
    only = sys.argv[1:]
    cases = [a for a in C.CATALOGUE if not only or any(s in a.name for s in only)]
    if not only:
        dup = C.names_unique()
        tap.check(not dup, "catalogue: entry names are unique", diag=dup)
        tap.check(len(C.CATALOGUE) >= 150, "catalogue: at least 150 attacks (%d)"
                  % len(C.CATALOGUE))
        tap.check(all(a.statuses and all(100 <= s <= 599 for s in a.statuses)
                      for a in C.CATALOGUE),
                  "catalogue: every entry expects a proper HTTP status")
        tap.check(all(a.why for a in C.CATALOGUE if len(a.statuses) > 1),
                  "catalogue: every entry that accepts two statuses says why",
                  diag=[a.name for a in C.CATALOGUE if len(a.statuses) > 1 and not a.why])
        # The fixture is what the entries assume it is.
        tap.check(os.path.samefile(W.path("hard.txt"), os.path.join(W.outside, "hardsrc")),
                  "fixture: hard.txt and outside/hardsrc are one inode")
        tap.check(os.stat(W.path("cgi-bin/gw.sh")).st_mode & 0o777 == 0o775,
                  "fixture: cgi-bin/gw.sh is group-writable (0775)")
    # A build without crypt_r refuses --auth at start-up (e2e-auth checks
    # that): its entries are skipped there, not failed.
    if auth_probe().returncode != 0:
        for a in [a for a in cases if "--auth" in a.args]:
            tap.skip(label(a), "this build has no crypt_r (--auth refused)")
        cases = [a for a in cases if "--auth" not in a.args]
    # Many entries wait out a deadline of a few seconds: four at a time,
    # they wait together (each has its own handler, socket and log).
    tap.table(cases, one, name=label, workers=4)
    if not only:
        # The check above saw real reasons, not only Python's messages.
        tap.check(len(set(pages_checked)) >= 20,
                  "error pages: %d distinct log reasons checked against the "
                  "pages (at least 20)" % len(set(pages_checked)),
                  diag=sorted(set(pages_checked)))
    # Nothing of ours may outlive the run: no process with its cwd or its
    # command line in our tree (a script runs in its own directory).
    def ours():
        found = []
        for pid in os.listdir("/proc"):
            if not pid.isdigit():
                continue
            try:
                cwd = os.readlink("/proc/%s/cwd" % pid)
                with open("/proc/%s/cmdline" % pid, "rb") as f:
                    cmd = f.read()
            except OSError:
                continue
            if cwd.startswith(W.base) or W.base.encode() in cmd:
                found.append(int(pid))
        return found
    deadline = time.monotonic() + 8
    while ours() and time.monotonic() < deadline:
        time.sleep(0.1)
    left = ours()
    for pid in left:
        with contextlib.suppress(OSError):
            os.kill(pid, 9)
    tap.check(not left, "no handler or script left running (8 s grace)", diag=left)


try:
    main()
finally:
    W.cleanup()
sys.exit(tap.done())
