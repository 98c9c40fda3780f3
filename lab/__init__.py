"""mplab: the examples of a tutorial page on processes, run as executable specs.

Each example runs as ``__main__`` of a fresh interpreter under each start method; the specs in
``tests/`` assert what the page claims, and say where it holds only under some start method,
platform or Python version.
"""

__version__ = "0.1.0"
