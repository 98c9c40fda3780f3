"""Every environment variable the lab sets or reads, named once, with what it carries.

Two audiences share these names, which is why they live apart from the code that uses them:

- the programs the runner starts (the page's examples, probes, a user's program file) learn the
  runner's settings through ``ProgramSettings`` (``to_env`` in the runner, ``from_env`` in
  ``lab/examples/_lab_hook.py``);
- the user, tox, CI and ``mplab matrix`` steer the lab and its pytest plugin (results folder,
  run label, cache folder, progress file, and the log of program runs that
  ``python -m lab.benchmark --suite`` reads).

Standard library only: the examples' hook and the ``ci/`` scripts import it where the lab's
dependencies may be missing.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

PREFIX = "MPLAB_"

# The runner -> the program it runs.
START_METHOD = "MPLAB_START_METHOD"  # set before the program creates a process; unset: default
STDOUT = "MPLAB_STDOUT"  # "terminal": line-buffered stdout and stderr; else Python's default
TIME_SCALE = "MPLAB_TIME_SCALE"  # multiplies the page's sleeps
REPORT = "MPLAB_REPORT"  # the private folder where report() writes <pid>.jsonl

# The user, tox and CI -> the lab.
CACHE = "MPLAB_CACHE"  # the cache folder (C binaries, the matrix's environments)
RESULTS_DIR = "MPLAB_RESULTS_DIR"  # where the pytest plugin writes the results file
LABEL = "MPLAB_LABEL"  # the run's name in results files (a CI cell's, say)

# mplab matrix -> the pytest plugin in its child pytest.
PROGRESS_FILE = "MPLAB_PROGRESS_FILE"  # one line per finished spec, for the progress bar
PROGRESS_COLLECTED = "collected "  # the progress file's first line: "collected N"

# python -m lab.benchmark --suite -> the runner, in the test suite it times.
RUN_LOG = "MPLAB_RUN_LOG"  # the runner appends a JSON line per program run (argv, settings)

NAMES = (START_METHOD, STDOUT, TIME_SCALE, REPORT, CACHE, RESULTS_DIR, LABEL, PROGRESS_FILE,
         RUN_LOG)


@dataclass(frozen=True)
class ProgramSettings:
    """What a program run by the lab is told: start method, buffering, time scale, report folder.

    With none of the variables set (a program run by hand), every field is its default and the
    hook does nothing.
    """

    start_method: str | None = None
    stdout: str = "pipe"
    time_scale: float = 1.0
    report_dir: str | None = None

    def to_env(self) -> dict[str, str]:
        env = {STDOUT: self.stdout, TIME_SCALE: repr(float(self.time_scale))}
        if self.start_method:
            env[START_METHOD] = self.start_method
        if self.report_dir:
            env[REPORT] = self.report_dir
        return env

    @classmethod
    def from_env(cls, environ: Mapping[str, str] = os.environ) -> ProgramSettings:
        return cls(
            start_method=environ.get(START_METHOD) or None,
            stdout=environ.get(STDOUT) or "pipe",
            time_scale=float(environ.get(TIME_SCALE) or 1),
            report_dir=environ.get(REPORT) or None,
        )


def without_lab(environ: Mapping[str, str]) -> dict[str, str]:
    """``environ`` less every MPLAB_* variable, so nothing of one run leaks into another."""
    return {k: v for k, v in environ.items() if not k.upper().startswith(PREFIX)}


def cache_root(environ: Mapping[str, str] = os.environ) -> Path:
    """$MPLAB_CACHE, else $XDG_CACHE_HOME/mplab, else ~/.cache/mplab."""
    if environ.get(CACHE):
        return Path(environ[CACHE])
    return Path(environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "mplab"


def results_dir(environ: Mapping[str, str] = os.environ) -> Path | None:
    return Path(environ[RESULTS_DIR]) if environ.get(RESULTS_DIR) else None


def label(environ: Mapping[str, str] = os.environ) -> str | None:
    return environ.get(LABEL) or None


def progress_file(environ: Mapping[str, str] = os.environ) -> Path | None:
    return Path(environ[PROGRESS_FILE]) if environ.get(PROGRESS_FILE) else None


def run_log(environ: Mapping[str, str] = os.environ) -> Path | None:
    return Path(environ[RUN_LOG]) if environ.get(RUN_LOG) else None


def safe_label(text: str) -> str:
    """A run label as it appears in file names: letters, digits and ``-._``, the rest ``-``."""
    return "".join(c if c.isalnum() or c in "-._" else "-" for c in text)
