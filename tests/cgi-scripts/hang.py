#!/usr/bin/env python3
"""Writes its header, then sleeps in the same process."""
import sys, time
sys.stdout.write("Content-Type: text/plain\r\n\r\nbefore-sleep\n")
sys.stdout.flush()
time.sleep(60)
print("after-sleep")
