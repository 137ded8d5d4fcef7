#!/usr/bin/env python3
"""Exactly 1 MiB of deterministic bytes (the test computes the same):
sha256(b"0") + sha256(b"1") + ... + sha256(b"32767")."""
import hashlib
import sys
body = b"".join(hashlib.sha256(b"%d" % i).digest() for i in range(32768))
sys.stdout.buffer.write(b"Content-Type: application/octet-stream\r\n\r\n" + body)
sys.stdout.flush()
