#!/usr/bin/env python3
"""End-to-end tests of --vhost with real clients: curl and http.client
against --listen, each Host class answered from ROOT/HOST/ or
ROOT/default/, CGI per site with DOCUMENT_ROOT and SERVER_NAME, and the
listing of a site.  The hostile Host values are in tests/hostile/.
TAP on stdout.

Run:  CGIHANDLERD=build/cgihandlerd python3 tests/e2e/test_vhost.py
"""

import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (  # noqa: E402
    TAP, File, Symlink, WebRoot, listen_server, run_inetd, request, curl,
    http_request, response_problems, parse_log_lines, require_binary)

tap = TAP()
require_binary(tap)

ENV = (b"#!/bin/sh\nprintf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
       b"printf 'DOCUMENT_ROOT=%s\\nSERVER_NAME=%s\\nHTTP_HOST=%s\\n' "
       b"\"$DOCUMENT_ROOT\" \"$SERVER_NAME\" \"$HTTP_HOST\"\n")
W = WebRoot({
    "a.txt": b"ROOT-ITSELF\n",
    "default/who.txt": b"default\n",
    "example.com/who.txt": b"example.com\n",
    "example.com/cgi-bin/env.sh": File(ENV, mode=0o755),
    "example.com/d/x.txt": b"x\n",
    "www.example.com": Symlink("example.com"),
    "127.0.0.1/who.txt": b"by address\n",
})
tap.at_exit(W.cleanup)
tap.watchdog(120)
V = ("--vhost",)


def test_curl():
    with listen_server(args=V, root=W) as srv:
        for host, want, name in [
                ("example.com", b"example.com\n", "Host example.com -> its site"),
                ("EXAMPLE.COM:8080", b"example.com\n", "upper case and port"),
                ("example.com.", b"example.com\n", "trailing dot"),
                ("www.example.com", b"example.com\n", "an alias (symlink to a site)"),
                ("other.example", b"default\n", "unknown host -> default"),
                ("..", b"default\n", "Host: .. -> default"),
                ("[::1]", b"default\n", "IPv6 literal -> default")]:
            r = curl(srv.url + "/who.txt", headers=["Host: " + host])
            tap.check(r.status == 200 and r.body == want, "curl: " + name,
                      diag=r.describe)
        r = curl(srv.url + "/who.txt")
        tap.check(r.status == 200 and r.body == b"by address\n",
                  "curl without -H: Host 127.0.0.1:PORT -> ROOT/127.0.0.1/",
                  diag=r.describe)
        r = curl(srv.url + "/a.txt", headers=["Host: .."])
        tap.check(r.status == 404 and b"ROOT-ITSELF" not in r.body,
                  "curl: Host .. never reaches ROOT/a.txt", diag=r.describe)
        r = curl(srv.url + "/cgi-bin/env.sh", headers=["Host: Example.com:8080"])
        tap.check(r.status == 200 and
                  b"DOCUMENT_ROOT=%s\n" % W.path("example.com").encode() in r.body and
                  b"SERVER_NAME=Example.com\n" in r.body,
                  "curl: CGI of the site, DOCUMENT_ROOT = ROOT/example.com, "
                  "SERVER_NAME the Host asked", diag=r.describe)
        r = curl(srv.url + "/d/", headers=["Host: example.com"])
        tap.check(r.status == 200 and b'href="x.txt"' in r.body,
                  "curl: a site's directory listing", diag=r.describe)
        r = curl(srv.url + "/d", headers=["Host: example.com"])
        tap.check(r.status == 301 and r.header("Location") == "/d/",
                  "curl: a site's slash redirect stays a path", diag=r.describe)

        resp, err = http_request(srv.port, "GET", "/who.txt",
                                 headers={"Host": "example.com"})
        tap.check(not err and resp.status == 200 and resp.body == b"example.com\n",
                  "http.client: Host example.com -> its site", diag=err or resp)
        resp, err = http_request(srv.port, "GET", "http://example.com/who.txt",
                                 headers={"Host": "other"})
        tap.check(not err and resp.body == b"example.com\n",
                  "http.client: absolute-form authority over Host", diag=err or resp)
        resp, err = http_request(srv.port, "GET", "/who.txt", headers={"Host": ""})
        tap.check(not err and resp.status == 400,
                  "http.client: empty Host -> 400 (CVE-2018-18778)", diag=err or resp)
        good, _ = parse_log_lines(srv.stderr_text())
        tap.check(len(good) >= 10, "log: one line per request (%d)" % len(good))


def test_without_default():
    w = WebRoot({"example.com/who.txt": b"example.com\n"})
    try:
        res = run_inetd(request("GET", "/who.txt", host="nope"), args=V, root=w)
        tap.expect("no ROOT/default: an unknown host -> 404",
                   response_problems(res, status=404))
        res = run_inetd(request("GET", "/who.txt", host="example.com"), args=V, root=w)
        tap.expect("no ROOT/default: a known host still served",
                   response_problems(res, status=200, body=b"example.com\n"))
        good, _ = parse_log_lines(run_inetd(request("GET", "/", host="x"), args=V,
                                            root=w).stderr)
        tap.check(good and "no such virtual host" in (good[0]["extra"] or ""),
                  "its log line says why")
    finally:
        w.cleanup()


def main():
    tap.main([test_curl, test_without_default])


if __name__ == "__main__":
    main()
