"""Probe: a program without `if __name__ == "__main__":` that starts a process (L03).

The probe writes such a program to a private folder and runs it as __main__ of a fresh
interpreter under the probe's own start method (as `python prog.py` would, with the method set
first), bounded by WAIT. It reports how that run ended, in a phrase built from its exit code,
how often the child's target ran, and whether the "bootstrapping phase" RuntimeError showed.
"""
import multiprocessing as mp
import os
import subprocess
import sys
import tempfile

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds for the whole unguarded program

PROGRAM = """\
import multiprocessing as mp

def work():
    print("child ran", flush=True)

p = mp.Process(target=work)
p.start()
p.join(10)
print("child exit code", p.exitcode, flush=True)
"""

RUN = "import multiprocessing, runpy, sys; multiprocessing.set_start_method(sys.argv[1]); " \
      "runpy.run_path(sys.argv[2], run_name='__main__')"


def outcome(code, out, err):
    ran = out.count("child ran")
    bootstrap = "bootstrapping phase" in err
    if code != 0:
        return "the program fails: bootstrapping RuntimeError" if bootstrap else \
            "the program fails with exit code %d" % code
    if bootstrap:
        return "the child fails: bootstrapping RuntimeError"
    return "runs" if ran == 1 else "runs, the child's target %d times" % ran


if __name__ == "__main__":
    method = mp.get_start_method()
    with tempfile.TemporaryDirectory() as folder:
        path = os.path.join(folder, "unguarded.py")
        with open(path, "w") as f:
            f.write(PROGRAM)
        try:
            done = subprocess.run([sys.executable, "-c", RUN, method, path], cwd=folder,
                                  capture_output=True, text=True, timeout=WAIT,
                                  stdin=subprocess.DEVNULL)
        except subprocess.TimeoutExpired:
            _lab_hook.report("outcome", "timed out")
        else:
            _lab_hook.report("outcome", outcome(done.returncode, done.stdout, done.stderr))
            _lab_hook.report("stderr_tail", done.stderr.strip().splitlines()[-1:])
