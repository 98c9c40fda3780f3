"""The merger and the report: bad, odd and conflicting inputs never crash it or hide a cell."""

from __future__ import annotations

import copy
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from lab import merge, report, results
from lab.status import Status

try:  # GitHub's own renderer; it has no wheel for 3.15 yet (see pyproject.toml)
    import cmarkgfm
    from cmarkgfm.cmark import Options
except ImportError:
    cmarkgfm = None
needs_cmark = pytest.mark.skipif(
    cmarkgfm is None, reason="cmarkgfm is not installed: it has no wheel for this Python yet, "
    "and markdown-it-py renders the same hostile inputs")


SPEC = {
    "nodeid": "tests/test_module_state.py::test_where_the_childs_value_comes_from[fork]",
    "claim": "C12", "example": "random_state", "start_method": "fork", "outcome": "passed",
    "observed": "inherited from the parent", "expected": "inherited from the parent",
    "evidence": ["pid:1, num is 5", "pid:2, num is 5"], "duration": 0.1,
}


def doc(platform="linux", python="3.12.1", specs=None, label="cell"):
    return {
        "schema": "mplab-results", "version": results.SCHEMA_VERSION,
        "created": "2026-11-29T00:00:00Z",
        "run": {"platform": platform, "platform_name": platform, "python": python,
                "implementation": "CPython", "start_methods": ["fork", "spawn", "forkserver"],
                "default_start_method": "fork", "label": label},
        "specs": [copy.deepcopy(SPEC)] if specs is None else specs,
    }


def put(folder: Path, name: str, content) -> Path:
    path = folder / f"mplab-results-{name}.json"
    path.write_text(content if isinstance(content, str) else json.dumps(content),
                    encoding="utf-8")
    return path


def test_a_missing_platform_is_not_run_never_passed(tmp_path):
    put(tmp_path, "a", doc())
    m = merge.merge([tmp_path])
    assert m.claim_status("C12", merge.Column("linux", "3.12")) is Status.PASSED
    assert m.claim_status("C12", merge.Column("win32", "3.12")) is Status.NOT_RUN
    assert "Not run: " in report.render_markdown(m)


def test_broken_files_are_named_and_the_rest_merge(tmp_path):
    put(tmp_path, "good", doc())
    put(tmp_path, "truncated", json.dumps(doc())[:50])
    put(tmp_path, "foreign", {"hello": "world"})
    put(tmp_path, "future", {**doc(), "version": 99})
    put(tmp_path, "wrong-type", {**doc(), "specs": "nope"})
    m = merge.merge([tmp_path])
    assert len(m.files) == 1
    assert len(m.problems) == 4
    for name, words in [("truncated", "not JSON"), ("foreign", "not an mplab results file"),
                        ("future", "schema version 99"), ("wrong-type", "invalid at specs")]:
        line = next(p for p in m.problems if f"mplab-results-{name}.json" in p)
        assert words in line and "\n" not in line


def test_two_runs_of_one_release_that_disagree_are_a_conflict(tmp_path):
    other = copy.deepcopy(SPEC)
    other.update(outcome="failed", observed="re-drawn in the child")
    put(tmp_path, "a", doc(python="3.13.0"))
    put(tmp_path, "b", doc(python="3.13.0", specs=[other]))
    m = merge.merge([tmp_path])
    column = merge.Column("linux", "3.13")
    assert m.claim_status("C12", column) is Status.CONFLICT
    html = report.render_html(m)
    assert "runs disagree" in html and "3.13.0" in html


def test_two_releases_that_behave_differently_get_a_column_each(tmp_path):
    other = copy.deepcopy(SPEC)
    other.update(observed="inherited from the fork server")
    put(tmp_path, "a", {**doc(python="3.13.0"), "run": {**doc(python="3.13.0")["run"],
                                                        "build": "pyenv"}})
    put(tmp_path, "b", {**doc(python="3.13.18", specs=[other]),
                        "run": {**doc(python="3.13.18")["run"], "build": "Debian"}})
    m = merge.merge([tmp_path])
    old, new = merge.Column("linux", "3.13.0"), merge.Column("linux", "3.13.18")
    assert merge.Column("linux", "3.13") not in m.columns and {old, new} <= set(m.columns)
    assert m.columns.index(old) + 1 == m.columns.index(new)
    assert [m.claim_status("C12", c) for c in (old, new)] == [Status.PASSED, Status.PASSED]
    (row,) = m.rows["C12"]
    assert [row.cells[c].results[0].observed for c in (old, new)] == [
        SPEC["observed"], "inherited from the fork server"]
    assert (m.interpreters(old), m.interpreters(new)) == (["3.13.0 (pyenv)"],
                                                         ["3.13.18 (Debian)"])
    html = report.render_html(m)
    assert "Linux 3.13.0<br><small class=\"interp\">3.13.0 (pyenv)" in html
    assert "Linux 3.13.18: 3.13.18 (Debian)" in report.render_markdown(m).replace("\\", "")


def test_two_releases_that_agree_stay_one_column(tmp_path):
    put(tmp_path, "a", doc(python="3.13.0"))
    put(tmp_path, "b", doc(python="3.13.18"))
    m = merge.merge([tmp_path])
    assert merge.Column("linux", "3.13") in m.columns
    assert m.interpreters(merge.Column("linux", "3.13")) == ["3.13.0", "3.13.18"]


def test_two_runs_that_agree_are_one_result(tmp_path):
    put(tmp_path, "a", doc())
    put(tmp_path, "b", doc())
    m = merge.merge([tmp_path])
    assert m.claim_status("C12", merge.Column("linux", "3.12")) is Status.PASSED


def test_outcomes_are_ranked_worst_first(tmp_path):
    specs = []
    for i, outcome in enumerate(["passed", "skipped", "timeout"]):
        s = copy.deepcopy(SPEC)
        s.update(nodeid=f"t.py::t{i}[fork]", outcome=outcome)
        specs.append(s)
    put(tmp_path, "a", doc(specs=specs))
    m = merge.merge([tmp_path])
    assert m.claim_status("C12", merge.Column("linux", "3.12")) is Status.TIMEOUT
    assert "⏱️" in report.render_markdown(m)


def test_evidence_is_escaped_in_html_and_markdown(tmp_path):
    evil = copy.deepcopy(SPEC)
    evil["evidence"] = ["<script>alert(1)</script>", "a | b"]
    evil["observed"] = "<img src=x onerror=alert(1)>"
    evil["outcome"] = "failed"
    put(tmp_path, "a", doc(specs=[evil], label="<b>cell</b>"))
    m = merge.merge([tmp_path])
    html = report.render_html(m)
    assert "<script>" not in html and "<img" not in html and "<b>cell" not in html
    assert "&lt;script&gt;" in html
    md = report.render_markdown(m)
    assert "<" not in md.replace("&lt;", "")


def test_markdown_is_capped(tmp_path):
    put(tmp_path, "a", doc())
    m = merge.merge([tmp_path])
    text = report.render_markdown(m, max_bytes=600)
    assert len(text.encode("utf-8")) <= 600 and "cut to fit" in text


def test_html_is_self_contained(tmp_path):
    put(tmp_path, "a", doc())
    html = report.render_html(merge.merge([tmp_path]))
    # Links to sources are fine; nothing the page loads may come from the network.
    assert not re.search(r"<(script|link|img|iframe)\b", html)
    assert "@import" not in html and "url(" not in html


class _Tags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.open: list[str] = []
        self.errors: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in ("meta", "br", "input", "link", "img"):
            self.open.append(tag)

    def handle_endtag(self, tag):
        if not self.open or self.open[-1] != tag:
            self.errors.append(f"unbalanced </{tag}>, open: {self.open[-3:]}")
        else:
            self.open.pop()


def test_html_is_well_formed(tmp_path):
    put(tmp_path, "a", doc())
    put(tmp_path, "broken", "{")
    parser = _Tags()
    parser.feed(report.render_html(merge.merge([tmp_path])))
    assert parser.errors == [] and parser.open == []


def test_real_results_merge(tmp_path):
    put(tmp_path, "a", doc())
    path = results.write(tmp_path / "mplab-results-w.json", doc(platform="win32"))
    assert results.read(path)["run"]["platform"] == "win32"


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=8), children, max_size=4),
    max_leaves=20,
)


def mutated_docs():
    """Valid documents with one field replaced by anything at all."""
    base = doc()

    def mutate(value, where):
        d = copy.deepcopy(base)
        target = d
        for key in where[:-1]:
            target = target[key]
        target[where[-1]] = value
        return d

    fields = [("schema",), ("version",), ("created",), ("run",), ("specs",),
              ("run", "platform"), ("run", "python"), ("specs", 0),
              ("specs", 0, "outcome"), ("specs", 0, "observed"), ("specs", 0, "nodeid"),
              ("specs", 0, "start_method"), ("specs", 0, "evidence")]
    return st.builds(mutate, json_values, st.sampled_from(fields))


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.one_of(json_values, mutated_docs(), st.text(), st.binary()))
def test_merge_never_crashes(tmp_path_factory, content):
    folder = tmp_path_factory.mktemp("fuzz")
    path = folder / "mplab-results-fuzz.json"
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content if isinstance(content, str) else json.dumps(content),
                        encoding="utf-8")
    put(folder, "good", doc())
    m = merge.merge([folder])
    assert len(m.files) + len(m.problems) == 2
    assert str(folder / "mplab-results-good.json") in m.files
    report.render_markdown(m)  # the refused file's problem is text here, as in the page
    if len(m.files) == 2:  # refused, the file adds only its problem line, rendered just above
        report.render_html(m)


def test_a_byte_order_mark_is_accepted(tmp_path):
    # Windows tools (PowerShell 5's Out-File, Notepad) write UTF-8 with a BOM.
    path = tmp_path / "mplab-results-bom.json"
    path.write_bytes(b"\xef\xbb\xbf" + json.dumps(doc(label="日本")).encode("utf-8"))
    assert results.read(path)["run"]["label"] == "日本"
    m = merge.merge([tmp_path])
    assert (m.files, m.problems) == ([str(path)], [])


def test_each_file_merges_once_however_it_is_named(tmp_path):
    a = put(tmp_path, "a", doc())
    hard = tmp_path / "hard.json"
    os.link(a, hard)
    m = merge.merge([a, a, tmp_path, hard])
    assert m.files == [str(a)] and m.problems == []
    assert m.skipped == [f"{a}: given twice, merged once", f"{a}: given twice, merged once",
                         f"{hard}: the same file as {a}, merged once"]


@pytest.mark.skipif(sys.platform == "win32", reason="symbolic links need a privilege there")
def test_a_link_to_a_file_merges_it_once(tmp_path):
    a = put(tmp_path, "a", doc())
    link = tmp_path / "link.json"
    link.symlink_to(a)
    m = merge.merge([link, tmp_path])
    assert m.files == [str(link)] and m.skipped == [f"{a}: the same file as {link}, merged once"]


def test_a_snapshot_leaves_out_an_earlier_runs_files(tmp_path):
    old = put(tmp_path, "old", doc(python="3.11.1"))
    kept = put(tmp_path, "rewritten", doc(python="3.10.1"))
    before = merge.snapshot([tmp_path])
    new = put(tmp_path, "new", doc())
    results.write(kept, doc(python="3.10.2"))  # rewritten by this run: a new file
    m = merge.merge([tmp_path], exclude=before)
    assert m.files == [str(new), str(kept)]
    assert m.skipped == [f"{old}: there before this run"]


CANNOT_LIST = """
import json, os
from lab import merge
merge.merge(["."])  # reads the lab's data files while it still may
if os.geteuid() == 0:  # root lists any folder: drop to nobody for the walk
    os.setgid(65534)
    os.setuid(65534)
m = merge.merge(["."])
print(json.dumps([m.files, m.problems]))
"""


@pytest.mark.skipif(sys.platform == "win32", reason="no permission bits to take away there")
def test_a_folder_that_cannot_be_listed_is_named(tmp_path):
    put(tmp_path, "good", doc())
    locked = tmp_path / "locked"
    locked.mkdir()
    put(locked, "hidden", doc(platform="darwin"))
    locked.chmod(0)
    tmp_path.chmod(0o755)
    try:
        done = subprocess.run([sys.executable, "-c", CANNOT_LIST], cwd=tmp_path,
                              capture_output=True, text=True, timeout=60)
    finally:
        locked.chmod(0o755)
    assert done.returncode == 0, done.stderr
    files, problems = json.loads(done.stdout)
    assert files == ["mplab-results-good.json"]
    assert problems == [f"{os.path.join('.', 'locked')}: folder not searched (permission denied)"]


HOSTILE = [
    "[x](https://evil.example/a)", "![x](http://e/x.png)", "<script>alert(1)</script>",
    "*bold*", "_it_", "**strong**", "__strong__", "~~gone~~", "`code`", "https://evil.example",
    "<https://evil.example>", "www.evil.example", "evil@example.com", "@someone",
    "mailto:a@b.co", "a | b", "line\nbreak", "&lt;b&gt; &amp;", "\\*still text\\*",
    "[ref]: https://evil.example", "# heading", "- item", "1. item", "> quote", "{x} +1 !",
]


class _Rendered(HTMLParser):
    """Where each tag of rendered Markdown is, and the text of each table row's cells."""

    def __init__(self):
        super().__init__()
        self.path: list[str] = []
        self.tags: list[tuple[str, tuple[str, ...]]] = []
        self.rows: list[list[str]] = []
        self.items: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, tuple(self.path)))
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self.rows[-1].append("")
        elif tag == "li":
            self.items.append("")
        if tag not in ("br", "img", "hr", "input"):
            self.path.append(tag)

    def handle_endtag(self, tag):
        if tag in self.path:
            del self.path[len(self.path) - 1 - self.path[::-1].index(tag):]

    def handle_data(self, data):
        if self.path and self.path[-1] in ("td", "th"):
            self.rows[-1][-1] += data
        elif self.path and self.path[-1] == "li":
            self.items[-1] += data


def _github(text: str) -> str:
    # Unsafe: raw HTML passes through, so any that the Markdown lets in is seen here.
    return cmarkgfm.github_flavored_markdown_to_html(text, options=Options.CMARK_OPT_UNSAFE)


@pytest.mark.parametrize("render", [pytest.param(_github, marks=needs_cmark),
                                    MarkdownIt("gfm-like").render],
                         ids=["cmark-gfm", "markdown-it-gfm-like"])
def test_markdown_from_hostile_results_renders_as_plain_text(tmp_path, render):
    specs = []
    for i, text in enumerate(HOSTILE):
        s = copy.deepcopy(SPEC)
        s.update(claim=text, nodeid=f"t.py::t{i}")
        specs.append(s)
    put(tmp_path, "a", doc(specs=specs))
    # Not a platform the schema knows: its message quotes the value into "Files not merged".
    put(tmp_path, "b", {**doc(), "run": {**doc()["run"], "platform": HOSTILE[0]}})
    md = report.render_markdown(merge.merge([tmp_path]))
    page = _Rendered()
    page.feed(render(md))
    in_results = [(tag, where) for tag, where in page.tags if "table" in where or "ul" in where]
    assert {tag for tag, _ in in_results} <= {"thead", "tbody", "tr", "th", "td", "li"}, md
    width = len(page.rows[0])
    # The word joiner after @ is invisible: the text reads as given.
    shown = {row[0].replace(report.WORD_JOINER, ""): row for row in page.rows[1:]}
    for text in HOSTILE:
        row = shown.get(text.replace("\n", " "))
        assert row is not None, (text, md)
        assert len(row) == width
    (problem,) = page.items
    assert f"{HOSTILE[0]!r} is not one of" in problem


@needs_cmark
@settings(max_examples=300, deadline=None)
@given(text=st.text(st.characters(min_codepoint=32, max_codepoint=126) | st.sampled_from(
    "\n\t\u00a0é漢@")))
def test_any_text_shows_as_itself_in_a_markdown_cell(text):
    page = _Rendered()
    page.feed(_github(f"| a |\n| --- |\n| {report._md(text)} |\n"))
    cell = page.rows[1][0].replace(report.WORD_JOINER, "")
    expected = "".join(c if c.isprintable() else " " for c in text)
    assert cell.strip(" ") == expected.strip(" ")
    assert [tag for tag, _ in page.tags] == ["table", "thead", "tr", "th", "tbody", "tr", "td"]


def test_the_expectations_source_is_kept_and_shown(tmp_path):
    sourced = {**SPEC, "expected_source": "fork() copies the parent's <memory>"}
    path = results.write(tmp_path / "mplab-results-s.json", doc(specs=[sourced]))
    assert results.read(path)["specs"][0]["expected_source"] == sourced["expected_source"]
    html = report.render_html(merge.merge([tmp_path]))
    assert "(source: fork() copies the parent&#39;s &lt;memory&gt;)" in html


def test_a_result_without_a_source_shows_none(tmp_path):
    put(tmp_path, "a", doc())
    assert "(source:" not in report.render_html(merge.merge([tmp_path]))


def _entry(**changes):
    entry = copy.deepcopy(SPEC)
    entry.update(changes)
    return entry


def test_specs_merge_by_name_parameters_and_start_method(tmp_path):
    named = {"name": "t.py::t", "claim": "C12"}
    put(tmp_path, "a", doc(python="3.12.1", specs=[
        _entry(nodeid="t.py::t[fork-a-b]", params={"line": "a-b"}, **named),
        _entry(nodeid="t.py::t[spawn-a-b]", params={"line": "a-b"}, start_method="spawn",
               **named),
        _entry(nodeid="t.py::t[fork-fork]", params={"line": "fork"}, **named)]))
    put(tmp_path, "b", doc(python="3.12.2", specs=[
        _entry(nodeid="t.py::t[fork-a-b]", params={"line": "a-b"}, **named)]))
    rows = merge.merge([tmp_path]).rows["C12"]
    assert [(r.spec, r.start_method, len(r.cells[merge.Column("linux", "3.12")].results))
            for r in rows] == [("t.py::t[line=a-b]", "fork", 2), ("t.py::t[line=a-b]", "spawn", 1),
                               ("t.py::t[line=fork]", "fork", 1)]


def test_a_file_without_names_falls_back_to_the_node_id(tmp_path):
    put(tmp_path, "old", doc(specs=[_entry(nodeid="t.py::t[fork-x]")]))
    (row,) = merge.merge([tmp_path]).rows["C12"]
    assert (row.spec, row.start_method) == ("t.py::t[x]", "fork")


def test_self_tests_are_one_line_below_the_claims_not_a_row(tmp_path):
    mine = {"claim": None, "start_method": None, "observed": None}
    put(tmp_path, "a", doc(specs=[
        copy.deepcopy(SPEC),
        _entry(nodeid="tests/test_cli.py::test_ok", name="tests/test_cli.py::test_ok", **mine),
        _entry(nodeid="tests/test_cli.py::test_bad", name="tests/test_cli.py::test_bad",
               outcome="failed", reason="AssertionError: broken", **mine)]))
    m = merge.merge([tmp_path])
    assert None not in m.rows and all(c.id for c in m.claims)
    line = "Lab self-tests: Linux 3.12: 1 passed, 1 failed."
    assert report.self_test_line(m) == line
    md = report.render_markdown(m)
    assert "self\\-tests |" not in md and report._md(line) in md
    html = report.render_html(m)
    assert "tests/test_cli.py::test_bad</code> in Linux 3.12: FAIL — AssertionError: broken" in html
    assert "test_cli.py::test_ok</code>" not in html
