"""mplab: the examples of a tutorial page on processes, run as executable specs.

Each example runs as ``__main__`` of a fresh interpreter under each start method; the specs in
``tests/`` assert what the page claims, and say where it holds only under some start method,
platform or Python version.
"""

from importlib.metadata import PackageNotFoundError, version

try:  # pyproject.toml holds the one version; installed, the metadata carries it
    __version__ = version("mplab")
except PackageNotFoundError:  # run from a checkout that was never installed
    __version__ = "0+unknown"
