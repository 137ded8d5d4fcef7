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
import html
import http
import http.server
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

HOST_NAME = re.compile(rb'^(?:[A-Za-z0-9._-]+|\[[0-9A-Fa-f:.]+\])(?::([0-9]{1,5}))?$')


def _bad_authority(target):
    """An absolute-form authority our Host rule refuses."""
    m = ABSOLUTE.match(target)
    if not m:
        return False
    h = HOST_NAME.match(m.group(1))
    return not h or (h.group(1) is not None and not 1 <= int(h.group(1)) <= 65535)


def _host_strict(target, o, p):
    if not _bad_authority(p['asked']) or o['status'] != 'P400':
        return False
    p['status'] = o['status']
    return True


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


# -- server-level normalizers ------------------------------------------------
#
# case: method, target (bytes, as sent), data (the whole request); ours and
# py: parsed responses (server.py parse()); py['ask'](data) asks Python's
# server again.

def _origin(target):
    m = ABSOLUTE.match(target)
    if m:
        rest = m.group(2)
        return rest if rest.startswith(b'/') else b'/' + rest
    return target


def _components(target):
    """The canonical path's components, '..' held at the root."""
    path = _path_part(_origin(target))
    out = []
    for c in urllib.parse.unquote_to_bytes(path).split(b'/'):
        if c == b'..':
            out[-1:] = []
        elif c and c != b'.':
            out.append(c)
    return out


def _dumps(o, p):
    """Both answers are the dump script's output, parsed."""
    return all(d.get('cgi') is not None and d['cgi'][0] != 'unparsed'
               for d in (o, p))


def _take(o, p):
    """Python's answer is replaced by ours: the deviation is the answer."""
    keep = {k: p[k] for k in ('ask', 'asked') if k in p}
    p.clear()
    p.update(o)
    p.update(keep)
    return True


def _reask(case, p, target):
    data = case['data']
    line, sep, rest = data.partition(b'\r\n')
    method, _, tail = line.partition(b' ')
    version = tail.rsplit(b' ', 1)[1]
    again = p['ask'](method + b' ' + target + b' ' + version + sep + rest)
    p.clear()
    p.update(again)
    return True


def _s_absolute_form(case, o, p):
    t = case['target']
    return bool(ABSOLUTE.match(t)) and _reask(case, p, _origin(t))


def _s_bytes(case, o, p):
    t = _origin(case['target'])
    changed = False
    if re.search(rb'[\x80-\xff]', t):
        # Python names such a file only percent-encoded.
        changed = _reask(case, p, re.sub(
            rb'[\x80-\xff]', lambda m: b'%%%02X' % m.group(0)[0], t))
    if not NOT_ASCII.search(t):
        return changed
    if p['status'] is None:
        # U+FFFD in a message Python puts in its status line: it cannot
        # encode it as Latin-1 and answers nothing.
        return _take(o, p)
    if not _dumps(o, p):
        return changed
    for d in (o, p):
        env = dict(d['cgi'][0])
        for k, v in env.items():
            env[k] = shape(v)
        d['cgi'] = (env,) + tuple(d['cgi'][1:])
    return True


def _python_body(case, p):
    """Python's body; for HEAD, the body of the same request with GET."""
    if case['method'] != 'HEAD':
        return p['body']
    if 'get_body' not in p:
        line, sep, rest = p['asked'].partition(b' ')
        p['get_body'] = p['ask'](b'GET' + sep + rest)['body']
    return p['get_body']


def _set_body(case, p, body):
    """Python's body (for HEAD: its length) replaced."""
    p['get_body' if case['method'] == 'HEAD' else 'body'] = body
    p['headers'] = dict(p['headers'], **{'content-length': str(len(body))})
    return True


MESSAGE_QUOTE = re.compile(rb"(<p>Message: [^<]*?) \((?:'|&#x27;|\")[^<]*\)\.</p>")


def _s_error_page(case, o, p):
    if not p['status'] or p['status'] < 400 or o['status'] != p['status']:
        return False
    changed = False
    # Python's status line carries its message as the reason phrase;
    # ours, the standard phrase.
    phrase = http.HTTPStatus(o['status']).phrase.encode()
    if o['reason'] == phrase and p['reason'] != phrase:
        p['reason'] = phrase
        changed = True
    body = _python_body(case, p)
    kept = MESSAGE_QUOTE.sub(rb'\1.</p>', body)
    return kept != body and _set_body(case, p, kept) or changed


def _s_http11(case, o, p):
    if o['status'] and p['status'] and o['version'] == b'HTTP/1.1' and \
            p['version'] == b'HTTP/1.0':
        p['version'] = o['version']
        return True
    return False


def _s_hidden(case, o, p):
    comps = _components(case['target'])
    if o['status'] == 404 and any(
            c.startswith(b'.') and not (i == 0 and c == b'.well-known')
            for i, c in enumerate(comps)):
        return _take(o, p)
    if p['status'] != 200 or o['status'] != 200 or \
            not p['headers'].get('content-type', '').startswith('text/html'):
        return False
    body = _python_body(case, p)
    if b'<title>Directory listing for' not in body:
        return False
    kept = re.sub(rb'<li><a href="\.[^"]*">[^<]*</a></li>\n', b'', body)
    return kept != body and _set_body(case, p, kept)


def _s_confined(case, o, p):
    comps = _components(case['target'])
    return bool(comps) and comps[0] == b'outlink' and \
        o['status'] in (403, 404) and _take(o, p)


def _s_dotdot_root(case, o, p):
    if p['status'] is not None:
        return False
    try:
        http.server._url_collapse_path(
            _origin(case['target']).decode('latin-1'))
    except IndexError:
        return _take(o, p)
    return False


def _s_control(case, o, p):
    path = urllib.parse.unquote_to_bytes(_path_part(_origin(case['target'])))
    return o['status'] == 400 and _has_control(path) and _take(o, p)


def _s_decode_once(case, o, p):
    comps = _components(case['target'])
    if comps and b'/' + comps[0] in [d.encode() for d in CGI_DIRECTORIES] \
            and any(b'?' in c or b'#' in c or b'%' in c for c in comps):
        # Below a CGI directory Python decodes the rest of the path again
        # (a decoded '%'), takes a decoded '?' for a query and its
        # translate_path a decoded '#' for a fragment.
        return _take(o, p)
    if not _dumps(o, p):
        return False
    oe, pe = o['cgi'][0], p['cgi'][0]
    changed = False
    for k in ('PATH_INFO', 'PATH_TRANSLATED'):
        # Python's run_cgi unquotes PATH_INFO a second time.
        if k in oe and k in pe and oe[k] != pe[k] and \
                urllib.parse.unquote_to_bytes(oe[k]) == pe[k]:
            pe[k] = oe[k]
            changed = True
    return changed


def _s_location(case, o, p):
    if o['status'] != 301 or p['status'] != 301:
        return False
    sent = p['headers'].get('location', '')
    path, q, query = sent.partition('?')
    comps = _components(path.encode('latin-1'))
    want = urllib.parse.quote(b'/' + b'/'.join(comps), safe='/')
    want = (want.rstrip('/') + '/') + (q + query)
    if o['headers'].get('location') == want:
        p['headers'] = dict(p['headers'], location=want)
        return True
    return False


def _s_environment(case, o, p):
    if not _dumps(o, p):
        return False
    for d in (o, p):
        env = {k: v for k, v in d['cgi'][0].items()
               if k not in ('SERVER_SOFTWARE', 'SERVER_NAME', 'SERVER_PORT',
                            'SERVER_PROTOCOL')}
        d['cgi'] = (env,) + tuple(d['cgi'][1:])
    return True


def _s_argv(case, o, p):
    if not _dumps(o, p):
        return False
    pa = p['cgi'][1]
    if len(pa) == 1 and (pa[0] == b'' or pa[0].startswith(b'-')) and \
            o['cgi'][1] == []:
        p['cgi'] = (p['cgi'][0], [], p['cgi'][2])
        return True
    return False


def _s_body_unread(case, o, p):
    if case['method'] != 'POST' or not _dumps(o, p):
        return False
    oi, pi = o['cgi'][2], p['cgi'][2]
    if oi != pi and oi.endswith(pi):
        p['cgi'] = (p['cgi'][0], p['cgi'][1], oi)
        return True
    return False


def _s_nph(case, o, p):
    comps = _components(case['target'])
    # Python sends its 200 and the script's own status line after it.
    return any(c.startswith(b'nph-') for c in comps) and \
        o['status'] is not None and p['status'] == 200 and \
        p['cgi'] == ('unparsed', o['raw']) and _take(o, p)


TITLE = re.compile(rb'(<title>Directory listing for |<h1>Directory listing for )'
                   rb'([^<]*)(</title>|</h1>)')


def _s_listing_title(case, o, p):
    if o['status'] != 200 or p['status'] != 200 or \
            not p['headers'].get('content-type', '').startswith('text/html'):
        return False
    body = _python_body(case, p)
    if b'<title>Directory listing for' not in body:
        return False
    comps = _components(case['target'])
    want = html.escape((b'/' + b'/'.join(comps)).rstrip(b'/').decode(
        'utf-8', 'surrogateescape') + '/', quote=False).encode(
        'utf-8', 'surrogateescape')
    kept = TITLE.sub(lambda m: m.group(1) + want + m.group(3), body)
    return kept != body and _set_body(case, p, kept)


def _s_remote_user(case, o, p):
    # Python takes AUTH_TYPE and REMOTE_USER from whatever Authorization
    # says; ours sets them only for a user --auth verified (never here).
    if b'\r\nauthorization:' not in case['data'].lower() or not _dumps(o, p):
        return False
    env = p['cgi'][0]
    if not ('AUTH_TYPE' in env or 'REMOTE_USER' in env) or \
            'AUTH_TYPE' in o['cgi'][0] or 'REMOTE_USER' in o['cgi'][0]:
        return False
    env = {k: v for k, v in env.items() if k not in ('AUTH_TYPE', 'REMOTE_USER')}
    p['cgi'] = (env,) + tuple(p['cgi'][1:])
    return True


def _s_host_strict(case, o, p):
    target = case['target']
    return _bad_authority(target) and o['status'] == 400 and _take(o, p)


TABLE = [
    Deviation('http11', 'HTTP/1.1 with Connection: close on every response, '
              'so that a client never waits on a connection we close',
              server=_s_http11),
    Deviation('http09', 'a response without a status line cannot say its '
              'type or length and invites cross-protocol tricks'),
    Deviation('malformed', 'a request two parsers could read two ways is '
              'refused (RFC 9112); the head is bounded in size and time',
              functions=_malformed),
    Deviation('confined', 'the kernel keeps every path below the root',
              server=_s_confined),
    Deviation('hidden', '.git, .env, .htpasswd are not for the world',
              server=_s_hidden),
    Deviation('cgi-alias', 'a script must not be served as its source '
              'through another name for its directory'),
    Deviation('dotdot-root', "'..' above the root is held there "
              '(RFC 3986 5.2.4) where Python raises IndexError and answers '
              'nothing', functions=_dotdot_root,
              server=_s_dotdot_root),
    Deviation('decode-once', 'the path is decoded once; a second decoding '
              'lets %252e%252e through every check made on the first',
              server=_s_decode_once),
    Deviation('control', 'a decoded NUL cuts a name short where the kernel '
              'reads it; controls have no business in a name',
              functions=_control,
              server=_s_control),
    Deviation('bytes', 'a %-escape is a byte of the name, a raw byte above '
              '0x7f too; Python decodes as UTF-8 (U+FFFD for what is not) '
              'and reads the request line as Latin-1, so it cannot name '
              'such files', functions=_bytes,
              server=_s_bytes),
    Deviation('absolute-form', 'RFC 9112 3.2.2: the path of an absolute-form '
              'target is the path; Python looks for a directory "http:"',
              functions=_absolute_form,
              server=_s_absolute_form),
    Deviation('fragment', "a '#' ends the path for every decision; "
              "Python's is_cgi kept it, so /#/../cgi-bin/x ran a script",
              functions=_fragment),
    Deviation('error-page', 'an error page never repeats the request; '
              "Python's message quotes the path or the request line",
              server=_s_error_page),
    Deviation('listing-title', 'a listing is titled with the canonical '
              'path; Python repeats the path as sent, query and all',
              server=_s_listing_title),
    Deviation('location', 'the Location of the slash-adding 301 is the '
              'canonical path, so it cannot name another host',
              server=_s_location),
    Deviation('body-unread', 'the script reads the body, all of it',
              server=_s_body_unread),
    Deviation('script-cwd', 'RFC 3875 7.2: the script runs in its directory'),
    Deviation('privileges', 'a failed drop must not run a script as root'),
    Deviation('argv', 'a query must not become an option of the script',
              server=_s_argv),
    Deviation('environment', 'RFC 3875 meta-variables, all request headers; '
              'none inherited from the superserver',
              server=_s_environment),
    Deviation('writable-script', "a script anyone may rewrite is not ours "
              "to run (althttpd's rule)"),
    Deviation('descriptors', "the superserver's sockets are not the "
              "script's business"),
    Deviation('nph', 'scripts that need to set the status can',
              server=_s_nph),
    Deviation('expect', 'a client waiting for 100 Continue gets it'),
    Deviation('log', 'Common Log Format, in UTC, with the byte count'),
    Deviation('mime-colon', 'a file name is not a URL: a:b.html is HTML'),
    Deviation('host-strict', 'SERVER_NAME comes from Host, and scripts hand it '
              'to shells: only a DNS name or an address is taken',
              functions=_host_strict, server=_s_host_strict),
    Deviation('remote-user', 'a user name nobody checked names nobody: '
              'REMOTE_USER and AUTH_TYPE only for a user --auth verified',
              server=_s_remote_user),
    Deviation('cookie-join', 'RFC 6265 5.4 joins cookies with "; "'),
    Deviation('limits', 'a script or a slow client must not hold a handler '
              'for ever'),
    Deviation('file-types', 'opening a FIFO releases its writer; a device '
              'is no file to serve'),
    Deviation('validators', 'ETag, Range and their preconditions (RFC 9110), '
              'which Python never learned'),
    Deviation('listing-detailed', 'sizes and times are what people look for '
              'in a listing; --listing=simple is Python\'s page'),
]

# Normalizers that ask Python again about another target run before those
# that adjust its answer, in this order.
FIRST = ('absolute-form', 'fragment', 'bytes')

TAGS = [e.tag for e in TABLE]
assert len(set(TAGS)) == len(TAGS), 'a tag twice in the table'


def explain(level, target, ours, py, differences):
    """(tags, ours', py'): the tags of the deviations that explain every
    difference (None if some is left) and the two answers as normalized.

    ours and py are copied; the normalizers may rewrite the copies."""
    o, p = dict(ours), dict(py)
    applied = []
    for e in sorted(TABLE, key=lambda e: FIRST.index(e.tag)
                    if e.tag in FIRST else len(FIRST)):
        fix = e.functions if level == 'functions' else e.server
        if fix and fix(target, o, p):
            applied.append(e.tag)
            if not differences(o, p):
                return applied, o, p
    return None, o, p
