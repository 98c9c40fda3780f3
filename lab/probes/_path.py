"""Lets a probe import the examples' hook (lab/examples/_lab_hook.py), run by hand or by the lab."""
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "examples"))
