"""Hostile program: a grandchild escapes (setpgid; keeps output: False; ignores SIGTERM: False)."""
from _escape import escape

escape("setpgid", keep_output=False, ignore_term=False)
