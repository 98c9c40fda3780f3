"""Probe: os._exit() in a child drops what the child printed but did not flush (L19b).

The probe does not depend on how the runner or the environment buffers stdout: each child makes
its own block-buffered sys.stdout (8 KiB) on the write end of a pipe the parent reads, prints one
line without flushing, and ends one way. The parent reads the pipe to end of file (which comes
when the child has exited) and reports whether the line arrived.

A last case: the parent prints a line to its own block-buffered sys.stdout, on a pipe, without
flushing, then starts a child that returns. Under fork the child starts with a copy of that
buffer; the parent's line must arrive once, not twice.
"""
import io
import multiprocessing as mp
import os
import sys

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds
LINE = "L19b: printed, not flushed"


def buffered_stdout(conn):
    raw = io.FileIO(os.dup(conn.fileno()), "w")
    return io.TextIOWrapper(io.BufferedWriter(raw, buffer_size=8192), encoding="utf-8",
                            line_buffering=False, write_through=False)


def child(conn, ending):
    sys.stdout = buffered_stdout(conn)
    conn.close()
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


def drain(reader):
    """Everything written to the pipe until end of file, or None past WAIT."""
    chunks = []
    while reader.poll(WAIT):
        data = os.read(reader.fileno(), 65536)
        if not data:
            return b"".join(chunks).decode("utf-8")
        chunks.append(data)
    return None


def arrived(text):
    if text is None:
        return "no end of file within %d s" % WAIT
    count = text.count(LINE)
    return {0: "lost", 1: "arrived"}.get(count, "arrived %d times" % count)


def finish(p):
    p.join(WAIT)
    if p.exitcode is None:
        p.kill()
        p.join(WAIT)


if __name__ == "__main__":
    for ending in ("return", "sys.exit(0)", "os._exit(0)", "flush, then os._exit(0)"):
        reader, writer = mp.Pipe(duplex=False)
        p = mp.Process(target=child, args=(writer, ending))
        p.start()
        writer.close()
        _lab_hook.report(ending, arrived(drain(reader)))
        reader.close()
        finish(p)

    reader, writer = mp.Pipe(duplex=False)
    real_stdout = sys.stdout
    sys.stdout = buffered_stdout(writer)
    print(LINE)  # in the parent's buffer when start() is called
    p = mp.Process(target=quiet)
    p.start()
    writer.close()
    finish(p)
    sys.stdout.close()  # flushes the parent's line, if still buffered, and closes its end
    sys.stdout = real_stdout
    _lab_hook.report("parent's unflushed line", arrived(drain(reader)))
    reader.close()
