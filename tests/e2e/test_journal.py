#!/usr/bin/env python3
"""Journal logging (the native protocol, no library), against a real
systemd-journald.

The test re-runs itself in a private mount namespace (unshare -m) with
tmpfs over /run/systemd and /run/log, starts systemd-journald there, and
checks the two ways a handler reaches the journal:
  - stderr is the connection (xinetd, StandardError=socket) on a systemd
    machine: an entry with fields, and nothing for the client;
  - stderr is the journal's own stream (StandardError=journal, as the
    shipped unit has it, JOURNAL_STREAM set): the same, and a CGI script's
    stderr lands in the journal as a plain line.
Builds with -Dsystemd=disabled, and machines where journald cannot be
started (not root, no unshare), skip.
"""
import json
import os
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import BINARY, TAP, WebRoot, File, run_inetd  # noqa: E402

JOURNALD = "/lib/systemd/systemd-journald"
INSIDE = "CGIHANDLERD_JOURNAL_NS"

tap = TAP()


def has_journal():
    """The build's own word (config-build.h), beside the binary."""
    build = os.environ.get("CGIHANDLERD_BUILD") or os.path.dirname(BINARY)
    try:
        with open(os.path.join(build, "config-build.h")) as f:
            return "#define HAVE_JOURNAL 1" in f.read()
    except OSError:
        return False


def why_not():
    if not has_journal():
        return "this build has no journal support (-Dsystemd=disabled)"
    if os.geteuid() != 0:
        return "needs root for a private mount namespace"
    for tool in ("unshare", "journalctl"):
        if shutil.which(tool) is None:
            return "no %s" % tool
    if not os.access(JOURNALD, os.X_OK):
        return "no %s" % JOURNALD
    return None


def start_journald():
    """tmpfs over journald's places, then journald itself."""
    for d in ("/run/systemd", "/run/log"):
        os.makedirs(d, exist_ok=True)
        subprocess.run(["mount", "-t", "tmpfs", "tmpfs", d], check=True, timeout=10)
    os.makedirs("/run/systemd/journal", exist_ok=True)
    os.makedirs("/run/systemd/system", exist_ok=True)  # sd_booted() is true here
    proc = subprocess.Popen([JOURNALD], stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    for _ in range(100):
        if os.path.exists("/run/systemd/journal/socket") and \
           os.path.exists("/run/systemd/journal/stdout"):
            return proc
        time.sleep(0.05)
    proc.kill()
    return None


def entries(match):
    """The journal's entries with match (FIELD=value), as dicts."""
    time.sleep(0.3)  # journald reads its sockets asynchronously
    out = subprocess.run(["journalctl", "-D", "/run/log/journal", "-o", "json",
                          "--no-pager", match], capture_output=True, text=True,
                         timeout=20).stdout
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def journal_stream(identifier):
    """A socket connected to journald's stdout stream, as systemd gives a
    service with StandardError=journal (the header of the stream protocol:
    identifier, unit, priority, level prefix, forward to syslog, kmsg,
    console)."""
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.connect("/run/systemd/journal/stdout")
    s.sendall(("%s\n\n6\n0\n0\n0\n0\n" % identifier).encode())
    return s


def inside():
    proc = start_journald()
    if proc is None:
        tap.skip("journal", "systemd-journald did not start")
        return
    try:
        with WebRoot({
            "cgi-bin/warn.sh": File(b"#!/bin/sh\n"
                                    b"echo 'script-stderr-marker' >&2\n"
                                    b"printf 'Content-Type: text/plain\\r\\n\\r\\nok\\n'\n",
                                    mode=0o755),
        }) as root:
            # 1: stderr is the connection, on a systemd machine.
            got = run_inetd(b"GET /journal-missing HTTP/1.0\r\n\r\n", root=root,
                            stderr="conn", timeout=20).raw
            tap.check(got.startswith(b"HTTP/1.1 404 ") and b"journal-missing" not in got,
                      "stderr is the connection: the client gets the 404 page and no log text",
                      diag=got[:300])
            found = [e for e in entries("SYSLOG_IDENTIFIER=cgihandlerd")
                     if e.get("REQUEST") == "GET /journal-missing HTTP/1.0"]
            tap.check(len(found) == 1, "stderr is the connection: one journal entry",
                      diag="entries: %r" % found)
            if found:
                e = found[0]
                want = {"REMOTE_ADDR": "127.0.0.1", "STATUS": "404",
                        "REASON": "file not found", "PRIORITY": "6"}
                bad = {k: (e.get(k), v) for k, v in want.items() if e.get(k) != v}
                tap.check(not bad, "stderr is the connection: fields REMOTE_ADDR, STATUS, "
                          "REASON, PRIORITY", diag="got/want %r" % bad)
                tap.check(e.get("BYTES", "").isdigit() and
                          e.get("MESSAGE", "").startswith("127.0.0.1 - - ["),
                          "stderr is the connection: BYTES and the CLF MESSAGE",
                          diag=repr(e))

            # 2: stderr is the journal's stream (StandardError=journal).
            stream = journal_stream("cgihandlerd")
            st = os.fstat(stream.fileno())
            env = {"JOURNAL_STREAM": "%d:%d" % (st.st_dev, st.st_ino)}
            body = run_inetd(b"GET /cgi-bin/warn.sh HTTP/1.0\r\n\r\n", root=root,
                             stderr=stream.fileno(), env=env, timeout=20).raw
            stream.close()
            tap.check(body.startswith(b"HTTP/1.1 200 Script output follows") and
                      b"script-stderr-marker" not in body,
                      "journal stream: the script answers, its stderr not in the response",
                      diag=body[:300])
            script = os.path.join(root.root, "cgi-bin", "warn.sh")
            found = [e for e in entries("SYSLOG_IDENTIFIER=cgihandlerd")
                     if e.get("SCRIPT") == script]
            tap.check(len(found) == 1 and found[0].get("STATUS") == "200" and
                      found[0].get("BYTES") == "-",
                      "journal stream: one entry with SCRIPT=, STATUS=200, BYTES=-",
                      diag="entries %r" % found)
            plain = [e for e in entries("SYSLOG_IDENTIFIER=cgihandlerd")
                     if e.get("MESSAGE") == "script-stderr-marker"]
            tap.check(len(plain) == 1, "journal stream: the script's stderr is a journal line",
                      diag="entries %r" % plain)
    finally:
        proc.kill()
        proc.wait(timeout=10)


def main():
    if os.environ.get(INSIDE):
        inside()
        sys.exit(tap.done())
    reason = why_not()
    if reason:
        tap.skip("journal logging", reason)
        sys.exit(tap.done())
    # Run again in a private mount namespace: journald's tmpfs mounts stay
    # there, and vanish with it.
    env = dict(os.environ, **{INSIDE: "1"})
    try:
        r = subprocess.run(["unshare", "-m", "--propagation", "private",
                            sys.executable, os.path.abspath(__file__)],
                           env=env, timeout=120)
    except subprocess.TimeoutExpired:
        print("not ok 1 - journal test timed out\n1..1")
        sys.exit(1)
    sys.exit(r.returncode)


if __name__ == "__main__":
    main()
