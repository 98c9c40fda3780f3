"""Prints exactly 3 MiB on stdout (lines of 1 KiB) and 10 bytes on stderr, then ends.

Bytes, not text: a text stream on Windows writes "\r\n" for "\n", and the sizes must be exact.
"""
import sys

line = b"y" * 1023 + b"\n"
for _ in range(3 * 1024):
    sys.stdout.buffer.write(line)
sys.stdout.buffer.flush()
sys.stderr.buffer.write(b"123456789\n")
sys.stderr.buffer.flush()
