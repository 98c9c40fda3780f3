"""``mplab new NAME``: the three files of a catalog behavior, from templates (lab/templates/).

- ``lab/data/behaviors/NAME.toml``: the claim, with the next free ``Lnn`` id;
- ``lab/probes/NAME.py``: a probe that runs cleanly under every start method;
- ``tests/catalog/test_NAME.py``: a spec that fails until the other two are filled in.

Nothing else needs editing: the ledger, the expectations and the can-fail check find a behavior
by its files and its ``claim`` marker. A name that is not an identifier, or that a probe, a
behavior or a spec file already has, is refused before anything is written; no file is ever
overwritten.
"""

from __future__ import annotations

import keyword
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from lab.errors import LabError

TEMPLATES = Path(__file__).parent / "templates"
NAME = re.compile(r"[a-z][a-z0-9_]*")  # a probe's name (lab/catalog.py), so an identifier too
ID = re.compile(r'^id\s*=\s*"L(\d\d)[a-z]?"', re.MULTILINE)


@dataclass(frozen=True)
class Scaffold:
    name: str
    id: str
    files: tuple[tuple[Path, str], ...]  # (path relative to the root, what to fill in)


def paths(name: str) -> dict[str, Path]:
    return {
        "behavior": Path("lab", "data", "behaviors", f"{name}.toml"),
        "probe": Path("lab", "probes", f"{name}.py"),
        "spec": Path("tests", "catalog", f"test_{name}.py"),
    }


def check_root(root: Path) -> None:
    if not ((root / "lab" / "probes").is_dir() and (root / "tests").is_dir()):
        raise LabError(f"{root} is not an mplab checkout (no lab/probes/ and tests/): run "
                       "`mplab new` at the top of one, or give --root")


def check_name(root: Path, name: str) -> None:
    if not NAME.fullmatch(name) or keyword.iskeyword(name):
        raise LabError(f"bad name {name!r}: give a lowercase identifier such as "
                       "lambda_target (letters, digits, underscores; a letter first)")
    for kind, path in paths(name).items():
        if (root / path).exists():
            raise LabError(f"name {name!r} is taken: {path.as_posix()} exists (a {kind}); "
                           "pick another")
    for path in sorted((root / "tests").rglob(f"test_{name}.py")):
        raise LabError(f"name {name!r} is taken: {path.relative_to(root).as_posix()} exists "
                       "(a spec file; pytest needs distinct names); pick another")


def next_id(root: Path) -> str:
    """The lowest Lnn above every id of lab/data/behaviors/ (L01 when there is none)."""
    taken = [int(m.group(1)) for path in (root / "lab" / "data" / "behaviors").glob("*.toml")
             for m in ID.finditer(path.read_text(encoding="utf-8"))]
    number = max(taken, default=0) + 1
    if number > 99:
        raise LabError("every id L01-L99 is taken: give one with --id (e.g. L07b)")
    return f"L{number:02d}"


def create(root: Path, name: str, claim_id: str | None = None) -> Scaffold:
    """Write the three files (all or none) and say what each needs."""
    check_root(root)
    check_name(root, name)
    if claim_id is not None and not re.fullmatch(r"L\d\d[a-z]?", claim_id):
        raise LabError(f"bad id {claim_id!r}: give one like L07 or L07b")
    claim_id = claim_id or next_id(root)
    where = paths(name)
    texts = {kind: Template((TEMPLATES / template).read_text(encoding="utf-8")).substitute(
                 name=name, id=claim_id)
             for kind, template in (("behavior", "new_behavior.toml.tmpl"),
                                    ("probe", "new_probe.py.tmpl"),
                                    ("spec", "new_spec.py.tmpl"))}
    written: list[Path] = []
    try:
        for kind, path in where.items():
            target = root / path
            target.parent.mkdir(parents=True, exist_ok=True)
            with open(target, "x", encoding="utf-8", newline="\n") as f:  # never overwrite
                f.write(texts[kind])
            written.append(target)
    except BaseException:
        for target in written:  # all or none: a half scaffold would be taken and unfinished
            target.unlink()
        raise
    todo = {
        "behavior": f"the claim ({claim_id}): replace each TODO (topic, gloss, verdict, "
                    f"reason, sources) and the rules of [expect.{name}_observed]",
        "probe": "the program: make it show the behavior and report('observed', ...) "
                 "as a short English phrase",
        "spec": "the specs: check what the probe reports against expected(...); add one "
                "per fact",
    }
    return Scaffold(name, claim_id, tuple((where[k], todo[k]) for k in where))


def next_steps(s: Scaffold) -> list[str]:
    spec = s.files[2][0].as_posix()
    return [
        f"python -m pytest -q -n 2 {spec}    # the spec on this Python: fails until filled in",
        "mplab matrix --all-pythons    # every Python here (or: tox)",
        f"PYTHONPATH=tests python -m pytest -q -n 2 -p wrong_expectations -m claim {spec}"
        "    # every spec must FAIL here",
        "python -m lab.ledger > docs/claims.md    # once the spec exists: the ledger page",
    ]
