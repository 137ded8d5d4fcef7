#!/usr/bin/env python3
"""Write mime-table.h: the tables Python's SimpleHTTPRequestHandler.guess_type
consults, dumped from this machine's Python as C data.

Usage: gen-mime-table.py OUTPUT

Run by meson at build time, so that the server answers exactly as the
Python on the build machine would (its built-in map plus /etc/mime.types)
without reading any file per request. Standard library only; the output
depends only on Python's tables, never on time, hash seed or locale.

The strings go into one char array and the tables hold offsets into it,
which keeps the tables small and needs no relocations in a PIE.
"""

import http.server
import mimetypes
import os
import sys


def die(msg):
    sys.exit('gen-mime-table.py: fatal: ' + msg)


def as_bytes(s):
    # Names reach the C side as bytes; surrogateescape round-trips any
    # that Python decoded from undecodable bytes.
    b = s.encode('utf-8', 'surrogateescape')
    if b'\0' in b:
        die('NUL in %r: a C string cannot hold it' % s)
    return b


def c_escape(b, quote):
    """A C literal's body for bytes b: printable ASCII as itself, the rest
    in octal. '?' is escaped so that no trigraph forms, '*' so that the
    text can also sit inside a comment."""
    out = []
    for c in b:
        ch = chr(c)
        if 0x20 <= c < 0x7f and ch != quote and ch not in '\\?*':
            out.append(ch)
        else:
            out.append('\\%03o' % c)
    return ''.join(out)


def c_string(b):
    return '"' + c_escape(b, '"') + '"'


def c_chars(b):
    return ''.join("'%s'," % c_escape(bytes([c]), "'") for c in b) + '0,'


def lower_to_ascii():
    """Code points outside ASCII whose str.lower() is all ASCII (the Kelvin
    sign lowers to 'k'): str.lower() lets them match an ASCII key."""
    pairs = {}
    for cp in range(0x80, sys.maxunicode + 1):
        if 0xd800 <= cp <= 0xdfff:
            continue
        low = chr(cp).lower()
        if low.isascii():
            pairs[chr(cp).encode('utf-8')] = low.encode('ascii')
    return pairs


def last_ext(s):
    return s[s.rfind('.'):]


def suffix_depth(suffix_map):
    """How many times mimetypes.guess_type's suffix_map loop can run.

    The C side replays it in a small buffer, which needs every value to
    hold a '.' and no '/': then the extension after a substitution is the
    value's own last one, or '' when the name is all dots, whatever came
    before it. A cycle would hang Python; refuse it here."""
    for k, v in suffix_map.items():
        if '.' not in v or '/' in v:
            die('suffix_map[%r] = %r: need a "." and no "/"' % (k, v))

    def nexts(k):
        return (last_ext(suffix_map[k]).lower(), '')

    depth = {}

    def walk(k, seen):
        if k not in suffix_map:
            return 0
        if k in seen:
            die('suffix_map has a cycle through %r' % k)
        if k not in depth:
            depth[k] = 1 + max(walk(n, seen | {k}) for n in nexts(k))
        return depth[k]

    return max((walk(k, frozenset()) for k in suffix_map), default=0)


def main(argv):
    if len(argv) != 2:
        sys.exit('usage: gen-mime-table.py OUTPUT')
    out_path = argv[1]

    mimetypes.init()
    handler = http.server.SimpleHTTPRequestHandler
    tables = [
        ('mime_extensions_map',
         'http.server.SimpleHTTPRequestHandler.extensions_map',
         handler.extensions_map),
        ('mime_types_map',
         'mimetypes.types_map (strict), after mimetypes.init()',
         mimetypes.types_map),
        ('mime_suffix_map', 'mimetypes.suffix_map', mimetypes.suffix_map),
        ('mime_encodings_map', 'mimetypes.encodings_map',
         mimetypes.encodings_map),
    ]
    rows = {}
    for name, _, table in tables:
        if not table:
            die('%s is empty' % name)
        rows[name] = sorted((as_bytes(k), as_bytes(v))
                            for k, v in table.items())
    lower = sorted(lower_to_ascii().items())
    if not lower:
        die('no code point outside ASCII lowers to ASCII?')
    rows['mime_lower_map'] = lower
    depth = suffix_depth(mimetypes.suffix_map)
    odd = [k for name, _, _ in tables for k, _ in rows[name]
           if not k.isascii()]
    if odd:
        # The C side lowers ASCII and mime_lower_map only; other letters
        # keep their case, so these keys match only as spelled in lower case.
        print('gen-mime-table.py: warning: keys outside ASCII: %r' % odd,
              file=sys.stderr)

    # Each string once, in order of first use, so the output is stable.
    pool = {}
    pool_len = 0
    for name in rows:
        for pair in rows[name]:
            for s in pair:
                if s not in pool:
                    pool[s] = pool_len
                    pool_len += len(s) + 1
    off_type = 'uint16_t' if pool_len <= 0xffff else 'uint32_t'

    key_max = max(len(k) for name, _, _ in tables for k, _ in rows[name])
    suffix_max = max(len(v) for _, v in rows['mime_suffix_map'])
    read = [f for f in mimetypes.knownfiles if os.path.isfile(f)]

    o = []
    w = o.append
    w('/* Generated by tools/gen-mime-table.py: do not edit.')
    w(' *')
    w(' * Python %s\'s SimpleHTTPRequestHandler.guess_type tables, as'
      % c_escape(sys.version.split()[0].encode(), ''))
    w(' * mimetypes.init() built them on the build machine from its own')
    w(' * map and %s.' % (', '.join(c_escape(as_bytes(f), '') for f in read)
                          if read else 'no mime.types file'))
    w(' * Each table is sorted by the bytes of its key, for bsearch(). */')
    w('#ifndef CGIHANDLERD_MIME_TABLE_H')
    w('#define CGIHANDLERD_MIME_TABLE_H')
    w('')
    w('#include <stdint.h>')
    w('')
    w('/* Longest key, in bytes: a longer extension matches none. */')
    w('#define MIME_KEY_MAX %d' % key_max)
    w('/* Most substitutions the suffix_map loop makes; its longest value. */')
    w('#define MIME_SUFFIX_DEPTH %d' % depth)
    w('#define MIME_SUFFIX_VALUE_MAX %d' % suffix_max)
    w('')
    w('/* An offset into mime_pool, where a NUL-terminated string starts. */')
    w('typedef %s mime_off;' % off_type)
    w('')
    w('struct mime_entry {')
    w('\tmime_off key;')
    w('\tmime_off value;')
    w('};')
    w('')
    w('/* Every string of the tables below, each once: %d bytes. */'
      % pool_len)
    w('static const char mime_pool[] = {')
    for s, off in pool.items():
        w('\t/* %5d %s */' % (off, c_string(s)))
        w('\t' + c_chars(s))
    w('};')
    notes = dict((name, what) for name, what, _ in tables)
    notes['mime_lower_map'] = ('Code points outside ASCII whose str.lower() '
                               'is ASCII, in UTF-8')
    for name, pairs in rows.items():
        w('')
        w('/* %s: %d %s. */' % (notes[name], len(pairs),
                               'entry' if len(pairs) == 1 else 'entries'))
        w('static const struct mime_entry %s[] = {' % name)
        for k, v in pairs:
            w('\t{ %5d, %5d },\t/* %s %s */'
              % (pool[k], pool[v], c_string(k), c_string(v)))
        w('};')
    w('')
    w('#endif')
    text = '\n'.join(o) + '\n'

    # Replace the output whole, so an interrupted build leaves no half file.
    tmp = out_path + '.tmp'
    with open(tmp, 'w', encoding='ascii', newline='\n') as f:
        f.write(text)
    os.replace(tmp, out_path)


if __name__ == '__main__':
    main(sys.argv)
