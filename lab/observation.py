"""What one run of a program did: its output, its exit, the facts it reported, what was left."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from lab.records import Record


@dataclass
class Observation:
    """What one run of an example did: its output, its exit, and the facts it reported."""

    example: str
    argv: list[str]
    start_method: str | None
    stdout_mode: str
    time_scale: float
    stdout: list[str]
    stderr: list[str]
    exit_code: int | None
    timed_out: bool
    timeout: float
    wall_time: float
    root_pid: int
    records: list[Record] = field(default_factory=list)
    killed: list[int] = field(default_factory=list)
    # Processes of the run still alive when it ended (after a short grace), or that had left
    # its process group when it timed out; each was killed. Same order in both lists.
    leftovers: list[int] = field(default_factory=list)
    leftover_commands: list[str] = field(default_factory=list)
    stdout_dropped_bytes: int = 0  # printed past the cap (Settings.max_output_bytes), not kept
    stderr_dropped_bytes: int = 0
    rejected_records: list[str] = field(default_factory=list)  # why each was refused
    # Every pid the runner saw in the run (it looks every 50 ms: a very short-lived process may
    # be missed); `mplab check` masks them in what the program printed.
    seen_pids: list[int] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.timed_out:
            return "timeout"
        return "ok" if self.exit_code == 0 else "crashed"

    def values(self, key: str) -> list[Record]:
        return [r for r in self.records if r.key == key]

    def one(self, key: str) -> Record:
        found = self.values(key)
        if len(found) != 1:
            raise AssertionError(f"expected one {key!r} record, got {len(found)}: {found}")
        return found[0]

    def pids(self) -> set[int]:
        return {r.pid for r in self.records}

    def relations(self) -> list[dict[str, Any]]:
        """Each process that reported, with its OS parent and multiprocessing parent, by role.

        Roles: "root" (the program itself), "child of root", "child of <pid>" for deeper
        descendants, and the OS parent may differ from the multiprocessing parent (a fork
        server's children).
        """
        seen: dict[int, Record] = {}
        for r in self.records:
            seen.setdefault(r.pid, r)
        out = []
        for pid, r in sorted(seen.items()):
            logical = r.mp_parent if r.mp_parent is not None else r.ppid
            role = "root" if pid == self.root_pid else (
                "child of root" if logical == self.root_pid else f"child of {logical}")
            out.append({"pid": pid, "ppid": r.ppid, "mp_parent": r.mp_parent,
                        "process": r.process, "role": role})
        return out

    def leaked_resources(self) -> list[str]:
        """multiprocessing's resource tracker warnings ("leaked semaphore objects", ...)."""
        return [line for line in self.stderr if "leaked" in line and "resource_tracker" in line]

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "outcome": self.outcome, "relations": self.relations()}

    def notes(self) -> list[str]:
        """What went wrong besides the exit: processes left running, output cut, records refused."""
        notes = []
        if self.leftovers:
            listed = ", ".join(f"{pid} {cmd[:80]}" for pid, cmd in
                               zip(self.leftovers, self.leftover_commands))
            notes.append(f"left {len(self.leftovers)} process(es) running: {listed}; killed")
        for stream in ("stdout", "stderr"):
            dropped = getattr(self, f"{stream}_dropped_bytes")
            if dropped:
                notes.append(f"{stream} cut: {dropped} byte(s) past the cap dropped")
        if self.rejected_records:
            notes.append(f"{len(self.rejected_records)} report record(s) refused: "
                         f"{self.rejected_records[0]}")
        return notes

    def summary(self) -> str:
        if self.timed_out:
            head = (f"{self.example} timed out after {self.timeout:g} s; "
                    f"killed {len(self.killed)} process(es)")
        elif self.exit_code != 0:
            tail = self.stderr[-1] if self.stderr else "(no stderr)"
            head = f"{self.example} exited with code {self.exit_code}: {tail}"
        else:
            head = f"{self.example} exited with code 0 in {self.wall_time:.2f} s"
        return "; ".join([head, *self.notes()])
