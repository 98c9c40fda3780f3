"""mplab: the examples of a tutorial page on processes, run as executable specs.

Each example runs as ``__main__`` of a fresh interpreter under each start method; the specs in
``tests/`` assert what the page claims, and say where it holds only under some start method,
platform or Python version.
"""


def __getattr__(name: str) -> str:
    # Looked up on first use: the programs the lab runs import lab.contract, and package
    # metadata costs every one of their processes time.
    if name != "__version__":
        raise AttributeError(f"module 'lab' has no attribute {name!r}")
    from importlib.metadata import PackageNotFoundError, version

    try:  # pyproject.toml holds the one version; installed, the metadata carries it
        return version("mplab")
    except PackageNotFoundError:  # run from a checkout that was never installed
        return "0+unknown"
