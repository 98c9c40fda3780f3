"""Probe: a program that dies with an exception: for the runner's crash handling."""
import _path  # noqa: F401
import _lab_hook  # noqa: F401

print("about to fail", flush=True)
raise RuntimeError("this probe fails on purpose")
