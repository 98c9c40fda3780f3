"""Probe: which of the parent's later changes a child sees: os.environ, the working folder,
sys.path and sys.argv (L16).

The parent changes all four before its first child (which, under forkserver, starts the fork
server), and again, with other marks, before a second child. Each child says, per thing, which
of the two changes it sees, and which of the two folders it runs in; "module_argv" is what
sys.argv was when the main module's body ran for the child (in the child, in the fork server
that preloaded it, or in the parent before a fork).
"""
import multiprocessing as mp
import os
import shutil
import sys
import tempfile

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds
# sys.argv when this module's body ran: in the parent, and again wherever __mp_main__ is
# imported (a spawn child; a forkserver child, or the fork server itself when it preloads it)
ARGV_AT_IMPORT = list(sys.argv)
PHASES = ("before", "after")  # the first child's changes, then the second's


def mark(phase):
    return "l16-mark-" + phase


def seen(present):
    if present["before"] and present["after"]:
        return "sees both changes"
    if present["before"]:
        return "sees the change made before the first child only"
    if present["after"]:
        return "sees the later change only"
    return "sees neither change"


def folder_seen():
    name = os.path.basename(os.getcwd())
    for phase, words in (("after", "the folder set before the second child"),
                         ("before", "the folder set before the first child")):
        if name.endswith(mark(phase)):
            return words
    return "another folder"


def child(which):
    _lab_hook.report(which + "_cwd", folder_seen())
    facts = {
        "environ": {p: os.environ.get("L16_" + p.upper()) == mark(p) for p in PHASES},
        "sys_path": {p: ("/nonexistent/" + mark(p)) in sys.path for p in PHASES},
        "sys_argv": {p: mark(p) in sys.argv for p in PHASES},
        "module_argv": {p: mark(p) in ARGV_AT_IMPORT for p in PHASES},
    }
    for thing, present in facts.items():
        _lab_hook.report("%s_%s" % (which, thing), seen(present))


def change(phase, folder):
    os.environ["L16_" + phase.upper()] = mark(phase)
    os.chdir(folder)
    sys.path.insert(0, "/nonexistent/" + mark(phase))
    sys.argv.append(mark(phase))


def run_child(which):
    p = mp.Process(target=child, args=(which,))
    p.start()
    p.join(WAIT)
    _lab_hook.report(which + "_exitcode", p.exitcode)
    if p.exitcode is None:
        p.kill()
        p.join(WAIT)


if __name__ == "__main__":
    home = os.getcwd()
    folders = {p: tempfile.mkdtemp(suffix=mark(p)) for p in PHASES}
    try:
        change("before", folders["before"])
        run_child("first")
        change("after", folders["after"])
        run_child("second")
    finally:
        os.chdir(home)
        for folder in folders.values():
            shutil.rmtree(folder, ignore_errors=True)
