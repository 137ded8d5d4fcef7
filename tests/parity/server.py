#!/usr/bin/env python3
"""cgihandlerd against Python's own CGIHTTPRequestHandler, request by request.

Usage: server.py [COUNT [SEED]]

Starts `python3 -m http.server --cgi` and `cgihandlerd --listen` on two
loopback ports over one document root (files, directories with and without
an index, symbolic links in and out, hidden files, a cgi-bin with a script
that prints its environment, arguments and input), sends both the same
generated requests (tests/parity/targets.py site_target(); GET, HEAD, POST,
other methods; If-Modified-Since, Host, absolute-form, a few CGI headers),
one request per connection, and compares the status, the headers Python
sends (Server and Date aside), the body, and for a script the CGI
variables, argv and input it got.  Every difference must be explained by
the deviation table (tests/parity/deviations.py).  Default: 1,600 requests
from a fixed seed and 400 from a random one printed in the log (about
60 s on an idle machine, two minutes on a busy one).  Prints
TAP.  Environment as tests/e2e/harness.py (CGIHANDLERD: the binary).
"""

import email.utils
import os
import random
import re
import socket
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, '..', 'e2e'))
import deviations  # noqa: E402
import harness  # noqa: E402
import targets  # noqa: E402

FIXED_SEED = 15
DEFAULT_COUNT = 1600
SHOWN = 4

DUMP_SH = b'''#!/bin/sh
printf 'Content-Type: text/plain\\n\\n'
env
printf 'argc=%s\\n' "$#"
for a in "$@"; do printf 'arg=%s\\n' "$a"; done
printf 'stdin='
if [ -n "$CONTENT_LENGTH" ]; then head -c "$CONTENT_LENGTH"; fi
'''
NPH_SH = b'''#!/bin/sh
printf 'HTTP/1.0 200 OK\\r\\nContent-Type: text/plain\\r\\n\\r\\nnph\\n'
'''
MTIME = 1700000000   # Tue, 14 Nov 2023 22:13:20 GMT

File, Dir, Symlink = harness.File, harness.Dir, harness.Symlink
SITE = {
    'a.txt': File(b'A\n', mtime=MTIME),
    'A.TXT': File(b'upper\n', mtime=MTIME),
    'a.html': File(b'<p>a</p>\n', mtime=MTIME),
    'x.png': File(b'\x89PNG\r\n\x1a\n', mtime=MTIME),
    'f.tar.gz': File(b'\x1f\x8b', mtime=MTIME),
    'README': File(b'readme\n', mtime=MTIME),
    'empty': File(b'', mtime=MTIME),
    'a b.txt': File(b'space\n', mtime=MTIME),
    'caf\u00e9.txt': File(b'cafe\n', mtime=MTIME),
    'dir/x.txt': File(b'x\n', mtime=MTIME),
    'dir/sub/x.txt': File(b'deep\n', mtime=MTIME),
    'withindex/index.html': File(b'<p>index</p>\n', mtime=MTIME),
    'withindex/other.txt': File(b'other\n', mtime=MTIME),
    'htmindex/index.htm': File(b'<p>htm</p>\n', mtime=MTIME),
    'noindex/a.txt': File(b'A\n', mtime=MTIME),
    'noindex/b.html': File(b'b\n', mtime=MTIME),
    'noindex/sub/x.txt': File(b'x\n', mtime=MTIME),
    'noindex/.hidden': File(b'hidden\n', mtime=MTIME),
    'link.txt': Symlink('a.txt'),
    'linkdir': Symlink('withindex'),
    'dangling': Symlink('nowhere'),
    'outlink': Symlink('{outside}/secret.txt'),
    '.git/config': File(b'[core]\n', mtime=MTIME),
    '.well-known/x.txt': File(b'known\n', mtime=MTIME),
    'cgi-bin/dump.sh': File(DUMP_SH, 0o755, MTIME),
    'cgi-bin/nph-x.sh': File(NPH_SH, 0o755, MTIME),
    'cgi-bin/noexec.sh': File(DUMP_SH, 0o644, MTIME),
    'cgi-bin/data.txt': File(b'data\n', 0o644, MTIME),
    'cgi-bin/sub/deep.sh': File(DUMP_SH, 0o755, MTIME),
    'cgi-bin/sub/index.html': File(b'<p>cgi index</p>\n', mtime=MTIME),
    'htbin/dump.sh': File(DUMP_SH, 0o755, MTIME),
    'sub/cgi-bin/dump.sh': File(DUMP_SH, 0o755, MTIME),
}
for _d in ('dir', 'dir/sub', 'withindex', 'htmindex', 'noindex',
           'noindex/sub', '.git', '.well-known', 'cgi-bin', 'cgi-bin/sub',
           'htbin', 'sub', 'sub/cgi-bin', ''):
    SITE[_d + '/' if _d else '.'] = Dir(mtime=MTIME)

# The meta-variables Python sets (run_cgi), compared; the rest of either
# environment is the server's own.
CGI_KEYS = (
    'SERVER_SOFTWARE', 'SERVER_NAME', 'GATEWAY_INTERFACE', 'SERVER_PROTOCOL',
    'SERVER_PORT', 'REQUEST_METHOD', 'PATH_INFO', 'PATH_TRANSLATED',
    'SCRIPT_NAME', 'QUERY_STRING', 'REMOTE_HOST', 'REMOTE_ADDR', 'AUTH_TYPE',
    'REMOTE_USER', 'CONTENT_TYPE', 'CONTENT_LENGTH', 'HTTP_REFERER',
    'HTTP_ACCEPT', 'HTTP_USER_AGENT', 'HTTP_COOKIE',
)

PAST = email.utils.formatdate(MTIME - 86400, usegmt=True)
EXACT = email.utils.formatdate(MTIME, usegmt=True)
FUTURE = email.utils.formatdate(MTIME + 86400 * 365 * 30, usegmt=True)


def request(rng):
    """One generated request: (method, target, request bytes)."""
    target = targets.site_target(rng)
    method = rng.choice(['GET'] * 14 + ['HEAD'] * 3 + ['POST'] * 2 +
                        ['PUT', 'DELETE', 'OPTIONS'])
    version = 'HTTP/1.1' if rng.random() < 0.85 else 'HTTP/1.0'
    headers = []
    if version == 'HTTP/1.1' or rng.random() < 0.5:
        headers.append('Host: ' + rng.choice(['127.0.0.1', 'example.org',
                                              'h:8080']))
    if rng.random() < 0.1:
        target = b'http://127.0.0.1' + target
    r = rng.random()
    if r < 0.15:
        headers.append('If-Modified-Since: ' +
                       rng.choice([PAST, EXACT, FUTURE, 'yesterday', '']))
    if rng.random() < 0.2:
        headers.append('User-Agent: parity/1')
    if rng.random() < 0.1:
        headers.append('Cookie: a=b')
    if rng.random() < 0.1:
        headers.append('Referer: http://example.org/')
    if rng.random() < 0.1:
        headers.append('Accept: text/plain')
    if rng.random() < 0.3:    # only scripts see it: few requests run one
        headers.append(rng.choice(['Authorization: Basic YWxpY2U6c2VjcmV0',
                                   'Authorization: Bearer token']))
    body = b''
    if method == 'POST':
        body = rng.choice([b'k=v', b'', b'x' * 100])
        headers.append('Content-Length: %d' % len(body))
        if rng.random() < 0.5:
            headers.append('Content-Type: application/x-www-form-urlencoded')
    head = ('%s %s %s\r\n' % (method, target.decode('latin-1'), version)
            + ''.join(h + '\r\n' for h in headers) + '\r\n')
    return method, target, head.encode('latin-1') + body


def exchange(port, data, timeout=20):
    """Sends one request on a new connection, half-closes, reads to EOF."""
    with socket.create_connection(('127.0.0.1', port), timeout) as s:
        try:
            s.sendall(data)
            s.shutdown(socket.SHUT_WR)
        except OSError:
            pass    # answered and closed before all was sent: read it
        out = b''
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                chunk = s.recv(65536)
            except (ConnectionResetError, socket.timeout):
                break
            if not chunk:
                break
            out += chunk
        return out


def cgi_output(body):
    """The dump script's output: (env of CGI_KEYS, argv, stdin) or None."""
    head, sep, rest = body.partition(b'\n\n')
    if not sep or b'Content-Type: text/plain' not in head:
        return None
    env = {}
    argv = []
    lines = rest.split(b'\n')
    for i, line in enumerate(lines):
        if line.startswith(b'stdin='):
            stdin = b'\n'.join(lines[i:])[len(b'stdin='):]
            break
        k, _, v = line.partition(b'=')
        if k == b'arg':
            argv.append(v)
        elif k.decode('latin-1') in CGI_KEYS:
            env[k.decode('latin-1')] = v
    else:
        return None
    return env, argv, stdin


def parse(raw, method):
    """A response as a dict; 'status' None when it is none at all.

    Both servers send a CGI script's output right after their own header
    lines, with no empty line between: the head ends at an empty line, or
    at the first line that is not a CRLF-terminated "Name: value" (the
    script's own lines end in a bare LF; an nph script's start with
    "HTTP/"), and what follows is the body."""
    lines = raw.split(b'\r\n')
    m = re.match(rb'(HTTP/1\.[01]) ([0-9]{3}) ?(.*)', lines[0])
    if len(lines) < 2 or not m:
        return {'status': None, 'raw': raw[:200]}
    headers = {}
    body, script = b'', False
    for i in range(1, len(lines)):
        line = lines[i]
        if line == b'' and i + 1 < len(lines):
            body = b'\r\n'.join(lines[i + 1:])
            break
        k, colon, v = line.partition(b':')
        if i + 1 == len(lines) or b'\n' in line or not colon or \
                not re.fullmatch(rb'[-A-Za-z0-9]+', k):
            body, script = b'\r\n'.join(lines[i:]), True
            break
        headers[k.decode('latin-1').lower()] = v.strip().decode('latin-1')
    r = {'status': int(m.group(2)), 'version': m.group(1),
         'reason': m.group(3), 'headers': headers, 'body': body,
         'cgi': None, 'raw': raw}
    if script:
        r['cgi'] = cgi_output(body)
        if r['cgi'] is None:
            r['cgi'] = ('unparsed', body)
    return r


COMPARED = ('content-type', 'content-length', 'last-modified', 'location')


def differences(o, p):
    """The fields on which ours and Python's responses differ."""
    if o['status'] != p['status']:
        return ['status']
    if p['status'] is None:
        return []
    diff = [f for f in ('version', 'reason') if o[f] != p[f]]
    for name in sorted(p['headers']):
        if name in ('server', 'date'):
            continue
        if name not in o['headers']:
            diff.append('header %s missing' % name)
        elif name in COMPARED and o['headers'][name] != p['headers'][name]:
            diff.append('header %s' % name)
    if (o['cgi'] is None) != (p['cgi'] is None):
        diff.append('cgi')
    elif o['cgi'] is not None and (o['cgi'][0] == 'unparsed' or
                                   p['cgi'][0] == 'unparsed'):
        if o['cgi'] != p['cgi']:
            diff.append('cgi')
    elif o['cgi'] is not None:
        oe, oa, oi = o['cgi']
        pe, pa, pi = p['cgi']
        for k in sorted(set(oe) | set(pe)):
            if oe.get(k) != pe.get(k):
                diff.append('env %s' % k)
        if oa != pa:
            diff.append('argv')
        if oi != pi:
            diff.append('stdin')
    elif o['body'] != p['body']:
        diff.append('body')
    return diff


def short(v, n=300):
    r = repr(v).replace('#', '\\x23')
    return r if len(r) <= n else r[:n - 60] + '...' + r[-50:]


def show(o, p, field):
    if field in ('status', 'version', 'reason'):
        return o[field], p[field]
    if field.startswith('header '):
        name = field.split()[1]
        return o['headers'].get(name), p['headers'].get(name)
    if field.startswith('env '):
        k = field.split()[1]
        return o['cgi'][0].get(k), p['cgi'][0].get(k)
    if field == 'argv':
        return o['cgi'][1], p['cgi'][1]
    if field == 'stdin':
        return o['cgi'][2], p['cgi'][2]
    if field == 'cgi':
        return o['body'][:200], p['body'][:200]
    return o.get('body', b'')[:300], p.get('body', b'')[:300]


def run(ours_port, py_port, root, seed, count, tally, unexplained):
    rng = random.Random(seed)
    for _ in range(count):
        method, target, data = request(rng)
        o = parse(exchange(ours_port, data), method)

        def ask_python(data, method=method):
            r = parse(exchange(py_port, data), method)
            r['ask'] = ask_python
            r['asked'] = data
            return r
        p = ask_python(data)
        if o.get('cgi') and p.get('cgi') and o['cgi'][0] != 'unparsed':
            tally['(both ran the dump script)'] = \
                tally.get('(both ran the dump script)', 0) + 1
        diff = differences(o, p)
        if not diff:
            tally['same'] = tally.get('same', 0) + 1
            continue
        case = {'method': method, 'target': target, 'data': data,
                'root': root}
        tags, o2, p2 = deviations.explain('server', case, o, p, differences)
        if tags:
            key = '+'.join(tags)
            tally[key] = tally.get(key, 0) + 1
        else:
            # Shown as normalized: what no deviation explains.
            unexplained.append((data, differences(o2, p2), o2, p2))


def main(argv):
    count = int(argv[1]) if len(argv) > 1 else DEFAULT_COUNT
    if len(argv) > 2:
        runs = [(int(argv[2]), count)]
    else:
        runs = [(FIXED_SEED, count),
                (random.SystemRandom().randrange(1 << 32), count // 4)]
    tap = harness.TAP()
    harness.require_binary(tap)
    with harness.WebRoot(SITE, outside={'secret.txt': b'secret\n'},
                         prefix='cgihandlerd-parity-') as w:
        # Scripts run as nobody when we are root: the tree must be theirs
        # to read (mkdtemp makes the base 0700).
        os.chmod(w.base, 0o755)
        os.utime(w.root, (MTIME, MTIME))
        py_argv = lambda port: [sys.executable, '-m', 'http.server', '--cgi',  # noqa: E731
                                '--bind', '127.0.0.1', '--directory', w.root,
                                str(port)]
        with harness.serve(py_argv, cwd=w.root, label='python3 -m http.server') as py, \
                harness.listen_server(["--listing=simple"], root=w) as ours:
            for seed, n in runs:
                tally, unexplained = {}, []
                start = time.monotonic()
                run(ours.port, py.port, w.root, seed, n, tally, unexplained)
                took = time.monotonic() - start
                tap.check(not unexplained,
                          'seed %d: %d requests, %d unexplained differences'
                          % (seed, n, len(unexplained)))
                tap.diag('seed %d: %.1f s; reproduce with: server.py %d %d'
                         % (seed, took, n, seed))
                for k in sorted(tally, key=lambda k: -tally[k]):
                    tap.diag('  %-40s %d' % (k, tally[k]))
                shown = {}
                for data, diff, o, p in unexplained:
                    key = tuple(diff)
                    shown[key] = shown.get(key, 0) + 1
                    if shown[key] <= SHOWN:
                        tap.diag('%s differs in %s' % (short(data), ', '.join(diff)))
                        for f in diff[:4]:
                            a, b = show(o, p, f)
                            tap.diag('    %s: ours %s, Python %s' % (f, short(a), short(b)))
                for key, k in shown.items():
                    tap.diag('%d unexplained differing in %s' % (k, ', '.join(key)))
    return tap.done()


if __name__ == '__main__':
    sys.exit(main(sys.argv))
