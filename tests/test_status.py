"""The status type is the one spelling of an outcome: the schema, docs and views follow it."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from lab import report, results
from lab.status import Status, legend, outcomes, worst

ROOT = Path(__file__).resolve().parent.parent
STATUS_WORDS = {s.value for s in Status}

# Words that are spelled like a status but name something else, where they are.
NOT_A_STATUS = {
    ("lab/cli.py", "build_parser"): "the --timeout option's name",
    ("lab/observation.py", "outcome"): "how one example's run ended: ok, crashed or timeout",
    ("lab/matrix.py", "counts"): "pytest's JUnit XML counts, in the count line's words",
}


def test_the_results_schema_lists_exactly_the_outcomes_of_the_type():
    schema_enum = results.schema()["properties"]["specs"]["items"]["properties"]["outcome"]["enum"]
    assert sorted(schema_enum) == sorted(outcomes())
    assert "conflict" not in schema_enum  # only a merge of several files finds one


def test_worst_follows_the_rank_the_merge_always_used():
    ranked = [Status.CONFLICT, Status.FAILED, Status.ERROR, Status.TIMEOUT, Status.PASSED,
              Status.SKIPPED, Status.NOT_RUN]
    for i, status in enumerate(ranked):
        assert worst(ranked[i:]) is status
        assert worst(reversed(ranked[i:])) is status
    assert worst([]) is Status.NOT_RUN


def test_every_legend_names_every_status():
    for status in Status:
        assert f"{status.label}: {status.phrase}" in legend(words=True)
        assert status.glyph in legend() and status.phrase in legend()
    assert (legend(), legend(words=True)) == (report.LEGEND, report.HTML_LEGEND)


def test_the_ci_docs_legend_has_one_row_per_status():
    text = (ROOT / "docs" / "ci.md").read_text(encoding="utf-8")
    rows = {}
    for line in text.splitlines():
        cells = [c.strip().strip("`") for c in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[2] in STATUS_WORDS:
            rows[cells[2]] = (cells[0], cells[1])
    assert rows == {s.value: (s.glyph, s.label) for s in Status}


class _StatusWords(ast.NodeVisitor):
    """String constants spelled as a status, with the function each is in."""

    def __init__(self) -> None:
        self.function: str | None = None
        self.found: list[tuple[str | None, int, str]] = []

    def visit_FunctionDef(self, node: ast.FunctionDef) -> None:
        outer, self.function = self.function, node.name
        self.generic_visit(node)
        self.function = outer

    def visit_Constant(self, node: ast.Constant) -> None:
        if node.value in STATUS_WORDS:
            self.found.append((self.function, node.lineno, node.value))


def _strings_outside_the_type() -> list[str]:
    found = []
    for path in sorted((ROOT / "lab").glob("*.py")):
        where = path.relative_to(ROOT).as_posix()
        if where == "lab/status.py":
            continue
        words = _StatusWords()
        words.visit(ast.parse(path.read_text(encoding="utf-8")))
        found += [f"{where}:{line} {word!r}" for function, line, word in words.found
                  if (where, function) not in NOT_A_STATUS]
    return found


def test_status_words_are_spelled_only_in_the_type():
    assert _strings_outside_the_type() == []
    template = (ROOT / "lab" / "templates" / "report.html.j2").read_text(encoding="utf-8")
    quoted = set(re.findall(r"""['"]([a-z ]+)['"]""", template))
    assert quoted & STATUS_WORDS == set()
