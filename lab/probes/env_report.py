"""Probe: what a program run by the lab sees of its environment and output buffering."""
import os
import sys

import _path  # noqa: F401
import _lab_hook

_lab_hook.report("env", {
    "PYTHONUNBUFFERED": os.environ.get("PYTHONUNBUFFERED"),
    "line_buffering": sys.stdout.line_buffering,
    "write_through": getattr(sys.stdout, "write_through", None),
    "encoding": sys.stdout.encoding,
})
