"""The ``mplab`` command: list the examples, run one beside the page's output.

User mistakes (an unknown example, a start method this platform lacks, a bad number) end with
one line on stderr and exit code 2; an example that crashes or times out ends with one line and
exit code 1, after what it printed.
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import NoReturn

from rich.console import Console
from rich.table import Table

from lab import __version__, catalog, runner
from lab.compare import compare, normalize
from lab.errors import LabError
from lab.platforms import ALL_METHODS, python_version, this_platform


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: error: {message} (see `{self.prog} --help`)\n")


def _number(kind: str):
    def parse(text: str) -> float:
        try:
            return float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"bad {kind} {text!r}: give a number") from None

    return parse


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mplab", description=__doc__.splitlines()[0])
    parser.add_argument("--version", action="version", version=f"mplab {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    sub.add_parser("list", help="the page's examples and what each shows")
    sub.add_parser("platform", help="this platform's start methods, per the lab's table")

    run = sub.add_parser("run", help="run one example, shown beside the page's output")
    run.add_argument("example", help="an example name (see `mplab list`)")
    run.add_argument("--start-method", choices=None, metavar="|".join(ALL_METHODS),
                     help="default: the platform's default start method")
    run.add_argument("--stdout", default="terminal", choices=runner.STDOUT_MODES,
                     help="terminal: line-buffered, as the page's reader saw it (default); "
                          "pipe: block-buffered, as when output goes to a file")
    run.add_argument("--time-scale", type=_number("time scale"), default=1.0,
                     help="multiplies the page's sleeps (default 1: the page's timing)")
    run.add_argument("--timeout", type=_number("timeout"), default=runner.DEFAULT_TIMEOUT,
                     help="seconds before the whole process tree is killed (default %(default)s)")
    run.add_argument("--json", action="store_true", help="print the observation as JSON")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except LabError as exc:
        print(f"mplab: error: {exc}", file=sys.stderr)
        return 2


def cmd_list(args: argparse.Namespace) -> int:
    table = Table(title="The page's examples")
    for column in ("example", "section", "start method", "page output", "note"):
        table.add_column(column)
    for ex in catalog.examples().values():
        note = f"corrects {ex.variant_of} ({ex.erratum})" if ex.variant_of else (
            f"as printed ({ex.erratum})" if ex.erratum else "as printed")
        table.add_row(
            ex.name, ex.section, "applies" if ex.multiprocessing else "none (calls fork())",
            "reproduced" if ex.reproduces_page else ("not this code's" if ex.page_output
                                                     else "none shown"),
            note,
        )
    Console().print(table)
    return 0


def cmd_platform(args: argparse.Namespace) -> int:
    here = this_platform()
    rule = here.default_for(python_version())
    print(f"{here.name}, Python {python_version()}: start methods {', '.join(here.available)}; "
          f"default {rule.method} ({rule.source})")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    example = catalog.get(args.example)
    settings = runner.Settings(
        start_method=args.start_method, stdout=args.stdout, time_scale=args.time_scale,
        timeout=args.timeout,
    )
    obs = runner.run(example, settings)
    if args.json:
        print(json.dumps(obs.to_dict(), indent=2))
    else:
        show_beside_page(example, obs)
    if obs.outcome != "ok":
        print(f"mplab: {obs.summary()}", file=sys.stderr)
        return 1
    return 0


def show_beside_page(example: catalog.Example, obs: runner.Observation) -> None:
    """The run's output next to the page's, line by line, with differences marked."""
    console = Console()
    reference = example.page_output or example.expected_output
    result = compare(example, obs.stdout, expected=reference,
                     across_processes=obs.stdout_mode == "terminal")
    ours = normalize(obs.stdout, example.normalize)
    method = obs.start_method or "default"
    table = Table(title=f"{example.name} — {example.section} "
                        f"(start method: {method}, stdout: {obs.stdout_mode})")
    table.add_column("this run")
    table.add_column("the page" if example.page_output else "the lab's expectation")
    page_norm = normalize(reference, example.normalize)
    for i in range(max(len(obs.stdout), len(reference))):
        mine = obs.stdout[i] if i < len(obs.stdout) else ""
        theirs = reference[i] if i < len(reference) else ""
        same = i < len(ours) and i < len(page_norm) and ours[i] == page_norm[i]
        style = "" if same else "yellow"
        table.add_row(mine, theirs, style=style)
    console.print(table)
    for line in obs.stderr:
        console.print(f"[red]stderr:[/red] {line}", markup=True, highlight=False)
    verdict = "[green]agrees with[/green]" if result.ok else "[red]differs from[/red]"
    console.print(f"{verdict} {'the page' if example.page_output else 'the expectation'}: "
                  f"{result.explain()}  (lines in yellow differ at that position)")
    if example.erratum:
        console.print(f"erratum {example.erratum}: see `docs/claims.md`")


COMMANDS = {"list": cmd_list, "platform": cmd_platform, "run": cmd_run}
