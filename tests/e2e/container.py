"""A real systemd, booted as PID 1 of a systemd-nspawn container over this
machine's own file system, with this tree meson-installed into it: for
tests/extra/systemd-boot and bench/systemd, on machines whose PID 1 is not
systemd.

  - enter_namespace() re-executes the calling script in a mount namespace
    of its own (unshare --mount --propagation private): every mount made
    afterwards is invisible outside and goes away with the process,
    however it ends;
  - Container.prepare(): an overlay of / with a tmpfs upper layer (nothing
    downloaded, nothing written to the host's /), every unit the host has
    enabled masked inside, `meson setup --prefix=/usr` and `meson install
    --destdir` of this tree, a web root;
  - Container.boot(): systemd-nspawn --boot with a private network
    (loopback only). SYSTEMD_SECCOMP=0: nspawn's own filter blocks bpf(),
    and systemd would then skip IPAddressDeny= without a word. nspawn
    forks twice; PID 1 is the descendant whose comm is "systemd";
  - Container.inside(argv): nsenter -t PID1 -a;
  - Container.teardown(): power off, unmount, and remove the cgroup nspawn
    ran in (one of our own: on a host without systemd nspawn leaves empty
    "payload" and "supervisor" cgroups behind).
"""

import os
import shutil
import subprocess
import sys
import tempfile
import time

INNER = "CGIHANDLERD_CONTAINER_INNER"
CGROUP_ROOT = "/sys/fs/cgroup"
SOURCE = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def run(argv, timeout=120, input=None, env=None):
    """subprocess.run, text; returncode None on a timeout."""
    try:
        return subprocess.run(argv, capture_output=True, text=True, timeout=timeout,
                              input=input, env=env)
    except subprocess.TimeoutExpired as exc:
        return subprocess.CompletedProcess(argv, None, str(exc.stdout or ""),
                                           str(exc.stderr or ""))
    except OSError as exc:
        return subprocess.CompletedProcess(argv, None, "", str(exc))


def cannot_boot():
    """Why a container cannot be booted here, or None."""
    if os.geteuid() != 0:
        return "not root (nspawn and overlay mounts need it)"
    for tool, package in (("systemd-nspawn", "systemd-container"), ("nsenter", "util-linux"),
                          ("unshare", "util-linux"), ("meson", "meson")):
        if shutil.which(tool) is None:
            return "no %s (Debian: %s)" % (tool, package)
    if "overlay" not in open("/proc/filesystems").read():
        run(["modprobe", "overlay"], timeout=30)
        if "overlay" not in open("/proc/filesystems").read():
            return "the kernel has no overlayfs"
    return None


def enter_namespace():
    """Re-execute this script in a private mount namespace (once)."""
    if os.environ.get(INNER) == "1":
        return
    env = dict(os.environ, **{INNER: "1"})
    os.execvpe("unshare", ["unshare", "--mount", "--propagation", "private",
                           sys.executable, os.path.abspath(sys.argv[0])] + sys.argv[1:], env)


class Container:
    def __init__(self, diag=print):
        self.diag = diag
        self.work = tempfile.mkdtemp(prefix="cgihandlerd-container.")
        self.root = os.path.join(self.work, "root")
        self.nspawn = None
        self.pid1 = None
        self.own_cgroups = []
        self.console = os.path.join(self.work, "console.log")

    # --- cgroups

    def _cgroup_parents(self):
        """This process's cgroups in the v2 hierarchy (/sys/fs/cgroup, or
        /sys/fs/cgroup/unified on a hybrid host) and v1 name=systemd."""
        found = []
        for line in open("/proc/self/cgroup"):
            _, ctrl, path = line.rstrip("\n").split(":", 2)
            if ctrl == "":
                unified = os.path.join(CGROUP_ROOT, "unified")
                base = unified if os.path.isdir(unified) else CGROUP_ROOT
            elif ctrl == "name=systemd":
                base = os.path.join(CGROUP_ROOT, "systemd")
            else:
                continue
            if os.path.isfile(os.path.join(base, "cgroup.procs")):
                found.append(os.path.join(base, path.lstrip("/")))
        return found

    def _enter_own_cgroup(self):
        name = "cgihandlerd-container-%d" % os.getpid()
        for parent in self._cgroup_parents():
            d = os.path.join(parent, name)
            try:
                os.mkdir(d)
                with open(os.path.join(d, "cgroup.procs"), "w") as f:
                    f.write("%d\n" % os.getpid())
                self.own_cgroups.append((parent, d))
            except OSError as exc:
                self.diag("cannot use cgroup %s: %s" % (d, exc))

    def _remove_own_cgroups(self):
        for parent, d in self.own_cgroups:
            try:
                with open(os.path.join(parent, "cgroup.procs"), "w") as f:
                    f.write("%d\n" % os.getpid())
            except OSError:
                pass
            for _ in range(50):
                subs = sorted((s for s, _, _ in os.walk(d)), key=len, reverse=True)
                for sub in subs:
                    try:
                        for pid in open(os.path.join(sub, "cgroup.procs")).read().split():
                            os.kill(int(pid), 9)
                    except OSError:
                        pass
                    try:
                        os.rmdir(sub)
                    except OSError:
                        pass
                if not os.path.exists(d):
                    break
                time.sleep(0.1)
            if os.path.exists(d):
                self.diag("left behind: cgroup %s" % d)
        self.own_cgroups = []

    # --- the root

    def prepare(self, www, meson_args=()):
        """Overlay, masks, install, the web root. www: {relative path:
        (text, mode)} below /srv/www. Returns None, or why it failed."""
        self._enter_own_cgroup()
        p = run(["mount", "-t", "tmpfs", "-o", "mode=755", "tmpfs", self.work])
        if p.returncode != 0:
            return "cannot mount a tmpfs: " + p.stderr.strip()
        for d in ("upper", "ovl-work", "root", "build"):
            os.mkdir(os.path.join(self.work, d))
        p = run(["mount", "-t", "overlay", "overlay", "-o",
                 "lowerdir=/,upperdir=%s/upper,workdir=%s/ovl-work" % (self.work, self.work),
                 self.root])
        if p.returncode != 0:
            return "cannot mount an overlay of /: " + p.stderr.strip()
        # Units the host has enabled would start in the container too.
        p = run(["systemctl", "--root=" + self.root, "list-unit-files", "--state=enabled",
                 "--no-legend", "--no-pager"])
        for line in p.stdout.splitlines():
            link = os.path.join(self.root, "etc/systemd/system", line.split()[0])
            if os.path.lexists(link):
                os.remove(link)
            os.symlink("/dev/null", link)
        build = os.path.join(self.work, "build")
        p = run(["meson", "setup", build, SOURCE, "--prefix=/usr", "-Dtests=false"]
                + list(meson_args), timeout=600)
        if p.returncode == 0:
            p = run(["meson", "compile", "-C", build], timeout=900)
        if p.returncode == 0:
            p = run(["meson", "install", "-C", build, "--no-rebuild", "--quiet",
                     "--destdir", self.root], timeout=300)
        if p.returncode != 0:
            return "meson setup/compile/install failed: " + (p.stdout + p.stderr)[-3000:]
        top = os.path.join(self.root, "srv/www")
        shutil.rmtree(top, ignore_errors=True)
        os.makedirs(top)
        os.chmod(top, 0o755)
        for rel, (text, mode) in www.items():
            path = os.path.join(top, rel)
            os.makedirs(os.path.dirname(path), exist_ok=True)
            os.chmod(os.path.dirname(path), 0o755)
            with open(path, "w") as f:
                f.write(text)
            os.chmod(path, mode)
        return None

    def boot(self, timeout=120):
        """Returns (state, None) once systemd runs, else (None, why)."""
        env = dict(os.environ, SYSTEMD_SECCOMP="0", SYSTEMD_NSPAWN_UNIFIED_HIERARCHY="1")
        env.pop(INNER, None)
        with open(self.console, "w") as console:
            self.nspawn = subprocess.Popen(
                ["systemd-nspawn", "-D", self.root, "--boot", "--private-network",
                 "--register=no", "--keep-unit", "--console=read-only"],
                stdin=subprocess.DEVNULL, stdout=console, stderr=subprocess.STDOUT, env=env)
        deadline = time.monotonic() + timeout
        while self.pid1 is None and time.monotonic() < deadline and self.nspawn.poll() is None:
            self.pid1 = self._find_pid1()
            time.sleep(0.1)
        state = ""
        while self.pid1 and time.monotonic() < deadline and self.nspawn.poll() is None:
            state = self.inside("systemctl", "is-system-running", timeout=30).stdout.strip()
            if state in ("running", "degraded"):
                return state, None
            time.sleep(0.2)
        tail = open(self.console, errors="replace").read()[-3000:]
        if self.nspawn.poll() is not None:
            return None, "systemd-nspawn exited %s: %s" % (self.nspawn.returncode, tail)
        return None, "systemd did not come up (state %r): %s" % (state, tail)

    def _find_pid1(self):
        todo = [self.nspawn.pid]
        for _ in range(4):  # nspawn, its child, the container's PID 1
            nxt = []
            for pid in todo:
                try:
                    kids = open("/proc/%d/task/%d/children" % (pid, pid)).read().split()
                except OSError:
                    continue
                for k in map(int, kids):
                    try:
                        if open("/proc/%d/comm" % k).read().strip() == "systemd":
                            return k
                    except OSError:
                        pass
                    nxt.append(k)
            todo = nxt
        return None

    def inside(self, *argv, timeout=120, input=None):
        return run(["nsenter", "-t", str(self.pid1), "-a"] + list(argv),
                   timeout=timeout, input=input)

    def popen_inside(self, *argv, **kw):
        return subprocess.Popen(["nsenter", "-t", str(self.pid1), "-a"] + list(argv), **kw)

    def write(self, path, text):
        """Write a file inside (through the overlay); None removes it."""
        full = self.root + path
        if text is None:
            if os.path.exists(full):
                os.remove(full)
            return
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w") as f:
            f.write(text)

    def teardown(self):
        if self.nspawn is not None and self.nspawn.poll() is None:
            if self.pid1:
                self.inside("systemctl", "poweroff", timeout=30)
            try:
                self.nspawn.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.nspawn.kill()
                self.nspawn.wait()
        self._remove_own_cgroups()
        run(["umount", "-R", self.root], timeout=60)
        run(["umount", "-R", self.work], timeout=60)
        shutil.rmtree(self.work, ignore_errors=True)
