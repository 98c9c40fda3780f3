"""Probe: the start method multiprocessing uses when nothing chose one (L01).

Run with no start method set (the spec passes None, so the lab's hook sets nothing): the context
is still unset, get_start_method() then fixes the platform's default, and get_all_start_methods()
lists the methods this platform has, the default first.
"""
import multiprocessing as mp

import _path  # noqa: F401
import _lab_hook

if __name__ == "__main__":
    _lab_hook.report("before_first_use", mp.get_start_method(allow_none=True))
    _lab_hook.report("default", mp.get_start_method())
    _lab_hook.report("all_methods", mp.get_all_start_methods())
