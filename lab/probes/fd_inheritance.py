"""Probe: which of the parent's file descriptors a child has open (L14).

The parent opens two pipes and moves their read ends to fixed, high descriptor numbers: one
non-inheritable (what os.pipe() and open() give since PEP 446), one made inheritable with
os.set_inheritable(). The child calls os.fstat() on each number and compares the inode with the
parent's, so a descriptor that the child opened itself under the same number does not count as
the parent's.
"""
import errno
import multiprocessing as mp
import os

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds; a child that does not end by then is reported, not waited for
NUMBERS = {"non-inheritable": 120, "inheritable": 121}


def look(fd, inode):
    try:
        st = os.fstat(fd)
    except OSError as exc:
        if exc.errno == errno.EBADF:
            return "not open (EBADF)"
        return "OSError: %s" % errno.errorcode.get(exc.errno, exc.errno)
    return "open: the parent's pipe" if st.st_ino == inode else "open: another file"


def child(inodes):
    for kind, fd in sorted(NUMBERS.items()):
        _lab_hook.report("child_" + kind, look(fd, inodes[kind]))


if __name__ == "__main__":
    inodes = {}
    ends = []
    for kind, fd in sorted(NUMBERS.items()):
        r, w = os.pipe()
        os.dup2(r, fd, inheritable=(kind == "inheritable"))
        os.close(r)
        ends += [fd, w]
        inodes[kind] = os.fstat(fd).st_ino
        _lab_hook.report("parent_" + kind, os.get_inheritable(fd))
    p = mp.Process(target=child, args=(inodes,))
    p.start()
    p.join(WAIT)
    _lab_hook.report("child_exitcode", p.exitcode)
    if p.exitcode is None:
        p.kill()
        p.join(WAIT)
    for fd in ends:
        os.close(fd)
