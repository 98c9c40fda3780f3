"""Hostile program: prints without end, a terminal line at a time."""
import sys

line = "x" * 79 + "\n"
while True:
    sys.stdout.write(line)
