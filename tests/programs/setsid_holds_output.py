"""Hostile program: a grandchild escapes (setsid; keeps output: True; ignores SIGTERM: False)."""
from _escape import escape

escape("setsid", keep_output=True, ignore_term=False)
