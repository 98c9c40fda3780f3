"""Hostile program: a grandchild escapes (setpgid; keeps output: True; ignores SIGTERM: False)."""
from _escape import escape

escape("setpgid", keep_output=True, ignore_term=False)
