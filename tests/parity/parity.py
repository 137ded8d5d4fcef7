#!/usr/bin/env python3
"""Our canonical-path code against Python's own http.server functions.

Usage: parity.py DRIVER [COUNT [SEED]]

Generates COUNT request targets (tests/parity/targets.py; default 200,000)
from a fixed seed, then COUNT/4 more from a random seed printed in the log
(with SEED: COUNT from that seed only), streams them through DRIVER
(tests/parity/parity-driver.c built) and puts each through Python's
request-line split, _url_collapse_path, SimpleHTTPRequestHandler's
translate_path and guess_type and CGIHTTPRequestHandler's is_cgi.  Every
difference is either explained by one entry of the deviation table
(tests/parity/deviations.py) or a failure.  Prints TAP.

Millions:   parity.py BUILD/tests/parity-driver 5000000 $RANDOM
"""

import codecs
import http.server
import os
import random
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import deviations  # noqa: E402
import targets  # noqa: E402

FIXED_SEED = 15
DEFAULT_COUNT = 200000
ROOT = '/R'
SHOWN = 5          # unexplained differences shown per field


def unescape(field):
    """The driver's \\xNN escapes back to bytes (the driver escapes every
    backslash, so no other escape can appear)."""
    return codecs.escape_decode(field.encode('ascii'))[0]


def ours(line):
    """A driver line as a dict of decisions."""
    f = line.split('\t')
    if f[0] != '0':
        return {'status': f[0]}
    collapsed = unescape(f[1])
    fs = unescape(f[2])
    k = int(f[4])
    comps = [c for c in collapsed.split(b'/') if c]
    return {
        'status': '0',
        'collapsed': collapsed,
        'fs': (ROOT.encode() + (b'' if fs == b'.' else b'/' + fs)
               + (b'/' if f[3] == '1' else b'')),
        'cgi': b'/' + b'/'.join(comps[:k]) if k else None,
        'type': f[5],
    }


class Python:
    """Python's own functions on one target, with what they need set."""

    def __init__(self):
        self.h = object.__new__(http.server.CGIHTTPRequestHandler)
        self.h.directory = ROOT
        self.h.cgi_directories = ['/cgi-bin', '/htbin']

    def decide(self, target):
        words = ('GET %s HTTP/1.1' % target.decode('latin-1')).split()
        if len(words) != 3:
            return {'status': 'P400', 'decide': self.decide, 'asked': target}
        path = words[1]
        if path.startswith('//'):
            path = '/' + path.lstrip('/')
        r = {'status': '0', 'path': path, 'decide': self.decide,
             'asked': words[1].encode('latin-1')}
        try:
            c = http.server._url_collapse_path(
                path.split('?', 1)[0].split('#', 1)[0])
            # One segment comes back as "//a": a spelling, not a decision
            # (is_cgi looks for the second '/' from index 1 on).
            r['collapsed'] = c[1:] if c.startswith('//') else c
        except IndexError:
            r['collapsed'] = IndexError
        r['fs'] = self.h.translate_path(path)
        self.h.path = path
        try:
            r['cgi'] = self.h.cgi_info[0] if self.h.is_cgi() else None
        except IndexError:
            r['cgi'] = IndexError
        r['type'] = (self.h.guess_type(r['fs'])
                     if not r['fs'].endswith('/') else None)
        return r


def short(v):
    r = repr(v).replace('#', '\\x23')  # '#' would start a TAP directive
    return r if len(r) <= 200 else r[:150] + '...' + r[-40:]


def as_bytes(s):
    return s.encode('utf-8', 'surrogatepass') if isinstance(s, str) else s


def differences(o, p):
    """The fields on which ours (bytes) and Python's (str) decide apart."""
    if o['status'] != '0' or p['status'] != '0':
        return ['status'] if o['status'] != p['status'] else []
    diff = []
    same = deviations.shape if p.get('shaped') else as_bytes
    for field in ('collapsed', 'fs', 'cgi'):
        if same(p[field]) != same(o[field]):
            diff.append(field)
    if p['type'] is not None and p['type'] != o['type']:
        diff.append('type')
    return diff


def run(driver, seed, count, tally, unexplained):
    proc = subprocess.Popen([driver], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE)
    inputs = list(targets.targets(seed, count))

    def feed():
        try:
            for t in inputs:
                proc.stdin.write(t + b'\n')
            proc.stdin.close()
        except BrokenPipeError:
            pass
    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    py = Python()
    n = 0
    for t, line in zip(inputs, proc.stdout):
        n += 1
        o = ours(line.decode('ascii').rstrip('\n'))
        p = py.decide(t)
        diff = differences(o, p)
        if not diff:
            tally['same'] = tally.get('same', 0) + 1
            continue
        tags = deviations.explain('functions', t, o, p, differences)[0]
        if tags:
            key = '+'.join(tags)
            tally[key] = tally.get(key, 0) + 1
        else:
            unexplained.append((t, diff, o, p))
    writer.join(60)
    rc = proc.wait(60)
    return n, rc


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    driver = argv[1]
    count = int(argv[2]) if len(argv) > 2 else DEFAULT_COUNT
    if len(argv) > 3:
        runs = [(int(argv[3]), count)]
    else:
        runs = [(FIXED_SEED, count),
                (random.SystemRandom().randrange(1 << 32), count // 4)]
    print('1..%d' % (2 * len(runs)))
    t = 0
    failed = False
    for seed, count in runs:
        tally, unexplained = {}, []
        start = time.monotonic()
        n, rc = run(driver, seed, count, tally, unexplained)
        took = time.monotonic() - start
        t += 1
        ok = n == count and rc == 0
        print('%s %d - seed %d: driver answered %d of %d targets, exit %s'
              % ('ok' if ok else 'not ok', t, seed, n, count, rc))
        t += 1
        ok2 = not unexplained
        failed |= not ok or not ok2
        print('%s %d - seed %d: %d targets, %d unexplained differences'
              % ('ok' if ok2 else 'not ok', t, seed, n, len(unexplained)))
        print('# seed %d: %.1f s; reproduce with: parity.py DRIVER %d %d'
              % (seed, took, count, seed))
        for k in sorted(tally, key=lambda k: -tally[k]):
            print('#   %-28s %d' % (k, tally[k]))
        shown = {}
        for target, diff, o, p in unexplained:
            key = tuple(diff)
            shown[key] = shown.get(key, 0) + 1
            if shown[key] <= SHOWN:
                print('# %s differs in %s' % (short(target), ', '.join(diff)))
                for f in diff:
                    print('#     ours %s, Python %s'
                          % (short(o.get(f)), short(p.get(f))))
        for key, n in shown.items():
            print('# %d unexplained differing in %s' % (n, ', '.join(key)))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
