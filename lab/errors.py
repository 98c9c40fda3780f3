"""The exceptions a user can cause: a bad request, or a signal that ends the command."""

from __future__ import annotations

import signal


class LabError(Exception):
    """A problem with what the user asked for (bad name, missing tool): say it and what to do."""


class Interrupted(KeyboardInterrupt):
    """A signal (SIGINT, SIGTERM, SIGHUP) asked the command to stop.

    A KeyboardInterrupt, so that every ``except BaseException`` cleanup on the way out runs
    exactly as it does for Ctrl-C.
    """

    def __init__(self, signum: int = signal.SIGINT) -> None:
        super().__init__(signum)
        self.signum = int(signum)

    @property
    def name(self) -> str:
        return signal.Signals(self.signum).name


class DataError(LabError):
    """A hand-edited data file (lab/data/*.toml) that says something the lab cannot use.

    The message starts with ``file:line:`` so an editor can jump to the mistake.
    """
