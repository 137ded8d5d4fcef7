#!/usr/bin/env python3
"""The PROXY protocol (--proxy-protocol, --proxy-from) behind real
superservers, with a real client (http.client, its connection opened with
the header a front end would send):

  tcpserver, systemd-socket-activate --inetd, --listen
      v1 and v2: the script's REMOTE_ADDR/REMOTE_PORT are the header's,
      the log line shows the client; v2 with an SSL TLV: HTTPS=on,
      SSL_PROTOCOL, SSL_CIPHER; a POST body behind the header arrives
      whole; a connection without a header is 400
  --proxy-from
      the listed peer must send one; a peer outside the list is a direct
      client

The hostile cases (truncated, oversized, lying lengths, ...) are in
tests/hostile/catalogue.py. TAP on stdout.
"""

import hashlib
import http.client
import os
import shutil
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (  # noqa: E402
    BINARY, TAP, File, WebRoot, listen_server, require_binary, run_pipe,
    serve, short, socket_activate)

tap = TAP()
tap.watchdog(300)
require_binary(tap)

ENV = File(b"#!/bin/sh\n"
           b"sum=$(head -c \"${CONTENT_LENGTH:-0}\" | sha256sum | cut -c1-64)\n"
           b"printf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
           b"for v in REMOTE_ADDR REMOTE_PORT HTTPS SSL_PROTOCOL SSL_CIPHER "
           b"SSL_TLS_SNI SERVER_PORT; do\n"
           b"  eval \"printf '%s=%s\\n' $v \\\"\\${$v-UNSET}\\\"\"\n"
           b"done\n"
           b"printf 'sha256=%s\\n' \"$sum\"\n", mode=0o755)
W = WebRoot({"a.txt": b"a file\n", "cgi-bin/env.sh": ENV}, prefix="cgihandlerd-proxy-")
tap.at_exit(W.cleanup)
os.chmod(W.base, 0o755)

SIG = b"\r\n\r\n\x00\r\nQUIT\n"


def tlv(kind, value):
    return bytes([kind]) + len(value).to_bytes(2, "big") + value


def v2(src, sport, dst, dport, tls=None, family=socket.AF_INET):
    block = (socket.inet_pton(family, src) + socket.inet_pton(family, dst) +
             sport.to_bytes(2, "big") + dport.to_bytes(2, "big"))
    if tls:
        block += tlv(0x20, b"\x01\x00\x00\x00\x00" + tlv(0x21, tls[0]) + tlv(0x23, tls[1]))
        block += tlv(0x02, b"shop.example")
    fam = b"\x11" if family == socket.AF_INET else b"\x21"
    return SIG + b"\x21" + fam + len(block).to_bytes(2, "big") + block


class ProxiedConnection(http.client.HTTPConnection):
    """http.client, with a PROXY header sent first on its socket."""

    def __init__(self, host, port, header, **kw):
        super().__init__(host, port, timeout=30, **kw)
        self.proxy_header = header

    def connect(self):
        super().connect()
        if self.proxy_header:
            self.sock.sendall(self.proxy_header)


def get(port, header, method="GET", path="/cgi-bin/env.sh", body=None):
    c = ProxiedConnection("127.0.0.1", port, header)
    try:
        c.request(method, path, body=body)
        r = c.getresponse()
        return r.status, r.read()
    finally:
        c.close()


def fields(body):
    return dict(ln.split("=", 1) for ln in body.decode("latin-1").splitlines() if "=" in ln)


def run_checks(label, srv):
    port = srv.port
    st, body = get(port, b"PROXY TCP4 192.0.2.7 198.51.100.2 40001 443\r\n")
    f = fields(body)
    tap.check(st == 200 and f.get("REMOTE_ADDR") == "192.0.2.7" and
              f.get("REMOTE_PORT") == "40001" and f.get("HTTPS") == "UNSET" and
              f.get("SERVER_PORT") == "443",
              "%s: v1 -> REMOTE_ADDR/REMOTE_PORT of the client" % label,
              diag="%d %s" % (st, short(body)))
    st, body = get(port, v2("2001:db8::7", 40002, "2001:db8::1", 443,
                            tls=(b"TLSv1.3", b"TLS_AES_128_GCM_SHA256"),
                            family=socket.AF_INET6))
    f = fields(body)
    tap.check(st == 200 and f.get("REMOTE_ADDR") == "2001:db8::7" and
              f.get("REMOTE_PORT") == "40002" and f.get("HTTPS") == "on" and
              f.get("SSL_PROTOCOL") == "TLSv1.3" and
              f.get("SSL_CIPHER") == "TLS_AES_128_GCM_SHA256" and
              f.get("SSL_TLS_SNI") == "shop.example",
              "%s: v2 with an SSL TLV -> HTTPS=on, SSL_PROTOCOL, SSL_CIPHER" % label,
              diag="%d %s" % (st, short(body)))
    blob = os.urandom(300 * 1024)
    st, body = get(port, v2("192.0.2.8", 40003, "198.51.100.2", 80), "POST",
                   body=blob)
    f = fields(body)
    tap.check(st == 200 and f.get("sha256") == hashlib.sha256(blob).hexdigest() and
              f.get("REMOTE_ADDR") == "192.0.2.8",
              "%s: a 300 KiB POST behind a v2 header arrives whole" % label,
              diag="%d %s" % (st, short(body)))
    st, body = get(port, None, path="/a.txt")
    tap.check(st == 400 and b"a file" not in body,
              "%s: no PROXY header -> 400, nothing served" % label,
              diag="%d %s" % (st, short(body)))
    # The handler logs after its answer is out: wait for the line.
    want = ('192.0.2.7 - - [', '2001:db8::7 - - [', 'no PROXY protocol header')
    deadline = time.monotonic() + 20
    log = srv.stderr_text()
    while not all(w in log for w in want) and time.monotonic() < deadline:
        time.sleep(0.05)
        log = srv.stderr_text()
    tap.check('192.0.2.7 - - [' in log and '2001:db8::7 - - [' in log and
              'no PROXY protocol header' in log,
              "%s: the log lines show the clients, and the refusal's reason" % label,
              diag=short(log, 1200))


ARGS = ["--timeout", "10", "--proxy-protocol"]

if shutil.which("tcpserver"):
    with tap.guard("tcpserver"):
        with serve(lambda port: ["tcpserver", "-R", "-H", "-l", "0", "127.0.0.1",
                                 str(port), BINARY] + ARGS + [W.root],
                   label="tcpserver") as srv:
            run_checks("tcpserver", srv)
else:
    tap.skip("tcpserver", "no tcpserver (ucspi-tcp)")

if shutil.which("systemd-socket-activate"):
    with tap.guard("systemd-socket-activate"):
        with socket_activate(ARGS, W) as srv:
            run_checks("systemd-socket-activate --inetd", srv)
else:
    tap.skip("systemd-socket-activate", "not installed")

with tap.guard("--listen"):
    with listen_server(ARGS, W) as srv:
        run_checks("--listen", srv)

with tap.guard("--proxy-from"):
    with listen_server(["--timeout", "10", "--proxy-from", "127.0.0.0/8"], W) as srv:
        st, body = get(srv.port, b"PROXY TCP4 192.0.2.9 198.51.100.2 1 2\r\n")
        tap.check(st == 200 and fields(body).get("REMOTE_ADDR") == "192.0.2.9",
                  "--proxy-from 127.0.0.0/8: the loopback peer's header is used",
                  diag="%d %s" % (st, short(body)))
        st, body = get(srv.port, None, path="/a.txt")
        tap.check(st == 400, "--proxy-from 127.0.0.0/8: without a header -> 400",
                  diag="%d %s" % (st, short(body)))
    with listen_server(["--timeout", "10", "--proxy-from", "10.0.0.0/8",
                        "--proxy-from", "2001:db8::/32"], W) as srv:
        st, body = get(srv.port, None)
        tap.check(st == 200 and fields(body).get("REMOTE_ADDR") == "127.0.0.1",
                  "--proxy-from elsewhere: loopback is a direct client",
                  diag="%d %s" % (st, short(body)))
        st, body = get(srv.port, b"PROXY TCP4 192.0.2.9 198.51.100.2 1 2\r\n")
        tap.check(st == 400 and b"192.0.2.9" not in body,
                  "--proxy-from elsewhere: loopback's PROXY line is a bad request",
                  diag="%d %s" % (st, short(body)))

# A pipe, with tcpserver's environment naming both ends (so nothing asks
# the fd what it is before the header is read): the header is read a byte
# at a time, and the POST body behind the head reaches the script whole.
with tap.guard("pipe"):
    body = b"p" * 5000
    res = run_pipe(b"PROXY TCP4 192.0.2.5 198.51.100.2 4321 443\r\n" +
                   b"POST /cgi-bin/env.sh HTTP/1.1\r\nHost: x\r\n"
                   b"Content-Length: %d\r\n\r\n" % len(body) + body,
                   args=ARGS, root=W,
                   env={"TCPREMOTEIP": "127.0.0.1", "TCPREMOTEPORT": "9",
                        "TCPLOCALIP": "127.0.0.1", "TCPLOCALPORT": "80"})
    got = fields(res.raw.split(b"\r\n\r\n", 1)[-1])
    tap.check(res.raw.startswith(b"HTTP/1.1 200 ") and
              got.get("REMOTE_ADDR") == "192.0.2.5" and
              got.get("REMOTE_PORT") == "4321" and
              got.get("sha256") == hashlib.sha256(body).hexdigest(),
              "pipe: the PROXY header's client, and the 5000-byte body whole",
              diag=short(res.raw, 600) + " " + short(res.stderr, 300))

for bad in ("10.0.0.1/8", "10.0.0.0/33", "example.org", "::1/129", ""):
    r = subprocess.run([BINARY, "--proxy-from", bad, W.root], capture_output=True,
                       timeout=10, stdin=subprocess.DEVNULL)
    tap.check(r.returncode == 100 and b"invalid --proxy-from" in r.stderr,
              "--proxy-from '%s' is a start-up error (exit 100)" % bad,
              diag="exit %d %s" % (r.returncode, short(r.stderr)))

tap.done()
