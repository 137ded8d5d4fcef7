#!/usr/bin/env python3
"""The deviation table (tests/parity/deviations.py) and the man page's
DIFFERENCES FROM PYTHON section are one list: every item of the section
carries a '.\\" deviation: TAG' comment line just before its '.It', and the
table has exactly those tags.  Usage: test_man.py [MAN_PAGE_SOURCE]."""

import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import deviations  # noqa: E402

MAN = os.path.join(HERE, '..', '..', 'man', 'cgihandlerd.8.in')


def main(argv):
    with open(argv[1] if len(argv) > 1 else MAN) as f:
        page = f.read()
    m = re.search(r'^\.Sh DIFFERENCES FROM PYTHON\n(.*?)(?=^\.Sh )', page,
                  re.S | re.M)
    section = m.group(1) if m else ''
    lines = section.splitlines()
    items = [i for i, line in enumerate(lines) if line == '.It']
    tagged = [re.fullmatch(r'\.\\" deviation: ([a-z0-9-]+)',
                           lines[i - 1] if i else '') for i in items]
    untagged = [lines[i + 1] if i + 1 < len(lines) else ''
                for i, t in zip(items, tagged) if t is None]
    man = [t.group(1) for t in tagged if t]
    table = deviations.TAGS
    checks = [
        (bool(items), 'the man page has a DIFFERENCES FROM PYTHON list', []),
        (not untagged, 'every item of it has a deviation tag', untagged),
        (len(set(man)) == len(man), 'no tag twice in the man page',
         sorted({t for t in man if man.count(t) > 1})),
        (set(man) == set(table), 'the man page and the table list the same '
         'deviations', ['only in the man page: %s' % sorted(set(man) - set(table)),
                        'only in the table: %s' % sorted(set(table) - set(man))]),
        (all(e.reason for e in deviations.TABLE),
         'every table entry says why', [e.tag for e in deviations.TABLE
                                        if not e.reason]),
    ]
    print('1..%d' % len(checks))
    failed = 0
    for n, (ok, name, diag) in enumerate(checks, 1):
        print('%s %d - %s' % ('ok' if ok else 'not ok', n, name))
        if not ok:
            failed += 1
            for d in diag:
                print('# %s' % d)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main(sys.argv))
