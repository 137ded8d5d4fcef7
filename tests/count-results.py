#!/usr/bin/env python3
"""Counts every TAP check of a run-all: meson's testlog.json files and
plain TAP files. A test that failed without a "not ok" line (it crashed,
timed out, or printed no plan) counts as one failure. Prints the failures
and, last, "N passed, M failed, K skipped". Exit status 1 if any failed."""
import json
import re
import sys

OK = re.compile(r"^ok\b(.*)$")
NOT_OK = re.compile(r"^not ok\b(.*)$")
SKIP = re.compile(r"#\s*skip", re.I)


def count_tap(text, label, tally):
    passed = failed = skipped = 0
    for line in text.splitlines():
        if m := OK.match(line):
            if SKIP.search(m.group(1)):
                skipped += 1
            else:
                passed += 1
        elif NOT_OK.match(line):
            if SKIP.search(line) or re.search(r"#\s*todo", line, re.I):
                skipped += 1
            else:
                failed += 1
                tally["failures"].append(f"{label}: {line}")
    return passed, failed, skipped


def main():
    tally = {"passed": 0, "failed": 0, "skipped": 0, "failures": []}
    for arg in sys.argv[1:]:
        label, _, path = arg.partition(":")
        if path == "build-failed":
            tally["failed"] += 1
            tally["failures"].append(f"{label}: the build failed")
            continue
        if path.endswith(".json"):
            try:
                lines = open(path, encoding="utf-8", errors="replace").read().splitlines()
            except OSError:
                tally["failed"] += 1
                tally["failures"].append(f"{label}: no test log")
                continue
            for line in lines:
                test = json.loads(line)
                name = f"{label}/{test['name']}"
                p, f, s = count_tap(test.get("stdout") or "", name, tally)
                if test["result"] not in ("OK", "EXPECTEDFAIL", "SKIP") and f == 0:
                    f = 1
                    tally["failures"].append(f"{name}: {test['result']}")
                if test["result"] == "SKIP" and p + f + s == 0:
                    s = 1
                tally["passed"] += p
                tally["failed"] += f
                tally["skipped"] += s
        else:
            text = open(path, encoding="utf-8", errors="replace").read()
            p, f, s = count_tap(text, label + "/" + path.rsplit("/", 1)[-1], tally)
            if p + f + s == 0:
                f = 1
                tally["failures"].append(f"{label}: {path} printed no TAP")
            tally["passed"] += p
            tally["failed"] += f
            tally["skipped"] += s
    for failure in tally["failures"]:
        print("FAILED:", failure)
    line = f"{tally['passed']} passed, {tally['failed']} failed"
    if tally["skipped"]:
        line += f", {tally['skipped']} skipped"
    print(line)
    return 1 if tally["failed"] else 0


if __name__ == "__main__":
    sys.exit(main())
