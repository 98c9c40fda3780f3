"""The ``mplab`` command: list the examples, run one beside the page's output.

User mistakes (an unknown example, a start method this platform lacks, a bad number) end with
one line on stderr and exit code 2; an example that crashes or times out ends with one line and
exit code 1, after what it printed.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import json
import os
import platform
import signal
import sys
from pathlib import Path
from typing import NoReturn

from rich.console import Console
from rich.markup import escape
from rich.table import Table
from rich.text import Text

from lab import __version__, catalog, merge, report, runner
from lab.bench import measures as bench_measures
from lab.bench.page import bench_link
from lab.compare import compare, normalize
from lab.errors import Interrupted, LabError
from lab.platforms import ALL_METHODS, build, python_version, this_platform
from lab.report import MIN_MARKDOWN_BYTES


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


def _bytes_at_least(minimum: int):
    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(
                f"bad size {text!r}: give a whole number of bytes, {minimum} or more") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(
                f"bad size {value}: give a whole number of bytes, {minimum} or more")
        return value

    return parse


def _size(text: str) -> int:
    """A size in MiB ("16", "0.5") or in bytes ("4096B")."""
    try:
        bytes_given = text.upper().endswith("B")
        size = int(text[:-1]) if bytes_given else int(float(text) * 1024 * 1024)
    except (ValueError, OverflowError):
        raise argparse.ArgumentTypeError(
            f"bad output cap {text!r}: give MiB (16) or bytes (4096B)") from None
    if size < 0:
        raise argparse.ArgumentTypeError(f"bad output cap {text!r}: give a size of 0 or more")
    return size


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="mplab", description=__doc__.splitlines()[0].replace("``", "`"))
    parser.add_argument("--version", action="version", version=f"mplab {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    sub.add_parser("list", help="the page's examples and what each shows")
    sub.add_parser("platform", help="this platform's start methods, per the lab's table")

    run = sub.add_parser("run", help="run one example, shown beside the page's output")
    run.add_argument("example", help="an example name (see `mplab list`), probe:NAME for a "
                                     "lab-written probe under lab/probes/, or a path to your "
                                     "own program (PATH.py)")
    run.add_argument("--start-method", choices=None, metavar="|".join(ALL_METHODS),
                     help="default: the platform's default start method")
    run.add_argument("--stdout", default="terminal", choices=runner.STDOUT_MODES,
                     help="terminal: line-buffered, as the page's reader saw it (default); "
                          "pipe: block-buffered, as when output goes to a file")
    run.add_argument("--time-scale", type=_number("time scale"), default=1.0,
                     help="multiplies the page's sleeps (default 1: the page's timing)")
    run.add_argument("--timeout", type=_number("timeout"), default=runner.DEFAULT_TIMEOUT,
                     help="seconds before the whole process tree is killed (default %(default)s)")
    run.add_argument("--max-output", type=_size, default=runner.DEFAULT_MAX_OUTPUT,
                     metavar="SIZE", help="output kept per stream, in MiB (e.g. 16) or bytes "
                                          "(e.g. 4096B); the rest is dropped (default 16)")
    run.add_argument("--json", action="store_true", help="print the observation as JSON")

    matrix = sub.add_parser("matrix", help="run every spec and show the matrix (the main job)")
    matrix.add_argument("--python", action="append", default=[], metavar="PY",
                        help="a Python to run under (path, command or version such as 3.12); "
                             "repeatable. Default: the Python mplab runs on")
    matrix.add_argument("--all-pythons", action="store_true",
                        help="every supported CPython found on PATH or under pyenv")
    matrix.add_argument("--out", type=Path, metavar="DIR",
                        help="where results and the report go (default: a new "
                             "mplab-results-<time> folder)")

    bench = sub.add_parser("bench", help="what each start method costs, per Python (pyperf): "
                                         "a table, bench.json and a page of charts")
    bench.add_argument("--python", action="append", default=[], metavar="PY",
                       help="a Python to measure (path, command or version such as 3.12); "
                            "repeatable. Default: the Python mplab runs on")
    bench.add_argument("--all-pythons", action="store_true",
                       help="every supported CPython found on PATH or under pyenv")
    bench.add_argument("--chroot-python", action="append", default=[], metavar="3.X",
                       help="also measure python3.X inside the chroot that --chroot-runner "
                            "enters (repeatable); --out must then lie inside the checkout")
    bench.add_argument("--chroot-runner", type=Path, metavar="CMD",
                       help="the command that runs `CMD run PROGRAM...` in the chroot "
                            "(default: shared/tools/sid-python beside the checkout)")
    bench.add_argument("--out", type=Path, metavar="DIR",
                       help="where bench.json, bench.html and pyperf's files go (default: a "
                            "new mplab-bench-<time> folder)")
    effort = bench.add_mutually_exclusive_group()
    effort.add_argument("--quick", dest="mode", action="store_const", const="quick",
                        help="a smoke run: two values per figure (seconds, not minutes)")
    effort.add_argument("--rigorous", dest="mode", action="store_const", const="rigorous",
                        help="pyperf's --rigorous: many more fresh interpreters per figure")
    bench.add_argument("--group", action="append", choices=("start", "runner"),
                       help="start: the start methods' costs (default); runner: the lab's "
                            "runner against bare runs, under mplab's Python; repeatable")
    bench.add_argument("--measure", action="append", metavar="ID",
                       choices=[m.id for m in bench_measures.MEASURES],
                       help="only this measure (repeatable; see docs/bench.md): "
                            + ", ".join(m.id for m in bench_measures.MEASURES))
    bench.add_argument("--render", type=Path, metavar="BENCH.json",
                       help="measure nothing: show a summary written earlier and draw its "
                            "page again, beside it")

    check = sub.add_parser("check", help="run your program under every start method and "
                                         "compare (exit 0: all agree, 1: something differs)")
    check.add_argument("program", help="your program file (PATH.py), run unedited as __main__")
    check.add_argument("args", nargs="*", metavar="ARGS",
                       help="the program's own arguments, after `--`")
    check.add_argument("--python", action="append", default=[], metavar="PY",
                       help="a Python to run under (path, command or version such as 3.12); "
                            "repeatable. Default: the Python mplab runs on")
    check.add_argument("--all-pythons", action="store_true",
                       help="every supported CPython found on PATH or under pyenv")
    check.add_argument("--timeout", type=_number("timeout"), default=60.0,
                       help="seconds per run before its process tree is killed "
                            "(default %(default)s)")
    check.add_argument("--ignore", action="append", default=[], metavar="REGEX",
                       help="mask what matches REGEX in every line before comparing; repeatable")
    check.add_argument("--stdout", default="terminal", choices=runner.STDOUT_MODES,
                       help="terminal: line-buffered, as in a terminal (default); pipe: "
                            "block-buffered, as when output goes to a file")
    check.add_argument("--json", action="store_true", help="print the result as JSON")
    check.add_argument("--html", type=Path, metavar="FILE", help="also write an HTML page here")

    report = sub.add_parser("report", help="merge results files into Markdown and HTML")
    report.add_argument("paths", nargs="+", metavar="PATH",
                        help="results files, or folders searched for mplab-results-*.json")
    report.add_argument("--format", choices=("markdown", "json"), default="markdown",
                        help="what to print: the Markdown table (default), or the merged "
                             "matrix as JSON for other tools (docs/results.md)")
    report.add_argument("--markdown", type=Path, metavar="FILE",
                        help="write the Markdown table here (default: print it)")
    report.add_argument("--html", type=Path, metavar="FILE", default=Path("mplab-report.html"),
                        help="write the HTML page here (default: %(default)s)")
    report.add_argument("--max-markdown-bytes", type=_bytes_at_least(MIN_MARKDOWN_BYTES),
                        metavar="N", help="cut the Markdown to at most N bytes, "
                        f"{MIN_MARKDOWN_BYTES} or more (a job summary takes 1 MiB)")
    _add_catalog_commands(sub)
    return parser


def _add_catalog_commands(sub: argparse._SubParsersAction) -> None:
    claims = sub.add_parser("claims", help="the ledger's claims, one line each: id, kind, "
                                           "verdict, title")
    claims.add_argument("--kind", choices=("page", "catalog"),
                        help="only the page's claims and errata, or only the catalog's")
    new = sub.add_parser("new", help="scaffold a catalog behavior: its claim, probe and spec")
    new.add_argument("name", help="the behavior's name, a lowercase identifier "
                                  "(e.g. lambda_target)")
    new.add_argument("--id", dest="claim_id", metavar="LNN",
                     help="its claim id (default: the next free Lnn)")
    new.add_argument("--root", type=Path, default=Path("."),
                     help="the checkout to write into (default: the current folder)")


def _tolerant_streams() -> None:
    """Text the console cannot encode (the page's Chinese on an ASCII stdout) becomes "?".

    On Windows a pipe or a file gets the ANSI code page (cp1252, say), which has no Chinese, so
    the page's section names came out as "?????" wherever output was captured (a CI log, `| more`):
    there the lab writes UTF-8, as Python's UTF-8 mode would. The console itself takes Unicode
    (PEP 528), and an encoding the user chose (PYTHONIOENCODING) is kept.
    """
    to_utf8 = (sys.platform == "win32" and not sys.flags.utf8_mode
               and not os.environ.get("PYTHONIOENCODING"))
    for stream in (sys.stdout, sys.stderr):
        if not hasattr(stream, "reconfigure"):
            continue
        if to_utf8 and not stream.isatty():
            stream.reconfigure(encoding="utf-8", errors="replace")
        else:
            stream.reconfigure(errors="replace")


def _closed_pipe(exc: OSError) -> bool:
    """A write to a pipe whose reader is gone: EPIPE, or on Windows EINVAL with no file named
    (CPython gh-79935: Windows I/O on a broken pipe may raise EINVAL)."""
    return isinstance(exc, BrokenPipeError) or (
        sys.platform == "win32" and exc.errno == errno.EINVAL and exc.filename is None)


def _quiet_broken_pipe() -> int:
    """The reader went away (`mplab report | head -1`): stop without a word, exit code 1.

    As rich does for its own writes, and as Python's docs advise (signal, "Note on SIGPIPE").
    """
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # so the flush at exit cannot fail again
    except (OSError, ValueError):
        pass
    return 1


_STOP_SIGNALS = ("SIGINT", "SIGTERM", "SIGHUP")


def _on_signal(signum: int, frame: object) -> None:
    """Turn SIGINT, SIGTERM and SIGHUP alike into Interrupted, once: a second signal during
    the cleanup the first started is ignored, so the cleanup finishes."""
    for name in _STOP_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), signal.SIG_IGN)
    raise Interrupted(signum)


def main(argv: list[str] | None = None) -> int:
    _tolerant_streams()
    for name in _STOP_SIGNALS:
        if hasattr(signal, name):
            signal.signal(getattr(signal, name), _on_signal)
    try:
        args = build_parser().parse_args(argv)
        code = COMMANDS[args.command](args)
        sys.stdout.flush()  # a closed pipe shows here, not in the interpreter's exit
        return code
    except LabError as exc:
        print(f"mplab: error: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:  # a report or results folder that cannot be written, say
        if _closed_pipe(exc):
            return _quiet_broken_pipe()
        where = f" {exc.filename}" if exc.filename else ""
        print(f"mplab: error: cannot use{where}: {exc.strerror or exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt as exc:
        signum = getattr(exc, "signum", signal.SIGINT)
        obs = getattr(exc, "observation", None)
        killed = f"; killed {len(obs.killed)} process(es)" if obs is not None else ""
        with contextlib.suppress(OSError):
            sys.stdout.flush()
        print(f"mplab: interrupted by {signal.Signals(signum).name}{killed}", file=sys.stderr)
        return 128 + signum


def cmd_list(args: argparse.Namespace) -> int:
    table = Table(title="The page's examples")
    names = catalog.examples()
    # The name is what a user types: never cut it; the other columns fold to fit.
    table.add_column("example", no_wrap=True, min_width=max(map(len, names)))
    for column in ("section", "start method", "page output", "note"):
        table.add_column(column, overflow="fold")
    for ex in names.values():
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
    print(f"{here.name}, Python {platform.python_version()} ({build()} build, {sys.executable}): "
          f"start methods {', '.join(here.available)}; default {rule.method} ({rule.source})")
    return 0


def _is_path(arg: str) -> bool:
    return arg.endswith(".py") or os.sep in arg or bool(os.altsep and os.altsep in arg)


def cmd_run(args: argparse.Namespace) -> int:
    settings = runner.Settings(
        start_method=args.start_method, stdout=args.stdout, time_scale=args.time_scale,
        timeout=args.timeout, max_output_bytes=args.max_output,
    )
    example = None
    try:
        if args.example.startswith("probe:"):
            obs = runner.run_probe(args.example[len("probe:"):], settings)
        elif _is_path(args.example):
            obs = runner.run_file(args.example, settings)
        else:
            example = catalog.get(args.example)
            if args.start_method and not example.multiprocessing:
                print(f"mplab: note: {example.name} calls fork() itself; no start method "
                      "applies", file=sys.stderr)
            obs = runner.run(example, settings)
    except runner.RunInterrupted as exc:
        show(args, example, exc.observation)  # what it printed before the signal
        raise
    show(args, example, obs)
    if obs.outcome != "ok":
        print(f"mplab: {obs.summary()}", file=sys.stderr)
        return 1
    for note in obs.notes():
        print(f"mplab: {obs.example}: {note}", file=sys.stderr)
    return 0


def show(args: argparse.Namespace, example: catalog.Example | None,
         obs: runner.Observation) -> None:
    if args.json:
        print(json.dumps(obs.to_dict(), indent=2))
    elif example is None:
        show_probe(obs)
    else:
        show_beside_page(example, obs)


def show_probe(obs: runner.Observation) -> None:
    """A probe (or a user's program) has no page output: its lines, then what it reported."""
    for line in obs.stdout:
        print(line)
    for line in obs.stderr:
        print(f"stderr: {line}")
    for record in obs.records:
        print(f"reported by pid {record.pid}: {record.key} = {json.dumps(record.value)}")


DIFFERS = "!="  # text, not only colour: it survives a pipe, NO_COLOR and TERM=dumb


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
    table.add_column("", no_wrap=True)  # the text marker of a differing line
    table.add_column("this run", overflow="fold")
    table.add_column("the page" if example.page_output else "the lab's expectation",
                     overflow="fold")
    page_norm = normalize(reference, example.normalize)
    for i in range(max(len(obs.stdout), len(reference))):
        mine = obs.stdout[i] if i < len(obs.stdout) else ""
        theirs = reference[i] if i < len(reference) else ""
        same = i < len(ours) and i < len(page_norm) and ours[i] == page_norm[i]
        table.add_row("" if same else DIFFERS, Text(mine), Text(theirs),
                      style="" if same else "yellow")
    console.print(table)
    for line in obs.stderr:
        console.print(f"[red]stderr:[/red] {escape(line)}", markup=True, highlight=False)
    verdict = "[green]agrees with[/green]" if result.ok else "[red]differs from[/red]"
    console.print(f"{verdict} {'the page' if example.page_output else 'the expectation'}: "
                  f"{escape(result.explain())}  (lines marked {DIFFERS} differ at that position)",
                  highlight=False)
    if example.erratum:
        console.print(f"erratum {example.erratum}: see `docs/claims.md`")


def cmd_matrix(args: argparse.Namespace) -> int:
    from lab import matrix

    pythons = _pythons(args) or [_this_python()]
    return matrix.run_matrix(pythons, args.out or matrix.default_out())


def _pythons(args: argparse.Namespace) -> list:
    """The Pythons that --all-pythons or --python name, one way for every command; [] if none."""
    from lab import interpreters

    if args.all_pythons:
        pythons = interpreters.find_all()
        if not pythons:
            raise LabError(f"no CPython {interpreters.supported_range()} found on PATH or under "
                           "$PYENV_ROOT/versions")
        return pythons
    return [interpreters.resolve(p) for p in args.python or []]


def _this_python():
    from lab import interpreters

    return interpreters.check_supported(interpreters.describe(sys.executable))


def cmd_bench(args: argparse.Namespace) -> int:
    from lab.bench import measures, targets
    from lab.bench.run import render_saved, run_bench
    from lab.matrix import checkout_root

    if args.render:
        return render_saved(args.render, None)
    chroot = targets.chroot_targets(args.chroot_python)  # a bad version: refused before all
    pythons = _pythons(args) or ([] if chroot else [_this_python()])
    out = (args.out or Path(f"mplab-bench-{_now()}")).resolve()
    runner, cwd = Path(), None
    if chroot:
        try:
            cwd = checkout_root(out)
        except LabError:
            raise LabError(f"--out {out} must lie inside the lab's checkout for "
                           "--chroot-python: the chroot sees the checkout only") from None
        runner = args.chroot_runner or cwd.parent / "shared" / "tools" / "sid-python"
        if not os.access(runner, os.X_OK):
            raise LabError(f"no chroot runner at {runner} (give --chroot-runner)")
    if out.exists() and not out.is_dir():
        raise LabError(f"--out {out} is a file: give a folder")
    return run_bench(targets.local_targets(pythons) + chroot, out,
                     measures.MODES[args.mode or "default"], _chosen(args), runner, cwd)


def _chosen(args: argparse.Namespace) -> list:
    """The measures asked for: by id, else by group (the start methods' by default)."""
    from lab.bench import measures

    if args.measure:
        return [m for m in measures.MEASURES if m.id in args.measure]
    return measures.selected(args.group or ["start"])


def _now() -> str:
    from datetime import datetime, timezone

    return datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%S")


def cmd_check(args: argparse.Namespace) -> int:
    from lab import check

    pythons = _pythons(args) or None
    if args.html:
        report.check_writable(args.html)
    result = check.run_check(args.program, args.args, pythons, timeout=args.timeout,
                             ignores=tuple(args.ignore), stdout=args.stdout)
    if args.json:
        print(json.dumps(result.to_dict(), indent=2))
    else:
        for line in check.text_lines(result):
            print(_one_line(line))
    if args.html:
        report.write_text(args.html, check.render_html(result))
    return result.exit_code


def _one_line(text: str) -> str:
    """A name from the file system or a results file, shown on one terminal line as it is."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _same_file(a: Path, b: Path) -> bool:
    try:
        return os.path.samefile(a, b)
    except (OSError, ValueError):  # one does not exist (yet)
        return os.path.normcase(os.path.abspath(a)) == os.path.normcase(os.path.abspath(b))


def _refuse_outputs_among_inputs(args: argparse.Namespace, inputs: list[Path]) -> None:
    """An output that is also an input would be overwritten by the report: nothing recorded may
    be lost, so the report is refused before anything is written."""
    outputs = [(f"--{name}", path) for name, path in (("markdown", args.markdown),
                                                      ("html", args.html)) if path]
    for option, path in outputs:
        if any(_same_file(path, given) for given in inputs):
            raise LabError(f"{option} {path} is also an input: give another file "
                           "(nothing was written)")
    if len(outputs) == 2 and _same_file(outputs[0][1], outputs[1][1]):
        raise LabError(f"--markdown and --html are both {args.html}: give two files "
                       "(nothing was written)")


def cmd_report(args: argparse.Namespace) -> int:
    found = merge.collect(args.paths)
    _refuse_outputs_among_inputs(args, found.files)
    matrix = merge.merge_found(found)
    passed_over = matrix.problems + matrix.skipped
    for line in passed_over:
        print(f"mplab: skipped {_one_line(line)}", file=sys.stderr)
    if not matrix.files:
        print("mplab: error: no results file could be merged; give files or folders that hold "
              "mplab-results-*.json (written by `tox` or `mplab matrix`)", file=sys.stderr)
        return 2
    text = report.write(matrix, args.markdown, args.html, args.max_markdown_bytes,
                        bench_href=bench_link(args.html))
    if args.format == "json":
        from lab import matrix_json

        sys.stdout.write(matrix_json.render(matrix))
    elif not args.markdown:
        sys.stdout.write(text)
    where = f"Markdown: {args.markdown}; " if args.markdown else ""
    print(f"mplab: {len(matrix.files)} results file(s) merged, {len(passed_over)} skipped; "
          f"{where}HTML: {args.html}", file=sys.stderr)
    return 0


def cmd_claims(args: argparse.Namespace) -> int:
    """One line per claim; on a terminal, a long title folds under itself to fit its width."""
    import shutil
    import textwrap

    from lab.ledger import KINDS, claims

    page = [c for c in claims().values() if c.kind in KINDS["page"]]
    catalog = sorted((c for c in claims().values() if c.kind in KINDS["catalog"]),
                     key=lambda c: c.id)
    chosen = {"page": page, "catalog": catalog, None: page + catalog}[args.kind]
    rows = [(c.id, "catalog" if c in catalog else "page", c.verdict, c.gloss) for c in chosen]
    widths = [max((len(row[i]) for row in rows), default=0) for i in range(3)]
    indent = sum(widths) + 2 * len(widths)
    columns = shutil.get_terminal_size().columns
    below = columns - indent < 30  # too narrow beside the columns: the title goes under them
    for row in rows:
        head = "  ".join(cell.ljust(width) for cell, width in zip(row, widths)) + "  "
        if not sys.stdout.isatty():  # a pipe or a file: one line each, for grep and cut
            print(head + row[3])
            continue
        if below:
            print(head.rstrip())
            for line in textwrap.wrap(row[3], max(columns - 4, 20)):
                print("    " + line)
            continue
        title = textwrap.wrap(row[3], columns - indent)
        print(head + title[0])
        for more in title[1:]:
            print(" " * indent + more)
    return 0


def cmd_new(args: argparse.Namespace) -> int:
    from lab import scaffold

    made = scaffold.create(args.root, args.name, args.claim_id)
    print(f"mplab: {made.id} {made.name}: created, to fill in:")
    width = max(len(path.as_posix()) for path, _ in made.files)
    for path, todo in made.files:
        print(f"  {path.as_posix().ljust(width)}  {todo}")
    print("then run, at the top of the checkout:")
    for step in scaffold.next_steps(made):
        print(f"  {step}")
    return 0


COMMANDS = {"list": cmd_list, "platform": cmd_platform, "run": cmd_run, "report": cmd_report,
            "matrix": cmd_matrix, "bench": cmd_bench, "check": cmd_check, "claims": cmd_claims,
            "new": cmd_new}
