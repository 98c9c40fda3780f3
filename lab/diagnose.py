"""`mplab check`'s diagnoses: a difference matched against the catalog's symptoms.

Each catalog behavior may declare ``[[symptoms]]`` (lab/behaviors.py): a regular expression
searched in what one run printed differently from its reference run, the start methods it
applies to, and optionally a fact about the program's source. A difference that no symptom
matches is left undiagnosed: it is shown as it is, never forced into a diagnosis.

The source facts come from the program's syntax tree, read once; they never run the program.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass

from lab.behaviors import Symptom, behaviors, symptoms

SYNC_PRIMITIVES = {"Lock", "RLock", "Semaphore", "BoundedSemaphore", "Condition", "Event",
                   "Barrier"}
MUTATORS = {"append", "extend", "insert", "update", "add", "setdefault", "pop", "remove",
            "clear", "discard"}


@dataclass(frozen=True)
class Diagnosis:
    claim: str
    diagnosis: str
    advice: str
    sources: tuple[tuple[str, str], ...]  # (title, url) of the claim's sources
    evidence: str  # the line (or fact) that matched

    def to_dict(self) -> dict[str, object]:
        return {"claim": self.claim, "diagnosis": self.diagnosis, "advice": self.advice,
                "sources": [{"title": t, "url": u} for t, u in self.sources],
                "evidence": self.evidence}


def _is_main_guard(node: ast.stmt) -> bool:
    if not isinstance(node, ast.If) or not isinstance(node.test, ast.Compare):
        return False
    test = node.test
    if len(test.ops) != 1 or not isinstance(test.ops[0], ast.Eq):
        return False
    sides = [test.left, *test.comparators]
    names = [s for s in sides if isinstance(s, ast.Name) and s.id == "__name__"]
    consts = [s for s in sides if isinstance(s, ast.Constant) and s.value == "__main__"]
    return bool(names and consts)


def _assigned_names(nodes: list[ast.stmt]) -> set[str]:
    """Names bound by statements at this level (functions' and classes' bodies excluded)."""
    found: set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            return
        if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
            found.add(node.id)
        for child in ast.iter_child_nodes(node):
            visit(child)

    for node in nodes:
        visit(node)
    return found


def _mutated_names(nodes: list[ast.stmt]) -> set[str]:
    """Names whose object these statements change in place: x[k] = v, x.a = v, x.append(v)."""
    found: set[str] = set()

    def base(node: ast.AST) -> str | None:
        while isinstance(node, (ast.Subscript, ast.Attribute)):
            node = node.value
        return node.id if isinstance(node, ast.Name) else None

    def visit(node: ast.AST) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            return
        if isinstance(node, (ast.Subscript, ast.Attribute)) and isinstance(node.ctx, ast.Store):
            name = base(node)
            if name:
                found.add(name)
        if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr in MUTATORS):
            name = base(node.func.value)
            if name:
                found.add(name)
        for child in ast.iter_child_nodes(node):
            visit(child)

    for node in nodes:
        visit(node)
    return found


def source_facts(source: str) -> dict[str, str]:
    """The facts of lab/behaviors.py SOURCE_FACTS that hold for ``source``, each with a word of
    evidence (e.g. the names concerned). Unparsable source has none."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return {}
    guards = [n for n in tree.body if _is_main_guard(n)]
    outside = [n for n in tree.body if not _is_main_guard(n)]
    facts: dict[str, str] = {}
    if not guards:
        facts["no_main_guard"] = "no `if __name__ == \"__main__\":` at module level"
    module_names = _assigned_names(outside)
    inside = [stmt for guard in guards for stmt in guard.body]
    changed = sorted(module_names & (_assigned_names(inside) | _mutated_names(inside)))
    if changed:
        facts["global_rebound_under_main_guard"] = (
            "module-level " + ", ".join(changed) + " changed under the main guard")
    modules, names = _multiprocessing_imports(tree)
    locks = []
    for node in outside:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call):
            func = node.value.func
            if isinstance(func, ast.Attribute):  # mp.Lock(), multiprocessing.Lock()
                ours = getattr(func.value, "id", "") in modules and func.attr in SYNC_PRIMITIVES
            else:  # Lock() imported from multiprocessing (not threading's)
                ours = names.get(getattr(func, "id", "")) in SYNC_PRIMITIVES
            if ours:
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                locks += [t.id for t in targets if isinstance(t, ast.Name)]
    if locks:
        facts["module_level_lock"] = "module-level " + ", ".join(sorted(locks))
    return facts


def _multiprocessing_imports(tree: ast.Module) -> tuple[set[str], dict[str, str]]:
    """The names multiprocessing is imported as, and names imported from it (alias -> name)."""
    modules: set[str] = set()
    names: dict[str, str] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name == "multiprocessing":
                    modules.add(alias.asname or alias.name)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith(
                "multiprocessing"):
            for alias in node.names:
                names[alias.asname or alias.name] = alias.name
    return modules, names


def stdin_reads(source: str) -> list[str]:
    """Where the program's source reads standard input, as short phrases ("input() on line 3").

    Static, so it misses reads it cannot see (through exec, a library, os.read on a descriptor
    held in a variable); the runs' stdin is empty and closed (end of file) in any case.
    """
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    found = []
    for node in ast.walk(tree):
        line = getattr(node, "lineno", "?")
        if isinstance(node, ast.Call):
            func = node.func
            name = func.id if isinstance(func, ast.Name) else (
                func.attr if isinstance(func, ast.Attribute) else "")
            first = node.args[0] if node.args else None
            if name in ("input", "raw_input") and isinstance(func, ast.Name):
                found.append(f"input() on line {line}")
            elif name == "input" and isinstance(func, ast.Attribute) and (
                    getattr(func.value, "id", "") == "fileinput") and not node.args:
                found.append(f"fileinput.input() on line {line}")
            elif name in ("open", "read", "fdopen") and isinstance(first, ast.Constant) and (
                    first.value == 0 or first.value == "/dev/stdin"):
                found.append(f"{name}({first.value!r}) on line {line}")
        elif (isinstance(node, ast.Attribute) and node.attr in ("stdin", "__stdin__")
              and getattr(node.value, "id", "") == "sys"):
            found.append(f"sys.{node.attr} on line {line}")
    return sorted(set(found), key=lambda s: (int(s.rsplit(" ", 1)[1])
                                             if s.rsplit(" ", 1)[1].isdigit() else 0, s))


def _search(pattern: str, text: str) -> str | None:
    """The line of ``text`` where ``pattern`` matches (also across wrapped lines), or None."""
    match = re.search(pattern, text, re.MULTILINE)
    if match:
        start = text.rfind("\n", 0, match.start()) + 1
        end = text.find("\n", match.end())
        return text[start:end if end >= 0 else len(text)].strip()
    flat = " ".join(text.split())
    match = re.search(pattern, flat)
    if match:
        return flat[max(0, match.start() - 20):match.end() + 40].strip()
    return None


def diagnose(method: str, differing: dict[str, str], facts: dict[str, str],
             catalog: list[Symptom] | None = None) -> list[Diagnosis]:
    """The catalog's diagnoses of one run's differences.

    ``differing`` maps "stdout" and "stderr" to what that run printed on the stream and its
    reference run did not (lines joined by newlines). A symptom matches when it applies to
    ``method``, its pattern is found there, and its source fact (if any) holds. One diagnosis
    per claim: the first of its symptoms that matches.
    """
    found: dict[str, Diagnosis] = {}
    for symptom in symptoms() if catalog is None else catalog:
        if method not in symptom.methods or symptom.claim in found:
            continue
        if symptom.source_fact and symptom.source_fact not in facts:
            continue
        streams = ("stdout", "stderr") if symptom.stream == "any" else (symptom.stream,)
        for stream in streams:
            evidence = _search(symptom.pattern, differing.get(stream, ""))
            if evidence is not None:
                if symptom.source_fact:
                    evidence = f"{evidence} ({facts[symptom.source_fact]})"
                found[symptom.claim] = Diagnosis(symptom.claim, symptom.diagnosis,
                                                 symptom.advice, _sources(symptom.claim),
                                                 evidence[:200])
                break
    return list(found.values())


def _sources(claim: str) -> tuple[tuple[str, str], ...]:
    behavior = behaviors().get(claim)
    if behavior is None:
        return ()
    return tuple((s["title"], s["url"]) for s in behavior.data["sources"])
