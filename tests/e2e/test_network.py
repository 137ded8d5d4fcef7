#!/usr/bin/env python3
"""Hostile network, round two (issue 11): each rule an outside review found
missing, sent as the bad input it was found with, against the real binary.

  relay       a script's Status 1xx, its framing, a local Location with a
              fragment or too long for the buffer (--parse-headers)
  fds         started with fd 2 closed; an inherited SIGCHLD set to SIG_IGN
  types       a FIFO in the root is never opened for reading
  swap        a script swapped for a symlink out of the root between the
              routing and the exec (the window widened with strace)
  listen      --listen caps its handlers: more connections queue, none is
              refused
  close       a body nobody reads does not turn the answer into a reset
  deadlines   a client that reads too slowly is cut off; a script reading
              a body that never comes is not held for ever
  environ     SERVER_NAME only from a Host that is a name or an address;
              CONTENT_LENGTH canonical; Cookie fields joined with "; "
  head        a HEAD refused by the parser gets no body

TAP on stdout.  Bounds on durations are an order of magnitude above need:
they tell a hang from an answer, never a fast machine from a slow one.
"""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import harness  # noqa: E402
from harness import (  # noqa: E402
    BINARY, TAP, File, Symlink, WebRoot, child_env, listen_server, parse_response,
    request, require_binary, run_inetd, short)

tap = TAP()
tap.watchdog(500)
require_binary(tap)


def sh(body, mode=0o755):
    return File(b"#!/bin/sh\n" + body + b"\n", mode=mode)


ENV_DUMP = sh(b"printf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
              b"printf 'SERVER_NAME=%s\\n' \"$SERVER_NAME\"\n"
              b"printf 'CONTENT_LENGTH=%s\\n' \"$CONTENT_LENGTH\"\n"
              b"printf 'HTTP_COOKIE=%s\\n' \"$HTTP_COOKIE\"\n"
              b"printf 'QUERY_STRING=%s\\n' \"$QUERY_STRING\"\n"
              b"cat >/dev/null")

LONG = b"/" + b"a" * 5000

W = WebRoot({
    "a.txt": b"the a file\n",
    "big.bin": harness.RandomFile(8 * 1024 * 1024),
    "cgi-bin/env.sh": ENV_DUMP,
    "cgi-bin/status100.sh": sh(b"printf 'Status: 100 Continue\\n\\n'\n"
                               b"printf 'HTTP/1.1 200 OK\\r\\nSet-Cookie: forged=1\\r\\n\\r\\nforged'"),
    "cgi-bin/status101.sh": sh(b"printf 'Status: 101 Switching Protocols\\n\\n'"),
    "cgi-bin/status199.sh": sh(b"printf 'Status: 199 Odd\\n\\nbody'"),
    "cgi-bin/status200.sh": sh(b"printf 'Status: 200 Fine\\nContent-Type: text/plain\\n\\nfine'"),
    "cgi-bin/lengths.sh": sh(b"printf 'Content-Length: 5\\nContent-Length: 50\\n\\nhello'"),
    "cgi-bin/length-te.sh": sh(b"printf 'Content-Length: 5\\nTransfer-Encoding: chunked\\n\\nhello'"),
    "cgi-bin/te.sh": sh(b"printf 'Transfer-Encoding: chunked\\n\\n5\\r\\nhello\\r\\n0\\r\\n\\r\\n'"),
    "cgi-bin/fragment.sh": sh(b"printf 'Location: /a.txt#top\\n\\n'"),
    "cgi-bin/fragment-query.sh": sh(b"printf 'Location: /cgi-bin/env.sh?x=1#f\\n\\n'"),
    "cgi-bin/long.sh": sh(b"printf 'Location: " + LONG + b"\\n\\n'"),
    "cgi-bin/exit3.sh": sh(b"printf 'Content-Type: text/plain\\n\\nthree'\nexit 3"),
    "cgi-bin/fd2.sh": sh(b"printf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
                         b"if [ -e /proc/$$/fd/2 ]; then echo fd2-open; else echo fd2-closed; fi"),
    "cgi-bin/slow.sh": sh(b"d=$(dirname \"$0\")/../running\n"
                          b"mkdir -p \"$d\"; touch \"$d/$$\"\n"
                          b"n=$(ls \"$d\" | wc -l)\n"
                          b"sleep 1\n"
                          b"rm -f \"$d/$$\"\n"
                          b"printf 'Content-Type: text/plain\\r\\n\\r\\nconcurrent=%s\\n' \"$n\""),
    "cgi-bin/readall.sh": sh(b"cat >/dev/null\nprintf 'Content-Type: text/plain\\r\\n\\r\\nread\\n'"),
    "cgi-bin/swap.sh": sh(b"printf 'Content-Type: text/plain\\r\\n\\r\\ninside\\n'"),
}, prefix="cgihandlerd-network-")
tap.at_exit(W.cleanup)
os.chmod(W.base, 0o755)
os.chmod(W.root, 0o777)      # slow.sh, run as nobody, keeps its notes here
OUTSIDE_MARK = b"OUTSIDE-SCRIPT-RAN"
with open(os.path.join(W.outside, "evil.sh"), "wb") as f:
    f.write(b"#!/bin/sh\nprintf '" + OUTSIDE_MARK + b"\\n'\n")
os.chmod(os.path.join(W.outside, "evil.sh"), 0o755)
os.mkfifo(W.path("fifo"), 0o644)


def get(target, args=(), method="GET", headers=(), body=b"", host="x", **kw):
    data = request(method, target, headers=list(headers), host=host, body=body)
    return run_inetd(data, args=list(args), root=W.root, **kw)


def status_of(res, method="GET"):
    resp, err = res.try_parse(method)
    return resp.status if resp else err


def section_relay():
    ph = ["--parse-headers"]
    for name, want in (("status100", 502), ("status101", 502), ("status199", 502),
                       ("lengths", 502), ("length-te", 502), ("te", 502)):
        r = get("/cgi-bin/%s.sh" % name, ph)
        resp, err = r.try_parse()
        tap.check(resp is not None and resp.status == want and b"forged" not in r.raw,
                  "relay: %s.sh -> %d, nothing of the script's reaches the client"
                  % (name, want), diag=lambda: short(r.raw, 400) + "\n" + r.stderr)
    r = get("/cgi-bin/status200.sh", ph)
    resp, _ = r.try_parse()
    tap.check(resp is not None and resp.status == 200 and resp.reason == "Fine" and
              resp.body == b"fine", "relay: Status: 200 Fine is the status line",
              diag=lambda: short(r.raw))
    r = get("/cgi-bin/fragment.sh", ph)
    resp, _ = r.try_parse()
    tap.check(resp is not None and resp.status == 200 and resp.body == b"the a file\n",
              "relay: local Location /a.txt#top serves /a.txt (fragment dropped)",
              diag=lambda: short(r.raw))
    r = get("/cgi-bin/fragment-query.sh", ph)
    resp, _ = r.try_parse()
    tap.check(resp is not None and resp.status == 200 and b"QUERY_STRING=x=1\n" in resp.body,
              "relay: local Location with ?x=1#f keeps the query, drops the fragment",
              diag=lambda: short(r.raw))
    r = get("/cgi-bin/long.sh", ph)
    resp, _ = r.try_parse()
    tap.check(resp is not None and resp.status == 502 and
              "Location" in r.stderr and "too long" in r.stderr,
              "relay: a local Location over the URL path bound -> 502, never cut",
              diag=lambda: short(r.raw) + "\n" + r.stderr)


def run_inheriting(preexec, data, args=(), timeout=20):
    """The handler on a socketpair as fds 0 and 1, after preexec changed
    what it inherits (a closed fd, an ignored signal). Returns (what the
    client read, the handler's stderr)."""
    ours, theirs = socket.socketpair()
    err = tempfile.TemporaryFile()
    argv = [BINARY] + list(args) + [W.root]
    try:
        ours.sendall(data)
        proc = subprocess.Popen(argv, stdin=theirs, stdout=theirs, stderr=err,
                                env=child_env(None), cwd=W.base, preexec_fn=preexec)
        theirs.close()
        try:
            proc.wait(timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        ours.settimeout(timeout)
        got = harness.read_to_eof(ours, timeout)
        err.seek(0)
        return got, err.read().decode("utf-8", "replace")
    finally:
        ours.close()
        err.close()


def section_fds():
    def close_stderr():
        os.close(2)
    got, _ = run_inheriting(close_stderr, request("GET", "/cgi-bin/fd2.sh"))
    tap.check(got.startswith(b"HTTP/1.1 200") and b"fd2-open" in got,
              "fds: started with fd 2 closed, the script still gets an fd 2 "
              "(its first open cannot become its stderr)", diag=lambda: short(got))
    got, _ = run_inheriting(close_stderr, request("GET", "/a.txt"))
    tap.check(got.startswith(b"HTTP/1.1 200") and got.endswith(b"the a file\n"),
              "fds: started with fd 2 closed, a file is served whole", diag=lambda: short(got))
    def ignore_sigchld():
        signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    got, log = run_inheriting(ignore_sigchld, request("GET", "/cgi-bin/exit3.sh"),
                              args=["--parse-headers"])
    tap.check(got.startswith(b"HTTP/1.1 200") and got.endswith(b"three") and
              "CGI script exit status 3" in log,
              "fds: with SIGCHLD inherited as ignored, the relay still learns the "
              "script's exit status 3", diag=lambda: short(got) + "\n" + log)


def section_types():
    # A writer blocked opening the FIFO would be let through (and its data
    # dropped) by a reader that opens it: the GET must not be that reader.
    opened = threading.Event()
    def writer():
        with contextlib.suppress(OSError):
            fd = os.open(W.path("fifo"), os.O_WRONLY)
            opened.set()
            os.close(fd)
    t = threading.Thread(target=writer, daemon=True)
    t.start()
    time.sleep(0.2)
    r = get("/fifo")
    r2 = get("/fifo/")
    released = opened.wait(0.5)
    # Let the writer go, whatever happened.
    with contextlib.suppress(OSError):
        os.close(os.open(W.path("fifo"), os.O_RDONLY | os.O_NONBLOCK))
    t.join(2)
    tap.check(status_of(r) == 403 and not released,
              "types: GET /fifo -> 403, and a writer blocked on the FIFO stays blocked",
              diag=lambda: "status %s, writer released: %s" % (status_of(r), released))
    tap.check(status_of(r2) == 404, "types: GET /fifo/ -> 404 (not a directory)",
              diag=lambda: status_of(r2))


def section_swap():
    if shutil.which("strace") is None:
        tap.skip("swap: a script swapped for a symlink before the exec is not run",
                 "strace not installed")
        return
    script = W.path("cgi-bin/swap.sh")
    backup = script + ".orig"
    shutil.copy2(script, backup)
    lst = socket.socket()
    lst.bind(("127.0.0.1", 0))
    lst.listen(1)
    client = socket.create_connection(lst.getsockname(), timeout=30)
    server, _ = lst.accept()
    lst.close()
    err = tempfile.TemporaryFile()
    # The exec of the script waits 5 s, time enough to swap it.
    argv = ["strace", "-f", "-o", "/dev/null",
            "-e", "inject=execve,execveat:delay_enter=5000000", BINARY, W.root]
    try:
        client.sendall(request("GET", "/cgi-bin/swap.sh"))
        proc = subprocess.Popen(argv, stdin=server, stdout=server, stderr=err,
                                env=child_env(None), cwd=W.base)
        server.close()
        head = b""
        while b"\r\n" not in head:
            d = client.recv(4096)
            if not d:
                break
            head += d
        os.unlink(script)
        os.symlink(os.path.join(W.outside, "evil.sh"), script)
        rest = harness.read_to_eof(client, 60)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(60)
        got = head + rest
        err.seek(0)
        log = err.read().decode("utf-8", "replace")
        tap.check(head.startswith(b"HTTP/1.1 200") and OUTSIDE_MARK not in got,
                  "swap: a script swapped for a symlink out of the root after the "
                  "routing is not run (exec does not follow it)",
                  diag=lambda: short(got) + "\n" + log)
    finally:
        client.close()
        err.close()
        with contextlib.suppress(OSError):
            os.unlink(script)
        os.rename(backup, script)


def section_listen():
    with listen_server(["--max-children", "2"], root=W.root) as srv:
        results = [None] * 4
        def one(i):
            with contextlib.suppress(OSError):
                results[i] = harness.raw_request(srv.port, request("GET", "/cgi-bin/slow.sh"),
                                                 timeout=60)
        threads = [threading.Thread(target=one, args=(i,)) for i in range(4)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(90)
        bodies = [parse_response(r).body if r else b"" for r in results]
        counts = [int(m.group(1)) for b in bodies
                  for m in [re.search(rb"concurrent=(\d+)", b)] if m]
        tap.check(len(counts) == 4 and max(counts) <= 2,
                  "listen: --max-children 2 and 4 slow requests: all 4 served, "
                  "at most 2 at once", diag=lambda: [short(r) for r in results])
    bad = subprocess.run([BINARY, "--max-children", "0", "--listen", "0", W.root],
                         capture_output=True, timeout=10)
    tap.check(bad.returncode == 100, "listen: --max-children 0 -> exit 100",
              diag=lambda: (bad.returncode, bad.stderr))


def post_unread(port, target, size):
    """A POST whose body the answer does not wait for: the head and a big
    body sent from a thread while the answer is read. Returns (response
    bytes, how the read ended)."""
    s = socket.create_connection(("127.0.0.1", port), timeout=30)
    body = b"x" * size
    data = request("POST", target, headers=[("Content-Length", str(size))]) + body
    def send():
        with contextlib.suppress(OSError):
            s.sendall(data)
    t = threading.Thread(target=send, daemon=True)
    t.start()
    t.join(30)       # every byte handed to the kernel: only then read
    chunks, how = [], "eof"
    try:
        while True:
            d = s.recv(65536)
            if not d:
                break
            chunks.append(d)
    except ConnectionResetError:
        how = "reset"
    except socket.timeout:
        how = "timeout"
    finally:
        s.close()
    return b"".join(chunks), how


def section_close():
    with listen_server([], root=W.root) as srv:
        for target, want in (("/cgi-bin/missing.sh", 404), ("/a.txt", 501)):
            raw, how = post_unread(srv.port, target, 8 * 1024 * 1024)
            resp = None
            with contextlib.suppress(harness.ProtocolError):
                resp = parse_response(raw)
            tap.check(how == "eof" and resp is not None and resp.status == want,
                      "close: POST %s with 8 MiB nobody reads -> the whole %d, then "
                      "EOF, no reset" % (target, want),
                      diag=lambda: "%s: %s" % (how, short(raw, 300)))


def section_deadlines():
    # A reader far slower than --min-send-rate is cut off once the first
    # --timeout seconds have passed.
    with listen_server(["--timeout", "2", "--min-send-rate", "1000000"], root=W.root) as srv:
        s = socket.socket()
        s.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        s.settimeout(30)
        s.connect(("127.0.0.1", srv.port))
        s.sendall(request("GET", "/big.bin"))
        got, ended = 0, False
        t0 = time.monotonic()
        try:
            while time.monotonic() - t0 < 120:
                d = s.recv(1024)
                if not d:
                    ended = True
                    break
                got += len(d)
                time.sleep(0.01)
        except OSError:
            ended = True
        finally:
            s.close()
        time.sleep(0.5)
        log = srv.stderr_text()
        tap.check(ended and got < 8 * 1024 * 1024 and "client read too slowly" in log,
                  "deadlines: a client reading 8 MiB at ~100 KiB/s with "
                  "--min-send-rate 1000000 is cut off and logged",
                  diag=lambda: "ended %s after %d bytes; log: %s" % (ended, got, log[-600:]))
    # A body announced and never sent: the script's read ends (--timeout).
    r = get("/cgi-bin/readall.sh", ["--timeout", "2", "--cgi-timeout", "0"], method="POST",
            headers=[("Content-Length", "100")], timeout=60)
    tap.check(not r.timed_out and r.raw.startswith(b"HTTP/1.1 200"),
              "deadlines: a POST announcing 100 bytes and sending none does not hold "
              "the script for ever (its read times out)",
              diag=lambda: "timed out %s, %s" % (r.timed_out, short(r.raw)))
    out = subprocess.run([BINARY, "--help"], capture_output=True, timeout=10).stdout
    tap.check(b"--cgi-timeout" in out and b"default 600" in out,
              "deadlines: --cgi-timeout has a finite default (600 s)", diag=lambda: out)


def section_environ():
    for host in ("$(id)", "';id;'", "a&b", "a:0", "a:65536", "a%2fb"):
        r = get("/cgi-bin/env.sh", host=host)
        tap.check(status_of(r) == 400, "environ: Host %r -> 400" % host,
                  diag=lambda: short(r.raw))
    r = get("/cgi-bin/env.sh", host="Name_1.example:8080")
    tap.check(status_of(r) == 200 and b"SERVER_NAME=Name_1.example\n" in r.raw,
              "environ: Host Name_1.example:8080 -> SERVER_NAME=Name_1.example",
              diag=lambda: short(r.raw))
    r = get("/cgi-bin/env.sh", method="POST", headers=[("Content-Length", "010")],
            body=b"0123456789")
    tap.check(b"CONTENT_LENGTH=10\n" in r.raw,
              "environ: Content-Length 010 -> CONTENT_LENGTH=10 (not octal 8 to a shell)",
              diag=lambda: short(r.raw))
    r = get("/cgi-bin/env.sh", headers=[("Cookie", "a=1"), ("Cookie", "b=2")])
    tap.check(b"HTTP_COOKIE=a=1; b=2\n" in r.raw,
              "environ: two Cookie fields -> HTTP_COOKIE='a=1; b=2' (RFC 6265)",
              diag=lambda: short(r.raw))


def section_head():
    for data, want in ((b"HEAD / HTTP/1.1\r\n\r\n", 400),
                       (b"HEAD / HTTP/9.9\r\nHost: x\r\n\r\n", 505),
                       (b"HEAD /a.txt HTTP/1.1\r\nHost: x\r\nHost: y\r\n\r\n", 400)):
        r = run_inetd(data, root=W.root)
        resp, _ = r.try_parse("HEAD")
        tap.check(resp is not None and resp.status == want and r.raw.endswith(b"\r\n\r\n"),
                  "head: %s -> %d with headers only" % (short(data.split(b"\r\n")[0]), want),
                  diag=lambda: short(r.raw))


tap.main([section_relay, section_fds, section_types, section_swap, section_listen,
          section_close, section_deadlines, section_environ, section_head])
