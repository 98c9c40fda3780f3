"""Probe: a function defined in `python -c`, in code read from stdin, or at the interactive
prompt, as a Process target and as the function of Pool.map (L07).

A probe is a file, so it starts the three kinds of interpreter itself: `python -c CODE`,
`python - < CODE` and `python -i` reading its commands from a pipe (the interactive loop, with
its prompts, as a person typing them would get). Each defines `double` in its `__main__`, runs it
as a Process target, then maps it with a Pool(2), under the start method the lab set here, and
prints what happened. A spawn or forkserver child looks `double` up in its own `__main__`, which
is not the program that defined it.

A failing Pool loses the task with the worker that failed and never returns a result, so each
program watches every worker the pool has had (`pool._pool`, the one internal used, read at the
start and again at each look: the pool removes dead workers and starts new ones) and stops at
the first that dies: a death, not a timeout, is the evidence. Their deaths can also come first:
when the pool has removed every dead worker and not yet started new ones, `map_async` divides by
their number and raises ZeroDivisionError (Lib/multiprocessing/pool.py, `_map_async`, 3.9-3.15).
That is the same evidence; seen once in 80 runs of the stdin program under load on 3.9.18.
"""
import json
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import multiprocessing as mp

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds: the most this probe waits for a program it started
INNER_WAIT = 8  # seconds: the most a program waits for its child or its pool (two waits < WAIT)
MARK = "@@process-done"

# Written for the interactive prompt: a blank line closes each compound statement, and no blank
# line stands inside one. The same text runs as `-c` and from stdin.
PROGRAM = """\
import json, sys, time
import multiprocessing as mp

def double(x=0):
    return 2 * x

ctx = mp.get_context(sys.argv[-1])
p = ctx.Process(target=double)
failed = {}
try:
    p.start()
    p.join(%(wait)d)
except Exception as e:
    failed["process"] = type(e).__name__

sys.stderr.write("\\n%(mark)s\\n")
sys.stderr.flush()
try:
    pool = ctx.Pool(2)
    workers = set(pool._pool)
except Exception as e:
    pool = None
    failed["pool"] = type(e).__name__

def outcome():
    if pool is None:
        return "Pool() failed"
    try:
        result = pool.map_async(double, range(4))
    except ZeroDivisionError:
        return "a worker died"
    deadline = time.monotonic() + %(wait)d
    while time.monotonic() < deadline:
        if result.wait(0.02) or result.ready():
            return result.get(0)
        workers.update(pool._pool)
        if any(w.exitcode is not None for w in workers):
            return "a worker died"
    return "no result"

got = outcome()
if pool is not None:
    pool.terminate()
    pool.join()

print("@@" + json.dumps({"process": p.exitcode, "pool": got, "failed": failed}))

""" % {"wait": INNER_WAIT, "mark": MARK}

MODES = {
    "c": lambda method: ([sys.executable, "-c", PROGRAM, method], None),
    "stdin": lambda method: ([sys.executable, "-", method], PROGRAM),
    "repl": lambda method: ([sys.executable, "-i", "-", method], PROGRAM),
}

ERROR_LINE = re.compile(r"^(\w+(?:Error|Exception)): (.*)$")


def first_error(text):
    """The first exception line of a traceback in ``text``, in words that do not vary by run:
    the module's repr and the working folder (with / or \\ between its parts) are left out."""
    for line in text.splitlines():
        m = ERROR_LINE.match(line.strip())
        if not m:
            continue
        kind, message = m.groups()
        message = re.sub(r" on <module '__main__' .*>$", " on __main__", message)
        message = re.sub(r"^\[Errno \d+\] ", "", message)
        message = re.sub(r"'[^']*[/\\]([^'/\\]*)'$", r"'\1'", message)  # POSIX and Windows
        return "%s: %s" % (kind, message)
    return None


def outcomes(stdout, stderr):
    """(Process outcome, Pool outcome) in short words."""
    result = None
    for line in stdout.splitlines():
        if line.lstrip(">. ").startswith("@@"):
            result = json.loads(line.lstrip(">. ")[2:])
    if result is None:
        return "no result: " + (first_error(stderr) or "nothing said"), "not reached"
    before, _, after = stderr.partition(MARK)
    failed = result["failed"]
    if "process" in failed:
        # start() could not reach the fork server: it had died, saying why on stderr first.
        process = "the fork server failed: %s" % first_error(before)
    elif result["process"] == 0:
        process = "runs"
    else:
        process = first_error(before) or "exit code %s" % result["process"]
    if "pool" in failed:
        # A fork server that died at start() is started again for the Pool, and says why again,
        # unless the Pool came while the dead one was not yet reaped: then nothing new is said.
        pool = "the fork server failed: %s" % (first_error(after) or first_error(before))
    elif result["pool"] == [0, 2, 4, 6]:
        pool = "runs"
    elif result["pool"] == "a worker died":
        pool = first_error(after) or "a worker died, saying nothing"
    else:
        pool = "%r" % (result["pool"],)
    return process, pool


def run(mode, method, folder, found):
    argv, stdin = MODES[mode](method)
    proc = subprocess.Popen(argv, cwd=folder, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, universal_newlines=True)
    try:
        out, err = proc.communicate(stdin, timeout=WAIT)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        found[mode] = ("the program did not end within %d s" % WAIT, "not reached")
        return
    found[mode] = outcomes(out, err)


if __name__ == "__main__":
    method = mp.get_start_method()
    folder = tempfile.mkdtemp(prefix="mplab-interactive-")  # no module of ours to import there
    found = {}
    try:
        # The three programs run at once, each read by its own thread: a pipe left unread could
        # stop a program whose workers write tracebacks.
        threads = [threading.Thread(target=run, args=(mode, method, folder, found))
                   for mode in MODES]
        for t in threads:
            t.start()
        for t in threads:
            t.join(WAIT + 5)
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for mode in MODES:
        process, pool = found.get(mode, ("not run", "not run"))
        _lab_hook.report(mode + "_process", process)
        _lab_hook.report(mode + "_pool", pool)
