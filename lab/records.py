"""Reading what a run's processes reported, and only what they reported.

Each process appends JSON lines to ``<pid>.jsonl`` in the run's private report folder (see
lab/examples/_lab_hook.py). A record counts only when the folder is still private, the file is
a regular file of the runner's user named after the pid in every one of its records, and that
pid is one of the run's processes: one the runner saw, or (for a process too short-lived to be
seen) one that did not exist before the run and whose parent is one of the run's.
"""

from __future__ import annotations

import json
import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lab.errors import LabError


@dataclass(frozen=True)
class Record:
    """One fact an example reported through its hook (see lab/examples/_lab_hook.py)."""

    key: str
    value: Any
    pid: int
    ppid: int | None
    process: str
    seq: int
    mp_parent: int | None = None  # multiprocessing's parent_process(), which may not be ppid


# Who may write a file is told by its mode bits and owner on POSIX only. On Windows os.stat
# derives the mode from the read-only attribute (0o777 for every folder, 0o666 for a file) and
# reports no owner, while the access control list, which it does not read, decides. The lab does
# not read ACLs either: there it checks only that a folder is a real folder (not a link or a
# junction), and relies on where it makes them, tempfile's folders under the user's own %TEMP%,
# whose ACL admits the user, SYSTEM and Administrators (docs/design.md).
PERMISSION_BITS = os.name == "posix"


def is_link(st: os.stat_result) -> bool:
    """A symlink, or on Windows any reparse point (a junction too)."""
    reparse = getattr(stat, "FILE_ATTRIBUTE_REPARSE_POINT", 0)
    return stat.S_ISLNK(st.st_mode) or bool(getattr(st, "st_file_attributes", 0) & reparse)


def foreign_owner(st: os.stat_result) -> bool:
    """Owned by another user: POSIX only (Windows' os.stat has no owner)."""
    return PERMISSION_BITS and st.st_uid != os.geteuid()


def writable_by_others(st: os.stat_result) -> bool:
    """Group or world writable by its mode bits: POSIX only (they mean nothing on Windows)."""
    return PERMISSION_BITS and bool(st.st_mode & (stat.S_IWGRP | stat.S_IWOTH))


def check_private(folder: str | Path, what: str = "folder",
                  fix: str = "remove it, or chmod go-w it") -> None:
    """A LabError unless ``folder`` is a real folder of this user that no one else can write."""
    try:
        st = os.lstat(folder)
    except OSError as exc:
        raise LabError(f"the {what} {folder} cannot be used: {exc.strerror}") from None
    if is_link(st) or not stat.S_ISDIR(st.st_mode):
        raise LabError(f"the {what} {folder} is not a folder (a symlink?): remove it")
    if foreign_owner(st):
        raise LabError(f"the {what} {folder} belongs to uid {st.st_uid}, not to you "
                       f"(uid {os.geteuid()}): remove it or use another")
    if writable_by_others(st):
        raise LabError(f"the {what} {folder} is writable by others (mode "
                       f"{stat.S_IMODE(st.st_mode):o}): {fix}")


def read(folder: Path, run_pids: set[int], pids_before: set[int]) -> tuple[list[Record],
                                                                            list[str]]:
    """The records of a run's own processes, and a note for each record or file refused."""
    check_private(folder, "report folder", "a process of the run opened it to others, so "
                  "its reports cannot be trusted")
    records: list[Record] = []
    rejected: list[str] = []
    for path in sorted(folder.glob("*.jsonl")):
        st = path.lstat()
        if not stat.S_ISREG(st.st_mode) or is_link(st) or foreign_owner(st):
            rejected.append(f"{path.name}: not a regular file of this user")
            continue
        file_pid = int(path.stem) if path.stem.isdigit() else None
        for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
            try:
                record = Record(**json.loads(line))
            except (ValueError, TypeError):
                continue  # a line cut short by a kill
            if record.pid != file_pid:
                rejected.append(f"{path.name}: a record of pid {record.pid} in another's file")
            else:
                records.append(record)
    accepted = set(run_pids)
    changed = True
    while changed:  # a short-lived process counts when its parent is one of the run's
        changed = False
        for r in records:
            if r.pid not in accepted and r.pid not in pids_before and (
                    r.ppid in accepted or r.mp_parent in accepted):
                accepted.add(r.pid)
                changed = True
    kept = []
    for r in records:
        if r.pid in accepted:
            kept.append(r)
        else:
            rejected.append(f"{r.pid}.jsonl: pid {r.pid} is not a process of this run")
    return sorted(kept, key=lambda r: (r.pid, r.seq)), rejected
