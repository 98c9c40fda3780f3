"""Probe: os._exit() in a child drops what the child printed but did not flush (L19b).

The probe does not depend on how the runner or the environment buffers stdout: each child makes
its own block-buffered sys.stdout (8 KiB) on a file of the probe's, prints one line without
flushing, and ends one way. Once the child has ended, the parent reads the file and reports
whether the line arrived. (A file, not a multiprocessing Pipe: on Windows a Connection is a
handle, not a file descriptor that io.FileIO could write to.)

A last case: the parent prints a line to its own block-buffered sys.stdout, on such a file,
without flushing, then starts a child that returns. Under fork the child starts with a copy of
that buffer and the same open file; the parent's line must arrive once, not twice.
"""
import io
import multiprocessing as mp
import os
import sys
import tempfile

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds
LINE = "L19b: printed, not flushed"


def buffered_stdout(path):
    raw = io.FileIO(path, "a")  # O_APPEND: a parent and a forked child never overwrite
    return io.TextIOWrapper(io.BufferedWriter(raw, buffer_size=8192), encoding="utf-8",
                            line_buffering=False, write_through=False)


def child(path, ending):
    sys.stdout = buffered_stdout(path)
    print(LINE)
    if ending == "os._exit(0)":
        os._exit(0)
    if ending == "flush, then os._exit(0)":
        sys.stdout.flush()
        os._exit(0)
    if ending == "sys.exit(0)":
        sys.exit(0)
    # "return": the target returns


def quiet():
    pass


def arrived(path, p):
    if p.exitcode is None:
        return "the child did not end within %d s" % WAIT
    with open(path, encoding="utf-8") as f:
        count = f.read().count(LINE)
    return {0: "lost", 1: "arrived"}.get(count, "arrived %d times" % count)


def finish(p):
    p.join(WAIT)
    if p.exitcode is None:
        p.kill()
        p.join(WAIT)


if __name__ == "__main__":
    with tempfile.TemporaryDirectory(prefix="mplab-l19b-") as folder:
        for ending in ("return", "sys.exit(0)", "os._exit(0)", "flush, then os._exit(0)"):
            path = os.path.join(folder, ending.replace(" ", "_").replace(",", "") + ".txt")
            p = mp.Process(target=child, args=(path, ending))
            p.start()
            p.join(WAIT)
            _lab_hook.report(ending, arrived(path, p))
            finish(p)

        path = os.path.join(folder, "parent.txt")
        real_stdout = sys.stdout
        sys.stdout = buffered_stdout(path)
        print(LINE)  # in the parent's buffer when start() is called
        p = mp.Process(target=quiet)
        p.start()
        p.join(WAIT)
        sys.stdout.close()  # flushes the parent's line, if still buffered
        sys.stdout = real_stdout
        _lab_hook.report("parent's unflushed line", arrived(path, p))
        finish(p)
