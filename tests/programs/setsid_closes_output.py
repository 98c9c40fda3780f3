"""Hostile program: a grandchild escapes (setsid; keeps output: False; ignores SIGTERM: False)."""
from _escape import escape

escape("setsid", keep_output=False, ignore_term=False)
