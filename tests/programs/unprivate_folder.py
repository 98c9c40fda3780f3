"""Hostile program: makes the run's report folder (its working folder) writable by all."""
import os

from lab import contract

os.chmod(os.environ[contract.REPORT], 0o777)
