"""The hand-edited data files are read strictly: a typo or a bad value fails at its file:line.

Each case copies a real file into a temporary folder, changes one thing, loads the copy, and
checks that the error names that copy and the line of the change.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from lab import catalog, expectations, ledger, platforms
from lab.datafiles import DATA_DIR, locate
from lab.errors import DataError, LabError


def at(path: Path, line: int) -> str:
    """``path:line`` as a pattern: a Windows path's backslashes are not escapes."""
    return re.escape(f"{path}:{line}")

LOADERS = {
    "examples.toml": catalog.load_examples,
    "expectations.toml": expectations.load_expectations,
    "claims.toml": ledger.load_claims,
    "start_methods.toml": platforms.load_platforms,
}

# (file, a line that holds the change, old text, new text, what the error must say)
CASES = [
    ("expectations.toml", "[child_num_origin]", 'when = { start_method = "spawn" }',
     'when = { start_methods = "spawn" }',
     "unknown key 'start_methods' in a rule's when (known: start_method, platform, python)"),
    ("expectations.toml", "[os_parent_of_child]", 'start_method = "forkserver"',
     'start_method = "fork-server"', "unknown start method 'fork-server'"),
    ("expectations.toml", "[child_num_origin]", 'python = ">=3.14.1"', 'python = "3.14.1+"',
     "is not a version specifier: '3.14.1+'"),
    ("expectations.toml", "[default_run_shares_num]", 'platform = "darwin"',
     'platform = "macos"', "unknown platform 'macos'"),
    ("expectations.toml", "[module_body_names]", "description =", "descripton =",
     "unknown key 'descripton' in an expectation"),
    ("expectations.toml", "[os_parent_of_child]", 'value = "the parent", source =',
     'value = "the parent", sauce =', "unknown key 'sauce' in a rule"),
    ("examples.toml", "[examples.pool]", "multiprocessing = true", "multiprocesing = true",
     "unknown key 'multiprocesing' in an example"),
    ("examples.toml", "[examples.random_state]", 'kind = "python"', 'kind = "py"',
     "unknown kind 'py'"),
    ("examples.toml", "[examples.queue_pair]", "multiprocessing = true",
     'multiprocessing = "yes"', "must be true or false, not a string ('yes')"),
    ("examples.toml", "[examples.pool]", "['pid:\\d+', 'pid:<pid>']",
     "['pid:(\\d+', 'pid:<pid>']", "is not a regular expression"),
    ("examples.toml", "[examples.pool]", '"Task 3 result is: 9",', '"Task 3 result is: 10",',
     "'Task 3 result is: 10' is not a line of pool's expected output"),
    ("examples.toml", "[examples.queue_pair]", 'lines = ["read, 1", "read_task error"',
     'lines = ["read, 2", "read_task error"', "'read, 2' is not a line of queue_pair's"),
    ("examples.toml", "[examples.process_join]", "across_processes = true, why",
     "across_process = true, why", "unknown key 'across_process' in an order relation"),
    ("claims.toml", "[C12]", 'verdict = "conditional"', 'verdict = "conditionnal"',
     "unknown verdict 'conditionnal'"),
    ("claims.toml", "[C05]", "gloss =", "glos =", "unknown key 'glos' in a claim"),
    ("claims.toml", "[E-fork-orphan]", 'url = "https://man7.org/linux/man-pages/man2/prctl',
     'link = "https://man7.org/linux/man-pages/man2/prctl', "unknown key 'link' in a source"),
    ("start_methods.toml", "[platforms.darwin]", 'method = "spawn"', 'method = "spwan"',
     "unknown start method 'spwan'"),
    ("start_methods.toml", "[platforms.linux]", 'python = ">=3.14.0a1"', 'python = "=>3.14.0a1"',
     "is not a version specifier: '=>3.14.0a1'"),
    ("start_methods.toml", "[platforms.win32]", "available =", "availabel =",
     "unknown key 'availabel' in a platform"),
    ("start_methods.toml", "[platforms.win32]", 'method = "spawn"', 'method = "fork"',
     "default start method 'fork' is not among this platform's available ones (spawn)"),
    ("start_methods.toml", "pythons = ", '"3.10"', "3.10", "must be a string, not a number"),
]


def changed_copy(tmp_path: Path, name: str, anchor: str, old: str, new: str) -> tuple[Path, int]:
    """A copy of lab/data/``name`` with the first ``old`` after ``anchor`` made ``new``."""
    text = (DATA_DIR / name).read_text(encoding="utf-8")
    at = text.index(old, text.index(anchor))
    path = tmp_path / name
    path.write_text(text[:at] + new + text[at + len(old):], encoding="utf-8")
    return path, text.count("\n", 0, at) + 1


@pytest.mark.parametrize("name", list(LOADERS))
def test_the_real_files_load(name):
    assert LOADERS[name](DATA_DIR / name)


@pytest.mark.parametrize(("name", "anchor", "old", "new", "message"), CASES,
                         ids=[f"{c[0]}-{c[4][:30]}" for c in CASES])
def test_a_mistake_fails_at_its_line(tmp_path, name, anchor, old, new, message):
    path, line = changed_copy(tmp_path, name, anchor, old, new)
    with pytest.raises(DataError) as caught:
        LOADERS[name](path)
    text = str(caught.value)
    assert text.startswith(f"{path}:{line}: "), text
    assert message in text
    assert "\n" not in text
    assert isinstance(caught.value, LabError)  # so the CLI prints it as one line


def test_a_missing_required_key_names_its_table(tmp_path):
    path, _ = changed_copy(tmp_path, "claims.toml", "[C07]", 'verdict = "holds"\n', "")
    with pytest.raises(DataError, match=r":\d+: a claim \(C07\) lacks the required key "
                                        r"'verdict'") as caught:
        ledger.load_claims(path)
    header = path.read_text(encoding="utf-8").split("\n").index("[C07]") + 1
    assert str(caught.value).startswith(f"{path}:{header}: ")


def test_invalid_toml_names_its_line(tmp_path):
    path, line = changed_copy(tmp_path, "expectations.toml", "[module_body_names]",
                              'claim = "C11"', 'claim = "C11')
    with pytest.raises(DataError, match=rf"^{at(path, line)}: not valid TOML"):
        expectations.load_expectations(path)


def test_reordering_the_expected_output_keeps_every_chain(tmp_path):
    # Relations name lines by their text, so moving lines changes none of them.
    text = (DATA_DIR / "examples.toml").read_text(encoding="utf-8")
    pool = catalog.get("pool")
    page = "\n".join(pool.page_output)
    assert text.count(page) == 1
    shuffled = "\n".join(reversed(pool.page_output))
    (tmp_path / "examples.toml").write_text(text.replace(page, shuffled), encoding="utf-8")
    moved = catalog.load_examples(tmp_path / "examples.toml")["pool"]
    assert moved.expected_output == tuple(reversed(pool.expected_output))
    assert moved.order == pool.order


def test_a_chain_cannot_name_a_line_twice_more_than_the_output_has_it(tmp_path):
    path, line = changed_copy(tmp_path, "examples.toml", "[examples.queue_pair_fixed]",
                              '{ lines = ["write, 2", "read, 2"]',
                              '{ lines = ["write, 2", "write, 2"]')
    with pytest.raises(DataError, match=rf"^{at(path, line)}: 'write, 2' is named 2 times"):
        catalog.load_examples(path)


@pytest.mark.parametrize(("where", "line_text"), [
    (("child_num_origin", "rules", 3, "when", "python"), 'python = ">=3.13.8,<3.14.0a1"'),
    (("module_body_names", "rules", 1), '{ when = {}, value = ["__main__", "__mp_main__"]'),
    (("default_run_shares_num",), "[default_run_shares_num]"),
    (("nowhere", "at", "all"), "# What the lab expects"),
])
def test_locate_walks_tables_arrays_and_inline_tables(where, line_text):
    text = (DATA_DIR / "expectations.toml").read_text(encoding="utf-8")
    assert line_text in text.split("\n")[locate(text, where) - 1]


def test_locate_ignores_keys_inside_strings_and_comments():
    text = 'a = "b = 1"\n# b = 2\nc = """\nb = 3\n"""\nb = 4\n'
    assert locate(text, ("b",)) == 6


def test_every_example_file_exists_and_variants_resolve(tmp_path):
    path, line = changed_copy(tmp_path, "examples.toml", "[examples.os_fork_waited]",
                              'variant_of = "os_fork"', 'variant_of = "os_frok"')
    with pytest.raises(DataError, match=rf"^{at(path, line)}: variant_of names no example"):
        catalog.load_examples(path)
    path, line = changed_copy(tmp_path, "examples.toml", "[examples.pool]",
                              'file = "pool.py"', 'file = "pools.py"')
    with pytest.raises(DataError, match=rf"^{at(path, line)}: no program 'pools.py'"):
        catalog.load_examples(path)


def test_the_lab_names_its_own_files_relative_to_the_checkout():
    from lab.datafiles import Document

    doc = Document(DATA_DIR / "expectations.toml", "a = 1\n", {})
    assert str(doc.error(("a",), "x")) == "lab/data/expectations.toml:1: x"
