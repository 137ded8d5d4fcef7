#!/usr/bin/env python3
"""What `meson install` puts where, and whether it is right:

  - `meson install --destdir TMP` of $CGIHANDLERD_BUILD puts the binary in
    PREFIX/sbin, cgihandlerd.8 in PREFIX/share/man/man8, the units in the
    systemd unit directory, the superserver examples in
    PREFIX/share/doc/cgihandlerd/examples, with every @PLACEHOLDER@ filled
    and every path naming the installed binary;
  - `systemd-analyze verify` passes on the installed units (ExecStart is
    pointed into TMP, where the binary is, and MANPATH too, so that
    Documentation=man:cgihandlerd(8) is checked against the installed page);
  - `systemd-analyze security --offline=yes` rates the service at 2.0 or
    less (the figure is printed);
  - `mandoc -Tlint` finds nothing in the installed page, which documents
    every option of --help, every limit of util/*.h (bounds.h, relay.h)
    with its status, and every exit code of util/config.h;
  - the shipped tcprules file compiles and decides as its comments say;
  - the xinetd entry, the inetd rate and the tcpserver -c/-b that README.md
    and the man page show are the shipped ones.

TAP on stdout; exit 1 on any failure.
Run:  CGIHANDLERD_BUILD=build python3 tests/e2e/test_install.py
"""

import atexit
import glob
import json
import os
import re
import shutil
import stat
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from harness import SOURCE, TAP, short  # noqa: E402

tap = TAP()
tap.watchdog(85)

BUILD = os.path.abspath(os.environ.get("CGIHANDLERD_BUILD") or os.path.join(SOURCE, "build"))
EXPOSURE_MAX = 2.0


def run(argv, timeout=60, env=None, **kw):
    """subprocess.run with text output; returncode None on timeout."""
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                              env=env, **kw)
    except subprocess.TimeoutExpired as exc:
        return subprocess.CompletedProcess(argv, None, exc.stdout or "", exc.stderr or "")
    except OSError as exc:
        return subprocess.CompletedProcess(argv, None, "", str(exc))


def introspect(what):
    p = run(["meson", "introspect", BUILD, what])
    if p.returncode != 0:
        tap.bail_out("meson introspect %s %s failed: %s" % (BUILD, what, p.stderr.strip()))
    return json.loads(p.stdout)


if not os.path.isfile(os.path.join(BUILD, "build.ninja")):
    tap.bail_out("not a configured meson build directory: %s (set CGIHANDLERD_BUILD)" % BUILD)

options = {o["name"]: o["value"] for o in introspect("--buildoptions")}
version = introspect("--projectinfo")["version"]
installed = introspect("--installed")          # build path -> install path
prefix = options["prefix"]


def under_prefix(opt):
    return os.path.join(prefix, options[opt])


BIN = os.path.join(under_prefix("sbindir"), "cgihandlerd")
MAN = os.path.join(under_prefix("mandir"), "man8", "cgihandlerd.8")
EXAMPLES = os.path.join(under_prefix("datadir"), "doc", "cgihandlerd", "examples")
by_name = {}
for dst in installed.values():
    by_name.setdefault(os.path.basename(dst), []).append(dst)
unit_paths = by_name.get("cgihandlerd.socket", []) + by_name.get("cgihandlerd@.service", [])
UNITDIR = options.get("systemdsystemunitdir") or \
    (os.path.dirname(unit_paths[0]) if unit_paths else os.path.join(prefix, "lib/systemd/system"))
SOCKET = os.path.join(UNITDIR, "cgihandlerd.socket")
SERVICE = os.path.join(UNITDIR, "cgihandlerd@.service")
# The Accept=no pair: one sandbox, the --listen loop inside it.
LISTEN_SOCKET = os.path.join(UNITDIR, "cgihandlerd-listen.socket")
LISTEN_SERVICE = os.path.join(UNITDIR, "cgihandlerd-listen.service")
UNITS = (SOCKET, SERVICE, LISTEN_SOCKET, LISTEN_SERVICE)
EXAMPLE_FILES = {
    "inetd.conf": 0o644,
    "xinetd/cgihandlerd": 0o644,
    "tcpserver/run": 0o755,
    "tcpserver/rules": 0o644,
    "tcpserver/log/run": 0o755,
}

DEST = tempfile.mkdtemp(prefix="cgihandlerd-install-")
WORK = tempfile.mkdtemp(prefix="cgihandlerd-install-work-")
atexit.register(shutil.rmtree, DEST, ignore_errors=True)
atexit.register(shutil.rmtree, WORK, ignore_errors=True)


def dest(path):
    return DEST + path


def read(path):
    with open(dest(path), encoding="utf-8", errors="replace") as f:
        return f.read()


# ---------------------------------------------------------------------------
# 1. meson install

p = run(["meson", "install", "-C", BUILD, "--destdir", DEST, "--no-rebuild", "--quiet"],
        timeout=120)
if not tap.check(p.returncode == 0, "meson install --destdir",
                 diag="exit %s\n%s%s" % (p.returncode, p.stdout[-1500:], p.stderr[-1500:])):
    tap.bail_out("nothing installed")

tap.check(os.path.isfile(dest(BIN)) and os.access(dest(BIN), os.X_OK),
          "binary installed in sbin: %s" % BIN,
          diag="installed files: %s" % sorted(installed.values()))
tap.check(os.path.isfile(dest(MAN)), "man page installed in man8: %s" % MAN,
          diag="installed files: %s" % sorted(installed.values()))
for unit in UNITS:
    tap.check(os.path.isfile(dest(unit)), "unit installed: %s" % unit,
              diag="is subdir('units') in meson.build? installed files: %s"
              % sorted(installed.values()))
if not options.get("systemdsystemunitdir"):
    tap.check(UNITDIR.endswith("/lib/systemd/system"),
              "unit directory is a systemd unit directory: %s" % UNITDIR)
for rel, mode in EXAMPLE_FILES.items():
    path = os.path.join(EXAMPLES, rel)
    ok = os.path.isfile(dest(path))
    got = stat.S_IMODE(os.stat(dest(path)).st_mode) if ok else None
    tap.check(ok and got == mode, "example installed: %s (mode %o)" % (path, mode),
              diag="mode %s" % (oct(got) if got is not None else "missing"))

p = run([dest(BIN), "--version"], timeout=10)
tap.eq((p.returncode, p.stdout.strip()), (0, "cgihandlerd " + version),
       "the installed binary runs (--version)")

# Installed as the project's default_options say (strip=true): no symbol
# table, no debug sections (the build's own binary keeps them).
def section_names(path):
    p = run(["readelf", "-S", "-W", path], timeout=30)
    return set(re.findall(r"\]\s+(\.\S+)", p.stdout)) if p.returncode == 0 else None


names = section_names(dest(BIN)) if shutil.which("readelf") else None
if names is None:
    tap.skip("the installed binary is stripped", "no readelf (binutils)")
else:
    kept = sorted(n for n in names if n == ".symtab" or n.startswith(".debug"))
    tap.check(not kept, "the installed binary is stripped (meson strip=true)",
              diag="sections: %s" % kept)

# ---------------------------------------------------------------------------
# 2. Every placeholder filled; every path the installed binary's

texts = [MAN] + list(UNITS) + [os.path.join(EXAMPLES, r) for r in EXAMPLE_FILES]
left = []
for path in texts:
    if os.path.isfile(dest(path)):
        for m in re.finditer(r"@[A-Za-z_][A-Za-z0-9_]*@", read(path)):
            left.append("%s: %s" % (path, m.group(0)))
tap.expect("no @PLACEHOLDER@ left in installed files", left)

names_binary = {
    SERVICE: r"^ExecStart=(\S+)",
    LISTEN_SERVICE: r"^ExecStart=(\S+)",
    os.path.join(EXAMPLES, "xinetd/cgihandlerd"): r"^\s*server\s*=\s*(\S+)",
    os.path.join(EXAMPLES, "inetd.conf"): r"^[^#\s]\S*\s+stream\s+tcp\s+\S+\s+\S+\s+(\S+)",
    os.path.join(EXAMPLES, "tcpserver/run"): r"^\s*(/\S*/cgihandlerd)\s",
}
for path, rx in names_binary.items():
    if not os.path.isfile(dest(path)):
        continue
    found = re.findall(rx, read(path), re.M)
    tap.check(found and all(f == BIN for f in found),
              "%s runs the installed binary" % os.path.relpath(path, prefix),
              diag="found %r, want %r" % (found, BIN))

for rel in ("tcpserver/run", "tcpserver/log/run"):
    path = dest(os.path.join(EXAMPLES, rel))
    if os.path.isfile(path):
        p = run(["sh", "-n", path], timeout=10)
        tap.check(p.returncode == 0, "sh -n %s" % rel, diag=p.stderr)

# The rules file: compiles, and decides as its comments say.
rules = dest(os.path.join(EXAMPLES, "tcpserver/rules"))
if not shutil.which("tcprules"):
    tap.check(False, "tcprules is installed (ucspi-tcp)")
elif os.path.isfile(rules):
    cdb = os.path.join(WORK, "rules.cdb")
    with open(rules, "rb") as src:
        p = subprocess.run(["tcprules", cdb, cdb + ".tmp"], stdin=src, capture_output=True,
                           timeout=10)
    if tap.check(p.returncode == 0, "tcprules compiles tcpserver/rules",
                 diag=p.stderr.decode(errors="replace")):
        want = {"127.0.0.1": "allow", "10.1.2.3": "allow", "192.168.1.20": "allow",
                "10.9.8.7": "deny", "127.0.0.2": "deny", "192.0.2.1": "deny"}
        got = {}
        for ip in want:
            env = dict(os.environ, TCPREMOTEIP=ip)
            c = run(["tcprulescheck", cdb], env=env, timeout=10)
            got[ip] = "allow" if "allow connection" in c.stdout else \
                "deny" if "deny connection" in c.stdout else c.stdout.strip()
        tap.eq(got, want, "tcpserver/rules: loopback and local nets allowed, the rest denied")

# ---------------------------------------------------------------------------
# 3. systemd-analyze verify and security

analyze = shutil.which("systemd-analyze")
if not tap.check(analyze is not None, "systemd-analyze is installed"):
    analyze = None

if analyze and os.path.isfile(dest(SERVICE)) and os.path.isfile(dest(SOCKET)):
    # verify looks for ExecStart's binary on the real root, and --root=TMP
    # wants a whole systemd tree there (sysinit.target ...). So verify
    # copies of the installed units whose ExecStart names the binary in
    # TMP; everything else is as installed.
    vdir = os.path.join(WORK, "units")
    os.mkdir(vdir)
    for unit in UNITS:
        text = read(unit)
        text = re.sub(r"^ExecStart=" + re.escape(BIN),
                      "ExecStart=" + dest(BIN), text, flags=re.M)
        with open(os.path.join(vdir, os.path.basename(unit)), "w") as f:
            f.write(text)
    env = dict(os.environ, MANPATH=os.path.dirname(os.path.dirname(dest(MAN))),
               SYSTEMD_PAGER="", SYSTEMD_LOG_COLOR="0")
    argv = [analyze, "verify"]
    if not shutil.which("man"):
        argv.append("--man=no")
        tap.diag("man(1) is missing: verify without checking Documentation=")
    argv += [os.path.join(vdir, os.path.basename(u)) for u in UNITS]
    p = run(argv, env=env, timeout=60)
    # verify exits 0 on warnings such as an unknown key: any output fails.
    out = (p.stdout + p.stderr).strip()
    tap.check(p.returncode == 0 and not out, "systemd-analyze verify on the installed units",
              diag="exit %s\n%s" % (p.returncode, out))

    for service in (SERVICE, LISTEN_SERVICE):
        name = os.path.basename(service)
        p = run([analyze, "security", "--offline=yes", "--no-pager", dest(service)],
                env=env, timeout=60)
        m = re.search(r"Overall exposure level for \S+: ([0-9]+(?:\.[0-9]+)?)", p.stdout)
        if m:
            exposure = float(m.group(1))
            tap.diag("systemd-analyze security --offline=yes %s: "
                     "exposure %s (at most %.1f allowed)" % (name, m.group(1), EXPOSURE_MAX))
            unmet = [l.strip() for l in p.stdout.splitlines() if l.startswith("✗")]
            tap.check(exposure <= EXPOSURE_MAX,
                      "systemd-analyze security %s: exposure %s <= %.1f"
                      % (name, m.group(1), EXPOSURE_MAX), diag=unmet)
        else:
            tap.check(False, "systemd-analyze security --offline=yes %s gives an exposure"
                      % name, diag="exit %s\n%s%s" % (p.returncode, p.stdout[-2000:],
                                                       p.stderr[-2000:]))

# ---------------------------------------------------------------------------
# 4. The man page: lint-clean, and true to the code

if os.path.isfile(dest(MAN)):
    page = read(MAN)
    if shutil.which("mandoc"):
        p = run(["mandoc", "-Tlint", dest(MAN)], timeout=30)
        lines = [l for l in (p.stdout + p.stderr).splitlines() if l.strip()]
        # Whether the pages named in .Xr are installed, and indexed, is the
        # machine's business, not the page's.
        machine = [l for l in lines
                   if "mandoc.db" in l or "referenced manual not found" in l]
        real = [l for l in lines if l not in machine]
        tap.check(not real, "mandoc -Tlint cgihandlerd.8 is clean", diag=real)
        if machine:
            tap.diag("(not counted: %d messages about this machine's manual index)"
                     % len(machine))
    else:
        tap.check(False, "mandoc is installed")

    # man(1) on Debian renders with groff, which breaks tables that
    # mandoc lays out fine: the page must render there without a warning
    # too, at the width man uses on an 80-column terminal.
    if shutil.which("groff"):
        p = run(["groff", "-mandoc", "-Tutf8", "-ww", "-z", "-rLL=78n", dest(MAN)], timeout=60)
        warnings = [l for l in (p.stdout + p.stderr).splitlines() if l.strip()]
        tap.check(p.returncode == 0 and not warnings,
                  "groff -mandoc -ww renders cgihandlerd.8 without a warning", diag=warnings)
    else:
        tap.check(False, "groff is installed", diag="Debian: groff (tests/run-all installs it)")

    def section(name):
        m = re.search(r"^\.Sh %s\n(.*?)(?=^\.Sh |\Z)" % re.escape(name), page, re.S | re.M)
        return m.group(1) if m else ""
    plain = lambda s: s.replace("\\-", "-").replace("\\&", "")  # noqa: E731

    # Every long option of --help is in OPTIONS, and OPTIONS has no other.
    help_text = run([dest(BIN), "--help"], timeout=10).stdout
    help_opts = set(re.findall(r"--([a-z][a-z-]*)", help_text))
    man_opts = set(re.findall(r"^\.It Fl .*?Fl -([a-z][a-z-]*)|^\.It Fl -([a-z][a-z-]*)",
                              plain(section("OPTIONS")), re.M))
    man_opts = {a or b for a, b in man_opts}
    tap.check(help_opts and help_opts == man_opts,
              "man OPTIONS lists exactly the options of --help",
              diag="only in --help: %s\nonly in the man page: %s" % (
                  sorted(help_opts - man_opts), sorted(man_opts - help_opts)))

    # Every limit with a status in util/*.h (bounds.h, relay.h: "-> 414"
    # in its comment) is a LIMITS row with the same value and status.
    rows = [plain(l) for l in section("LIMITS").splitlines() if l.startswith(".It ")]
    missing = []
    headers = sorted(glob.glob(os.path.join(SOURCE, "util", "*.h")))
    for header in headers:
        with open(header) as f:
            for m in re.finditer(r"^#define[ \t]+([A-Z_]+)[ \t]+([^/\n]+?)[ \t]*/\*(.*?)\*/",
                                 f.read(), re.M):
                name, expr, comment = m.groups()
                status = re.search(r"->\s*([0-9]{3})", comment)
                if not status or not re.fullmatch(r"[0-9 ()*+]+", expr):
                    continue
                value = str(eval(expr))  # digits and * only: checked above
                if not any(re.search(r"\b%s\b" % value, r) and
                           re.search(r"\b%s\b" % status.group(1), r) for r in rows):
                    missing.append("%s %s = %s -> %s" % (
                        os.path.relpath(header, SOURCE), name, value, status.group(1)))
    tap.check(rows and headers and not missing,
              "man LIMITS has every limit of util/*.h with its status", diag=missing)

    # Every exit code of config.h is in EXIT STATUS.
    with open(os.path.join(SOURCE, "util/config.h")) as f:
        codes = set(re.findall(r"EXIT_[A-Z_]+\s*=\s*([0-9]+)", f.read())) | {"0"}
    documented = set(re.findall(r"^\.It ([0-9]+)$", section("EXIT STATUS"), re.M))
    tap.check(codes and codes <= documented, "man EXIT STATUS has every exit code",
              diag="undocumented: %s" % sorted(codes - documented))

    # The version and the paths went in.
    tap.check(("cgihandlerd/" + version) in page and BIN in page and SERVICE in page,
              "the man page names this version, the binary and the unit",
              diag="version %s, %s, %s" % (version, BIN, SERVICE))

# ---------------------------------------------------------------------------
# 5. The superserver settings the README and the man page show are the
#    shipped ones: limits that drift between them are how a reader ends up
#    with a configuration that resets bursts.

def xinetd_attrs(text):
    m = re.search(r"^\s*service\s+http-alt\s*\{(.*?)^\s*\}", text, re.S | re.M)
    if not m:
        return None
    attrs = {}
    for line in m.group(1).splitlines():
        line = line.split("#", 1)[0].strip()
        if "=" in line:
            k, v = line.split("=", 1)
            attrs[k.strip()] = " ".join(v.split())
    return attrs


def shipped_text(rel):
    with open(os.path.join(SOURCE, "units", rel)) as f:
        return f.read()


readme = open(os.path.join(SOURCE, "README.md")).read()
man_src = open(os.path.join(SOURCE, "man", "cgihandlerd.8.in")).read()
shipped_x = xinetd_attrs(shipped_text("xinetd/cgihandlerd.in"))
for name, text in (("README.md", readme), ("cgihandlerd.8", man_src)):
    shown = xinetd_attrs(text.replace("\\e", "\\"))
    problems = []
    if shown is None:
        problems.append("no 'service http-alt { ... }' block")
    else:
        for k, v in shown.items():
            want = (shipped_x or {}).get(k)
            if want is None or v.replace("/usr/sbin", "@sbindir@") != want:
                problems.append("%s = %r, shipped %r" % (k, v, want))
        for k in ("instances", "per_source", "cps", "user", "wait"):
            if k not in shown:
                problems.append("%s is not shown" % k)
    tap.expect("%s: the xinetd entry it shows is the shipped one" % name, problems)

inetd_line = [l for l in shipped_text("inetd.conf.in").splitlines()
              if l.strip() and not l.startswith("#")][0]
rate = inetd_line.split()[3]
run_line = re.search(r"^exec tcpserver (.*?)\\$", shipped_text("tcpserver/run.in"), re.M)
limits = re.findall(r"-[cb] [0-9]+", run_line.group(1)) if run_line else []
for name, text in (("README.md", readme), ("cgihandlerd.8", man_src)):
    problems = []
    if not re.search(r"\b%s\b" % re.escape(rate), text):
        problems.append("the inetd rate %s is not there" % rate)
    if re.search(r"nowait\.(?!%s\b)[0-9]+" % re.escape(rate.split(".")[1]), text):
        problems.append("another nowait.N than the shipped %s" % rate)
    lines = re.findall(r"^.*\btcpserver -v .*$", text, re.M)
    if len(limits) != 2 or not lines:
        problems.append("no tcpserver line, or the run script lacks -c/-b: %r" % limits)
    for line in lines:
        for opt in limits:
            if opt not in line:
                problems.append("tcpserver line without %s: %s" % (opt, line.strip()))
    tap.expect("%s: the inetd rate and tcpserver's -c/-b are the shipped ones" % name, problems)

sys.exit(tap.done())
