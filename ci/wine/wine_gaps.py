"""What Wine lacks, and how the Windows cell under Wine (ci/wine_cell.py) lives with it.

(The WMI query that Wine cannot answer is kept away in sitecustomize.py beside this file.)

A pytest plugin of that cell only (``-p wine_gaps``): each spec that cannot run under Wine is
skipped there with the Wine release and the Win32 function it lacks. It is not deleted, not
marked passed, and it runs everywhere else. A real Windows runner has none of these gaps, so
nothing here belongs in lab/. docs/ci.md lists the same table for readers.
"""

from __future__ import annotations

import re
import sys

import pytest

# Packages pinned below what the lab asks, for Wine only.
PINS = [
    # jsonschema 4.18+ validates through referencing and rpds-py, whose extension module fails
    # to load under Wine 8.0 (its DLL's imports). 4.17 is pure Python (pyrsistent's fallback).
    "jsonschema<4.18",
]

# (node id pattern, Pythons it applies to, why the spec cannot run under Wine)
GAPS = [
    (r"tests/test_bench\.py::", (3, 9),
     "Wine 8.0 lacks ucrtbase.dll crealf, which numpy calls when matplotlib draws the bench "
     "page, and propsys.VariantToString, which platform.machine() needs (pyperf asks it): "
     "the process aborts"),
    (r"tests/test_scaffold\.py::|tests/test_workflow\.py::test_the_rehearsal_catches_cells",
     (3, 12),
     "Wine 8.0 lacks KERNEL32.CopyFile2, which shutil.copyfile calls from Python 3.12 on: "
     "the process aborts"),
    (r"tests/test_containment\.py::test_a_link_in_place_of_a_folder_is_refused", (3, 9),
     "Wine 8.0's CreateSymbolicLinkW makes a link that os.lstat cannot find "
     "(ERROR_FILE_NOT_FOUND)"),
    (r"tests/test_cli\.py::test_console_script_and_module_agree", (3, 9),
     "the cell installs Windows wheels from Linux with pip --target, which writes no "
     r"Scripts\mplab.exe launcher"),
]


def gap(nodeid: str, version: tuple[int, int] = sys.version_info[:2]) -> str | None:
    """Why ``nodeid`` cannot run under Wine on this Python, or None."""
    path = nodeid.replace("\\", "/")
    for pattern, since, reason in GAPS:
        if version >= since and re.match(pattern, path):
            return reason
    return None


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        reason = gap(item.nodeid)
        if reason:
            item.add_marker(pytest.mark.skip(reason=f"under Wine: {reason}"))
