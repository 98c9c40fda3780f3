"""Every wait in a probe is bounded, and well below the runner's timeout.

A probe that waits as long as the runner (60 s) ends as a bare timeout when it breaks: no record,
no evidence. Bounded at most at half the runner's timeout, its wait returns first, the probe
reports what it saw (False from Event.wait, a child still alive after join) and the spec fails
with evidence. So this spec reads every lab/probes/*.py (its syntax tree, not a regex) and fails on

- a wait, join, get, acquire or sleep whose timeout (a literal, or a module-level constant such as
  ``WAIT = 20``) is ``DEFAULT_TIMEOUT / 2`` or more, or ``None``;
- such a call with no timeout at all where one can be given: ``Event.wait()``,
  ``Process.join()``, ``Queue.get()``, ``Lock.acquire()``, ``Barrier.wait()``,
  ``AsyncResult.get()``...

Calls that take no timeout (``Pool.join()``, ``os.waitpid``) or a program whose point is to hang
(probes/hang.py) say so on the call's line: ``# unbounded: <why>``.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from lab.runner import DEFAULT_TIMEOUT

PROBES = Path(__file__).resolve().parent.parent / "lab" / "probes"
LIMIT = DEFAULT_TIMEOUT / 2  # 30 s: a bounded wait returns with time left to report
EXEMPT = "# unbounded:"
# method -> (positional index of its timeout, whether the first positional must be a bool
# `block` flag for the call to be the blocking kind: Queue.get(True, 5) but not dict.get(k, 5))
TIMED = {"wait": (0, False), "join": (0, False), "sleep": (0, False),
         "get": (1, True), "acquire": (1, True)}
NOT_WAITS = {("os", "wait"), ("os", "waitpid")}  # no timeout parameter: exempt by name


def _constants(tree: ast.Module) -> dict[str, object]:
    """Module-level NAME = <constant expression> assignments."""
    found: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(
                node.targets[0], ast.Name):
            value = _value(node.value, found)
            if value is not _UNKNOWN:
                found[node.targets[0].id] = value
    return found


_UNKNOWN = object()


def _value(node: ast.AST, names: dict[str, object]) -> object:
    """A literal or an arithmetic expression of literals and known constants, else _UNKNOWN."""
    if isinstance(node, ast.Constant):
        return node.value
    if isinstance(node, ast.Name):
        return names.get(node.id, _UNKNOWN)
    if isinstance(node, ast.BinOp) and isinstance(node.op, (ast.Add, ast.Sub, ast.Mult,
                                                            ast.Div)):
        left, right = _value(node.left, names), _value(node.right, names)
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (left, right)):
            op = {ast.Add: float.__add__, ast.Sub: float.__sub__, ast.Mult: float.__mul__,
                  ast.Div: float.__truediv__}[type(node.op)]
            return op(float(left), float(right))
    return _UNKNOWN


def _number(value: object) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def unbounded_waits(source: str, name: str = "<probe>") -> list[str]:
    """Each wait of a probe's source that is unbounded or too long, as 'name:line: what'."""
    tree = ast.parse(source)
    lines = source.splitlines()
    names = _constants(tree)
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Attribute):
            method = func.attr
            owner = func.value.id if isinstance(func.value, ast.Name) else None
        elif isinstance(func, ast.Name) and func.id == "sleep":
            method, owner = "sleep", None
        else:
            continue
        if method not in TIMED or (owner, method) in NOT_WAITS:
            continue
        if EXEMPT in lines[node.lineno - 1]:
            continue
        index, needs_block_flag = TIMED[method]
        where = f"{name}:{node.lineno}: {ast.unparse(node)}"
        keyword = next((k.value for k in node.keywords if k.arg == "timeout"), None)
        args = node.args
        if keyword is not None:
            timeout = keyword
        elif needs_block_flag:
            block = _value(args[0], names) if args else True
            block = next((_value(k.value, names) for k in node.keywords if k.arg == "block"),
                         block)
            if args and not isinstance(block, bool):
                continue  # dict.get(key, default), not a blocking get
            if block is False:
                continue  # get(False) / acquire(False) does not wait
            timeout = args[index] if len(args) > index else None
        else:
            if len(args) > 1:
                continue
            timeout = args[index] if args else None
        if timeout is None:
            if method == "sleep":
                continue
            if method == "join" and args:
                continue
            problems.append(f"{where}: waits with no timeout (give one, e.g. WAIT = 20)")
            continue
        value = _value(timeout, names)
        if value is None:
            problems.append(f"{where}: timeout None waits forever")
        elif _number(value) and value >= LIMIT:
            problems.append(f"{where}: waits {value:g} s, not under the runner's timeout / 2 "
                            f"({LIMIT:g} s)")
    return problems


def _probe_files() -> list[Path]:
    return sorted(PROBES.glob("*.py"))


@pytest.mark.parametrize("path", _probe_files(), ids=lambda p: p.name)
def test_every_probe_wait_is_bounded_below_half_the_runner_timeout(path):
    assert unbounded_waits(path.read_text(encoding="utf-8"), path.name) == []


BAD = {
    "the old sixty seconds": "WAIT = 60\nev.wait(WAIT)\n",
    "half the runner's timeout": "WAIT = 30\np.join(WAIT)\n",
    "a product of constants": "STEP = 10\nq.get(timeout=STEP * 3)\n",
    "Event.wait()": "ev.wait()\n",
    "Process.join()": "p.join()\n",
    "Queue.get()": "q.get()\n",
    "Queue.get(True)": "q.get(True)\n",
    "AsyncResult.get(timeout=None)": "r.get(timeout=None)\n",
    "Lock.acquire()": "lock.acquire()\n",
    "Lock.acquire(True, 45)": "lock.acquire(True, 45)\n",
    "Barrier.wait(None)": "barrier.wait(None)\n",
    "Condition.wait()": "with cond:\n    cond.wait()\n",
    "a long sleep": "import time\ntime.sleep(31)\n",
    "a long bare sleep": "from time import sleep\nsleep(45.5)\n",
}

GOOD = {
    "the brief's bound": "WAIT = 20\nev.wait(WAIT)\np.join(WAIT)\nq.get(timeout=WAIT)\n",
    "get with a bool and a bound": "q.get(True, 5)\nlock.acquire(True, 1)\nlock.acquire(False)\n",
    "a dict's get": "d.get('key')\nos.environ.get('X', 60)\n",
    "a string's join": "', '.join(names)\nos.path.join('a', 'b')\n",
    "os.wait": "os.wait()\nos.waitpid(pid, 0)\n",
    "a short sleep": "time.sleep(0.01)\n",
    "an exempt call": "pool.join()  # unbounded: Pool.join takes no timeout\n",
}


@pytest.mark.parametrize("source", BAD.values(), ids=list(BAD))
def test_a_deliberately_bad_probe_is_caught(source):
    assert len(unbounded_waits(source)) == 1


@pytest.mark.parametrize("source", GOOD.values(), ids=list(GOOD))
def test_bounded_waits_and_other_calls_pass(source):
    assert unbounded_waits(source) == []


def test_a_bad_probe_file_fails_the_spec_naming_its_line(tmp_path):
    bad = tmp_path / "bad_probe.py"
    bad.write_text("import multiprocessing as mp\n\nWAIT = 60\n\nif __name__ == '__main__':\n"
                   "    ev = mp.Event()\n    ev.wait(WAIT)\n", encoding="utf-8")
    with pytest.raises(AssertionError, match=r"bad_probe.py:7: ev.wait\(WAIT\): waits 60 s"):
        test_every_probe_wait_is_bounded_below_half_the_runner_timeout(bad)
