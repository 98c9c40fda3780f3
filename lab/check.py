"""``mplab check PATH.py``: a user's own program under every start method (and Python), compared.

The program runs unedited as ``__main__`` of a fresh interpreter (lab/runner.py ``run_file``)
once per start method the Python has, with the runner's containment: a timeout kills the whole
tree, and processes left running or resources leaked are noted. Each run is compared with a
reference run of the same Python: fork where the platform has it, else the platform's default.
With several Pythons, each one's reference is compared with the first one's as well.

What is compared, after masking what varies from run to run anyway (lab/normalize.py):

- how the run ended: its exit code, or a timeout;
- its stdout, as a multiset of lines: lines of unsynchronized processes may come in any order,
  as lab/compare.py allows where no order is declared (a change of order alone is noted, not
  counted);
- the exceptions on stderr (the last line of each traceback, with the child's name when
  multiprocessing printed it), and stderr's other lines;
- processes left running and leaked-resource warnings.

Differences are explained by the catalog's symptoms where one matches (lab/diagnose.py), and
shown as they are where none does.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lab import diagnose, runner
from lab.errors import LabError
from lab.interpreters import Interpreter
from lab.normalize import Normalizer
from lab.observation import Observation

DEFAULT_TIMEOUT = 60.0
SHOWN = 3  # lines of a minimal diff shown on a difference's one line
BOOTSTRAP_NOTE = "mplab: note:"
PROCESS_HEADER = re.compile(r"^Process (\S+):$")
TRACEBACK = ("Traceback (most recent call last):", "Exception ignored in")
CHAINED = ("During handling of the above exception", "The above exception was the direct cause")
EOF_READ = re.compile(r"^(?:\S+: )?EOFError: EOF when reading a line")
OTHER_PLATFORMS = ("spawn is what macOS (the default since 3.8) and Windows (the only method) "
                   "use; forkserver is Linux's default from Python 3.14.")


@dataclass
class Digest:
    """One run, reduced to what is compared."""

    end: str  # "exit code 0", "timed out after 5 s"
    stdout: list[str]
    exceptions: list[str]
    stderr: list[str]  # stderr's other lines
    leaked: list[str]
    leftovers: int
    notes: list[str]  # the runner's own notes (a start method the program asked for)

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def parse_stderr(lines: list[str]) -> tuple[list[str], list[str], list[str], list[str]]:
    """stderr split into exceptions, other lines, leaked-resource warnings and runner notes.

    An exception is the last line of a traceback, with the message's continuation lines joined,
    and "Process-1: " before it when multiprocessing named the child it happened in.
    """
    exceptions: list[str] = []
    other: list[str] = []
    leaked: list[str] = []
    notes: list[str] = []
    owner: str | None = None
    pending: str | None = None  # a "Process NAME:" line, until we know a traceback follows
    state = "text"
    for line in lines:
        if line.startswith(BOOTSTRAP_NOTE):
            notes.append(line[len(BOOTSTRAP_NOTE):].strip())
            continue
        if "resource_tracker" in line:
            if "leaked" in line:
                leaked.append(line[line.find("resource_tracker"):])
            continue
        header = PROCESS_HEADER.match(line)
        if header:
            if pending:
                other.append(f"Process {pending}:")
            pending = header[1]
            continue
        if line.startswith(TRACEBACK):
            # A chained traceback keeps its owner; a new one belongs to the header before it.
            owner = (pending or owner) if state == "chained" else pending
            pending, state = None, "tb"
            continue
        if state == "tb":
            if not line.strip() or line[:1].isspace():
                continue  # a frame
            exceptions.append((f"{owner}: " if owner else "") + line.strip())
            state = "exc"
            continue
        if state == "exc":
            if line.startswith(CHAINED):
                state = "chained"
                continue
            if not line.strip() or line[:1].isspace():
                if line.strip():
                    exceptions[-1] = f"{exceptions[-1]} {line.strip()}"
                continue
            state, owner = "text", None
        if state == "chained" and not line.strip():
            continue
        if pending:
            other.append(f"Process {pending}:")
            pending = None
        if line.strip():
            other.append(line.rstrip())
    if pending:
        other.append(f"Process {pending}:")
    return exceptions, other, leaked, notes


def digest(obs: Observation, normalizer: Normalizer) -> Digest:
    pids = [obs.root_pid, *obs.seen_pids, *obs.killed, *(r.pid for r in obs.records)]
    exceptions, other, leaked, notes = parse_stderr(obs.stderr)
    end = (f"timed out after {obs.timeout:g} s" if obs.timed_out
           else f"exit code {obs.exit_code}")
    return Digest(end=end, stdout=normalizer.lines(obs.stdout, pids),
                  exceptions=[e[:300] for e in normalizer.lines(exceptions, pids)],
                  stderr=normalizer.lines(other, pids), leaked=normalizer.lines(leaked, pids),
                  leftovers=len(obs.leftovers), notes=notes)


@dataclass
class Difference:
    aspect: str  # end, stdout, exceptions, stderr, leftovers, leaked
    summary: str  # one line
    missing: list[str] = field(default_factory=list)  # the reference's, not this run's
    extra: list[str] = field(default_factory=list)  # this run's, not the reference's

    def to_dict(self) -> dict[str, Any]:
        return dict(self.__dict__)


def _quoted(lines: list[str]) -> str:
    shown = "; ".join(repr(line[:100]) for line in lines[:SHOWN])
    return shown + (f"; and {len(lines) - SHOWN} more" if len(lines) > SHOWN else "")


def _multiset(aspect: str, what: str, mine: list[str], theirs: list[str],
              ref_name: str) -> Difference | None:
    got, want = Counter(mine), Counter(theirs)
    extra, missing = sorted((got - want).elements()), sorted((want - got).elements())
    if not extra and not missing:
        return None
    parts = []
    if extra:
        parts.append(f"{len(extra)} {what} not in {ref_name}'s: {_quoted(extra)}")
    if missing:
        parts.append(f"{len(missing)} of {ref_name}'s {what} missing: {_quoted(missing)}")
    return Difference(aspect, f"{aspect}: " + " | ".join(parts), missing, extra)


def differences(mine: Digest, ref: Digest, ref_name: str) -> tuple[list[Difference], bool]:
    """What differs between two runs, and whether stdout's lines merely came in another order."""
    found: list[Difference] = []
    if mine.end != ref.end:
        found.append(Difference("end", f"{mine.end} ({ref_name}: {ref.end})"))
    for aspect, what, a, b in (("stdout", "line(s)", mine.stdout, ref.stdout),
                               ("exceptions", "exception(s)", mine.exceptions, ref.exceptions),
                               ("stderr", "line(s)", mine.stderr, ref.stderr),
                               ("leaked", "warning(s)", mine.leaked, ref.leaked)):
        diff = _multiset(aspect, what, a, b, ref_name)
        if diff:
            found.append(diff)
    if mine.leftovers != ref.leftovers:
        found.append(Difference("leftovers", f"left {mine.leftovers} process(es) running "
                                             f"({ref_name}: {ref.leftovers}); killed"))
    reordered = mine.stdout != ref.stdout and Counter(mine.stdout) == Counter(ref.stdout)
    return found, reordered


@dataclass
class Run:
    """One program run: a Python and a start method, and how it compares with its reference."""

    python: Interpreter
    method: str
    is_default: bool
    obs: Observation
    digest: Digest
    reference: Run | None = None
    differences: list[Difference] = field(default_factory=list)
    reordered: bool = False
    diagnoses: list[diagnose.Diagnosis] = field(default_factory=list)

    @property
    def name(self) -> str:
        return f"{self.method} on {self.python.version}"

    @property
    def verdict(self) -> str:
        if self.reference is None:
            return "reference"
        ref = self.reference
        what = ref.method if ref.python == self.python else ref.name
        return f"differs from {what}" if self.differences else f"same as {what}"

    @property
    def unrecognized(self) -> list[Difference]:
        """Differences no diagnosis accounts for: every one when there is no diagnosis."""
        return [] if self.diagnoses else list(self.differences)

    def to_dict(self) -> dict[str, Any]:
        return {
            "python": self.python.version, "interpreter": self.python.path,
            "start_method": self.method, "default_method": self.is_default,
            "reference": self.reference.name if self.reference else None,
            "verdict": self.verdict, "differences": [d.to_dict() for d in self.differences],
            "reordered_only": self.reordered,
            "diagnoses": [d.to_dict() for d in self.diagnoses],
            "undiagnosed": bool(self.differences) and not self.diagnoses,
            "end": self.digest.end, "exit_code": self.obs.exit_code,
            "timed_out": self.obs.timed_out, "wall_time": round(self.obs.wall_time, 3),
            "stdout": self.obs.stdout, "stderr": self.obs.stderr,
            "leftovers": self.obs.leftover_commands, "normalized": self.digest.to_dict(),
        }


@dataclass
class Result:
    program: str
    args: list[str]
    runs: list[Run]
    facts: dict[str, str]
    reference_note: str

    @property
    def agree(self) -> bool:
        return not any(r.differences for r in self.runs)

    @property
    def exit_code(self) -> int:
        return 0 if self.agree else 1

    def diagnoses(self) -> list[tuple[diagnose.Diagnosis, list[Run]]]:
        """Each claim diagnosed, once, with the runs it was found in."""
        seen: dict[str, tuple[diagnose.Diagnosis, list[Run]]] = {}
        for run in self.runs:
            for d in run.diagnoses:
                seen.setdefault(d.claim, (d, []))[1].append(run)
        return list(seen.values())

    def to_dict(self) -> dict[str, Any]:
        return {
            "program": self.program, "args": self.args, "agree": self.agree,
            "exit_code": self.exit_code, "reference": self.reference_note,
            "source_facts": self.facts, "runs": [r.to_dict() for r in self.runs],
            "diagnoses": [{**d.to_dict(), "runs": [r.name for r in runs]}
                          for d, runs in self.diagnoses()],
            "differences": [f"{r.name}: {d.summary}" for r in self.runs for d in r.differences],
        }


def check_input(path: str) -> tuple[Path, str]:
    """The program's file and source, or a LabError (one line) for what cannot be checked."""
    file = runner.check_program_file(path)
    source = file.read_text(encoding="utf-8")
    try:
        compile(source, str(file), "exec", dont_inherit=True)
    except SyntaxError as exc:
        if file.suffix != ".py":
            raise LabError(f"{path} is not a Python program (it does not compile: "
                           f"{exc.msg}, line {exc.lineno})") from None
        raise LabError(f"{path} has a syntax error on line {exc.lineno}: {exc.msg} "
                       "(nothing was run)") from None
    except ValueError as exc:
        raise LabError(f"{path} is not a Python program: {exc}") from None
    reads = diagnose.stdin_reads(source)
    if reads:
        raise LabError(f"{path} reads standard input ({', '.join(reads[:3])}): mplab check runs "
                       "it with none; give it its input through a file or an argument "
                       "(nothing was run)")
    return file, source


def _methods(python: str) -> tuple[list[str], str]:
    info = runner.interpreter_info(python)
    return list(info["methods"]), info["default_method"]


def run_check(path: str, args: list[str] | None = None, pythons: list[Interpreter] | None = None,
              timeout: float = DEFAULT_TIMEOUT, ignores: tuple[str, ...] = (),
              stdout: str = "terminal") -> Result:
    """Run ``path`` under every start method of every Python in ``pythons`` and compare."""
    args = list(args or [])
    normalizer = Normalizer(tuple(ignores))
    file, source = check_input(path)
    if pythons is None:
        from lab.interpreters import check_supported, describe
        pythons = [check_supported(describe(sys.executable))]
    runs: list[Run] = []
    note = ""
    for interp in pythons:
        methods, default = _methods(interp.path)
        reference_method = "fork" if "fork" in methods else default
        if not note:
            note = ("fork" if reference_method == "fork" else
                    f"{default}, this platform's default (it has no fork)")
        ordered = [reference_method] + [m for m in methods if m != reference_method]
        mine: list[Run] = []
        for method in ordered:
            settings = runner.Settings(start_method=method, timeout=timeout,
                                       python=interp.path, stdout=stdout)
            obs = runner.run_file(str(file), settings, args)
            mine.append(Run(interp, method, method == default, obs, digest(obs, normalizer)))
        for run in mine[1:]:
            run.reference = mine[0]
        if runs:  # another Python's reference run against the first Python's
            mine[0].reference = runs[0]
        runs.extend(mine)
    stdin_eof = [r.name for r in runs if any(EOF_READ.match(e) for e in r.digest.exceptions)]
    if stdin_eof:
        raise LabError(f"{path} reads standard input (EOFError under {', '.join(stdin_eof)}): "
                       "mplab check runs it with none; give it its input through a file or an "
                       "argument")
    facts = diagnose.source_facts(source)
    for run in runs:
        if run.reference is None:
            continue
        ref = run.reference
        label = ref.method if ref.python == run.python else ref.name
        run.differences, run.reordered = differences(run.digest, ref.digest, label)
        if run.differences:
            run.diagnoses = diagnose.diagnose(run.method, _differing(run, ref, normalizer), facts)
    return Result(path, args, runs, facts, note)


def _differing(run: Run, ref: Run, normalizer: Normalizer) -> dict[str, str]:
    """What ``run`` printed on each stream that ``ref`` did not (stdout: both ways), raw."""
    def new_lines(mine: Observation, theirs: Observation, stream: str) -> list[str]:
        pids = [mine.root_pid, *mine.seen_pids]
        theirs_pids = [theirs.root_pid, *theirs.seen_pids]
        left = Counter(normalizer.lines(getattr(theirs, stream), theirs_pids))
        out = []
        for raw, norm in zip(getattr(mine, stream), normalizer.lines(getattr(mine, stream), pids)):
            if left[norm]:
                left[norm] -= 1
            else:
                out.append(raw)
        return out

    stdout = new_lines(run.obs, ref.obs, "stdout") + new_lines(ref.obs, run.obs, "stdout")
    return {"stdout": "\n".join(stdout), "stderr": "\n".join(new_lines(run.obs, ref.obs,
                                                                       "stderr"))}


def text_lines(result: Result) -> list[str]:
    """The terminal's report: the runs, then one line per difference, then the diagnoses."""
    pythons = sorted({r.python.version for r in result.runs})
    out = [f"mplab check {result.program}: {len(result.runs)} run(s) on Python "
           f"{', '.join(pythons)}; reference: {result.reference_note}"]
    for run in result.runs:
        default = " (this Python's default)" if run.is_default else ""
        order = "; same lines in another order" if run.reordered else ""
        out.append(f"  {run.name}{default}: {run.verdict} [{run.digest.end}]{order}")
    notes = sorted({n for r in result.runs for n in r.digest.notes})
    out += [f"note: {n}" for n in notes]
    for run in result.runs:
        if run.reference is None and run.digest.end != "exit code 0":
            out.append(f"note: the reference run ({run.name}) ended with {run.digest.end}: runs "
                       "that fail alike agree, which says nothing of the program's health")
    if result.agree:
        out.append("all runs agree: the program behaves the same under every start method here")
        return out
    out.append("differences (one line each):")
    for run in result.runs:
        for diff in run.differences:
            out.append(f"{run.name}: {diff.summary}")
    for diag, runs in result.diagnoses():
        where = ", ".join(r.name for r in runs)
        source = "; ".join(f"{t} <{u}>" for t, u in diag.sources[:1])
        out.append(f"diagnosis {diag.claim} ({where}): {diag.diagnosis}. Change: {diag.advice}. "
                   f"Evidence: {diag.evidence}. Source: {source}")
    undiagnosed = [r.name for r in result.runs if r.differences and not r.diagnoses]
    if undiagnosed:
        out.append(f"not recognized by the catalog ({', '.join(undiagnosed)}): the differences "
                   "above are shown as they are")
    if any(r.method in ("spawn", "forkserver") and r.differences for r in result.runs):
        out.append(f"note: {OTHER_PLATFORMS}")
    return out


def render_html(result: Result) -> str:
    from lab.report import templates

    return templates().get_template("check.html.j2").render(
        r=result, other_platforms=OTHER_PLATFORMS)
