"""The behavior view: cells say what was observed, and the Differences view lists what varies.

Results files are built here as the plugin writes them (a label beside each observed value), for
the columns that matter: a start-method difference (C12), a Python-version difference (the
default start method moved in 3.14) and a release difference (the fork server preloads
``__main__`` from 3.13.8 on).
"""

from __future__ import annotations

import copy
import json
import subprocess
import sys

import jsonschema
import pytest
from rich.console import Console
from test_report import doc, put

from lab import matrix_json, merge, report, results, terminal, views
from lab.status import Status

ORIGIN = "tests/test_module_state.py::test_where_the_childs_value_comes_from"
DEFAULT = "tests/test_module_state.py::test_page_program_as_a_reader_runs_it"
LABELS = {"fork": "inherited from the parent", "spawn": "re-drawn in the child"}


def origin(method, label, outcome="passed"):
    return {"nodeid": f"{ORIGIN}[{method}]", "name": ORIGIN, "params": {}, "claim": "C12",
            "start_method": method, "outcome": outcome, "observed": label, "expected": label,
            "label": label}


def default_run(shares):
    label = "the child shares the parent's num" if shares else "the child draws its own num"
    return {"nodeid": DEFAULT, "name": DEFAULT, "params": {}, "claim": "C12",
            "start_method": None, "outcome": "passed", "observed": shares, "expected": shares,
            "label": label}


def run_of(python, forkserver, shares):
    return doc(python=python, label=f"py{python}", specs=[
        origin("fork", LABELS["fork"]), origin("spawn", LABELS["spawn"]),
        origin("forkserver", forkserver), default_run(shares)])


@pytest.fixture
def pythons(tmp_path):
    """3.12 and 3.13.0: fork is the default and the fork server re-draws; 3.13.18: it hands down
    its own draw; 3.14.1: forkserver is the default."""
    put(tmp_path, "a", run_of("3.12.1", "re-drawn in the child", True))
    put(tmp_path, "b", run_of("3.13.0", "re-drawn in the child", True))
    put(tmp_path, "c", run_of("3.13.18", "inherited from the fork server", True))
    put(tmp_path, "d", run_of("3.14.1", "inherited from the fork server", False))
    return merge.merge([tmp_path])


def column(m, title):
    (found,) = [c for c in m.columns if c.title == title]
    return found


def test_a_cell_says_what_each_start_method_observed(pythons):
    cell = views.claim_cell(pythons, "C12", column(pythons, "Linux 3.12"))
    assert cell.text() == "fork: parent's · spawn: re-drawn · forkserver: re-drawn"
    assert cell.text(short=False) == ("fork: inherited from the parent · spawn: re-drawn in the "
                                      "child · forkserver: re-drawn in the child")
    assert cell.status is Status.PASSED


def test_a_cell_where_every_method_agrees_is_one_word(tmp_path):
    put(tmp_path, "a", doc(specs=[origin(m, "the parent") for m in ("fork", "spawn")]))
    m = merge.merge([tmp_path])
    cell = views.claim_cell(m, "C12", column(m, "Linux 3.12"))
    assert cell.collapsed and cell.words() == [("", "parent", Status.PASSED)]


def test_a_failed_part_keeps_its_words_and_its_colour(tmp_path):
    put(tmp_path, "a", doc(specs=[origin("fork", LABELS["fork"]),
                                  origin("spawn", "inherited from the parent", "failed")]))
    m = merge.merge([tmp_path])
    cell = views.claim_cell(m, "C12", column(m, "Linux 3.12"))
    assert cell.words() == [("fork", "parent's", Status.PASSED),
                            ("spawn", "parent's", Status.FAILED)]
    assert cell.status is Status.FAILED
    assert "| fork: parent\\'s · ❌ spawn: parent\\'s |" in report.render_markdown(m)


def test_the_differences_hold_the_three_kinds_of_boundary(pythons):
    diffs = {d.name: d for d in views.differences(pythons)}
    assert set(diffs) == {ORIGIN, DEFAULT}
    by_method = diffs[ORIGIN]
    assert by_method.varies_by == ["start method", "Python"]
    assert [(w.title, w.label) for w in by_method.by_method["fork"]] == [
        ("Linux 3.12–3.14", "inherited from the parent")]
    assert [(w.title, w.label) for w in by_method.by_method["forkserver"]] == [
        ("Linux 3.12–3.13.0", "re-drawn in the child"),
        ("Linux 3.13.18–3.14", "inherited from the fork server")]
    by_python = diffs[DEFAULT]
    assert by_python.varies_by == ["Python"]
    assert [(w.title, w.label) for w in by_python.by_method[None]] == [
        ("Linux 3.12–3.13.18", "the child shares the parent's num"),
        ("Linux 3.14", "the child draws its own num")]


def test_what_does_not_vary_is_no_difference(tmp_path):
    put(tmp_path, "a", doc(specs=[origin(m, "the parent") for m in ("fork", "spawn")]))
    assert views.differences(merge.merge([tmp_path])) == []


def test_differences_come_first_in_the_markdown_and_the_html(pythons):
    text = report.render_markdown(pythons)
    assert text.index("### Differences") < text.index("### Claims")
    row = next(line for line in text.splitlines() if "where the childs value" in line)
    assert "Linux 3.12–3.13.0: re\\-drawn in the child; Linux 3.13.18–3.14: inherited" in row
    html = report.render_html(pythons)
    assert html.index('id="differences"') < html.index('id="summary"')
    assert 'data-method="forkserver"' in html and "inherited from the fork server" in html


def test_an_old_file_merges_and_says_it_has_no_labels(tmp_path):
    old = doc(specs=[origin("fork", LABELS["fork"])])
    old["version"] = 1
    del old["specs"][0]["label"]
    put(tmp_path, "old", old)
    m = merge.merge([tmp_path])
    assert m.files and not m.problems
    cell = views.claim_cell(m, "C12", column(m, "Linux 3.12"))
    assert (cell.text(), cell.note) == ("pass", views.NO_LABELS_NOTE)
    assert "| pass † |" in report.render_markdown(m)
    assert 'id="no-labels-note"' in report.render_html(m)


def test_a_label_is_rejected_in_a_version_1_file(tmp_path):
    old = doc(specs=[origin("fork", LABELS["fork"])])
    old["version"] = 1
    with pytest.raises(results.ResultsError, match="invalid at specs/0"):
        results.read(put(tmp_path, "old", old))


def test_labels_from_results_files_cannot_inject_markup(tmp_path):
    hostile = "<img src=x onerror=alert(1)> [link](http://x) | pipe"
    put(tmp_path, "a", doc(specs=[origin("fork", hostile), origin("spawn", "fine")]))
    m = merge.merge([tmp_path])
    assert "<img" not in report.render_html(m)
    md = report.render_markdown(m)
    assert "<img" not in md and "[link](" not in md and " | pipe" not in md


def test_the_json_matrix_validates_and_carries_the_labels(pythons):
    doc_ = json.loads(matrix_json.render(pythons))
    jsonschema.validate(doc_, matrix_json.schema())
    cell = next(c for c in doc_["claims"] if c["id"] == "C12")["cells"]["Linux 3.13.18"]
    assert [p["label"] for p in cell["parts"]] == [
        LABELS["fork"], LABELS["spawn"], "inherited from the fork server"]
    assert {d["spec"] for d in doc_["differences"]} == {ORIGIN, DEFAULT}


def test_report_format_json_on_the_command_line(pythons, tmp_path):
    proc = subprocess.run([sys.executable, "-m", "lab", "report", str(tmp_path), "--format",
                           "json", "--html", str(tmp_path / "m.html")],
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["schema"] == "mplab-matrix"


def test_the_terminal_fits_100_columns_or_says_what_it_left_out(tmp_path):
    # Eight Pythons that each observe something else: no two columns can merge.
    for i in range(8):
        put(tmp_path, f"p{i}", doc(python=f"3.{i + 8}.0", specs=[
            origin("fork", f"label number {i} is long"), origin("spawn", f"s{i}")]))
    m = merge.merge([tmp_path])
    console = Console(width=160, record=True, color_system=None)
    terminal.show(m, console, html="REPORT.html")
    text = console.export_text()
    assert max(len(line) for line in text.splitlines()) <= 100
    assert "do not fit in 100 columns" in text and "see REPORT.html" in text


def test_equal_columns_merge_in_the_terminal(pythons):
    groups = views.column_groups(pythons, report.reported_columns(pythons))
    assert [views.group_title(g) for g in groups] == [
        "Linux 3.12–3.13.0", "Linux 3.13.18", "Linux 3.14"]


@pytest.mark.parametrize(("label", "limit", "short"), [
    ("inherited from the fork server", None, "server's"),  # lab/data/labels.toml
    ("RuntimeError: context has already been set", 18, "RuntimeError"),
    ("a label far too long for a cell", 18, "a label far too l…"),
    ("short", 18, "short"),
])
def test_short_labels(label, limit, short):
    assert views.short_label(label, limit) == short


def test_a_spec_without_labels_still_says_its_outcome(tmp_path):
    spec = copy.deepcopy(origin("fork", "x"))
    del spec["label"]
    put(tmp_path, "a", doc(specs=[spec]))
    m = merge.merge([tmp_path])
    assert views.claim_cell(m, "C12", column(m, "Linux 3.12")).text() == "pass"


def test_windows_under_wine_is_a_column_of_its_own_and_says_so(tmp_path):
    # A Windows build under Wine is evidence about Windows, not Windows: its results must not
    # merge into a real Windows column, and every view names the stand-in.
    put(tmp_path, "linux", run_of("3.13.0", "re-drawn in the child", True))
    wine = doc(platform="win32", python="3.13.2", label="wine-py3.13", specs=[
        origin("spawn", LABELS["spawn"]), default_run(False)])
    wine["run"]["build"] = "python.org embeddable under Wine 8.0"
    put(tmp_path, "wine", wine)
    real = doc(platform="win32", python="3.13.1", label="windows-py3.13", specs=[
        origin("spawn", LABELS["spawn"]), default_run(False)])
    real["run"]["build"] = "setup-python"
    put(tmp_path, "real", real)
    m = merge.merge([tmp_path])
    assert column(m, "Windows 3.13 (Wine 8.0)").stand_in == "Wine 8.0"
    assert m.interpreters(column(m, "Windows 3.13 (Wine 8.0)")) == [
        "3.13.2 (python.org embeddable under Wine 8.0)"]
    assert m.interpreters(column(m, "Windows 3.13")) == ["3.13.1 (setup-python)"]
    (diff,) = [d for d in views.differences(m) if d.name == DEFAULT]
    assert [w.title for w in diff.by_method[None]] == [
        "Linux 3.13", "Windows 3.13", "Windows 3.13 (Wine 8.0)"]
    assert "Wine 8.0" in report.render_markdown(m)
    assert 'id="stand-in-note"' in report.render_html(m)
    document = matrix_json.document(m)
    jsonschema.validate(document, matrix_json.schema())
    assert {c["title"]: c["stand_in"] for c in document["columns"]}[
        "Windows 3.13 (Wine 8.0)"] == "Wine 8.0"
