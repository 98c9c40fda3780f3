"""Prints exactly 3 MiB on stdout (lines of 1 KiB) and 10 bytes on stderr, then ends."""
import sys

line = "y" * 1023 + "\n"
for _ in range(3 * 1024):
    sys.stdout.write(line)
sys.stdout.flush()
sys.stderr.write("123456789\n")
