"""Probe: which signal dispositions of the parent a child sees (L15).

Before the first child starts (and so before a fork server exists), the parent installs a
Python handler for SIGUSR1 and sets SIGINT to SIG_IGN; the first child reports
signal.getsignal() for both, in words. Then, with the fork server running, the parent puts
SIGINT back to default_int_handler and sets SIGUSR2 to SIG_IGN; a second child reports those.
"""
import multiprocessing as mp
import signal

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds


def on_usr1(signum, frame):
    pass


def describe(handler):
    if handler is on_usr1 or getattr(handler, "__name__", None) == "on_usr1":
        return "the parent's Python handler"
    if handler is signal.default_int_handler:
        return "default_int_handler (KeyboardInterrupt)"
    if handler == signal.SIG_IGN:
        return "SIG_IGN"
    if handler == signal.SIG_DFL:
        return "SIG_DFL"
    if handler is None:
        return "None (not installed from Python)"
    return "another handler: %r" % (handler,)


def look(name):
    signum = getattr(signal, name, None)
    if signum is None:
        return "no %s on this platform" % name
    return describe(signal.getsignal(signum))


def child(which, names):
    for name in names:
        _lab_hook.report("%s_%s" % (which, name.lower()), look(name))


def run_child(which, names):
    p = mp.Process(target=child, args=(which, names))
    p.start()
    p.join(WAIT)
    _lab_hook.report(which + "_exitcode", p.exitcode)
    if p.exitcode is None:
        p.kill()
        p.join(WAIT)


if __name__ == "__main__":
    _lab_hook.report("parent_sigint_at_start", describe(signal.getsignal(signal.SIGINT)))
    if hasattr(signal, "SIGUSR1"):
        signal.signal(signal.SIGUSR1, on_usr1)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    run_child("first", ["SIGUSR1", "SIGINT"])
    # The fork server (if any) runs now; change dispositions again.
    signal.signal(signal.SIGINT, signal.default_int_handler)
    if hasattr(signal, "SIGUSR2"):
        signal.signal(signal.SIGUSR2, signal.SIG_IGN)
    run_child("second", ["SIGINT", "SIGUSR2"])
