"""Reading a run's stdout and stderr into bounded buffers, one thread per stream.

The runner cannot leave reading to ``communicate()``: a process that escaped the run may hold
the pipes open for ever, and a program that prints without end would fill the memory. Here each
stream keeps at most ``limit`` bytes and counts the rest; and the runner decides when reading
ends (``stop()``), which it does once every process of the run is dead.
"""

from __future__ import annotations

import os
import sys
import threading
from typing import IO

CHUNK = 1 << 16
_POSIX = sys.platform != "win32"


class Stream:
    """One captured stream: the bytes kept, and how many were dropped past the limit."""

    def __init__(self, name: str, pipe: IO[bytes], limit: int) -> None:
        self.name = name
        self.limit = limit
        self.data = bytearray()
        self.dropped = 0
        self.eof = threading.Event()
        self._pipe = pipe
        self._fd = pipe.fileno()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._pump, name=f"mplab-{name}", daemon=True)
        self._thread.start()

    def _keep(self, chunk: bytes) -> None:
        room = self.limit - len(self.data)
        if room > 0:
            self.data += chunk[:room]
        self.dropped += max(0, len(chunk) - max(room, 0))

    def _pump(self) -> None:
        import select

        while True:
            if _POSIX:
                # Wait in short steps so that stop() is seen even while a writer lingers.
                stopping = self._stop.is_set()
                ready, _, _ = select.select([self._fd], [], [], 0 if stopping else 0.05)
                if not ready:
                    if stopping:
                        return
                    continue
            try:
                chunk = os.read(self._fd, CHUNK)
            except OSError:
                chunk = b""
            if not chunk:
                self.eof.set()
                return
            self._keep(chunk)

    def stop(self, timeout: float = 1.0) -> None:
        """Read what is already in the pipe, then stop and close it."""
        self._stop.set()
        self._thread.join(timeout)
        if not self._thread.is_alive():
            self._pipe.close()
        # Else (Windows, a writer outside the run): the thread is left blocked, a daemon.

    def text(self) -> list[str]:
        """The kept bytes as lines; frees the bytes (the lines are what the observation keeps)."""
        text = self.data.decode("utf-8", errors="replace")
        self.data = bytearray()
        if "\r\n" in text:
            text = text.replace("\r\n", "\n")
        return text.splitlines()


class Capture:
    """A run's stdout and stderr, each read by its own thread into a bounded buffer."""

    def __init__(self, stdout: IO[bytes], stderr: IO[bytes], limit: int) -> None:
        self.stdout = Stream("stdout", stdout, limit)
        self.stderr = Stream("stderr", stderr, limit)

    def at_eof(self) -> bool:
        """True once every writer of both pipes has closed them (or exited)."""
        return self.stdout.eof.is_set() and self.stderr.eof.is_set()

    def stop(self) -> None:
        self.stdout.stop()
        self.stderr.stop()
