#!/usr/bin/env python3
"""Hold our guess_type against Python's SimpleHTTPRequestHandler.guess_type.

Usage: mime-vs-python.py DRIVER

DRIVER is tests/unit/mime-driver.c built: it prints guess_type() of each
argument on a line. Every extension of mimetypes.types_map is tried as is,
upper-cased and with ".gz", ".br" and ".bz2" appended, then a list of odd
names. Prints TAP, one line per name.

Python's handler is given the name under an absolute directory, as its
translate_path() always hands it one; ours is given the bare name, as the
file module does. Run with the python3 that generated mime-table.h, on the
machine that built it, or the tables may differ.
"""

import http.server
import mimetypes
import os
import subprocess
import sys

ROOT = '/srv/www/'
CHUNK = 500


def sx(b):
    """A str holding arbitrary bytes, as Python gets undecodable names."""
    return b.decode('utf-8', 'surrogateescape')


def long_name(head, unit, end, total=4096):
    n = (total - len(head) - len(end)) // len(unit)
    return head + unit * n + end


ODD = [
    '', 'README', '/', 'a/b/c', '.', '..', '...', 'a.', 'a..', 'html.',
    '.html', '..html', '...html', '.a.html', '..a.html', 'a....html',
    'x.html.', 'dir.html/', 'dir.html/file', 'a.b/.c', 'a.png/.html',
    'a.png/..html', 'a.png/b.html', '/.png', './x.css', '../x.css',
    'x.css/..', 'x.css/.', 'X.HTML', 'x.HtMl', 'x.GZ', 'x.Z', 'x.z',
    'x.tar.Z', 'x.tar.z', 'x.BZ2', 'x.Xz', 'x.XZ', 'x.Br', 'x.BR',
    'x.tgz', 'x.TGZ', 'x.TgZ', 'x.taz', 'x.tz', 'x.TZ', 'x.tbz2', 'x.txz',
    'x.svgz', 'x.SVGZ', 'x..tgz', '.tgz', '..tgz', 'a.b/.tgz', 'a.b/x.tgz',
    'x.tgz.gz', 'x.tgz.br', 'x.svgz.br', 'x.tar.br', 'x.html.br',
    'x.html.BR', 'x.br', '.br', '..br', 'x.html.gz', 'x.gz.br', 'x.br.br',
    'x.br.gz', 'x.pcf.Z', 'x.pcf', 'x.1905.1', 'x.ELN', 'x.eln', 'x.~',
    'x.%', 'x.tEiCoRpUs',
    'x.\u212ash', 'x.\u212aSH', 'x.\u212aml', 'x.\u212aMZ', 'x.\u212b',
    'x.\u0130', 'x.\u0131', 'x.\u017ftml', 'x.html\u212a',
    sx(b'x.\xe2\x84'), sx(b'x.\xe2\x84\xe2\x84\xaash'), sx(b'x.ht\xffml'),
    sx(b'x.\xff'), sx(b'\xff.html'), sx(b'x.\xed\xa0\x80'),
    'x.\xc9', 'x.html\n', 'x.html ', ' x.html', 'x.html\r', 'x.h\x01tml',
    'x.\t', 'x.*', 'x.html;.png', 'x.png?x=.html', 'x.png#.html',
    'a:b.html', 'a:.html', 'data:text/html,x', 'data:,x.css',
    'DATA:image/png;base64,AAAA', 'data:', 'http://h/x.png', 'file:x.gif',
    'C:\\x.html', 'x\\y.html', 'x.html\\', 'x.%68tml', 'x.%2e%2e',
    'x.htmlhtmlhtmlhtmlhtmlhtmlhtmlhtmlhtml',
    'x.sarif-external-properties.json', 'x.webmanifest', 'x.WEBMANIFEST',
    long_name('', 'a', '.html'), long_name('', '.', ''),
    long_name('', '.', 'x.css'), long_name('', 'a.', ''),
    long_name('', 'a.', 'gz'), long_name('', '/', 'x.png'),
    long_name('', 'd.d/', 'x'), long_name('', 'x.png/', '.html'),
    long_name('x.', 'H', ''), long_name('x.', '\u212a', ''),
    long_name('x.', sx(b'\xff'), ''), long_name('', 'a', '.tgz'),
    long_name('', '.', 'tgz'), long_name('', '.', 'br'),
    long_name('', 'a', '.'), long_name('', '.tgz', ''),
    long_name('x', '.tar', '.gz'), long_name('', 'a', '.\u212aSH'),
]


def names():
    seen = set()
    for ext in sorted(mimetypes.types_map):
        for name in ('x' + ext, 'x' + ext.upper(), 'x' + ext + '.gz',
                     'x' + ext + '.br', 'x' + ext + '.bz2'):
            if name not in seen:
                seen.add(name)
                yield name
    for name in ODD:
        if name not in seen:
            seen.add(name)
            yield name


def ours(driver, batch):
    args = [os.fsencode(n) for n in batch]
    out = subprocess.run([driver] + args, stdout=subprocess.PIPE,
                         check=True).stdout
    lines = out.decode('utf-8', 'surrogateescape').split('\n')
    if lines[-1] != '' or len(lines) != len(batch) + 1:
        print('Bail out! driver printed %d lines for %d names'
              % (len(lines) - 1, len(batch)))
        sys.exit(1)
    return lines[:-1]


def describe(name):
    # '#' would start a TAP directive.
    r = repr(name).replace('#', '\\x23')
    return r if len(r) <= 60 else r[:40] + '...' + r[-15:] + \
        ' (%d chars)' % len(name)


def main(argv):
    if len(argv) != 2:
        sys.exit('usage: mime-vs-python.py DRIVER')
    mimetypes.init()
    handler = http.server.SimpleHTTPRequestHandler.__new__(
        http.server.SimpleHTTPRequestHandler)

    todo = list(names())
    print('1..%d' % len(todo))
    n = failed = 0
    for i in range(0, len(todo), CHUNK):
        batch = todo[i:i + CHUNK]
        for name, got in zip(batch, ours(argv[1], batch)):
            want = handler.guess_type(ROOT + name)
            n += 1
            ok = got == want
            failed += not ok
            print('%s %d - %s' % ('ok' if ok else 'not ok', n,
                                  describe(name)))
            if not ok:
                print('# got %r, Python says %r' % (got, want))
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
