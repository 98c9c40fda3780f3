"""The one line each example adds to the page's program: the runner's settings in, facts out.

The page's programs print what a reader sees; a spec needs a little more (which process ran the
module body, what ``fork()`` returned where). This module carries both ways, through environment
variables that the runner sets, so that an example stays the page's code and still runs by hand
unchanged: with no ``MPLAB_*`` variable set, importing it does nothing.

- ``MPLAB_START_METHOD``: the start method to use, set before the example creates a process.
- ``MPLAB_STDOUT``: ``terminal`` makes stdout and stderr line-buffered, as they are when a reader
  runs the page's code in a terminal; anything else keeps Python's default for a pipe (block
  buffered).
- ``MPLAB_TIME_SCALE``: multiplies the page's sleeps (``scaled(2)`` is 2 s at scale 1).
- ``MPLAB_REPORT``: a folder; ``report()`` appends one JSON line per call to ``<pid>.jsonl``
  there. One file per process keeps writes from different processes apart on every platform.
"""

import json
import multiprocessing
import os
import sys

_SEQ = [0]


def scaled(seconds):
    """The page's sleep, scaled by the runner (scale 1 when run by hand)."""
    return seconds * float(os.environ.get("MPLAB_TIME_SCALE") or 1)


def report(key, value=None):
    """Tell the runner a fact; a no-op when the example runs by hand."""
    folder = os.environ.get("MPLAB_REPORT")
    if not folder:
        return
    _SEQ[0] += 1
    parent = multiprocessing.parent_process()
    record = {
        "key": key,
        "value": value,
        "pid": os.getpid(),
        "ppid": os.getppid() if hasattr(os, "getppid") else None,
        "process": multiprocessing.current_process().name,
        "mp_parent": parent.pid if parent is not None else None,
        "seq": _SEQ[0],
    }
    with open(os.path.join(folder, "%d.jsonl" % os.getpid()), "a", encoding="utf-8") as f:
        f.write(json.dumps(record) + "\n")


def _setup():
    if os.environ.get("MPLAB_STDOUT") == "terminal":
        sys.stdout.reconfigure(line_buffering=True)
        sys.stderr.reconfigure(line_buffering=True)
    method = os.environ.get("MPLAB_START_METHOD")
    # Only the first process sets it: a spawn child has it set (by multiprocessing) before it
    # imports the main module again, and a forked child inherits it.
    if method and multiprocessing.get_start_method(allow_none=True) is None:
        multiprocessing.set_start_method(method)


_setup()
