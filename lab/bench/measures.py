"""What ``mplab bench`` measures and how hard it tries: data, read by the planner, the summary,
the table and the page alike, so that a measure is described once.

Each measure is produced by one worker script under ``lab/bench/target/`` (``script``), run once
per start method (``per_method``) or once under the platform's default (the runner's overhead,
which is about the lab, not about start methods).
"""

from __future__ import annotations

from dataclasses import dataclass

GROUPS = {
    "start": "Start methods",
    "runner": "The lab's runner",
}


@dataclass(frozen=True)
class Measure:
    id: str
    title: str
    unit: str  # pyperf's: "second" or "byte"
    script: str  # the worker under lab/bench/target/ that produces it
    what: str  # one paragraph: what is timed or counted, and why
    group: str = "start"
    per_method: bool = True
    first_only: bool = False  # one value per fresh interpreter: pyperf may not repeat it in-process


MEASURES: tuple[Measure, ...] = (
    Measure(
        "process_first", "First Process: start + join", "second", "startup.py",
        "Start and join one Process that does nothing, as the first of a fresh interpreter. Under "
        "forkserver this starts the fork server, under spawn and forkserver the resource "
        "tracker: costs paid once per program.", first_only=True),
    Measure(
        "process_next", "Next Process: start + join", "second", "startup.py",
        "Start and join one empty Process after a first one has run: what every further "
        "process costs."),
    Measure(
        "pool_first_result", "Pool(4): creation to first result", "second", "startup.py",
        "Create Pool(4) and wait for the result of one empty task (the pool's teardown is not "
        "timed). A pool starts its four workers at once."),
    Measure(
        "roundtrip_1k", "Round trip of a 1 KiB argument", "second", "startup.py",
        "pool.apply(echo, (1 KiB of bytes,)) on a running Pool(1): pickling, the pipe, and the "
        "result back. The start method should not matter here; the measure shows whether it "
        "does."),
    Measure(
        "roundtrip_1m", "Round trip of a 1 MiB argument", "second", "startup.py",
        "The same with 1 MiB: transfer dominates."),
    Measure(
        "child_uss", "Memory a child adds: USS", "byte", "memory.py",
        "Unique set size of an idle child, after the parent filled a 64 MiB bytearray: the "
        "memory only this child holds, freed when it exits. Under fork the parent's pages are "
        "shared copy-on-write and not counted."),
    Measure(
        "child_pss", "Memory a child adds: PSS", "byte", "memory.py",
        "Proportional set size of the same child: its own pages plus its share of pages it "
        "shares. Under fork it carries half of the parent's 64 MiB, shared with the parent; "
        "a spawned child never had them. Linux only."),
    Measure(
        "example_bare", "An example run bare", "second", "runner_overhead.py",
        "Each of the page's examples as `python example.py` with pipes, at the runner's time "
        "scale: the floor a run through the lab's runner cannot go below.",
        group="runner", per_method=False),
    Measure(
        "example_runner", "An example run through the lab's runner", "second",
        "runner_overhead.py",
        "The same run through lab.runner.run: a report folder, process-group isolation, "
        "reading the reports, checking that nothing was left behind.",
        group="runner", per_method=False),
)

BY_ID = {m.id: m for m in MEASURES}
DEFAULT_GROUPS = ("start",)


@dataclass(frozen=True)
class Mode:
    """How many fresh interpreters (pyperf's processes), values and warm-ups per measure."""

    name: str
    pyperf: tuple[str, ...]  # pyperf options for the repeatable measures
    first_processes: int  # fresh interpreters for a first_only measure (one value each)
    children: int  # children measured per start method by memory.py
    timeout: float  # seconds for one worker script, all its pyperf processes included
    what: str


MODES = {
    "quick": Mode("quick", ("--processes", "1", "--values", "2", "--warmups", "0",
                            "--loops", "1"), 2, 2, 180.0,
                  "a smoke run (the specs use it): two values per figure, no warm-up"),
    "default": Mode("default", ("--processes", "3", "--values", "3", "--warmups", "1",
                                "--min-time", "0.05"), 6, 5, 600.0,
                    "pyperf's --fast, a little lighter: three fresh interpreters per figure"),
    "rigorous": Mode("rigorous", ("--rigorous",), 40, 20, 3600.0,
                     "pyperf's --rigorous: 40 fresh interpreters per figure"),
}


def selected(groups: tuple[str, ...] | list[str]) -> list[Measure]:
    return [m for m in MEASURES if m.group in groups]
