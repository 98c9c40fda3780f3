"""Reports what the examples' hook understood of the runner's settings, and what took effect."""
import multiprocessing
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lab",
                                "examples"))
import _lab_hook

_lab_hook.report("settings", {
    "start_method": multiprocessing.get_start_method(),
    "line_buffering": sys.stdout.line_buffering,
    "scaled_2": _lab_hook.scaled(2),
})
