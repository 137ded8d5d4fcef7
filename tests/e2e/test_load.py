#!/usr/bin/env python3
"""Load and faults (issue 5), loopback only, bounded in time and count:

  - 200 parallel connections through `tcpserver -c 250`, each fetching a
    ~100 KB file (sha256 checked) or a small CGI script: every response
    correct and complete, every handler exits 0 (tcpserver -v says so);
  - 500 idle connections to the binary with --timeout 3 behind
    `tcpserver -c 600`: each gets its 408 (or EOF) and every handler is gone
    within ~6 s, while a normal request made meanwhile is served;
  - a client that resets the connection (SO_LINGER 0, close) in the middle
    of a 50 MiB file, of a CGI script writing without end, and of the same
    script behind --parse-headers' relay: handler and script exit promptly,
    not by a crash (inetd mode, exit status checked);
  - a client that stops reading a 50 MiB file: the handler's write stall is
    bounded by --timeout;
  - a file truncated while it is sent: the response is shorter than its
    Content-Length, a prefix of the file, and the connection closes (no
    hang, no padding);
  - unreadable directories and files, with the handler run as nobody
    (setpriv), since root ignores permission bits.

TAP on stdout; exit 1 on any failure.
Run:  CGIHANDLERD=build/cgihandlerd python3 tests/e2e/test_load.py
"""

import contextlib
import hashlib
import os
import re
import selectors
import shutil
import signal
import socket
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (  # noqa: E402
    BINARY, TAP, File, Dir, RandomFile, WebRoot, InetdSession,
    serve, parse_response, response_problems, request, short,
    require_binary, ProtocolError, raw_request, read_to_eof, live_processes)

tap = TAP()
tap.watchdog(170)
require_binary(tap)

MARK = os.urandom(4).hex()
HELLO = b"hello from the load test " + MARK.encode() + b"\n"
SPEC = {
    "file100k.bin": RandomFile(100 * 1000),
    "huge.bin": RandomFile(50 * 1024 * 1024),
    "trunc.bin": RandomFile(64 * 1024 * 1024),
    "open.txt": b"open\n",
    "cgi-bin/small.sh": File(b"#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n"
                             + HELLO.replace(b"\n", b"\\n") + b"'\n", 0o755),
    # Writes without end; `yes` gets SIGPIPE (or EPIPE) once the client is gone.
    "cgi-bin/flood.sh": File(b"#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
                             b"exec yes flood-" + MARK.encode() + b"\n", 0o755),
    "locked/inner.txt": b"locked inner\n",
    "locked": Dir(0o000),
    "noread/f.txt": b"in a --x directory\n",
    "noread": Dir(0o311),
    "file000.txt": File(b"mode 000\n", 0o000),
}
W = WebRoot(SPEC, prefix="cgihandlerd-load-")
os.chmod(W.base, 0o755)      # nobody (setpriv case, CGI scripts) walks down


# ---------------------------------------------------------------------------
# tcpserver

@contextlib.contextmanager
def tcpserver(conc, args=()):
    """tcpserver -v -R -H -l 0 -b N -c N 127.0.0.1 PORT BINARY ARGS ROOT; its
    stderr carries both its own end lines and the handlers' log lines."""
    if shutil.which("tcpserver") is None:
        yield None
        return
    def argv(port):
        return (["tcpserver", "-v", "-R", "-H", "-l", "0", "-b", str(conc),
                 "-c", str(conc), "127.0.0.1", str(port), BINARY] + list(args) +
                [W.root])
    with serve(argv, cwd=W.base, label="tcpserver") as srv:
        yield srv


def children(pid):
    """Live child pids of pid (handlers forked by tcpserver)."""
    return [p for p, fields in live_processes() if int(fields[1]) == pid]


def end_statuses(stderr):
    """tcpserver -v: 'tcpserver: end PID status WSTAT' -> [wstat]."""
    return [int(m.group(1)) for m in re.finditer(r"tcpserver: end \d+ status (\d+)", stderr)]


def wstat_text(w):
    if os.WIFSIGNALED(w):
        return "killed by %s" % signal.Signals(os.WTERMSIG(w)).name
    return "exit %d" % os.WEXITSTATUS(w)


def test_parallel():
    name = ("200 parallel connections through tcpserver -c 250 (100 KB file, sha256, "
            "or a CGI script): every response correct and complete")
    with tcpserver(250) as srv:
        if srv is None:
            tap.skip(name, "tcpserver not installed")
            return
        n = 200
        results = [None] * n
        barrier = threading.Barrier(n, timeout=30)
        want_sha = W.sha256["file100k.bin"]

        def client(i):
            target = "/file100k.bin" if i % 2 == 0 else "/cgi-bin/small.sh"
            try:
                barrier.wait()
            except threading.BrokenBarrierError:
                pass
            try:
                raw = raw_request(srv.port, request("GET", target), timeout=40)
            except OSError as exc:
                results[i] = "%s: %s" % (target, exc)
                return
            try:
                r = parse_response(raw)
            except ProtocolError as exc:
                results[i] = "%s: %s (%s)" % (target, exc, raw.end)
                return
            if r.status != 200:
                results[i] = "%s: status %d" % (target, r.status)
            elif i % 2 == 0 and hashlib.sha256(r.body).hexdigest() != want_sha:
                results[i] = "%s: sha256 mismatch, %d bytes" % (target, len(r.body))
            elif i % 2 == 1 and r.body != HELLO:
                results[i] = "%s: body %s" % (target, short(r.body, 100))
            else:
                results[i] = True

        t0 = time.monotonic()
        threads = [threading.Thread(target=client, args=(i,), daemon=True) for i in range(n)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        took = time.monotonic() - t0
        bad = [(i, r) for i, r in enumerate(results) if r is not True]
        tap.check(not bad, name + " (%.1f s)" % took,
                  diag=lambda: ["%d bad of %d" % (len(bad), n)] +
                  ["#%d: %s" % (i, r) for i, r in bad[:15]])
        # every handler (and script) exited 0: tcpserver -v prints each wstat
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline and (children(srv.proc.pid) or
                                               len(end_statuses(srv.stderr_text())) < n):
            time.sleep(0.1)
        err = srv.stderr_text()
        st = end_statuses(err)
        nonzero = [wstat_text(w) for w in st if w != 0]
        tap.check(len(st) == n and not nonzero,
                  "under load: all %d handlers/scripts ended with exit 0, none by a signal" % n,
                  diag=lambda: "ends seen: %d; non-zero: %s" % (len(st), nonzero[:20]))
        logs = [ln for ln in err.splitlines() if re.match(r"^127\.0\.0\.1 - - \[", ln)]
        crash = [ln for ln in err.splitlines() if "cgihandlerd:" in ln]
        tap.check(len(logs) == n and not crash,
                  "under load: one log line per request (%d), no handler complaint" % len(logs),
                  diag=lambda: crash[:10])


def started(stderr):
    """tcpserver -v: how many handlers it has forked ('pid N from ...')."""
    return len(re.findall(r"tcpserver: pid \d+ from ", stderr))


def test_idle():
    # --timeout 10: a normal request must be served long before the idle
    # handlers' deadline, whatever a loaded machine makes of "long".
    T = 10
    n = 150 if os.environ.get("CGIHANDLERD_BUILD_KIND") == "asan" else 500
    name = ("%d idle connections, --timeout %d, tcpserver -c 600: every one answered "
            "408 (or EOF) within ~%d s of its handler's start" % (n, T, 2 * T))
    with tcpserver(600, ["--timeout", str(T)]) as srv:
        if srv is None:
            tap.skip(name, "tcpserver not installed")
            return
        # (150 under ASan: a handler there holds tens of MiB, and 500 at
        # once test this machine's memory, not the handler, starving the
        # one request made meanwhile.)
        socks = []
        sel = selectors.DefaultSelector()
        t0 = time.monotonic()
        try:
            for i in range(n):
                s = socket.create_connection(("127.0.0.1", srv.port), timeout=5)
                s.setblocking(False)
                socks.append(s)
                sel.register(s, selectors.EVENT_READ, i)
            t_open = time.monotonic() - t0
            # Each handler's deadline runs from its own start; a slow build
            # (sanitizers) takes a while to start 500 of them.
            while started(srv.stderr_text()) < n and time.monotonic() - t0 < 60:
                time.sleep(0.05)
            t_started = time.monotonic() - t0
            # Meanwhile: a normal request is served (we are at 501 of 600).
            t1 = time.monotonic()
            raw = raw_request(srv.port, request("GET", "/file100k.bin"), timeout=10)
            t_normal = time.monotonic() - t1
            p = []
            try:
                r = parse_response(raw)
                if r.status != 200 or hashlib.sha256(r.body).hexdigest() != \
                        W.sha256["file100k.bin"]:
                    p.append("status %d, %d body bytes" % (r.status, len(r.body)))
            except ProtocolError as exc:
                p.append("%s (%s)" % (exc, raw.end))
            # Under ASan, starting the idle handlers' sanitizer runtimes
            # takes the machine's CPU for seconds: served is what counts.
            if t_normal > T and os.environ.get("CGIHANDLERD_BUILD_KIND") != "asan":
                p.append("served only after %.1f s (the idle handlers held it up)" % t_normal)
            tap.expect("a normal request while %d idle handlers wait is served (%.2f s)"
                       % (n, t_normal), p)
            # Read every idle socket until EOF: T after the last handler
            # started, plus as much again for slack.
            got = [bytearray() for _ in range(n)]
            done = [None] * n
            deadline = t0 + t_started + 2 * T
            while time.monotonic() < deadline and None in done:
                for key, _ in sel.select(timeout=max(0, deadline - time.monotonic())):
                    i = key.data
                    try:
                        d = key.fileobj.recv(65536)
                    except (BlockingIOError, InterruptedError):
                        continue
                    except ConnectionResetError:
                        d = b""
                    if d:
                        got[i] += d
                    else:
                        done[i] = time.monotonic() - t0
                        sel.unregister(key.fileobj)
            late = [i for i in range(n) if done[i] is None]
            wrong = []
            for i in range(n):
                if done[i] is None or not got[i]:
                    continue
                try:
                    if parse_response(bytes(got[i])).status != 408:
                        wrong.append((i, short(bytes(got[i]), 100)))
                except ProtocolError as exc:
                    wrong.append((i, str(exc)))
            bad_idx = {i for i, _ in wrong}
            n408 = sum(1 for i in range(n) if got[i] and i not in bad_idx)
            last = max((d for d in done if d is not None), default=0)
            tap.check(not late and not wrong,
                      name + " (opened in %.1f s, all started at %.1f s, last answer at "
                      "%.1f s; %d got a 408)" % (t_open, t_started, last, n408),
                      diag=lambda: ["%d still open %.1f s after the last handler started"
                                    % (len(late), 2 * T)]
                      + ["#%d: %s" % w for w in wrong[:10]])
            # The processes: none left.
            end = time.monotonic() + 20
            while time.monotonic() < end and children(srv.proc.pid):
                time.sleep(0.1)
            left = children(srv.proc.pid)
            tap.check(not left, "idle: no handler process left %.1f s after the last one "
                      "started" % (time.monotonic() - t0 - t_started),
                      diag="%d handlers still alive: %s" % (len(left), left[:20]))
            st = end_statuses(srv.stderr_text())
            nonzero = [wstat_text(w) for w in st if w != 0]
            tap.check(len(st) >= n + 1 and not nonzero,
                      "idle: every handler exited 0 (%d ends seen)" % len(st),
                      diag=lambda: nonzero[:20])
        finally:
            for s in socks:
                with contextlib.suppress(OSError):
                    s.close()
            sel.close()


# ---------------------------------------------------------------------------
# Resets, stalls, truncation (inetd mode: the exit status is ours to see)

def reset(sock):
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    sock.close()


def flood_scripts():
    """pids of `yes flood-MARK` still running."""
    out = []
    for p in os.listdir("/proc"):
        if p.isdigit():
            with contextlib.suppress(OSError):
                with open("/proc/%s/cmdline" % p, "rb") as f:
                    if ("flood-" + MARK).encode() in f.read():
                        out.append(int(p))
    return out


def test_resets():
    # 50 MiB file: read 1 MiB, then RST.
    with InetdSession(["--timeout", "10"], root=W) as s:
        s.send(request("GET", "/huge.bin"))
        got = s.recv_some(1 << 20, timeout=10)
        t_rst = time.monotonic()
        reset(s.client)
        s.client_closed = True
        exited = s.wait(30)
        took = time.monotonic() - t_rst
        res = s.finish(2)
        p = res.exit_problems()
        if len(got) < (1 << 20):
            p.append("only %d bytes arrived before the reset" % len(got))
        if not exited:
            p.append("handler still running 30 s after the reset")
        elif res.returncode != 0:
            p.append("exit %s, want 0" % res.returncode)
        elif took > 20:
            p.append("handler took %.1f s to notice the reset" % took)
        if "client went away" not in res.stderr:
            p.append("log does not say the client went away: %s" % short(res.stderr))
        tap.expect("client resets mid-way through a 50 MiB file -> handler exits 0 promptly "
                   "(%.2f s), logged 'client went away'" % took, p)

    # CGI writing without end, exec'd in place: the script gets SIGPIPE.
    for label, args in (("in place", []), ("--parse-headers relay", ["--parse-headers"])):
        with InetdSession(["--timeout", "10"] + args, root=W) as s:
            s.send(request("GET", "/cgi-bin/flood.sh"))
            got = s.recv_some(256 * 1024, timeout=10)
            t_rst = time.monotonic()
            reset(s.client)
            s.client_closed = True
            exited = s.wait(30)
            took = time.monotonic() - t_rst
            res = s.finish(2)
            p = []
            if b"flood-" + MARK.encode() not in got:
                p.append("no script output before the reset: %s" % short(got, 200))
            if not exited:
                p.append("process still running 30 s after the reset")
            elif took > 20:
                p.append("took %.1f s to end after the reset" % took)
            rc = res.returncode
            if label == "in place":
                # The script is the process.  After an RST the first write
                # fails with ECONNRESET (yes exits 1 and says so), a later
                # one with EPIPE and SIGPIPE: both are a clean end.  Any
                # other signal is a crash.
                if exited and rc < 0 and rc != -signal.SIGPIPE:
                    p.append("script killed by %s" % signal.Signals(-rc).name)
                elif exited and rc > 0 and "Connection reset" not in res.stderr \
                        and "Broken pipe" not in res.stderr:
                    p.append("script exit %s without a write error in the log: %s"
                             % (rc, short(res.stderr)))
            elif exited and rc != 0:
                p.append("relay exit %s, want 0" % rc)
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline and flood_scripts():
                time.sleep(0.05)
            left = flood_scripts()
            if left:
                p.append("script still running after 30 s: pids %s" % left)
                for pid in left:
                    with contextlib.suppress(OSError):
                        os.kill(pid, signal.SIGKILL)
            crashes = [ln for ln in res.stderr.splitlines()
                       if re.search(r"Segmentation|Aborted|core dumped|assert", ln)]
            p += ["crash in log: %s" % c for c in crashes]
            tap.expect("client resets mid-way through CGI output (%s) -> script and handler "
                       "end promptly (%.2f s), no crash" % (label, took), p)


def test_stalled_reader():
    # The client asks for 50 MiB and never reads: each write may stall for
    # --timeout (SO_SNDTIMEO), then the handler gives up.  The kernel still
    # takes a few bytes now and then (it collapses the receive queue), and a
    # write that moved some bytes starts the next stall afresh, so the end
    # comes after a few stalls, measured ~4 x --timeout: bounded, not exact.
    T = 2
    with InetdSession(["--timeout", str(T)], root=W) as s:
        s.client.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        s.send(request("GET", "/huge.bin"))
        t0 = time.monotonic()
        # poll() only: wait() would read the client socket
        limit = 20 * T  # ~4 x --timeout on a quiet machine
        while s.poll() is None and time.monotonic() - t0 < limit:
            time.sleep(0.05)
        took = time.monotonic() - t0
        exited = s.poll() is not None
        rc = s.proc.returncode
        p = []
        if not exited:
            p.append("handler still writing %d s later (write stalls not bounded)" % limit)
        elif rc != 0:
            p.append("exit %s, want 0" % rc)
        elif took < T - 0.5:
            p.append("handler ended after %.1f s, before one stall of --timeout" % took)
        tap.expect("client that stops reading a 50 MiB file -> handler gives up within "
                   "20 x --timeout %d (took %.1f s), exit 0" % (T, took), p)


def test_truncated():
    name = ("file truncated while it is sent: response shorter than Content-Length, "
            "a prefix of the file, connection closed, handler not hanging")
    with tcpserver(5) as srv:
        if srv is None:
            tap.skip(name, "tcpserver not installed")
            return
        path = W.path("trunc.bin")
        with open(path, "rb") as f:
            original_head = f.read(16 << 20)
        size = os.path.getsize(path)
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 65536)
        p = []
        try:
            sock.settimeout(10)
            sock.connect(("127.0.0.1", srv.port))
            sock.sendall(request("GET", "/trunc.bin"))
            buf = b""
            while b"\r\n\r\n" not in buf and len(buf) < 65536:
                d = sock.recv(4096)
                if not d:
                    break
                buf += d
            # Right after the headers: shrink the file from another thread.
            t = threading.Thread(target=os.truncate, args=(path, 1 << 20))
            t.start()
            t.join(5)
            t_trunc = time.monotonic()
            rest = read_to_eof(sock, 15, cap=size + 1)
            took = time.monotonic() - t_trunc
        finally:
            sock.close()
        raw = buf + rest
        end = raw.find(b"\r\n\r\n")
        head, body = raw[:end + 4], raw[end + 4:]
        m = re.search(rb"\r\nContent-Length: (\d+)\r\n", head)
        if not head.startswith(b"HTTP/1.1 200 ") or not m:
            p.append("head: %s" % short(head, 300))
        else:
            cl = int(m.group(1))
            if cl != size:
                p.append("Content-Length %d, want %d" % (cl, size))
            if not len(body) < cl:
                p.append("body %d bytes, not shorter than Content-Length %d (padded?)"
                         % (len(body), cl))
            if body != original_head[:len(body)] and len(body) <= len(original_head):
                p.append("body is not a prefix of the file (padding or garbage)")
            if len(body) > len(original_head):
                p.append("body %d bytes: more than 16 MiB arrived after a truncation to "
                         "1 MiB" % len(body))
        if rest.end != "eof":
            p.append("connection not closed: %s after %.1f s" % (rest.end, took))
        deadline = time.monotonic() + 3
        while time.monotonic() < deadline and children(srv.proc.pid):
            time.sleep(0.05)
        if children(srv.proc.pid):
            p.append("handler still running")
        st = end_statuses(srv.stderr_text())
        if st != [0]:
            p.append("handler ends: %s" % [wstat_text(w) for w in st])
        tap.expect(name + " (%d of %d bytes, EOF %.2f s after the truncation)"
                   % (len(body), size, took), p)


# ---------------------------------------------------------------------------
# Permissions: as nobody

def test_unreadable():
    cases = [
        ("as nobody: /open.txt -> 200 (control: the setup works)", "/open.txt", {200}),
        ("as nobody: /locked/ (mode 000) listing -> 403 or 404", "/locked/", {403, 404}),
        ("as nobody: /locked (mode 000, no slash) -> 403 or 404, no redirect into it",
         "/locked", {403, 404}),
        ("as nobody: /locked/inner.txt -> 403 or 404", "/locked/inner.txt", {403, 404}),
        ("as nobody: /noread/ (mode 311: no read) listing -> 403 or 404",
         "/noread/", {403, 404}),
        ("as nobody: /noread/f.txt (search allowed) -> 200", "/noread/f.txt", {200}),
        ("as nobody: /file000.txt (mode 000) -> 403 or 404", "/file000.txt", {403, 404}),
    ]
    if shutil.which("setpriv") is None or os.geteuid() != 0:
        for name, _, _ in cases:
            tap.skip(name, "needs root and setpriv (util-linux)")
        return
    prefix = ["setpriv", "--reuid", "nobody", "--regid", "nogroup", "--clear-groups", "--"]
    for name, target, want in cases:
        with InetdSession(["--timeout", "5"], root=W, start=False) as s:
            s.argv = prefix + s.argv
            s.send(request("GET", target))
            s.start()
            res = s.finish(40)
        p = response_problems(res, statuses=want, exit_codes={0}, max_elapsed=30,
                              excludes=(b"locked inner", b"mode 000"))
        if 200 not in want and re.search(rb"(?i)\r\nLocation:", res.raw):
            p.append("redirect into an unreadable directory")
        if not re.search(r'" (\d{3}) ', res.stderr):
            p.append("no log line: %s" % short(res.stderr))
        tap.expect(name, p)


def main():
    t0 = time.monotonic()
    for fn in (test_parallel, test_idle, test_resets, test_stalled_reader,
               test_truncated, test_unreadable):
        with tap.guard(fn.__name__):
            fn()
        tap.diag("%s done at %.1f s" % (fn.__name__, time.monotonic() - t0))


try:
    main()
finally:
    W.cleanup()
sys.exit(tap.done())
