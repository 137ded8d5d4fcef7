#!/usr/bin/env python3
"""Write the seed corpora: fuzz/corpus/<target>/<name>, one input a file.

Usage: fuzz/make-seeds.py [DIR]   (default: fuzz/corpus next to this file)

Realistic inputs and hostile ones (the cases of tests/unit, and the classic
attacks: smuggling, httpoxy, traversal, NUL, CTL, lone CR, overlong
fields). The files are committed; rerun this after changing it. Existing
files of the corpora are replaced, nothing else is touched.
"""

import os
import sys


def req(line, *headers, body=b''):
    """A request head: the line, the fields, the empty line, CRLF."""
    out = line + b'\r\n'
    for h in headers:
        out += h + b'\r\n'
    return out + b'\r\n' + body


H = b'Host: example.org'

REQUEST = {
    'get-simple': req(b'GET / HTTP/1.1', H),
    'get-http10': req(b'GET /index.html HTTP/1.0'),
    'head': req(b'HEAD /docs/notes.txt HTTP/1.1', H),
    'post-body': req(b'POST /cgi-bin/form.py HTTP/1.1', H,
                     b'Content-Type: application/x-www-form-urlencoded',
                     b'Content-Length: 7', body=b'a=1&b=2'),
    'query': req(b'GET /cgi-bin/hello.sh?name=world&x=%20y HTTP/1.1', H),
    'absolute-form': req(b'GET http://example.org:8080/a/b?q=1 HTTP/1.1', H),
    'absolute-https': req(b'GET https://[::1]:443 HTTP/1.1', H),
    'absolute-query-only': req(b'GET http://h?x HTTP/1.0'),
    'browser': req(b'GET /docs/ HTTP/1.1', H,
                   b'User-Agent: Mozilla/5.0 (X11; Linux x86_64)',
                   b'Accept: text/html,application/xhtml+xml;q=0.9,*/*;q=0.8',
                   b'Accept-Language: en-GB,en;q=0.5',
                   b'Accept-Encoding: gzip, deflate, br',
                   b'Connection: keep-alive',
                   b'If-Modified-Since: Sun, 06 Nov 1994 08:49:37 GMT',
                   b'Cookie: a=b; c=d'),
    'expect-continue': req(b'POST /cgi-bin/x HTTP/1.1', H,
                           b'Content-Length: 10', b'Expect: 100-continue'),
    'leading-crlf': b'\r\n\r\n' + req(b'GET / HTTP/1.0'),
    'leading-blank': req(b'   GET / HTTP/1.1', H),
    'tls-hello': b'\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03',
    'smtp': b'EHLO mail.example.org\r\n',
    'bare-lf': b'GET / HTTP/1.1\nHost: a\n\n',
    'tabs': req(b'GET\t/\tHTTP/1.1', b'Host:\t a \t'),
    'double-slash': req(b'GET //evil.example/%2e%2e HTTP/1.1', H),
    'traversal': req(b'GET /../../etc/passwd HTTP/1.1', H),
    'traversal-encoded': req(b'GET /%2e%2e/%2E%2E/etc/passwd HTTP/1.1', H),
    'nul-in-path': req(b'GET /a\x00b HTTP/1.1', H),
    'nul-in-header': req(b'GET / HTTP/1.1', H, b'X: a\x00b'),
    'lone-cr': req(b'GET / HTTP/1.1', b'Host: a\rX: b'),
    'ctl-in-value': req(b'GET / HTTP/1.1', H, b'X: \x1b[31m'),
    'del-in-line': req(b'GET /\x7f HTTP/1.1', H),
    'no-version': req(b'GET /'),
    'http09': b'GET /\r\n',
    'four-words': req(b'GET / x HTTP/1.1', H),
    'version-2': req(b'GET / HTTP/2.0', H),
    'version-junk': req(b'GET / HTTP/1.1.1', H),
    'version-long': req(b'GET / HTTP/1.00000000001', H),
    'lowercase-method': req(b'get / HTTP/1.1', H),
    'other-method': req(b'OPTIONS * HTTP/1.1', H),
    'method-not-token': req(b'G(T / HTTP/1.1', H),
    'no-host-11': req(b'GET / HTTP/1.1'),
    'two-hosts': req(b'GET / HTTP/1.1', H, b'host: other'),
    'bad-host': req(b'GET / HTTP/1.1', b'Host: a/b@c'),
    'empty-host': req(b'GET / HTTP/1.1', b'Host:'),
    'cl-te': req(b'POST / HTTP/1.1', H, b'Content-Length: 5',
                 b'Transfer-Encoding: chunked'),
    'te-chunked': req(b'POST / HTTP/1.1', H, b'Transfer-Encoding: chunked'),
    'two-cl': req(b'POST / HTTP/1.1', H, b'Content-Length: 5',
                  b'Content-Length: 5'),
    'cl-sign': req(b'POST / HTTP/1.1', H, b'Content-Length: +5'),
    'cl-list': req(b'POST / HTTP/1.1', H, b'Content-Length: 5, 5'),
    'cl-huge': req(b'POST / HTTP/1.1', H,
                   b'Content-Length: 99999999999999999999'),
    'cl-18-digits': req(b'POST / HTTP/1.1', H,
                        b'Content-Length: 999999999999999999'),
    'space-before-colon': req(b'GET / HTTP/1.1', H, b'X-Foo : bar'),
    'no-colon': req(b'GET / HTTP/1.1', H, b'Garbage'),
    'empty-name': req(b'GET / HTTP/1.1', H, b': value'),
    'obs-fold': req(b'GET / HTTP/1.1', H, b'X: a', b' b'),
    'fragment': req(b'GET /a#frag?x HTTP/1.1', H),
    'high-bytes': req(b'GET /\xc3\xa9t\xc3\xa9 HTTP/1.1', H,
                      b'X-Name: \xff\xfe'),
    'many-fields': req(b'GET / HTTP/1.1', H,
                       *[b'X-%d: %d' % (i, i) for i in range(99)]),
    'too-many-fields': req(b'GET / HTTP/1.1', H,
                           *[b'X-%d: %d' % (i, i) for i in range(101)]),
    'long-value': req(b'GET / HTTP/1.1', H, b'X: ' + b'a' * 3000),
    'incomplete': b'GET / HTTP/1.1\r\nHost: a\r\n',
    'empty': b'',
}

URL = {
    'root': b'/',
    'file': b'/docs/notes.txt',
    'dir-slash': b'/docs/',
    'cgi': b'/cgi-bin/hello.sh/extra/path',
    'dots': b'/a/./b/../c//d/',
    'above-root': b'/../../../etc/passwd',
    'encoded-dots': b'/%2e%2e/%2E%2e/x',
    'encoded-slash': b'/cgi-bin%2fhello.sh',
    'double-encoded': b'/%252e%252e/x',
    'nul': b'/a%00.txt',
    'ctl': b'/a%0d%0aSet-Cookie:%20x',
    'del': b'/%7f',
    'percent-tail': b'/a%',
    'percent-one': b'/a%4',
    'percent-bad': b'/%zz/%g1/%1g',
    'utf8': b'/%C3%A9t%C3%A9/\xc3\xa9',
    'hidden': b'/.hidden/.well-known/x',
    'backslash': b'/..\\..\\x',
    'trailing-space': b'/dir/ \t',
    'many-components': b'/a' * 300,
    'many-dotdot': b'/a/b' + b'/..' * 50 + b'/c',
    'long-component': b'/' + b'x' * 1000,
    'only-slashes': b'////',
    'dot-only': b'/.',
    'dotdot-only': b'/..',
    'three-dots': b'/.../....',
    'empty': b'',
    'no-slash': b'relative/path',
}

CGIENV = {
    'plain': req(b'GET /cgi-bin/x.cgi/a?b=c HTTP/1.1', H),
    'post': req(b'POST /cgi-bin/x.cgi HTTP/1.1', H,
                b'Content-Type: multipart/form-data; boundary=x',
                b'Content-Length: 123'),
    'isindex': req(b'GET /cgi-bin/x.cgi?hello+world HTTP/1.1', H),
    'isindex-option': req(b'GET /cgi-bin/x.cgi?-s HTTP/1.1', H),
    'isindex-plus-option': req(b'GET /cgi-bin/x.cgi?+-s HTTP/1.1', H),
    'isindex-eq': req(b'GET /cgi-bin/x.cgi?a=b HTTP/1.1', H),
    'httpoxy': req(b'GET /cgi-bin/x.cgi HTTP/1.1', H,
                   b'Proxy: http://evil.example:3128/'),
    'underscore': req(b'GET /cgi-bin/x.cgi HTTP/1.1', H,
                      b'X_Forwarded_For: 1.2.3.4', b'X-Forwarded-For: 5.6.7.8'),
    'repeated': req(b'GET /cgi-bin/x.cgi HTTP/1.1', H, b'Accept: a',
                    b'Accept: b', b'Cookie: c=1', b'cookie: d=2', b'X: ',
                    b'X: y'),
    'basic': req(b'GET /cgi-bin/x.cgi HTTP/1.1', H,
                 b'Authorization: Basic dXNlcjpwYXNz'),
    'basic-short-creds': req(b'GET /cgi-bin/x.cgi HTTP/1.1', H,
                             b'Authorization: Basic c'),
    'basic-colons': req(b'GET /cgi-bin/x.cgi HTTP/1.1', H,
                        b'Authorization: Basic YTpiOmM='),
    'basic-ctl-user': req(b'GET /cgi-bin/x.cgi HTTP/1.1', H,
                          b'Authorization: Basic CgA6eA=='),
    'basic-nul-user': req(b'GET /cgi-bin/x.cgi HTTP/1.1', H,
                          b'Authorization: basic AAA6eA=='),
    'bearer': req(b'GET /cgi-bin/x.cgi HTTP/1.1', H,
                  b'Authorization: Bearer abc.def.ghi'),
    'auth-one-word': req(b'GET /cgi-bin/x.cgi HTTP/1.1', H,
                         b'Authorization: ' + b'A' * 70),
    'auth-three-words': req(b'GET /cgi-bin/x.cgi HTTP/1.1', H,
                            b'Authorization: Basic a b'),
    'auth-long': req(b'GET /cgi-bin/x.cgi HTTP/1.1', H,
                     b'Authorization: Basic ' + b'QUFB' * 300),
    'host-port': req(b'GET /cgi-bin/x.cgi HTTP/1.1', b'Host: example.org:8443'),
    'host-ipv6': req(b'GET /cgi-bin/x.cgi HTTP/1.1', b'Host: [2001:db8::1]:81'),
    'host-port-letters': req(b'GET /cgi-bin/x.cgi HTTP/1.1', b'Host: a:b'),
    'absolute-host': req(b'GET http://example.net/cgi-bin/x.cgi HTTP/1.0'),
    'http10-no-host': req(b'GET /cgi-bin/x.cgi HTTP/1.0'),
    'defaults-empty': req(b'GET /cgi-bin/x.cgi HTTP/1.1', H, b'User-Agent:',
                          b'Referer: ', b'Cookie:'),
    'meta-names': req(b'GET /cgi-bin/x.cgi HTTP/1.1', H, b'Path-Info: /x',
                      b'Remote-User: root', b'Https: on', b'Content-Type: a/b',
                      b'content-type: c/d'),
    'high-bytes': req(b'GET /cgi-bin/x.cgi?\xff HTTP/1.1', H,
                      b'X: \xe2\x80\xa8', b'\xc3\xa9: x'),
}

MIME = {
    'html': b'index.html', 'upper': b'INDEX.HTML', 'mixed': b'a.Html',
    'txt': b'notes.txt', 'json': b'data.json', 'tgz': b'x.tgz',
    'tar-gz': b'x.tar.gz', 'tar-GZ': b'x.tar.GZ', 'svgz': b'x.svgz',
    'gz-only': b'x.gz', 'bz2': b'x.tar.bz2', 'xz': b'x.tar.xz',
    'no-ext': b'README', 'dotfile': b'.profile', 'dots': b'...',
    'trailing-dot': b'a.', 'dir-dot': b'a.d/b', 'path': b'/srv/www/x.css',
    'kelvin': b'x.\xe2\x84\xaaSH', 'high': b'\xff.\xfe', 'empty': b'',
    'js': b'app.mjs', 'wasm': b'x.wasm', 'double': b'a.tar.gz.gz',
    'scheme': b'data:text/plain', 'long': b'a.' + b'x' * 200,
    'tbz': b'x.tbz2', 'py': b'cgi.py', 'svg': b'logo.svg', 'zip': b'a.zip',
}

HTTPDATE = {
    'imf': b'Sun, 06 Nov 1994 08:49:37 GMT',
    'rfc850': b'Sunday, 06-Nov-94 08:49:37 GMT',
    'asctime': b'Sun Nov  6 08:49:37 1994',
    'utc': b'Sun, 06 Nov 1994 08:49:37 UTC',
    'plus0': b'Sun, 06 Nov 1994 08:49:37 +0000',
    'zone-est': b'Sun, 06 Nov 1994 08:49:37 EST',
    'offset': b'Sun, 06 Nov 1994 08:49:37 +0100',
    'epoch': b'Thu, 01 Jan 1970 00:00:00 GMT',
    'before-epoch': b'Wed, 31 Dec 1969 23:59:59 GMT',
    'y2038': b'Tue, 19 Jan 2038 03:14:08 GMT',
    'y9999': b'Fri, 31 Dec 9999 23:59:59 GMT',
    'leap-second': b'Sat, 31 Dec 2016 23:59:60 GMT',
    'feb-31': b'Sat, 31 Feb 2024 00:00:00 GMT',
    'feb-29': b'Thu, 29 Feb 2024 12:00:00 GMT',
    'hour-24': b'Sun, 06 Nov 1994 24:00:00 GMT',
    'negative': b'Sun, -6 Nov 1994 08:49:37 GMT',
    'trailing': b'Sun, 06 Nov 1994 08:49:37 GMT junk',
    'lowercase': b'sun, 06 nov 1994 08:49:37 GMT',
    'two-digit': b'Sun, 06 Nov 94 08:49:37 GMT',
    'empty': b'',
    'garbage': b'yesterday',
    'time-bytes': b'\xff\xff\xff\xff\xff\xff\xff\x7f',
    'time-neg': b'\x00\x00\x00\x00\x00\x00\x00\x80',
}

# Range values; the first eight bytes are also the file size.
RANGE = {
    'one': b'bytes=0-9',
    'open': b'bytes=10-',
    'suffix': b'bytes=-10',
    'two': b'bytes=0-9,20-29',
    'overlap': b'bytes=0-9,5-14,50-59,0-100',
    'sixteen': b'bytes=' + b','.join(b'%d-%d' % (i * 2, i * 2) for i in range(16)),
    'seventeen': b'bytes=' + b','.join(b'%d-%d' % (i * 2, i * 2) for i in range(17)),
    'apache-killer': b'bytes=0-,' + b','.join(b'5-%d' % i for i in range(6, 300)),
    'minus-zero': b'bytes=-0',
    'overflow-last': b'bytes=0-18446744073709551616',
    'overflow-first': b'bytes=99999999999999999999-',
    'backwards': b'bytes=9-0',
    'sign': b'bytes=+1-2',
    'empty-elements': b'bytes=,, 0-1 ,,\t2-3,',
    'unit': b'items=0-9',
    'empty': b'',
}

# If-* values, Accept-Encoding values and Host values, all one string.
STATIC = {
    'etag': b'"1a-64-5f5e1000.0"',
    'weak': b'W/"1a-64-5f5e1000.0"',
    'list': b'"a", W/"b" ,"c"',
    'star': b'*',
    'date': b'Sun, 13 Sep 2020 12:26:40 GMT',
    'rfc850': b'Sunday, 13-Sep-20 12:26:40 GMT',
    'unterminated': b'"abc',
    'chromium-ae': b'gzip, deflate, br, zstd',
    'q-values': b'gzip;q=0.5, br;q=1.0, identity;q=0, *;q=0.001',
    'bad-q': b'gzip;q=1.0001, br;q=2, zstd;q=',
    'host': b'Example.COM.:8080',
    'dotdot': b'..',
    'ipv6': b'[::1]:80',
    'slash': b'a/../b',
    'long-host': b'a' * 254,
    'empty': b'',
}

SIG = b'\r\n\r\n\x00\r\nQUIT\n'
INET4 = bytes([192, 0, 2, 1, 198, 51, 100, 2, 0x30, 0x39, 1, 0xbb])
INET6 = (b'\x20\x01\x0d\xb8' + b'\x00' * 11 + b'\x01' +
         b'\x20\x01\x0d\xb8' + b'\x00' * 11 + b'\x02' + b'\x30\x39\x01\xbb')
SSL_TLV = (b'\x20\x00\x28\x01\x00\x00\x00\x00\x21\x00\x07TLSv1.3'
           b'\x23\x00\x16TLS_AES_128_GCM_SHA256')
GET = req(b'GET / HTTP/1.1', H)


def v2(cmd_fam, block):
    return SIG + cmd_fam + len(block).to_bytes(2, 'big') + block


PROXY = {
    'v1-tcp4': b'PROXY TCP4 192.0.2.1 198.51.100.2 12345 443\r\n' + GET,
    'v1-tcp6': b'PROXY TCP6 2001:db8::1 2001:db8::2 12345 443\r\n' + GET,
    'v1-unknown': b'PROXY UNKNOWN\r\n' + GET,
    'v1-long': b'PROXY TCP6 ' + b'ffff:' * 7 + b'ffff ' + b'ffff:' * 7 +
               b'ffff 65535 65535\r\n',
    'v1-bad-port': b'PROXY TCP4 192.0.2.1 198.51.100.2 065535 1\r\n',
    'v2-tcp4': v2(b'\x21\x11', INET4) + GET,
    'v2-tcp6': v2(b'\x21\x21', INET6) + GET,
    'v2-local': v2(b'\x20\x00', b''),
    'v2-ssl': v2(b'\x21\x11', INET4 + SSL_TLV) + GET,
    'v2-tlvs': v2(b'\x21\x21', INET6 + b'\x02\x00\x0bexample.org'
                  b'\x05\x00\x03uid\x04\x00\x00' + SSL_TLV),
    'v2-unix': v2(b'\x21\x31', b'/run/a'.ljust(216, b'\x00')),
    'v2-short': v2(b'\x21\x21', INET4),
    'v2-lying': SIG + b'\x21\x11\x01\x00' + INET4,
    'net-v4': b'192.0.2.0/24',
    'net-v6': b'2001:db8::/32',
    'net-host': b'::ffff:127.0.0.1',
    'empty': b'',
}

# --auth: Authorization values, and --auth files, as one input each.
AUTH = {
    'basic': b'Basic YWxpY2U6c2VjcmV0',
    'basic-lower': b'basic   Ym9iOnB3OnR3bw==',
    'basic-bad-pad': b'Basic YWxpY2U6eA',
    'bearer': b'Bearer abc.def',
    'file': b'# comment\n/admin alice:$y$j9T$abc$def\n/admin bob:$2b$12$xyz\n'
            b'/ root:$6$salt$hash\n/cgi-bin/ops\tcarol:$5$s$h\r\n',
    'file-bad': b'/admin alice:plaintext\n',
    'file-dots': b'/a/../b u:$6$x$y\n/a/ u:$6$x$y\n',
}

# The script user's lookup: the name, a newline, then /etc/passwd's text.
PASSWD = {
    'debian': b'nobody\nroot:x:0:0:root:/root:/bin/bash\n'
              b'daemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n'
              b'nobody:x:65534:65534:nobody:/nonexistent:/usr/sbin/nologin\n',
    'last-no-newline': b'web\nroot:x:0:0::/root:/bin/sh\nweb:x:4321:4322:Web:/srv/web:/bin/sh',
    'prefix': b'web\nwe:x:1:1::/a:/bin/sh\nwebs:x:2:2::/b:/bin/sh\nweb:x:3:3::/c:/bin/sh\n',
    'malformed-first': b'web\nweb:x:12ab:8::/h:/bin/sh\nweb:x:7:8::/h:/bin/sh\n',
    'ids-at-bounds': b'web\nweb:x:4294967294:0000000007::/h:/bin/sh\n',
    'fields': b'web\nweb:x:7:8::/h\nweb:x:7:8::/h:/bin/sh:more\n',
    'nis': b'+web\n+web:x:7:8::/h:/bin/sh\n+::::::\n',
    'crlf': b'web\nweb:x:7:8::/h:/bin/sh\r\n',
}

CORPORA = {
    'request': REQUEST, 'url': URL, 'cgienv': CGIENV, 'mime': MIME,
    'httpdate': HTTPDATE, 'range': RANGE, 'static': STATIC, 'proxy': PROXY,
    'auth': AUTH, 'passwd': PASSWD,
}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    top = sys.argv[1] if len(sys.argv) > 1 else os.path.join(here, 'corpus')
    for target, seeds in CORPORA.items():
        d = os.path.join(top, target)
        os.makedirs(d, exist_ok=True)
        for name, data in seeds.items():
            with open(os.path.join(d, name), 'wb') as f:
                f.write(data)
        print('%s: %d seeds in %s' % (target, len(seeds), d))


if __name__ == '__main__':
    main()
