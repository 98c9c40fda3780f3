"""Hostile program: makes the run's report folder (its working folder) writable by all."""
import os

os.chmod(os.environ["MPLAB_REPORT"], 0o777)
