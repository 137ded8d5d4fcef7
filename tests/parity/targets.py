"""Request targets from a grammar, for the differential tests.

targets(rng) yields bytes: a request target as a client could put it on a
request line (no CR, LF, NUL), built of segments that each probe one rule
of the canonical path -- dots plain and encoded, encoded slashes and
backslashes, CGI directory names and their look-alikes, UTF-8 plain,
encoded, invalid and overlong, long and empty segments -- then a trailing
slash or dot segment, a query and, now and then, a fragment.
"""

import random

LETTERS = 'abcdefxyzABC019_-~'

NAMES = [
    'a', 'b', 'x', 'sub', 'dir', 'f.txt', 'a.html', 'index.html',
    'index.htm', 'x.py', 'x.sh', 'x.PNG', 'x.tar.gz', 'x.svgz', 'README',
    'nph-x.sh', 'dump.py', 'empty', 'noindex', 'link', 'file',
]

CGI_NAMES = [
    'cgi-bin', 'htbin', 'CGI-BIN', 'Cgi-bin', 'cgi-bin.', 'cgi-bin~',
    'cgi-bi', 'xcgi-bin', 'cgi-binx', 'cgi%2dbin', '%63gi-bin',
    'cgi-bin%20', 'htbin.', 'htbi', 'ht%62in', 'cgi_bin', 'cgi-bin;',
    'cgi-bin;x', 'cgi-bin+', 'cgi%2Dbin',
]

DOTS = [
    '.', '..', '%2e', '%2E', '%2e%2e', '%2E%2E', '.%2e', '%2e.', '...',
    '..a', 'a..', '.a', '.well-known', '.git', '%2e%2e%2e',
]

SEPARATORS = ['/'] * 12 + ['//', '///', '%2f', '%2F', '/%2f', '%5c', '%5C',
                           '\\', '/./', '/%2e/']

ODD = [
    ';', ';x=1', '+', '%20', '%2b', '%', '%zz', '%4', '%252e', '%252f',
    '%3f', '%3F', '%23', '%3b', '%7e', '~', ':', '@', '&', '=', '$', ',',
    "'", '(', '!', '*', '[', ']', '"', '<', '>', '{', '`', '|', '^',
    # text: UTF-8 raw and encoded
    'caf\u00e9', 'caf%C3%A9', 'caf%c3%a9', '\u65e5\u672c', '%E6%97%A5',
    # not text: invalid, overlong, surrogates, lone continuation bytes
    '%ff', '%FF%FE', '%c0%ae', '%c0%ae%c0%ae', '%c0%af', '%e0%80%ae',
    '%c1%9c', '%ed%a0%80', '%80', '%c3', '%f4%90%80%80',
    # controls, refused after decoding
    '%00', '%01', '%0a', '%0d', '%09', '%7f', '%1b',
]

RAW_BYTES = [b'\xc3\xa9', b'\xff', b'\xc0\xae', b'\x80', b'\xa0', b'\x85',
             b'\x1c', b'\x1f', b'\x7f', b'\x01', b'\t', b' ']

QUERIES = ['', '', '', '?', '?a=b', '?x', '?/x/../y', '?%2e%2e', '?a b',
           '?-n', '??', '?a=%20&b', '?/cgi-bin/x.py', '?q#f']
FRAGMENTS = [''] * 20 + ['#', '#x', '#/../cgi-bin/x.py', '#?a']
TAILS = [''] * 6 + ['/'] * 4 + ['/.', '/..', '/%2e', '/%2e%2e', '%2f',
                                 '/ ', '//', '/./', '/../']


def segment(rng):
    r = rng.random()
    if r < 0.30:
        return rng.choice(NAMES)
    if r < 0.45:
        return rng.choice(CGI_NAMES)
    if r < 0.62:
        return rng.choice(DOTS)
    if r < 0.72:
        return ''.join(rng.choice(LETTERS) for _ in range(rng.randint(1, 8)))
    if r < 0.88:
        return (rng.choice(NAMES + [''])
                + rng.choice(ODD) + rng.choice(['', 'a', '.html', 'x']))
    if r < 0.90:
        return 'a' * rng.choice([254, 255, 256, 300, 1000])
    if r < 0.91:
        return '%61' * rng.choice([255, 256])
    return ''


def target(rng):
    n = rng.choice([0, 1, 1, 2, 2, 2, 3, 3, 4, 5, 8])
    # CGI directories first more often than chance would put them there.
    parts = []
    if rng.random() < 0.4:
        parts.append(rng.choice(['cgi-bin', 'htbin', 'cgi-bin', 'CGI-BIN',
                                 'cgi-bin.', '%63gi-bin', 'a/..', '..',
                                 'x/../cgi-bin']))
        if rng.random() < 0.7:
            parts.append(rng.choice(['x.py', 'dump.py', 'sub', 'nph-x.sh',
                                     'x.sh', 'missing', '..', '.']))
    parts += [segment(rng) for _ in range(n)]
    out = rng.choice(['/'] * 30 + ['//', '///', '/%2f', 'http://h',
                                   'http://h/', 'HTTP://h:80', 'a', '*',
                                   'https://x.y'])
    for i, p in enumerate(parts):
        if i:
            out += rng.choice(SEPARATORS)
        elif out.endswith('h') or out.endswith('0') or out.endswith('y'):
            out += '/'
        out += p
    out += rng.choice(TAILS) + rng.choice(QUERIES) + rng.choice(FRAGMENTS)
    b = out.encode('utf-8')
    if rng.random() < 0.03:
        i = rng.randrange(len(b) + 1)
        b = b[:i] + rng.choice(RAW_BYTES) + b[i:]
    return b


def targets(seed, count):
    rng = random.Random(seed)
    for _ in range(count):
        yield target(rng)


# -- targets for tests/parity/server.py: names of its document root --------

SITE_NAMES = [
    'a.txt', 'a.html', 'x.png', 'f.tar.gz', 'README', 'empty', 'a%20b.txt',
    'caf%C3%A9.txt', 'caf\u00e9.txt', 'dir', 'sub', 'x.txt', 'withindex',
    'index.html', 'other.txt', 'htmindex', 'index.htm', 'noindex',
    'link.txt', 'linkdir', 'dangling', '.git', 'config', '.well-known',
    'dump.sh', 'noexec.sh', 'data.txt', 'deep.sh', 'missing', 'nph-x.sh',
    'a' * 300, 'A.TXT',
]
SITE_DIRS = ['cgi-bin', 'htbin', 'dir', 'withindex', 'noindex', 'cgi-bin/sub',
             'sub/cgi-bin', 'linkdir', 'htmindex', '.well-known']
SITE_ODD = ['%2e', '%2e%2e', '.', '..', '', '%2f', '%5c', ';x', '+', '%3f',
            '%3Fq=1', '%23', '%252e', '%ff', '%c0%ae', '%00', '%0a', 'CGI-BIN',
            '%63gi-bin', 'cgi-bin.']
SITE_QUERIES = [''] * 6 + ['?', '?a=b', '?x', '?a+b', '?a%20b', '?-n',
                           '?x=1&y=2', '?%2e%2e/x', '?a=b?c', '?q#f']
SITE_TAILS = [''] * 8 + ['/'] * 4 + ['/.', '/..', '/%2e', '/%2e%2e', '%2f',
                                     '//', '/./', '/a/..', '/x/y']


SITE_SCRIPTS = ['cgi-bin/dump.sh', 'htbin/dump.sh', 'cgi-bin/sub/deep.sh',
                'cgi-bin/nph-x.sh', 'cgi-bin/noexec.sh', 'cgi-bin/data.txt',
                'cgi-bin/sub', '%63gi-bin/dump.sh', 'cgi-bin%2fdump.sh',
                'cgi-bin/./dump.sh', 'x/../cgi-bin/dump.sh']


def site_target(rng):
    """An origin-form target over tests/parity/server.py's root."""
    parts = []
    if rng.random() < 0.3:
        parts.append(rng.choice(SITE_SCRIPTS))
    elif rng.random() < 0.8:
        parts.append(rng.choice(SITE_DIRS))
    for _ in range(rng.choice([0, 1, 1, 1, 2, 3])):
        r = rng.random()
        parts.append(rng.choice(SITE_NAMES) if r < 0.7 else
                     rng.choice(SITE_ODD) if r < 0.9 else
                     rng.choice(SITE_NAMES) + rng.choice(SITE_ODD))
    out = '/'
    for i, p in enumerate(parts):
        if i:
            out += rng.choice(['/'] * 10 + ['//', '%2f', '/./', '/%2e/'])
        out += p
    return (out + rng.choice(SITE_TAILS) + rng.choice(SITE_QUERIES)
            ).encode('utf-8')
