"""What the lab itself costs: the runner against bare runs, and the test suite against its floor.

    python -m lab.benchmark [--quick | --rigorous] [--time-scale 0.05] [--out DIR]
    python -m lab.benchmark --suite [--out DIR]

The first is ``mplab bench --group runner``: each of the page's examples run bare and through
``lab.runner.run``, timed by pyperf under this Python, with the same table, bench.json and page
as the start methods' measures (lab/bench/). The second runs the test suite once and compares
its wall time with the sum of its distinct program runs' bare times over the cores
(lab/bench/suite.py).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from lab import interpreters
from lab.bench import measures, suite, targets
from lab.bench.run import run_bench
from lab.errors import LabError
from lab.matrix import checkout_root


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lab.benchmark",
                                     description=__doc__.splitlines()[0])
    parser.add_argument("--suite", action="store_true",
                        help="time the test suite against its floor instead")
    effort = parser.add_mutually_exclusive_group()
    effort.add_argument("--quick", dest="mode", action="store_const", const="quick")
    effort.add_argument("--rigorous", dest="mode", action="store_const", const="rigorous")
    parser.add_argument("--time-scale", type=float, default=0.05,
                        help="multiplies the examples' sleeps (default %(default)s)")
    parser.add_argument("--out", type=Path, metavar="DIR",
                        help="default: results/benchmark (--suite: results/suite) in the "
                             "checkout")
    args = parser.parse_args(argv)
    try:
        root = checkout_root()
        if args.suite:
            return suite.run_suite(root, (args.out or root / "results" / "suite").resolve())
        here = targets.local_targets(
            [interpreters.check_supported(interpreters.describe(sys.executable))])
        return run_bench(here, (args.out or root / "results" / "benchmark").resolve(),
                         measures.MODES[args.mode or "default"], measures.selected(["runner"]),
                         Path(),
                         time_scale=args.time_scale)
    except LabError as exc:
        print(f"python -m lab.benchmark: error: {exc}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    raise SystemExit(main())
