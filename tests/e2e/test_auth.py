#!/usr/bin/env python3
"""--auth FILE and --auth-over-http against the real binary, with real
hashes made here (openssl passwd, mkpasswd from Debian's whois):

  verification   yescrypt, bcrypt, sha512-crypt, sha256-crypt: the right
                 password passes, a wrong one and an unknown user get 401
                 with WWW-Authenticate and a log reason fail2ban can match
  prefixes       whole components (/administrator is not /admin), the
                 longest prefix wins, and encoded or roundabout spellings
                 (/%61dmin, /admin/../admin, //admin) are still protected;
                 files, listings, the slash-adding redirect and CGI alike
  CGI            a verified user's script gets AUTH_TYPE=Basic and
                 REMOTE_USER, not HTTP_AUTHORIZATION; elsewhere no
                 REMOTE_USER/AUTH_TYPE from an unchecked header; a local
                 redirect (--parse-headers) into a protected path is checked
  the file       plaintext, DES and MD5 lines, a missing file, a directory:
                 500 for every request (fail closed), the line in the log
  TLS            403 over plain HTTP; --https, a TLS front end's
                 SSL_PROTOCOL, a PROXY v2 header with an SSL TLV, or
                 --auth-over-http let credentials in
  clients        curl -u and http.client through --listen

On a build without crypt_r (static musl) --auth must be refused at start-up
(exit 100): that is checked, and everything else is skipped. The hostile
cases are in tests/hostile/catalogue.py. TAP on stdout.
"""

import base64
import http.client
import os
import shutil
import subprocess
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import (  # noqa: E402
    BINARY, TAP, File, WebRoot, auth_probe, listen_server, request, require_binary,
    run_inetd, short, curl)

tap = TAP()
tap.watchdog(400)
require_binary(tap)


probe = auth_probe()
if probe.returncode != 0:
    tap.check(probe.returncode == 100 and b"--auth needs crypt_r" in probe.stderr,
              "a build without crypt_r refuses --auth at start-up (exit 100)",
              diag="exit %d %s" % (probe.returncode, short(probe.stderr)))
    tap.skip("--auth tests", "this build has no crypt_r (static musl)")
    sys.exit(tap.done())


def run(cmd, password):
    r = subprocess.run(cmd, input=password.encode() + b"\n", capture_output=True,
                       timeout=30)
    if r.returncode != 0:
        raise RuntimeError("%s: %s" % (" ".join(cmd), r.stderr.decode()))
    return r.stdout.decode().strip()


def hashed(kind, password):
    if kind == "sha512":
        return run(["openssl", "passwd", "-6", "-stdin"], password)
    if kind == "sha256":
        return run(["openssl", "passwd", "-5", "-stdin"], password)
    if kind == "md5":
        return run(["openssl", "passwd", "-1", "-stdin"], password)
    return run(["mkpasswd", "-m", kind, "-s"], password)


MKPASSWD = shutil.which("mkpasswd") is not None
H = {"bob": hashed("sha512", "bob-pw"), "dave": hashed("sha256", "dave-pw")}
if MKPASSWD:
    H["alice"] = hashed("yescrypt", "alice-pw")
    H["carol"] = hashed("bcrypt", "carol-pw")
else:   # whois is not installed: sha512 for the users of the other kinds
    H["alice"] = hashed("sha512", "alice-pw")
    H["carol"] = hashed("sha512", "carol-pw")

ENV = File(b"#!/bin/sh\n"
           b"printf 'Content-Type: text/plain\\r\\n\\r\\n'\n"
           b"for v in REMOTE_USER AUTH_TYPE HTTP_AUTHORIZATION; do\n"
           b"  eval \"printf '%s=%s\\n' $v \\\"\\${$v-UNSET}\\\"\"\n"
           b"done\n", mode=0o755)
TO_ADMIN = File(b"#!/bin/sh\nprintf 'Location: /admin/s.txt\\n\\n'\n", mode=0o755)
SECRET = b"ADMIN-SECRET-FILE\n"
DEEP = b"DEEP-SECRET-FILE\n"

W = WebRoot({
    "pub.txt": b"public\n",
    "admin/s.txt": SECRET,
    "admin/sub/listed.txt": b"listed\n",
    "admin/deep/d.txt": DEEP,
    "administrator/x.txt": b"not admin\n",
    "admin.txt": b"not admin either\n",
    "cgi-bin/env.sh": ENV,
    "cgi-bin/to-admin.sh": TO_ADMIN,
    "cgi-bin/private/env.sh": ENV,
}, prefix="cgihandlerd-auth-")
tap.at_exit(W.cleanup)
os.chmod(W.base, 0o755)   # scripts run as nobody

AUTH = os.path.join(W.outside, "auth")
with open(AUTH, "w") as f:
    f.write("# users of the test site\n\n"
            "/admin alice:%(alice)s\n"
            "/admin bob:%(bob)s\n"
            "/admin/deep carol:%(carol)s\n"
            "/cgi-bin/private dave:%(dave)s\n" % H)

ARGS = ["--timeout", "10", "--auth", AUTH, "--https"]
CHALLENGE = 'Basic realm="/admin", charset="UTF-8"'


def basic(user, password):
    return "Basic " + base64.b64encode(("%s:%s" % (user, password)).encode()).decode()


def get(target, auth=None, args=ARGS, headers=(), env=None, method="GET", data=None):
    hdrs = list(headers)
    if auth:
        hdrs.append(("Authorization", basic(*auth)))
    if data is None:
        data = request(method, target, hdrs)
    res = run_inetd(data, args, root=W, env=env, timeout=30)
    resp, err = res.try_parse(method)
    return res, resp, err


def answer(target, status, auth=None, body=None, absent=None, log=None,
           challenge=None, **kw):
    """Problems with the answer to target: status, body, what it must not
    carry, the log reason, and the WWW-Authenticate of a 401."""
    res, resp, err = get(target, auth, **kw)
    p = res.exit_problems()
    if resp is None:
        return p + ["no response: %s %s" % (err, short(res.raw))]
    if resp.status != status:
        p.append("status %d, want %d" % (resp.status, status))
    if body is not None and resp.body != body:
        p.append("body %s, want %s" % (short(resp.body), short(body)))
    for a in absent if absent is not None else (x for x in (SECRET, DEEP) if x != body):
        if a in res.raw:
            p.append("the answer holds %r" % a)
    if log is not None and log not in res.stderr:
        p.append("log lacks %r: %s" % (log, short(res.stderr)))
    want = challenge if challenge is not None else (CHALLENGE if status == 401 else None)
    got = resp.header_all("WWW-Authenticate")
    if want is None and got:
        p.append("WWW-Authenticate %r on a %d" % (got, status))
    if want is not None and got != [want]:
        p.append("WWW-Authenticate %r, want %r" % (got, want))
    return p


def section_verification():
    cases = [
        ("alice (yescrypt), right password -> 200" if MKPASSWD else
         "alice (sha512: no mkpasswd), right password -> 200",
         "/admin/s.txt", ("alice", "alice-pw"), 200, SECRET, None),
        ("bob (sha512-crypt), right password -> 200", "/admin/s.txt",
         ("bob", "bob-pw"), 200, SECRET, None),
        ("carol (bcrypt) in /admin/deep -> 200" if MKPASSWD else
         "carol in /admin/deep -> 200", "/admin/deep/d.txt",
         ("carol", "carol-pw"), 200, DEEP, None),
        ("alice, wrong password -> 401", "/admin/s.txt", ("alice", "bob-pw"), 401,
         None, "auth failed for user alice: wrong password"),
        ("alice, password with one more byte -> 401", "/admin/s.txt",
         ("alice", "alice-pwx"), 401, None, "wrong password"),
        ("alice, empty password -> 401", "/admin/s.txt", ("alice", ""), 401, None,
         "wrong password"),
        ("unknown user mallory -> 401", "/admin/s.txt", ("mallory", "alice-pw"), 401,
         None, "auth failed for user mallory: unknown user"),
        ("user names are exact: Alice -> 401", "/admin/s.txt", ("Alice", "alice-pw"),
         401, None, "unknown user"),
        ("no credentials -> 401", "/admin/s.txt", None, 401, None, "no credentials"),
        ("the longest prefix wins: alice is not a user of /admin/deep -> 401",
         "/admin/deep/d.txt", ("alice", "alice-pw"), 401, None, "unknown user"),
        ("a user of another prefix (dave of /cgi-bin/private) -> 401",
         "/admin/s.txt", ("dave", "dave-pw"), 401, None, "unknown user"),
    ]
    def one(c):
        realm = 'Basic realm="%s", charset="UTF-8"' % (
            "/admin/deep" if c[1].startswith("/admin/deep") else "/admin")
        return answer(c[1], c[3], c[2], body=c[4], log=c[5],
                      challenge=realm if c[3] == 401 else None)
    tap.table(cases, one, name=lambda c: "verify: " + c[0])
    # A log line with the user's escaped name, nothing raw.
    res, resp, _ = get("/admin/s.txt", ("\u00e9vil\"x", "x"))
    tap.check(resp is not None and resp.status == 401 and
              "auth failed for user \\xc3\\xa9vil\"x: unknown user" in res.stderr,
              "verify: a user name outside ASCII -> 401, its bytes escaped in the log",
              diag=short(res.stderr))
    res, resp, _ = get("/admin/s.txt", ("evil\x1b[31m", "x"))
    tap.check(resp is not None and resp.status == 400 and "\x1b" not in res.stderr and
              "malformed Basic credentials" in res.stderr,
              "verify: a user name with a control byte -> 400, nothing raw in the log",
              diag=short(res.stderr))
    res, resp, _ = get("/admin/s.txt", method="HEAD")
    tap.check(resp is not None and resp.status == 401 and resp.body == b"" and
              resp.header("WWW-Authenticate") == CHALLENGE,
              "verify: HEAD without credentials -> 401 with the challenge, no body",
              diag=short(res.raw))


def section_prefixes():
    alice = ("alice", "alice-pw")
    public = [
        ("/administrator is not under /admin", "/administrator/x.txt", b"not admin\n"),
        ("/admin.txt is not under /admin", "/admin.txt", b"not admin either\n"),
        ("a public file", "/pub.txt", b"public\n"),
    ]
    tap.table(public, lambda c: answer(c[1], 200, body=c[2]),
              name=lambda c: "prefix: %s -> 200 without credentials" % c[0])
    spellings = ["/admin/s.txt", "/%61dmin/s.txt", "/admin/../admin/s.txt",
                 "//admin/s.txt", "/./admin/s.txt", "/admin%2fs.txt",
                 "/x/../admin/s.txt", "/../admin/s.txt", "/admin//s.txt",
                 "/%2e/admin/s.txt", "/admin/s.txt?q=1", "/admin/./s.txt",
                 "/admin/nonexistent", "/admin/.hidden",
                 "http://x/admin/s.txt"]
    tap.table(spellings, lambda t: answer(t, 401 if ".hidden" not in t else 404),
              name=lambda t: "prefix: %s without credentials -> %s" % (
                  t, "401" if ".hidden" not in t else "404 (hidden first)"))
    tap.table(["/%61dmin/s.txt", "//admin/s.txt", "/admin/../admin/s.txt"],
              lambda t: answer(t, 200, alice, body=SECRET, absent=(DEEP,)),
              name=lambda t: "prefix: %s with alice's password -> 200" % t)
    tap.expect("prefix: /admin (the directory, no slash) -> 401, not its 301",
               answer("/admin", 401))
    tap.expect("prefix: /admin with credentials -> 301 (the slash added)",
               answer("/admin", 301, alice))
    tap.expect("prefix: the listing /admin/sub/ -> 401 without credentials",
               answer("/admin/sub/", 401, absent=(b"listed.txt",)))
    res, resp, _ = get("/admin/sub/", alice)
    tap.check(resp is not None and resp.status == 200 and b"listed.txt" in resp.body,
              "prefix: the listing /admin/sub/ with credentials -> 200",
              diag=short(res.raw))
    tap.expect("prefix: /admin/deep/ without credentials -> 401 realm /admin/deep",
               answer("/admin/deep/d.txt", 401,
                      challenge='Basic realm="/admin/deep", charset="UTF-8"'))


def env_of(body):
    return dict(ln.split("=", 1) for ln in body.decode("latin-1").splitlines() if "=" in ln)


def section_cgi():
    dave = ("dave", "dave-pw")
    res, resp, _ = get("/cgi-bin/private/env.sh", dave)
    e = env_of(resp.body) if resp else {}
    tap.check(resp is not None and resp.status == 200 and e.get("REMOTE_USER") == "dave" and
              e.get("AUTH_TYPE") == "Basic",
              "cgi: a verified script gets REMOTE_USER=dave, AUTH_TYPE=Basic",
              diag=short(res.raw))
    tap.check(e.get("HTTP_AUTHORIZATION") == "UNSET",
              "cgi: a verified script does not get HTTP_AUTHORIZATION (the password)",
              diag=repr(e))
    tap.expect("cgi: the protected script without credentials -> 401, not run",
               answer("/cgi-bin/private/env.sh", 401, absent=(b"REMOTE_USER=",),
                      challenge='Basic realm="/cgi-bin/private", charset="UTF-8"'))
    tap.expect("cgi: the protected script, wrong password -> 401, not run",
               answer("/cgi-bin/private/env.sh", 401, ("dave", "x"),
                      absent=(b"REMOTE_USER=",),
                      challenge='Basic realm="/cgi-bin/private", charset="UTF-8"'))
    # Unprotected: a claimed user is no user.
    res, resp, _ = get("/cgi-bin/env.sh", ("mallory", "anything"))
    e = env_of(resp.body) if resp else {}
    tap.check(resp is not None and resp.status == 200 and e.get("REMOTE_USER") == "UNSET" and
              e.get("AUTH_TYPE") == "UNSET",
              "cgi: an unprotected script: no REMOTE_USER/AUTH_TYPE from the header",
              diag=short(res.raw))
    tap.check(e.get("HTTP_AUTHORIZATION") == basic("mallory", "anything"),
              "cgi: an unprotected script still gets HTTP_AUTHORIZATION as sent",
              diag=repr(e))
    res, resp, _ = get("/cgi-bin/env.sh", ("mallory", "anything"), args=["--timeout", "10"])
    e = env_of(resp.body) if resp else {}
    tap.check(resp is not None and e.get("REMOTE_USER") == "UNSET" and
              e.get("AUTH_TYPE") == "UNSET",
              "cgi: without --auth at all: no REMOTE_USER/AUTH_TYPE either",
              diag=short(res.raw))
    # A script's local redirect is routed again, and checked again.
    tap.expect("cgi: a local redirect (--parse-headers) into /admin -> 401",
               answer("/cgi-bin/to-admin.sh", 401, args=ARGS + ["--parse-headers"]))
    tap.expect("cgi: the same redirect with alice's password -> the file",
               answer("/cgi-bin/to-admin.sh", 200, ("alice", "alice-pw"), body=SECRET,
                      absent=(DEEP,), args=ARGS + ["--parse-headers"]))


def auth_file(name, text):
    path = os.path.join(W.outside, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def section_file():
    des = run(["mkpasswd", "-m", "descrypt", "-s"], "pw") if MKPASSWD else "abJnggxhB/yWI"
    bad = [
        ("plaintext", "/admin alice:alice-pw\n", 1),
        ("MD5 ($1$, openssl passwd -1)", "/admin bob:%s\n" % hashed("md5", "bob-pw"), 1),
        ("DES", "# fine\n/admin alice:%s\n/admin carol:%s\n" % (H["alice"], des), 3),
        ("a prefix without a user", "/admin alice:%s\n/admin\n" % H["alice"], 2),
        ("an empty user", "/admin :%s\n" % H["alice"], 1),
    ]

    def refused(c):
        path = auth_file("bad-%d" % bad.index(c), c[1])
        args = ["--timeout", "10", "--auth", path, "--https"]
        p = []
        for target, auth in (("/admin/s.txt", ("alice", "alice-pw")), ("/pub.txt", None)):
            p += ["%s: %s" % (target, x) for x in
                  answer(target, 500, auth, args=args, absent=(SECRET, b"public\n"),
                         log="line %d:" % c[2])]
        return p
    tap.table(bad, refused, name=lambda c: "file: a %s line -> 500 for every request, "
              "line %d logged" % (c[0], c[2]))
    tap.expect("file: missing -> 500 for every request, logged",
               answer("/pub.txt", 500, args=["--auth", os.path.join(W.outside, "none"),
                                              "--https"], absent=(b"public\n",),
                      log="cannot be read"))
    tap.expect("file: a directory -> 500, logged",
               answer("/pub.txt", 500, args=["--auth", W.outside, "--https"],
                      absent=(b"public\n",), log="cannot be read"))
    fifo = os.path.join(W.outside, "fifo")
    os.mkfifo(fifo)
    tap.expect("file: a FIFO -> 500 at once, not a wait for a writer",
               answer("/pub.txt", 500, args=["--auth", fifo, "--https"],
                      absent=(b"public\n",), log="cannot be read"))
    crlf = auth_file("crlf", "# CRLF\r\n/admin alice:%s\r\n" % H["alice"])
    tap.expect("file: CRLF line ends are read",
               answer("/admin/s.txt", 200, ("alice", "alice-pw"), body=SECRET,
                      args=["--auth", crlf, "--https"]))
    empty = auth_file("empty", "# nothing protected\n")
    tap.expect("file: comments only -> nothing protected",
               answer("/admin/s.txt", 200, body=SECRET, args=["--auth", empty],
                      absent=(DEEP,)))
    # libcrypt is loaded when a password is checked: one that does not
    # load (here a broken file first on the library path) is a 500 for the
    # protected path, never a 200 or a 401, and costs the others nothing.
    badlib = os.path.join(W.outside, "badlib")
    os.makedirs(badlib, exist_ok=True)
    with open(os.path.join(badlib, "libcrypt.so.1"), "wb") as f:
        f.write(b"not a library\n")
    with open(os.path.join(badlib, "libcrypt.so.2"), "wb") as f:
        f.write(b"not a library\n")
    env = {"LD_LIBRARY_PATH": badlib}
    tap.expect("file: libcrypt cannot be loaded -> 500 for a password, logged",
               answer("/admin/s.txt", 500, ("alice", "alice-pw"), env=env,
                      log="cannot load crypt_r"))
    tap.expect("file: libcrypt cannot be loaded -> a public file is still served",
               answer("/pub.txt", 200, body=b"public\n", env=env))
    for argv, label in ((["--auth-over-http", W.root], "--auth-over-http without --auth"),
                        (["--auth", "", W.root], "--auth ''")):
        r = subprocess.run([BINARY] + argv, capture_output=True, timeout=10,
                           stdin=subprocess.DEVNULL)
        tap.check(r.returncode == 100 and b"auth" in r.stderr,
                  "file: %s is a start-up error (exit 100)" % label,
                  diag="exit %d %s" % (r.returncode, short(r.stderr)))


SIG = b"\r\n\r\n\x00\r\nQUIT\n"


def v2(tls):
    block = bytes([192, 0, 2, 1, 198, 51, 100, 2, 0x30, 0x39, 1, 0xbb])
    if tls:
        ssl = b"\x01\x00\x00\x00\x00" + b"\x21\x00\x07TLSv1.3"
        block += b"\x20" + len(ssl).to_bytes(2, "big") + ssl
    return SIG + b"\x21\x11" + len(block).to_bytes(2, "big") + block


def section_tls():
    alice = ("alice", "alice-pw")
    plain = ["--timeout", "10", "--auth", AUTH]
    tap.expect("tls: plain HTTP, right password -> 403, not served",
               answer("/admin/s.txt", 403, alice, args=plain,
                      log="protected path over plain HTTP"))
    tap.expect("tls: plain HTTP, no credentials -> 403 (no challenge to send one)",
               answer("/admin/s.txt", 403, args=plain))
    tap.expect("tls: plain HTTP, a public file -> 200",
               answer("/pub.txt", 200, args=plain, body=b"public\n"))
    tap.expect("tls: --auth-over-http, right password -> 200",
               answer("/admin/s.txt", 200, alice, args=plain + ["--auth-over-http"],
                      body=SECRET, absent=(DEEP,)))
    tap.expect("tls: --auth-over-http, wrong password -> 401",
               answer("/admin/s.txt", 401, ("alice", "x"), args=plain + ["--auth-over-http"]))
    tap.expect("tls: a TLS front end's SSL_PROTOCOL (stunnel) -> 200",
               answer("/admin/s.txt", 200, alice, args=plain, env={"SSL_PROTOCOL": "TLSv1.3"},
                      body=SECRET, absent=(DEEP,)))
    pp = plain + ["--proxy-protocol"]
    for tls, status in ((True, 200), (False, 403)):
        data = v2(tls) + request("GET", "/admin/s.txt", [("Authorization", basic(*alice))])
        tap.expect("tls: PROXY v2 %s -> %d" % ("with an SSL TLV" if tls else "without TLS",
                                               status),
                   answer("/admin/s.txt", status, data=data, args=pp,
                          body=SECRET if tls else None, absent=() if tls else (SECRET,)))
    data = (b"PROXY TCP4 192.0.2.1 198.51.100.2 1 443\r\n" +
            request("GET", "/admin/s.txt", [("Authorization", basic(*alice))]))
    tap.expect("tls: PROXY v1 (it cannot say TLS) -> 403",
               answer("/admin/s.txt", 403, data=data, args=pp))


def section_header():
    cases = [
        ("'Basic' with nothing -> 400", [("Authorization", "Basic")], 400),
        ("bad base64 -> 400", [("Authorization", "Basic !!!!")], 400),
        ("no colon -> 400", [("Authorization", "Basic " +
                              base64.b64encode(b"alice").decode())], 400),
        ("NUL in the password -> 400", [("Authorization", "Basic " +
                                         base64.b64encode(b"alice:alice-pw\0x").decode())], 400),
        ("two Authorization headers -> 400",
         [("Authorization", basic("alice", "alice-pw"))] * 2, 400),
        ("Bearer -> 401", [("Authorization", "Bearer abc")], 401),
        ("'basic' in lower case, right password -> 200",
         [("Authorization", "basic " + base64.b64encode(b"alice:alice-pw").decode())], 200),
    ]

    def one(c):
        return answer("/admin/s.txt", c[2], headers=c[1],
                      body=SECRET if c[2] == 200 else None,
                      absent=(DEEP,) if c[2] == 200 else None)
    tap.table(cases, one, name=lambda c: "header: " + c[0])


def section_clients():
    args = ["--timeout", "10", "--auth", AUTH, "--auth-over-http"]
    with listen_server(args, W) as srv:
        url = "http://127.0.0.1:%d/admin/s.txt" % srv.port
        if shutil.which("curl"):
            c = curl(url, extra=["-u", "bob:bob-pw"])
            tap.check(c.status == 200 and c.body == SECRET,
                      "clients: curl -u bob:bob-pw -> 200", diag=repr(c))
            c = curl(url, extra=["-u", "bob:nope"])
            tap.check(c.status == 401 and SECRET not in c.body,
                      "clients: curl -u bob:nope -> 401", diag=repr(c))
        else:
            tap.skip("clients: curl", "no curl")
        conn = http.client.HTTPConnection("127.0.0.1", srv.port, timeout=20)
        try:
            conn.request("GET", "/admin/s.txt",
                         headers={"Authorization": basic("alice", "alice-pw")})
            r = conn.getresponse()
            body = r.read()
        finally:
            conn.close()
        tap.check(r.status == 200 and body == SECRET,
                  "clients: http.client with alice's credentials -> 200",
                  diag="%d %s" % (r.status, short(body)))


tap.main([section_verification, section_prefixes, section_cgi, section_file,
          section_tls, section_header, section_clients])
