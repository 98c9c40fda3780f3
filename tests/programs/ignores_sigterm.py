"""Hostile program: a grandchild escapes (none; keeps output: False; ignores SIGTERM: True)."""
from _escape import escape

escape("none", keep_output=False, ignore_term=True)
