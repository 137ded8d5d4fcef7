"""End-to-end test harness for cgihandlerd.  Python 3 standard library only.

Runs the built binary the ways a superserver does and checks the bytes on the
wire.  Every subprocess and socket operation here has a timeout: no test hangs.

Pieces (each usable on its own):

  TAP                 reporter: check(), expect(), table(), guard(), done();
                      main(sections) runs a script's sections, at_exit()
                      cleanups, watchdog() caps the run, bails out when
                      handlers keep hanging (HANG_LIMIT)
  WebRoot             temporary web root from a dict spec (File, Dir, Symlink,
                      RandomFile), plus an "outside" area beside the root
  run_inetd()         one request, connection on fd 0/1 as inetd gives it;
                      returns Result(raw, stderr, returncode, leftover, ...)
  InetdSession        the same with the test driving the client socket; over
                      IPv4, IPv6 or a v4-mapped address, stderr a file or
                      the connection, the child in a session of its own,
                      the harness's copy of the connection held (to see the
                      leftover) or let go (EOF once every holder closed it)
  run_pipe()          one request, stdin/stdout are pipes; leftover = what
                      is still unread in the stdin pipe after exit
  socket_activate()   context managers running a long-lived server and
  listen_server()     yielding a Server with .port
  parse_response()    strict HTTP/1.1 response parser (CRLF, framing)
  response_problems() the usual assertions on one Result, as a list of
                      problems (empty = fine), for TAP.expect()
  curl(), http_request(), raw_request()   clients against a Server;
  read_to_eof()       raw_request's reading: Received says EOF/reset/timeout
  live_processes()    /proc's view, to find what a test left running

Environment: CGIHANDLERD (the binary), CGIHANDLERD_SOURCE, CGIHANDLERD_BUILD
(set by meson; when run by hand the binary defaults to SOURCE/build/cgihandlerd).
"""

import contextlib
import dataclasses
import email.utils
import errno
import hashlib
import http.client
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import traceback

__all__ = [
    "BINARY", "SOURCE", "TAP", "File", "Dir", "Symlink", "RandomFile",
    "WebRoot", "Result", "run_inetd", "InetdSession", "run_pipe",
    "run_binary", "Server", "socket_activate", "listen_server",
    "Response", "ProtocolError", "parse_response", "parse_head",
    "response_problems", "common_problems", "http_date", "request",
    "curl", "CurlResult", "http_request", "raw_request", "CLF_RE",
    "parse_log_lines", "short", "sanitizer_problems", "child_env",
    "HangLimit", "require_binary", "free_port", "Received", "read_to_eof",
    "live_processes", "case", "run_cases",
]

# ---------------------------------------------------------------------------
# A table of requests and what each must get (tests/e2e/test_static.py style)

def case(name, req, method="GET", args=(), **expect):
    """One row: the request, the handler's arguments, and response_problems'
    expectations. The exit status is 0 whenever a request was answered,
    whatever its HTTP status (cgihandlerd --help, "Exit status")."""
    expect.setdefault("exit_codes", {0})
    return {"name": name, "req": req, "method": method, "args": args,
            "expect": expect}


def run_cases(tap, cases, run):
    """Each row through run(request, args) -> Result, one test point each."""
    def one(c):
        return response_problems(run(c["req"], c["args"]), method=c["method"],
                                 **c["expect"])
    tap.table(cases, one, name=lambda c: c["name"])


# ---------------------------------------------------------------------------
# Where things are

SOURCE = os.environ.get(
    "CGIHANDLERD_SOURCE",
    os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))))
BUILD = os.environ.get("CGIHANDLERD_BUILD", os.path.join(SOURCE, "build"))
# Absolute: the handlers run with their cwd elsewhere (see _cwd).
BINARY = os.path.abspath(os.environ.get("CGIHANDLERD", os.path.join(BUILD, "cgihandlerd")))

# Variables a superserver sets; scrubbed from the child's environment unless a
# test passes them explicitly, so the developer's shell cannot leak into a run.
_SCRUB_ENV = (
    "REMOTE_ADDR", "REMOTE_PORT", "REMOTE_HOST", "TCPREMOTEIP",
    "TCPREMOTEPORT", "TCPREMOTEHOST", "TCPREMOTEINFO", "TCPLOCALIP",
    "TCPLOCALPORT", "TCPLOCALHOST", "PROTO", "LISTEN_FDS", "LISTEN_PID",
    "LISTEN_FDNAMES", "SSL_PROTOCOL", "HTTPS",
)

# A handler serving a small file exits in milliseconds; 5 s is generous.
DEFAULT_TIMEOUT = 5.0
# A binary that hangs on every request would make a run take DEFAULT_TIMEOUT
# times the number of tests.  Under TAP.main() (opt-in: a test that kills
# handlers on purpose must not trip it), after this many handlers had to be
# killed the run bails out.
HANG_LIMIT = 6
_hang_limit = None
_hangs = 0


class HangLimit(BaseException):
    """Too many handlers had to be killed: the binary hangs.  A
    BaseException so that TAP.guard/table do not swallow it."""


def _note_hang():
    global _hangs
    _hangs += 1
    if _hang_limit is not None and _hangs >= _hang_limit:
        raise HangLimit("%d handler runs did not exit within their timeout; "
                        "the binary seems to hang" % _hangs)


def child_env(env=None):
    e = {k: v for k, v in os.environ.items() if k not in _SCRUB_ENV}
    if env:
        for k, v in env.items():
            if v is None:
                e.pop(k, None)
            else:
                e[k] = v
    return e


def short(data, limit=600):
    """A readable, bounded repr of bytes or str for diagnostics."""
    if data is None:
        return "None"
    if isinstance(data, (bytes, bytearray)):
        data = bytes(data)
        text = repr(data[:limit])
        if len(data) > limit:
            text += "... (%d bytes in all)" % len(data)
        return text
    data = str(data)
    if len(data) > limit:
        return data[:limit] + "... (%d chars in all)" % len(data)
    return data


# ---------------------------------------------------------------------------
# TAP

class TAP:
    """TAP producer.  Plan printed at the end (TAP allows a trailing plan).

        tap = TAP()
        tap.check(cond, "name", diag="shown when it fails")
        tap.expect("name", problems)        # ok iff problems is empty
        with tap.guard("section"):          # an exception -> one "not ok"
            ...
        tap.table(cases, fn)                # fn(case) -> problems list
        sys.exit(tap.done())
    """

    def __init__(self, out=None):
        self.out = out or sys.stdout
        self.n = 0
        self.failed = []
        self.started = time.monotonic()
        self.cleanups = []

    def _emit(self, line):
        self.out.write(line + "\n")
        self.out.flush()

    def diag(self, msg):
        for line in str(msg).splitlines() or [""]:
            self._emit("# " + line)

    @staticmethod
    def _clean(name):
        # A name must stay on one line and must not look like a directive.
        return " ".join(str(name).split()).replace("#", "\\#")

    def check(self, cond, name, diag=None):
        self.n += 1
        name = self._clean(name)
        if cond:
            self._emit("ok %d - %s" % (self.n, name))
        else:
            self._emit("not ok %d - %s" % (self.n, name))
            self.failed.append(name)
            if diag is not None:
                if callable(diag):
                    try:
                        diag = diag()
                    except Exception as exc:  # a diag must never kill the run
                        diag = "(diag failed: %r)" % exc
                if isinstance(diag, (list, tuple)):
                    diag = "\n".join(str(d) for d in diag)
                self.diag(diag)
        return bool(cond)

    def eq(self, got, want, name):
        return self.check(got == want, name,
                          diag=lambda: "got:  %s\nwant: %s" % (short(got), short(want)))

    def expect(self, name, problems):
        """ok iff problems (a list of strings) is empty; they are the diag."""
        problems = list(problems)
        return self.check(not problems, name, diag=problems)

    def skip(self, name, reason):
        self.n += 1
        self._emit("ok %d - %s # SKIP %s" % (self.n, self._clean(name), reason))

    @contextlib.contextmanager
    def guard(self, name):
        """Turn an exception inside the block into one failing test point."""
        try:
            yield
        except Exception:
            self.check(False, "%s (raised an exception)" % name,
                       diag=traceback.format_exc())

    def table(self, cases, fn, name=lambda c: c[0], workers=1):
        """Run fn(case) -> list of problems for every case; one test point
        each, named name(case), in the order of cases.  An exception in fn
        fails only that case.  workers > 1 runs that many cases at once
        (threads): for cases that mostly wait on a process of their own."""
        def problems_of(case):
            try:
                return fn(case) or []
            except Exception:
                return ["exception:\n" + traceback.format_exc()]
        if workers <= 1:
            for case in cases:
                self.expect(name(case), problems_of(case))
            return
        import concurrent.futures
        with concurrent.futures.ThreadPoolExecutor(workers) as pool:
            for case, problems in zip(cases, pool.map(problems_of, cases)):
                self.expect(name(case), problems)

    def done(self):
        self._emit("1..%d" % self.n)
        self.diag("%d tests, %d failed, %.1f s" % (
            self.n, len(self.failed), time.monotonic() - self.started))
        for name in self.failed:
            self.diag("FAILED: " + name)
        return 1 if self.failed or self.n == 0 else 0

    def bail_out(self, reason):
        self._emit("Bail out! " + " ".join(str(reason).split()))
        self._run_cleanups()
        sys.exit(1)

    def at_exit(self, fn):
        """Register a cleanup (a WebRoot's) run by main(), bail_out and the
        watchdog."""
        self.cleanups.append(fn)
        return fn

    def _run_cleanups(self):
        while self.cleanups:
            with contextlib.suppress(Exception):
                self.cleanups.pop()()

    def main(self, sections):
        """Run each section (a function) under guard(); bail out on
        HangLimit; run the cleanups; exit with done()'s status."""
        global _hang_limit
        _hang_limit = HANG_LIMIT
        try:
            for section in sections:
                with self.guard(section.__name__):
                    section()
        except HangLimit as exc:
            self.bail_out(str(exc))
        finally:
            self._run_cleanups()
        sys.exit(self.done())

    def watchdog(self, seconds):
        """Hard limit for the whole script: prints Bail out and exits."""
        def fire():
            self._emit("Bail out! watchdog: script ran over %d s" % seconds)
            self._run_cleanups()
            os._exit(1)
        t = threading.Timer(seconds, fire)
        t.daemon = True
        t.start()
        return t


def auth_probe():
    """Whether this build takes --auth (it has crypt_r; static musl has
    not, and refuses it with exit 100): the finished --version run."""
    return subprocess.run([BINARY, "--auth", "/nonexistent", "--version"],
                          capture_output=True, timeout=60, stdin=subprocess.DEVNULL)


def require_binary(tap):
    if not (os.path.isfile(BINARY) and os.access(BINARY, os.X_OK)):
        tap.bail_out("binary not found or not executable: %s "
                     "(meson setup build && meson compile -C build)" % BINARY)


# ---------------------------------------------------------------------------
# Web root

@dataclasses.dataclass
class File:
    content: bytes = b""
    mode: int = 0o644
    mtime: float = None      # seconds since the epoch; None = now


@dataclasses.dataclass
class Dir:
    mode: int = 0o755
    mtime: float = None


@dataclasses.dataclass
class Symlink:
    target: str              # as given to os.symlink (relative or absolute)


@dataclasses.dataclass
class RandomFile:
    size: int
    mode: int = 0o644
    mtime: float = None


class WebRoot:
    """A temporary tree:  BASE/root (the web root) and BASE/outside (for
    things a request must never reach).  Specs map relative paths to bytes,
    str, File, Dir, Symlink or RandomFile; parent directories are made as
    needed.  Paths in a symlink target may use "{root}", "{outside}" and
    "{base}", which are replaced by the absolute paths.

        with WebRoot({"a.txt": b"hi", "d": Dir()}, outside={"secret": b"x"}) as w:
            w.root, w.outside, w.base, w.path("a.txt"), w.sha256["big.bin"]
    """

    def __init__(self, spec, outside=None, prefix="cgihandlerd-e2e-"):
        self.base = os.path.realpath(tempfile.mkdtemp(prefix=prefix))
        self.root = os.path.join(self.base, "root")
        self.outside = os.path.join(self.base, "outside")
        self.sha256 = {}
        self.size = {}
        os.mkdir(self.root)
        os.mkdir(self.outside)
        try:
            self.add(spec, self.root)
            self.add(outside or {}, self.outside)
        except BaseException:
            self.cleanup()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.cleanup()

    def path(self, rel):
        return os.path.join(self.root, rel.lstrip("/"))

    def add(self, spec, top=None):
        top = top or self.root
        dir_fixups = []
        for rel, item in spec.items():
            full = os.path.join(top, rel.strip("/"))
            os.makedirs(os.path.dirname(full), exist_ok=True)
            if isinstance(item, str):
                item = File(item.encode())
            elif isinstance(item, (bytes, bytearray)):
                item = File(bytes(item))
            if isinstance(item, File):
                with open(full, "wb") as f:
                    f.write(item.content)
                self.sha256[rel] = hashlib.sha256(item.content).hexdigest()
                self.size[rel] = len(item.content)
                os.chmod(full, item.mode)
                if item.mtime is not None:
                    os.utime(full, (item.mtime, item.mtime))
            elif isinstance(item, RandomFile):
                h = hashlib.sha256()
                left = item.size
                with open(full, "wb") as f:
                    while left > 0:
                        chunk = os.urandom(min(left, 1 << 20))
                        h.update(chunk)
                        f.write(chunk)
                        left -= len(chunk)
                self.sha256[rel] = h.hexdigest()
                self.size[rel] = item.size
                os.chmod(full, item.mode)
                if item.mtime is not None:
                    os.utime(full, (item.mtime, item.mtime))
            elif isinstance(item, Dir):
                os.makedirs(full, exist_ok=True)
                dir_fixups.append((full, item))
            elif isinstance(item, Symlink):
                target = item.target.format(root=self.root, outside=self.outside,
                                            base=self.base)
                os.symlink(target, full)
            else:
                raise TypeError("bad web root spec for %r: %r" % (rel, item))
        # Directory modes and times last: a 0555 directory must be filled first.
        for full, item in reversed(dir_fixups):
            os.chmod(full, item.mode)
            if item.mtime is not None:
                os.utime(full, (item.mtime, item.mtime))

    def cleanup(self):
        def onerror(func, path, exc_info):
            try:
                os.chmod(os.path.dirname(path), 0o700)
                os.chmod(path, 0o700)
                func(path)
            except OSError:
                pass
        if os.path.isdir(self.base):
            for dirpath, dirnames, _ in os.walk(self.base):
                for d in dirnames:
                    p = os.path.join(dirpath, d)
                    if not os.path.islink(p):
                        with contextlib.suppress(OSError):
                            os.chmod(p, 0o700)
            shutil.rmtree(self.base, onerror=onerror)


# ---------------------------------------------------------------------------
# Requests

def request(method="GET", target="/", headers=None, version="HTTP/1.1",
            host="x", body=b"", eol=b"\r\n"):
    """Build request bytes.  headers: list of (name, value) or dict; host=None
    leaves Host out (it is added first when given and not in headers)."""
    def b(s):
        return s if isinstance(s, bytes) else str(s).encode("latin-1")
    hdrs = list(headers.items()) if isinstance(headers, dict) else list(headers or [])
    if host is not None and not any(b(n).lower() == b"host" for n, _ in hdrs):
        hdrs.insert(0, ("Host", host))
    out = b(method) + b" " + b(target) + b" " + b(version) + eol
    for n, v in hdrs:
        out += b(n) + b": " + b(v) + eol
    return out + eol + b(body)


# ---------------------------------------------------------------------------
# Running the binary once

@dataclasses.dataclass
class Result:
    raw: bytes                # everything the client received
    stderr: str               # the handler's stderr (the log)
    returncode: int           # negative: killed by that signal; None: timed out
    leftover: bytes           # unread on the server side after exit
    elapsed: float            # seconds from spawn to observed exit
    timed_out: bool = False
    argv: list = None
    eof: bool = None          # the client saw EOF (or a reset); None: not watched
    eof_after: float = None   # seconds from spawn to EOF (or to giving up)
    client_port: int = None
    server_port: int = None
    killed: int = 0           # processes still alive at the end, killed by the harness

    def parse(self, method="GET"):
        """Response, or raises ProtocolError."""
        return parse_response(self.raw, method=method)

    def try_parse(self, method="GET"):
        """(Response, None) or (None, error text)."""
        try:
            return parse_response(self.raw, method=method), None
        except ProtocolError as exc:
            return None, str(exc)

    def exit_problems(self):
        """Killed on timeout, killed by a signal, or a sanitizer report."""
        p = []
        if self.timed_out:
            p.append("handler did not exit within the timeout (killed)")
        elif self.returncode is not None and self.returncode < 0:
            p.append("handler killed by signal %s" % _signame(-self.returncode))
        p += sanitizer_problems(self.stderr)
        return p

    def describe(self):
        eof = "" if self.eof is None else " eof=%s after %.2fs killed=%d" % (
            self.eof, self.eof_after, self.killed)
        return ("exit=%s elapsed=%.2fs timed_out=%s%s\nraw: %s\nstderr: %s\nleftover: %s"
                % (self.returncode, self.elapsed, self.timed_out, eof, short(self.raw),
                   short(self.stderr), short(self.leftover)))


_SANITIZER_RE = re.compile(
    r"ERROR: (AddressSanitizer|LeakSanitizer|MemorySanitizer|ThreadSanitizer)"
    r"|runtime error: |SUMMARY: UndefinedBehaviorSanitizer")


def sanitizer_problems(stderr):
    """A -Db_sanitize build reports on stderr; any report is a failure."""
    m = _SANITIZER_RE.search(stderr or "")
    if not m:
        return []
    start = max(0, m.start() - 200)
    return ["sanitizer report on stderr: " + short(stderr[start:], 1500)]


def _signame(n):
    try:
        return signal.Signals(n).name
    except ValueError:
        return str(n)


def _argv(args, root):
    argv = [BINARY] + [str(a) for a in args]
    if root is not None:
        argv.append(root.root if isinstance(root, WebRoot) else str(root))
    return argv


def _cwd(root, cwd):
    # Run from BASE, not from the root: a binary that ignored DIRECTORY and
    # served "." would then expose BASE/outside and fail the tests loudly.
    if cwd is not None:
        return cwd
    if isinstance(root, WebRoot):
        return root.base
    return tempfile.gettempdir()


def _drain_nonblocking(sock_or_fd, more_coming=lambda: False, deadline=None):
    """Read what is available without blocking.  For a socket stops at
    EAGAIN/EOF; keeps going while more_coming() (a sender still writing)."""
    chunks = []
    deadline = deadline or (time.monotonic() + 5)
    while time.monotonic() < deadline:
        try:
            if isinstance(sock_or_fd, socket.socket):
                data = sock_or_fd.recv(1 << 16, socket.MSG_DONTWAIT)
            else:
                data = os.read(sock_or_fd, 1 << 16)
        except (BlockingIOError, InterruptedError):
            if more_coming():
                time.sleep(0.01)
                continue
            break
        except OSError as exc:
            if exc.errno in (errno.ECONNRESET, errno.ENOTCONN, errno.EPIPE):
                break
            raise
        if not data:
            break
        chunks.append(data)
    return b"".join(chunks)


def _connected_pair(family="v4"):
    """A connected TCP pair over loopback: (client, accepted server side).
    v4: 127.0.0.1; v6: ::1; mapped: a dual-stack [::] listener reached over
    127.0.0.1, so that the server side sees ::ffff:127.0.0.1."""
    if family == "v4":
        lst = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        bind, connect = "127.0.0.1", "127.0.0.1"
    elif family in ("v6", "mapped"):
        lst = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
        lst.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        bind, connect = ("::1", "::1") if family == "v6" else ("::", "127.0.0.1")
    else:
        raise ValueError("family %r: want v4, v6 or mapped" % (family,))
    try:
        lst.bind((bind, 0))
        lst.listen(1)
        lst.settimeout(5)
        client = socket.create_connection((connect, lst.getsockname()[1]), timeout=5)
        server, _ = lst.accept()
    finally:
        lst.close()
    return client, server


def live_processes():
    """(pid, [state, ppid, pgrp, ...]) for every process but zombies, from
    /proc/PID/stat (the fields after the command name)."""
    for d in os.listdir("/proc"):
        if not d.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % d) as f:
                stat = f.read()
        except OSError:
            continue
        fields = stat[stat.rfind(")") + 2:].split()
        if fields and fields[0] != "Z":
            yield int(d), fields


def _kill_group(pgid):
    """Kill, by pid, what is left of a process group we started (a script's
    orphaned children).  Returns how many live ones there were."""
    pids = [pid for pid, f in live_processes() if len(f) > 2 and f[2] == str(pgid)]
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.kill(pid, signal.SIGKILL)
    return len(pids)


class InetdSession:
    """One handler run inetd-style, the test driving the client socket.

    A listening socket on loopback, a client connects, the server side is
    accepted and becomes the child's fd 0 AND fd 1 (stderr goes to a temp
    file).  The harness keeps its own copy of the accepted socket, so after
    the child exits it can see which bytes were left unread (the
    no-over-read property); it then shuts that copy down for writing, which
    is when the client sees EOF.

        with InetdSession(["--timeout", "2"], root=w) as s:
            s.send(b"GET / HT")          # the client side, as the test likes
            s.start()                    # spawn (if start=False was given)
            s.shutdown_write()
            res = s.finish(timeout=5)    # -> Result

    family      "v4" (127.0.0.1), "v6" (::1) or "mapped" (the handler sees
                ::ffff:127.0.0.1)
    stderr      None: a temp file (stderr_text()); "conn": the connection
                too, as xinetd may give it; else an fd or file for Popen
    new_session the child leads a session of its own; at the end whatever
                is left of its process group (a script's orphans) is killed
    hold=False  the harness closes its copy of the connection right after
                the spawn, so the client sees EOF only when every process
                holding it has closed it (no leftover then); finish() reads
                to that EOF first and waits for the exit after it
    """

    SMALL = 16 * 1024   # sent in one send() before the child starts

    def __init__(self, args=(), root=None, env=None, cwd=None, start=True,
                 stdout_too=True, family="v4", stderr=None, new_session=False,
                 hold=True):
        self.argv = _argv(args, root)
        self.env = child_env(env)
        self.cwd = _cwd(root, cwd)
        self.proc = None
        self.t_start = None
        self.t_exit = None
        self.eof_at = None
        self.received = bytearray()
        self.client_closed = False
        self._senders = []
        self._stderr = tempfile.TemporaryFile()
        self.stdout_too = stdout_too
        self.stderr_to = stderr
        self.new_session = new_session
        self.hold = hold
        self.client, self.server = _connected_pair(family)
        self.client_port = self.client.getsockname()[1]
        self.server_port = self.server.getsockname()[1]
        self.client.settimeout(20)
        self.server.setblocking(True)
        if start:
            self.start()

    # -- lifecycle
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def start(self):
        assert self.proc is None, "already started"
        fd = self.server.fileno()
        if self.stderr_to is None:
            err = self._stderr
        else:
            err = fd if self.stderr_to == "conn" else self.stderr_to
        self.t_start = time.monotonic()
        try:
            self.proc = subprocess.Popen(
                self.argv, stdin=fd, stdout=fd if self.stdout_too else subprocess.DEVNULL,
                stderr=err, env=self.env, cwd=self.cwd, close_fds=True,
                start_new_session=self.new_session)
        finally:
            if not self.hold:
                self.server.close()
        return self

    def start_with(self, data, half_close=False):
        """Start the child with data as the request: small data in one
        send() before the spawn (the head and the first body bytes are one
        segment), more from a thread after it; then half-close if asked."""
        small = len(data) <= self.SMALL
        if small and data:
            self.send(data)
        self.start()
        if not small:
            self.send_async(data, shutdown=half_close)
        elif half_close:
            self.shutdown_write()
        return self

    def close(self):
        if self.proc is not None and self.proc.returncode is None:
            self._stop()
        for s in (self.client, self.server):
            with contextlib.suppress(OSError):
                s.close()
        for t in self._senders:
            t.join(1)
        with contextlib.suppress(OSError):
            self._stderr.close()

    # -- the client side
    def send(self, data):
        """sendall on the client; data above SMALL goes from a thread so a
        handler that stops reading cannot block the test."""
        if len(data) <= self.SMALL:
            self.client.sendall(data)
        else:
            self.send_async(data)

    def send_async(self, data, shutdown=False):
        """sendall from a thread, then shut down the write side if asked."""
        def run():
            with contextlib.suppress(OSError):
                self.client.sendall(data)
                if shutdown:
                    self.client.shutdown(socket.SHUT_WR)
        t = threading.Thread(target=run, daemon=True)
        t.start()
        self._senders.append(t)
        return t

    def shutdown_write(self):
        self.client.shutdown(socket.SHUT_WR)

    def close_client(self):
        self.client_closed = True
        self.client.close()

    def recv_some(self, nbytes=0, timeout=5, until=None):
        """Read until at least nbytes have arrived and, if given, the bytes
        until are among them (or EOF, or timeout).  Returns all received."""
        deadline = time.monotonic() + timeout
        while (len(self.received) < nbytes or
               (until is not None and until not in self.received)) and \
                self.eof_at is None and time.monotonic() < deadline:
            self._pump(0.05)
        return bytes(self.received)

    def drip(self, data, interval, timeout=10):
        """Send data one byte per interval until the child exits (or data
        runs out); reads what arrives meanwhile.  Returns bytes sent."""
        sent = 0
        deadline = time.monotonic() + timeout
        while sent < len(data) and time.monotonic() < deadline:
            if self.poll() is not None:
                break
            try:
                self.client.send(data[sent:sent + 1])
            except OSError:
                break
            sent += 1
            end = time.monotonic() + interval
            while time.monotonic() < end:
                self._pump(min(0.05, max(0, end - time.monotonic())))
                if self.poll() is not None:
                    break
        return sent

    # -- the child
    def poll(self):
        """The exit status once the child has exited, else None.  A child
        in its own session is not reaped here: while the leader is a zombie
        its pid (the group's id) cannot be reused, so _stop() kills only
        what is ours."""
        if self.new_session and self.proc.returncode is None:
            info = os.waitid(os.P_PID, self.proc.pid,
                             os.WEXITED | os.WNOWAIT | os.WNOHANG)
            rc = None if info is None else (
                info.si_status if info.si_code == os.CLD_EXITED else -info.si_status)
        else:
            rc = self.proc.poll()
        if rc is not None and self.t_exit is None:
            self.t_exit = time.monotonic()
        return rc

    def _stop(self):
        """Kill the child if it still runs (in its own session: whatever is
        left of its process group) and reap it.  Returns how many processes
        were killed."""
        if self.new_session:
            killed = _kill_group(self.proc.pid)
        else:
            killed = int(self.proc.poll() is None)
            if killed:
                self.proc.kill()
        with contextlib.suppress(subprocess.TimeoutExpired):
            self.proc.wait(5)
        self.poll()
        return killed

    def _pump(self, wait):
        """Read what the client has within wait seconds; EOF or a reset
        ends the reading (eof_at)."""
        if self.client_closed or self.eof_at is not None:
            time.sleep(wait)
            return
        r, _, _ = select.select([self.client], [], [], wait)
        if not r:
            return
        try:
            data = self.client.recv(1 << 18)
        except (BlockingIOError, socket.timeout):
            return
        except OSError:
            data = b""
        if data:
            self.received += data
        else:
            self.eof_at = time.monotonic()

    def wait(self, timeout=DEFAULT_TIMEOUT):
        """Wait for exit while reading the client; True if it exited."""
        deadline = time.monotonic() + timeout
        while self.poll() is None and time.monotonic() < deadline:
            self._pump(0.02)
        return self.poll() is not None

    def stderr_text(self):
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "backslashreplace")

    def finish(self, timeout=DEFAULT_TIMEOUT, wait_exit=True):
        """Returns a Result.  Holding the connection: wait for exit (kill on
        timeout), collect the leftover, let the client see EOF and read the
        rest.  Not holding it: read to EOF (within timeout), then wait for
        the exit in what is left of the timeout, or only briefly if not
        wait_exit (a script may work on after it closed the connection)."""
        leftover = b""
        if self.hold:
            exited = self.wait(timeout)
        else:
            deadline = time.monotonic() + timeout
            while self.eof_at is None and time.monotonic() < deadline:
                self._pump(0.05)
            until = deadline if wait_exit else time.monotonic() + 0.1
            while self.poll() is None and time.monotonic() < until:
                time.sleep(0.01)
            exited = self.poll() is not None
        killed = self._stop()
        if self.hold:
            leftover = _drain_nonblocking(
                self.server, more_coming=lambda: any(t.is_alive() for t in self._senders))
            with contextlib.suppress(OSError):
                self.server.shutdown(socket.SHUT_WR)
            deadline = time.monotonic() + 5
            while self.eof_at is None and not self.client_closed and \
                    time.monotonic() < deadline:
                self._pump(0.1)
        for t in self._senders:
            t.join(1)
        if not exited and wait_exit:
            _note_hang()
        return Result(raw=bytes(self.received), stderr=self.stderr_text(),
                      returncode=self.proc.returncode if exited else None,
                      leftover=leftover,
                      elapsed=(self.t_exit or time.monotonic()) - self.t_start,
                      timed_out=not exited, argv=self.argv,
                      eof=self.eof_at is not None,
                      eof_after=(self.eof_at or time.monotonic()) - self.t_start,
                      client_port=self.client_port, server_port=self.server_port,
                      killed=killed)


def run_inetd(data, args=(), root=None, env=None, timeout=DEFAULT_TIMEOUT,
              half_close=False, cwd=None, wait_exit=True, **session):
    """Send data on a fresh connection (small data: one send() before the
    handler starts), run the handler on it inetd-style, return a Result.
    session: InetdSession's family, stderr, new_session, hold."""
    with InetdSession(args, root=root, env=env, cwd=cwd, start=False, **session) as s:
        return s.start_with(data, half_close).finish(timeout, wait_exit)


def run_pipe(data, args=(), root=None, env=None, timeout=DEFAULT_TIMEOUT,
             keep_open=False, cwd=None):
    """stdin and stdout are pipes.  data is written to stdin (then the write
    end is closed unless keep_open).  Result.leftover is what the handler
    left unread in the stdin pipe."""
    argv = _argv(args, root)
    rfd, wfd = os.pipe()
    err = tempfile.TemporaryFile()
    received = bytearray()
    writer_done = threading.Event()

    def write_all():
        try:
            view = memoryview(data)
            while view:
                n = os.write(wfd, view)
                view = view[n:]
        except OSError:
            pass
        finally:
            if not keep_open:
                with contextlib.suppress(OSError):
                    os.close(wfd)
            writer_done.set()

    t0 = time.monotonic()
    try:
        proc = subprocess.Popen(argv, stdin=rfd, stdout=subprocess.PIPE, stderr=err,
                                env=child_env(env), cwd=_cwd(root, cwd), close_fds=True)
    except BaseException:
        for fd in (rfd, wfd):
            os.close(fd)
        err.close()
        raise
    writer = threading.Thread(target=write_all, daemon=True)
    writer.start()

    def read_all():
        while True:
            chunk = proc.stdout.read1(1 << 16) if hasattr(proc.stdout, "read1") \
                else proc.stdout.read(1 << 16)
            if not chunk:
                break
            received.extend(chunk)
    reader = threading.Thread(target=read_all, daemon=True)
    reader.start()
    timed_out = False
    try:
        proc.wait(timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        proc.kill()
        proc.wait(5)
    t_exit = time.monotonic()
    os.set_blocking(rfd, False)
    leftover = _drain_nonblocking(rfd, more_coming=lambda: not writer_done.is_set())
    writer.join(2)
    reader.join(5)
    os.close(rfd)
    if keep_open:
        with contextlib.suppress(OSError):
            os.close(wfd)
    err.seek(0)
    stderr = err.read().decode("utf-8", "backslashreplace")
    err.close()
    with contextlib.suppress(OSError):
        proc.stdout.close()
    if timed_out:
        _note_hang()
    return Result(raw=bytes(received), stderr=stderr,
                  returncode=None if timed_out else proc.returncode,
                  leftover=leftover, elapsed=t_exit - t0, timed_out=timed_out,
                  argv=argv)


def run_binary(args, timeout=10, env=None, stdin=b"", cwd=None):
    """Run the binary with no connection (option handling).  Returns
    CompletedProcess with text stdout/stderr; returncode None on timeout."""
    try:
        p = subprocess.run([BINARY] + [str(a) for a in args], input=stdin,
                           capture_output=True, timeout=timeout, env=child_env(env),
                           cwd=cwd or tempfile.gettempdir())
    except subprocess.TimeoutExpired as exc:
        return subprocess.CompletedProcess(exc.cmd, None, exc.stdout or b"",
                                           exc.stderr or b"")
    p.stdout = p.stdout.decode("utf-8", "backslashreplace")
    p.stderr = p.stderr.decode("utf-8", "backslashreplace")
    return p


# ---------------------------------------------------------------------------
# Long-running servers

def free_port():
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]
    finally:
        s.close()


def _listening(port):
    """True if something listens on 127.0.0.1:port or 0.0.0.0:port.
    Reads /proc/net/tcp so that probing does not make a connection (a probe
    connection would start a handler and log a request)."""
    want = {"0100007F:%04X" % port, "00000000:%04X" % port}
    try:
        with open("/proc/net/tcp") as f:
            next(f)
            for line in f:
                parts = line.split()
                if len(parts) > 3 and parts[3] == "0A" and parts[1] in want:
                    return True
        return False
    except OSError:
        pass
    try:  # no /proc: fall back to connecting
        socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
        return True
    except OSError:
        return False


class Server:
    """A long-running server in its own process group, killed at exit."""

    def __init__(self, argv, port, env=None, cwd=None, label=""):
        self.argv = argv
        self.port = port
        self.host = "127.0.0.1"
        self.label = label
        self._stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL,
                                     stdout=subprocess.DEVNULL, stderr=self._stderr,
                                     env=child_env(env), cwd=cwd,
                                     start_new_session=True, close_fds=True)

    @property
    def url(self):
        return "http://%s:%d" % (self.host, self.port)

    def wait_ready(self, timeout=5):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False
            if _listening(self.port):
                return True
            time.sleep(0.02)
        return False

    def stderr_text(self):
        self._stderr.flush()
        self._stderr.seek(0)
        return self._stderr.read().decode("utf-8", "backslashreplace")

    def stop(self):
        if self.proc.poll() is None:
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(3)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(3)
        else:
            # the leader is gone; handlers it forked may still be in the group
            with contextlib.suppress(ProcessLookupError, PermissionError):
                os.killpg(self.proc.pid, signal.SIGKILL)
        with contextlib.suppress(OSError):
            self._stderr.close()


@contextlib.contextmanager
def serve(make_argv, env=None, cwd=None, label="server", tries=3):
    """A long-running server, make_argv(port) on a free port, tried again
    on another port if it does not start listening; stopped (its process
    group) at the end. Yields the Server."""
    last = None
    for _ in range(tries):
        port = free_port()
        srv = Server(make_argv(port), port, env=env, cwd=cwd, label=label)
        if srv.wait_ready():
            try:
                yield srv
            finally:
                srv.stop()
            return
        last = "exit=%s stderr=%s" % (srv.proc.poll(), short(srv.stderr_text()))
        srv.stop()
    raise RuntimeError("%s did not start listening: %s" % (label, last))


def socket_activate(args=(), root=None, inetd=True, env=None, cwd=None):
    """systemd-socket-activate -l 127.0.0.1:PORT -a [--inetd] BINARY ARGS ROOT.
    inetd=True: the connection is fd 0/1; False: fd 3 with LISTEN_FDS=1.
    Environment for the handler goes through -E (socket-activate does not
    pass its own environment on except what -E names)."""
    env = dict(env or {})

    def argv(port):
        a = ["systemd-socket-activate", "-l", "127.0.0.1:%d" % port, "-a"]
        if inetd:
            a.append("--inetd")
        for k, v in env.items():
            a += ["-E", "%s=%s" % (k, v)]
        return a + _argv(args, root)
    return serve(argv, env, _cwd(root, cwd),
                  "systemd-socket-activate%s" % (" --inetd" if inetd else ""))


def listen_server(args=(), root=None, env=None, cwd=None):
    """BINARY --listen 127.0.0.1:PORT ARGS ROOT."""
    def argv(port):
        return [BINARY, "--listen", "127.0.0.1:%d" % port] + \
            _argv(args, root)[1:]
    return serve(argv, env, _cwd(root, cwd), "cgihandlerd --listen")


# ---------------------------------------------------------------------------
# Responses

class ProtocolError(Exception):
    pass


_TOKEN_RE = re.compile(rb"^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$")
_STATUS_RE = re.compile(rb"^HTTP/1\.1 ([0-9]{3}) ([^\x00-\x08\x0a-\x1f\x7f]*)$")


@dataclasses.dataclass
class Response:
    status: int
    reason: str
    headers: list            # [(name, value)] in order, as str (latin-1)
    body: bytes
    raw: bytes = b""

    def header(self, name):
        """First value of a header (case-insensitive name), or None."""
        name = name.lower()
        for n, v in self.headers:
            if n.lower() == name:
                return v
        return None

    def header_all(self, name):
        name = name.lower()
        return [v for n, v in self.headers if n.lower() == name]

    def text(self):
        return self.body.decode("utf-8", "replace")

    def __repr__(self):
        return "Response(%d %s, headers=%r, body=%s)" % (
            self.status, self.reason, self.headers, short(self.body, 200))


def parse_head(head):
    """Strictly parse a response head (status line and header lines, CRLF
    each, with or without the final empty line).  Returns (status, reason,
    headers)."""
    if head.endswith(b"\r\n\r\n"):
        head = head[:-4]
    elif head.endswith(b"\r\n"):
        head = head[:-2]
    lines = head.split(b"\r\n")
    for i, line in enumerate(lines):
        if b"\n" in line or b"\r" in line:
            raise ProtocolError("bare CR or LF in response head line %d: %s"
                                % (i, short(line, 200)))
    m = _STATUS_RE.match(lines[0])
    if not m:
        raise ProtocolError("bad status line: %s" % short(lines[0], 200))
    headers = []
    for line in lines[1:]:
        if line[:1] in (b" ", b"\t"):
            raise ProtocolError("obs-fold line in response: %s" % short(line, 200))
        name, sep, value = line.partition(b":")
        if not sep or not _TOKEN_RE.match(name):
            raise ProtocolError("bad header line: %s" % short(line, 200))
        if re.search(rb"[\x00-\x08\x0a-\x1f\x7f]", value):
            raise ProtocolError("control character in header value: %s"
                                % short(line, 200))
        headers.append((name.decode("latin-1"),
                        value.strip(b" \t").decode("latin-1")))
    return int(m.group(1)), m.group(2).decode("latin-1"), headers


def parse_response(raw, method="GET"):
    """Parse a complete response (the connection was closed after it).
    Strict: CRLF line ends, a token for every header name, Content-Length
    equal to the body length, no body for HEAD and for 1xx/204/304, no
    bytes after the body, no Transfer-Encoding."""
    if not raw:
        raise ProtocolError("empty response (nothing received)")
    end = raw.find(b"\r\n\r\n")
    if end < 0:
        raise ProtocolError("no CRLF CRLF end of head in %s" % short(raw, 300))
    status, reason, headers = parse_head(raw[:end + 4])
    body = raw[end + 4:]
    resp = Response(status, reason, headers, body, raw)
    if resp.header_all("Transfer-Encoding"):
        raise ProtocolError("Transfer-Encoding in a response: %r" %
                            resp.header_all("Transfer-Encoding"))
    cls = resp.header_all("Content-Length")
    if cls:
        if len(set(cls)) != 1 or not re.fullmatch(r"[0-9]+", cls[0]):
            raise ProtocolError("bad Content-Length: %r" % cls)
    bodyless = method == "HEAD" or status in (204, 304) or 100 <= status < 200
    if bodyless:
        if body:
            raise ProtocolError("%s %d response carries %d body bytes: %s" % (
                method, status, len(body), short(body, 200)))
    elif cls and int(cls[0]) != len(body):
        raise ProtocolError("Content-Length %s but %d body bytes%s" % (
            cls[0], len(body),
            " (extra bytes after body)" if len(body) > int(cls[0]) else ""))
    return resp


_DATE_RE = re.compile(
    r"^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), [0-9]{2} "
    r"(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) [0-9]{4} "
    r"[0-9]{2}:[0-9]{2}:[0-9]{2} GMT$")


def http_date(t):
    """RFC 1123 GMT date for a timestamp (whole seconds, as the wire has)."""
    return email.utils.formatdate(int(t), usegmt=True)


def common_problems(resp, now=None):
    """Server, Date, Connection: close — present once and well formed."""
    p = []
    now = now or time.time()
    srv = resp.header_all("Server")
    if len(srv) != 1 or not srv[0].startswith("cgihandlerd/"):
        p.append("Server header: %r (want one, starting 'cgihandlerd/')" % srv)
    dates = resp.header_all("Date")
    if len(dates) != 1 or not _DATE_RE.match(dates[0]):
        p.append("Date header: %r (want one RFC 1123 GMT date)" % dates)
    else:
        t = email.utils.parsedate_to_datetime(dates[0]).timestamp()
        if abs(t - now) > 120:
            p.append("Date %r is %.0f s away from now" % (dates[0], t - now))
    conn = resp.header_all("Connection")
    if [c.lower() for c in conn] != ["close"]:
        p.append("Connection header: %r (want exactly 'close')" % conn)
    return p


def response_problems(res, status=None, statuses=None, method="GET", body=None,
                      contains=(), excludes=(), headers=None, absent=(),
                      common=True, ctype=None, exit_codes=None, max_elapsed=None,
                      leftover=None):
    """Check one Result; returns a list of problems (empty = all good).

    status/statuses   the status, or a set of acceptable ones
    body              exact body bytes
    contains/excludes byte strings that must / must not be in the body
                      (excludes is checked on the whole raw response too)
    headers           {name: value} exact values (value None = must be present)
    absent            header names that must not be present
    ctype             exact Content-Type
    common            Server/Date/Connection checks
    exit_codes        acceptable exit codes (default: any non-signal exit)
    leftover          exact bytes that must remain unread server-side
    """
    p = list(res.exit_problems())
    if exit_codes is not None and not res.timed_out and res.returncode not in exit_codes:
        p.append("exit code %s, want one of %s" % (res.returncode, sorted(exit_codes)))
    if max_elapsed is not None and res.elapsed > max_elapsed:
        p.append("handler took %.2f s, want <= %.1f s" % (res.elapsed, max_elapsed))
    for ex in excludes:
        if ex in res.raw:
            p.append("forbidden bytes %s found in the response" % short(ex, 80))
    if leftover is not None and res.leftover != leftover:
        p.append("leftover unread: %s, want %s" % (short(res.leftover), short(leftover)))
    resp, err = res.try_parse(method)
    if err:
        p.append("response does not parse: " + err)
        p.append("stderr: " + short(res.stderr, 400))
        return p
    want = {status} if status is not None else (set(statuses) if statuses else None)
    if want is not None and resp.status not in want:
        p.append("status %d %s, want %s" % (resp.status, resp.reason, sorted(want)))
        p.append("body: " + short(resp.body, 300))
    if common:
        p += common_problems(resp)
    if body is not None and resp.body != body:
        p.append("body differs: got %s, want %s" % (short(resp.body, 200), short(body, 200)))
    for c in contains:
        if c not in resp.body:
            p.append("body lacks %s; body: %s" % (short(c, 80), short(resp.body, 300)))
    if ctype is not None and resp.header_all("Content-Type") != [ctype]:
        p.append("Content-Type %r, want [%r]" % (resp.header_all("Content-Type"), ctype))
    for name, value in (headers or {}).items():
        got = resp.header_all(name)
        if value is None:
            if not got:
                p.append("header %s missing" % name)
        elif got != [value]:
            p.append("header %s: %r, want [%r]" % (name, got, value))
    for name in absent:
        if resp.header_all(name):
            p.append("header %s present: %r" % (name, resp.header_all(name)))
    return p


# ---------------------------------------------------------------------------
# Log lines (Common Log Format)

CLF_RE = re.compile(
    r'^(?P<host>\S*) (?P<ident>\S+) (?P<user>\S+) '
    r'\[(?P<date>[0-9]{2}/(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)/'
    r'[0-9]{4}:[0-9]{2}:[0-9]{2}:[0-9]{2} \+0000)\] '
    r'"(?P<request>.*)" (?P<status>[0-9]{3}) (?P<bytes>[0-9]+|-)'
    r'(?: (?P<extra>.*))?$')
# The seven CLF fields are strict.  After them the handler may add one
# free-text annotation (DESIGN/STYLE: a refusal's short static reason goes
# into the log line, e.g. '... 404 335 file not found'), as the Combined
# Log Format also extends CLF at the end; it is available as 'extra'.


def parse_log_lines(stderr):
    """(matching CLF lines as match objects, other non-empty lines)."""
    good, other = [], []
    for line in stderr.splitlines():
        if not line.strip():
            continue
        m = CLF_RE.match(line)
        (good if m else other).append(m or line)
    return good, other


# ---------------------------------------------------------------------------
# Clients against a Server

@dataclasses.dataclass
class CurlResult:
    returncode: int
    status: int
    reason: str
    headers: list
    body: bytes              # empty when hashed or for HEAD
    body_len: int
    sha256: str
    stderr: str
    head_raw: bytes
    head_error: str = None   # the strict parser's complaint, if any

    def header(self, name):
        return Response(self.status, self.reason, self.headers, b"").header(name)

    def header_all(self, name):
        return Response(self.status, self.reason, self.headers, b"").header_all(name)

    def describe(self):
        return "curl rc=%s status=%s head=%s body=%s stderr=%s head_error=%s" % (
            self.returncode, self.status, short(self.head_raw, 400),
            short(self.body, 200), short(self.stderr, 300), self.head_error)


def curl(url, method=None, headers=(), extra=(), timeout=20, keep_body=True):
    """curl -sS --max-time T -D HEADFILE URL.  The body is read from curl's
    stdout in chunks and hashed (sha256); kept when keep_body.  method HEAD
    uses -I.  --path-as-is and -g keep the path exactly as given."""
    with tempfile.NamedTemporaryFile(prefix="curl-head-") as hf:
        argv = ["curl", "-sS", "--max-time", str(int(timeout)), "--path-as-is", "-g",
                "-D", hf.name]
        if method == "HEAD":
            argv.append("-I")
        elif method:
            argv += ["-X", method]
        for h in headers:
            argv += ["-H", h]
        argv += list(extra) + [url]
        proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
        killer = threading.Timer(timeout + 10, proc.kill)
        killer.start()
        h = hashlib.sha256()
        body = bytearray()
        n = 0
        try:
            while True:
                chunk = proc.stdout.read1(1 << 20) if hasattr(proc.stdout, "read1") \
                    else proc.stdout.read(1 << 20)
                if not chunk:
                    break
                n += len(chunk)
                h.update(chunk)
                if keep_body:
                    body += chunk
            err = proc.stderr.read().decode("utf-8", "replace")
            rc = proc.wait(timeout + 10)
        finally:
            killer.cancel()
            proc.stdout.close()
            proc.stderr.close()
        head = open(hf.name, "rb").read()
    status, reason, hdrs, head_error = 0, "", [], None
    if method == "HEAD":  # with -I the headers go to stdout as well
        body, n, h = bytearray(), 0, hashlib.sha256()
    try:
        status, reason, hdrs = parse_head(head)
    except ProtocolError as exc:
        head_error = str(exc)
    return CurlResult(rc, status, reason, hdrs, bytes(body), n, h.hexdigest(),
                      err, head, head_error)


def http_request(port, method, path, headers=None, body=None, timeout=10,
                 host="127.0.0.1"):
    """http.client round trip.  Returns (Response, error text or None);
    Response.raw is empty (http.client hides the wire)."""
    conn = http.client.HTTPConnection(host, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=dict(headers or {}))
        r = conn.getresponse()
        data = r.read()
        resp = Response(r.status, r.reason, list(r.getheaders()), data)
        if r.version != 11:
            return resp, "response version %r, want HTTP/1.1" % r.version
        return resp, None
    except (OSError, http.client.HTTPException) as exc:
        return None, "%s: %s" % (type(exc).__name__, exc)
    finally:
        conn.close()


class Received(bytes):
    """The bytes a client read from a connection, and how the reading
    ended: .end is "eof", "reset", "timeout" or "overflow" (more than cap
    bytes came); raw_request() also notes .client_port, its own port."""
    end = None
    client_port = None


def read_to_eof(s, timeout=10, cap=None):
    """Everything a connected socket gives until EOF, a reset, timeout
    seconds in all, or more than cap bytes.  Returns Received."""
    chunks, n, end = [], 0, "timeout"
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        if left <= 0:
            break
        s.settimeout(left)
        try:
            d = s.recv(1 << 18)
        except socket.timeout:
            break
        except ConnectionResetError:
            end = "reset"
            break
        if not d:
            end = "eof"
            break
        chunks.append(d)
        n += len(d)
        if cap is not None and n > cap:
            end = "overflow"
            break
    got = Received(b"".join(chunks))
    got.end = end
    return got


def raw_request(port, data, timeout=10, host="127.0.0.1", half_close=False,
                source=None):
    """Send raw bytes on a new connection (from the address source, if
    given), read until EOF.  Returns Received, with .client_port."""
    with socket.create_connection((host, port), timeout=timeout,
                                  source_address=(source, 0) if source else None) as s:
        client_port = s.getsockname()[1]
        s.sendall(data)
        if half_close:
            s.shutdown(socket.SHUT_WR)
        got = read_to_eof(s, timeout)
    got.client_port = client_port
    return got
