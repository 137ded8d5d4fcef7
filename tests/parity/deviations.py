"""The deliberate deviations from Python: the one place a deviation may live.

Each entry names the item of the man page's DIFFERENCES FROM PYTHON section
that documents it (the tag in the ".\\" deviation: TAG" comment line before
that item; tests/parity/test_man.py checks that the two lists are the same),
says why, and may carry, for each differential test, a normalizer:

    functions(target, ours, py) / server(case, ours, py)

which is called only with copies of the two decisions and, when the
deviation applies to this input, rewrites them so that its effect is gone
(for example, gives Python the path of an absolute-form target instead of
the whole URL) and returns True.  A difference is explained when it is gone
after every applicable normalizer has run; whatever is left is a bug.
Entries without a normalizer are differences these tests cannot provoke
(privileges, logging, descriptors); they are listed so that the table and
the man page stay one list.
"""

import collections
import re
import urllib.parse

Deviation = collections.namedtuple(
    'Deviation', 'tag reason functions server', defaults=(None, None))

CGI_DIRECTORIES = ('/cgi-bin', '/htbin')

ABSOLUTE = re.compile(rb'^https?://([^/?#]*)(.*)$', re.I | re.S)


def _has_control(b):
    return any(c < 0x20 or c == 0x7f for c in b)


def _path_part(target):
    return target.split(b'?', 1)[0].split(b'#', 1)[0]


def _redecide(py, target):
    """Python's decision for another target, in place of the one in py."""
    again = py['decide'](target)
    py.clear()
    py.update(again)


# -- function-level normalizers ---------------------------------------------

def _absolute_form(target, o, p):
    m = ABSOLUTE.match(p['asked'])
    if not m or o['status'] != '0' or p['status'] != '0':
        return False
    rest = m.group(2)
    _redecide(p, rest if rest.startswith(b'/') else b'/' + rest)
    return True


def _fragment(target, o, p):
    asked = p['asked']
    path, q, query = asked.partition(b'?')
    if b'#' not in path or p['status'] != '0':
        return False
    # Ours: the path ends at '#' (after the query was split off at the
    # first '?'); Python's is_cgi does not cut it from the path.
    _redecide(p, path.split(b'#', 1)[0] + q + query)
    return True


def _collapse_held(path):
    """_url_collapse_path with '..' held at the root (RFC 3986 5.2.4)."""
    path, _, query = path.partition('?')
    parts = urllib.parse.unquote(path).split('/')
    head = []
    for part in parts[:-1]:
        if part == '..':
            head[-1:] = []
        elif part and part != '.':
            head.append(part)
    tail = parts[-1]
    if tail in ('.', '..'):
        if tail == '..':
            head[-1:] = []
        tail = ''
    if query:
        tail = tail + '?' + query
    return '/'.join(('/' + '/'.join(head), tail))


def _is_cgi_held(collapsed):
    """is_cgi's loop over a collapsed path: the CGI directory, or None."""
    sep = collapsed.find('/', 1)
    while sep > 0 and collapsed[:sep] not in CGI_DIRECTORIES:
        sep = collapsed.find('/', sep + 1)
    return collapsed[:sep] if sep > 0 else None


def _dotdot_root(target, o, p):
    if p['status'] != '0' or not (p['collapsed'] is IndexError or
                                  p['cgi'] is IndexError):
        return False
    if p['collapsed'] is IndexError:
        c = _collapse_held(p['path'].split('?', 1)[0].split('#', 1)[0])
        p['collapsed'] = c[1:] if c.startswith('//') else c
    if p['cgi'] is IndexError:
        p['cgi'] = _is_cgi_held(_collapse_held(p['path']))
    return True


def shape(v):
    """Every run of bytes or characters outside ASCII as one '~'."""
    if isinstance(v, bytes):
        return re.sub(rb'[\x80-\xff]+', b'~', v).decode('ascii')
    if isinstance(v, str):
        return re.sub(r'[^\x00-\x7f]+', '~', v)
    return v


NOT_ASCII = re.compile(rb'[\x80-\xff]|%[89a-fA-F][0-9a-fA-F]')


def _bytes(target, o, p):
    if not NOT_ASCII.search(target):
        return False
    # U+0085 and U+00A0 are white space to str.split(): Python parses
    # another request line than the one sent (four words, or a shorter
    # target); to us they are bytes of a name.
    if re.search(rb'[\x85\xa0]', target):
        p.clear()
        p.update(o)
        return True
    # Otherwise only the non-ASCII runs of names differ: differences()
    # compares the two with each run as one '~' (see shape()).
    o['shaped'] = p['shaped'] = True
    return True


def _control(target, o, p):
    if o['status'] == 'P400' and _has_control(target):
        p['status'] = 'P400'
        return True
    decoded = urllib.parse.unquote_to_bytes(_path_part(target))
    if o['status'] == 'U400' and _has_control(decoded):
        p['status'] = 'U400'
        return True
    return False


HOST = re.compile(rb"(\[[^]]*\]|[-A-Za-z0-9._~!$&'()*+,;=%]+)(:[0-9]*)?")


def _malformed(target, o, p):
    if o['status'] != 'P400':
        return False
    # Neither origin-form nor absolute-form ("a/b", "*" with GET), or an
    # absolute-form whose authority is no host[:port].
    target = target.strip(b' \t')
    m = ABSOLUTE.match(target)
    if m is None and not target.startswith(b'/') or \
            m is not None and not HOST.fullmatch(m.group(1)):
        p['status'] = 'P400'
        return True
    return False


TABLE = [
    Deviation('http11', 'HTTP/1.1 with Connection: close on every response, '
              'so that a client never waits on a connection we close'),
    Deviation('http09', 'a response without a status line cannot say its '
              'type or length and invites cross-protocol tricks'),
    Deviation('malformed', 'a request two parsers could read two ways is '
              'refused (RFC 9112); the head is bounded in size and time',
              functions=_malformed),
    Deviation('confined', 'the kernel keeps every path below the root'),
    Deviation('hidden', '.git, .env, .htpasswd are not for the world'),
    Deviation('cgi-alias', 'a script must not be served as its source '
              'through another name for its directory'),
    Deviation('dotdot-root', "'..' above the root is held there "
              '(RFC 3986 5.2.4) where Python raises IndexError and answers '
              'nothing', functions=_dotdot_root),
    Deviation('decode-once', 'the path is decoded once; a second decoding '
              'lets %252e%252e through every check made on the first'),
    Deviation('control', 'a decoded NUL cuts a name short where the kernel '
              'reads it; controls have no business in a name',
              functions=_control),
    Deviation('bytes', 'a %-escape is a byte of the name, a raw byte above '
              '0x7f too; Python decodes as UTF-8 (U+FFFD for what is not) '
              'and reads the request line as Latin-1, so it cannot name '
              'such files', functions=_bytes),
    Deviation('absolute-form', 'RFC 9112 3.2.2: the path of an absolute-form '
              'target is the path; Python looks for a directory "http:"',
              functions=_absolute_form),
    Deviation('fragment', "a '#' ends the path for every decision; "
              "Python's is_cgi kept it, so /#/../cgi-bin/x ran a script",
              functions=_fragment),
    Deviation('location', 'the Location of the slash-adding 301 is the '
              'canonical path, so it cannot name another host'),
    Deviation('body-unread', 'the script reads the body, all of it'),
    Deviation('script-cwd', 'RFC 3875 7.2: the script runs in its directory'),
    Deviation('privileges', 'a failed drop must not run a script as root'),
    Deviation('argv', 'a query must not become an option of the script'),
    Deviation('environment', 'RFC 3875 meta-variables, all request headers; '
              'none inherited from the superserver'),
    Deviation('writable-script', "a script anyone may rewrite is not ours "
              "to run (althttpd's rule)"),
    Deviation('descriptors', "the superserver's sockets are not the "
              "script's business"),
    Deviation('nph', 'scripts that need to set the status can'),
    Deviation('expect', 'a client waiting for 100 Continue gets it'),
    Deviation('log', 'Common Log Format, in UTC, with the byte count'),
    Deviation('mime-colon', 'a file name is not a URL: a:b.html is HTML'),
]

# Normalizers that ask Python again about another target run before those
# that adjust its answer.
FIRST = ('absolute-form', 'fragment')

TAGS = [e.tag for e in TABLE]
assert len(set(TAGS)) == len(TAGS), 'a tag twice in the table'


def explain(level, target, ours, py, differences):
    """The tags of the deviations that explain every difference, or None.

    ours and py are copied; the normalizers may rewrite the copies."""
    o, p = dict(ours), dict(py)
    applied = []
    for e in sorted(TABLE, key=lambda e: e.tag not in FIRST):
        fix = e.functions if level == 'functions' else e.server
        if fix and fix(target, o, p):
            applied.append(e.tag)
            if not differences(o, p):
                return applied
    return None
