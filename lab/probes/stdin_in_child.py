"""Probe: sys.stdin in a child (L18).

The probe never touches the runner's stdin: it first puts a pipe of its own on descriptor 0,
holding one known line and then end of file, so that "the child read the parent's input" and
"the child read /dev/null" look different. The child reports what sys.stdin is, what reading it
gives, and what descriptor 0 itself holds (os.read: the line if descriptor 0 is still the
parent's pipe). Every read ends: the pipe's only writer is closed before the child starts.
"""
import multiprocessing as mp
import os
import stat
import sys

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds
LINE = "parent's stdin line\n"


def what_is(fd):
    try:
        st = os.fstat(fd)
    except OSError:
        return "not open"
    if stat.S_ISFIFO(st.st_mode):
        return "a pipe"
    if stat.S_ISCHR(st.st_mode):
        null = os.stat(os.devnull)
        if not hasattr(st, "st_rdev"):  # Windows: no device numbers; NUL is its own file
            return os.devnull if os.path.samestat(st, null) else "a character device"
        return os.devnull if st.st_rdev == null.st_rdev else "a character device"
    return "another file"


def words(text):
    if text == LINE:
        return "the parent's line"
    return "empty: end of file at once" if text == "" else repr(text)


def child():
    _lab_hook.report("closed", sys.stdin.closed)
    fileno = sys.stdin.fileno()
    _lab_hook.report("fileno_is_0", fileno == 0)
    _lab_hook.report("stdin_is", what_is(fileno))
    text = sys.stdin.read()
    _lab_hook.report("read", words(text))
    _lab_hook.report("fd0_is", what_is(0))
    if what_is(0) == "a pipe":
        data = os.read(0, 100).decode()
        _lab_hook.report("fd0_read", words(data))


if __name__ == "__main__":
    r, w = os.pipe()
    os.write(w, LINE.encode())
    os.close(w)
    os.dup2(r, 0)  # sys.stdin now reads this pipe; the runner's stdin is not used
    os.close(r)
    _lab_hook.report("parent_stdin_is", what_is(sys.stdin.fileno()))
    p = mp.Process(target=child)
    p.start()
    p.join(WAIT)
    _lab_hook.report("child_exitcode", p.exitcode)
    if p.exitcode is None:
        p.kill()
        p.join(WAIT)
