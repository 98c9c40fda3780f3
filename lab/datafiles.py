"""Reading the lab's TOML data files strictly, the same way on every supported Python.

The files under lab/data/ are edited by hand, and a typo must not pass as data: a misspelt key
in an expectation's ``when`` once made the rule match everything. So every file is read against
a declarative schema (``Table``, ``Each``, ``ListOf``...), and the first problem raises a
``DataError`` naming the file and line. tomllib keeps no positions, so ``locate`` finds the line
in the raw text, walking the same path of keys and indexes that the schema walked.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable, Collection
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Union

from packaging.specifiers import InvalidSpecifier, SpecifierSet

from lab.errors import DataError

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.9 and 3.10
    import tomli as tomllib

DATA_DIR = Path(__file__).parent / "data"
_ROOT = DATA_DIR.parent.parent

Where = tuple[Union[str, int], ...]
"""A path into a parsed file: table keys and array indexes, e.g. ("pool", "order", 2)."""


def load(name: str) -> dict[str, Any]:
    """The parsed contents of ``lab/data/<name>``, unchecked: for files without a schema."""
    with open(DATA_DIR / name, "rb") as f:
        return tomllib.load(f)


# --- where in the text ----------------------------------------------------------------------

def _mask(text: str) -> str:
    """``text`` with comments and string contents blanked (offsets and newlines kept).

    What is left is only structure, so brackets, commas and ``key =`` can be found by regex.
    A string keeps its first and last quote, so an array of strings keeps non-blank items.
    """
    out = list(text)
    i, n = 0, len(text)
    while i < n:
        c = text[i]
        if c == "#":
            end = text.find("\n", i)
            end = n if end < 0 else end
            out[i:end] = " " * (end - i)
            i = end
        elif c in "\"'":
            delim = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(delim)
            while j < n and not text.startswith(delim, j):
                j += 2 if (c == '"' and text[j] == "\\") else 1
            for k in range(i + 1, min(j + len(delim) - 1, n)):
                if text[k] != "\n":
                    out[k] = " "
            i = j + len(delim)
        else:
            i += 1
    return "".join(out)


def _header_keys(raw: str) -> tuple[str, ...]:
    return tuple(a or b or c for a, b, c in
                 re.findall(r'"((?:[^"\\]|\\.)*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)', raw))


def _closing(masked: str, start: int) -> int:
    """The offset of the bracket that closes the one at ``start``."""
    depth = 0
    for i in range(start, len(masked)):
        if masked[i] in "[{":
            depth += 1
        elif masked[i] in "]}":
            depth -= 1
            if depth == 0:
                return i
    return len(masked)


def _depth(masked: str, start: int, end: int) -> int:
    span = masked[start:end]
    return span.count("[") + span.count("{") - span.count("]") - span.count("}")


def _find_key(text: str, masked: str, span: tuple[int, int], key: str) -> tuple[int, int] | None:
    """Where ``key = value`` sits at the top level of ``span``: (key offset, value offset)."""
    names = "|".join(re.escape(q) for q in (key, f'"{key}"', f"'{key}'"))
    pattern = re.compile(rf"(?:(?<=[\s{{,])|^)(?:{names})[ \t]*=[ \t]*", re.M)
    for m in pattern.finditer(text, span[0], span[1]):
        if masked[m.start()] == text[m.start()] and _depth(masked, span[0], m.start()) == 0:
            return m.start(), m.end()
    return None


def _inner(masked: str, start: int) -> tuple[int, int] | None:
    """The inside of the array or inline table that starts at ``start``, if one does."""
    if start < len(masked) and masked[start] in "[{":
        return start + 1, _closing(masked, start)
    return None


def _item(masked: str, span: tuple[int, int], index: int) -> int | None:
    """The offset where the ``index``-th item of the array inside ``span`` starts."""
    found, depth, start = -1, 0, span[0]
    for i in range(span[0], span[1] + 1):
        c = masked[i] if i < span[1] else ","
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
        elif c == "," and depth == 0:
            piece = masked[start:i]
            if piece.strip():
                found += 1
                if found == index:
                    return start + len(piece) - len(piece.lstrip())
            start = i + 1
    return None


def locate(text: str, where: Where) -> int:
    """The line (from 1) of the item at ``where`` in a TOML text, or of its nearest parent.

    ``[a.b]`` headers narrow the search to their span; then each key is looked for at the top
    level of its table (not inside a nested one) and each index counts the array's items.
    """
    masked = _mask(text)
    headers = [(m.start(), m.end(), _header_keys(text[m.start(2):m.end(2)]))
               for m in re.finditer(r"^[ \t]*\[(\[?)([^\[\]\n]*)\]", masked, re.M)]
    names = tuple(k for k in where if isinstance(k, str))
    best, span, rest = None, (0, headers[0][0] if headers else len(text)), where
    for i, (start, end, keys) in enumerate(headers):
        if where[:len(keys)] == keys and (best is None or len(keys) > len(best[2])):
            best = (start, end, keys)
            span = (end, headers[i + 1][0] if i + 1 < len(headers) else len(text))
            rest = where[len(keys):]
    if best is None:  # an implicit table, e.g. [examples] only through [examples.pool]
        below = next((h for h in headers if h[2][:len(names)] == names and names), None)
        if below is not None and not _find_key(text, masked, span, str(where[0])):
            return text.count("\n", 0, below[0]) + 1
    offset = best[0] if best else 0
    inner: tuple[int, int] | None = span
    for step in rest:
        if inner is None:
            break
        if isinstance(step, int):
            at = _item(masked, inner, step)
            if at is None:
                break
            offset, inner = at, _inner(masked, at)
        else:
            found = _find_key(text, masked, inner, step)
            if found is None:
                break
            offset, inner = found[0], _inner(masked, found[1])
    return text.count("\n", 0, offset) + 1


# --- what the data must be ------------------------------------------------------------------

@dataclass(frozen=True)
class Document:
    """One data file: its path, raw text (for line numbers) and parsed contents."""

    path: Path
    text: str
    data: dict[str, Any]

    @property
    def name(self) -> str:
        """The path as a reader knows it: relative to the checkout for the lab's own files."""
        try:
            return self.path.resolve().relative_to(_ROOT).as_posix()
        except ValueError:
            return str(self.path)

    def error(self, where: Where, message: str) -> DataError:
        """A DataError for the item at ``where``: ``file:line: message``."""
        return DataError(f"{self.name}:{locate(self.text, where)}: {message}")


def dotted(where: Where) -> str:
    """``where`` as a reader writes it: ``pool.order[2].lines``."""
    text = ""
    for step in where:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else step)
    return text or "the file"


def _show(value: Any) -> str:
    kind = {bool: "a boolean", str: "a string", int: "an integer", float: "a number",
            list: "an array", dict: "a table"}.get(type(value), type(value).__name__)
    return f"{kind} ({value!r})" if not isinstance(value, (list, dict)) else kind


class Schema:
    """What one value of a data file must be; ``check`` raises the file's DataError if not."""

    def check(self, value: Any, where: Where, doc: Document) -> None:
        raise NotImplementedError


@dataclass(frozen=True)
class Anything(Schema):
    def check(self, value: Any, where: Where, doc: Document) -> None:
        pass


@dataclass(frozen=True)
class Is(Schema):
    """A value of one TOML type (a boolean is not an integer here)."""

    kind: type
    name: str

    def check(self, value: Any, where: Where, doc: Document) -> None:
        if isinstance(value, bool) != (self.kind is bool) or not isinstance(value, self.kind):
            raise doc.error(where, f"{dotted(where)} must be {self.name}, not {_show(value)}")


TEXT = Is(str, "a string")
BOOL = Is(bool, "true or false")


@dataclass(frozen=True)
class OneOf(Schema):
    """A string from a fixed set, or from a set another file defines (a callable)."""

    what: str
    choices: Collection[str] | Callable[[], Collection[str]]

    def options(self) -> Collection[str]:
        return self.choices() if callable(self.choices) else self.choices

    def check(self, value: Any, where: Where, doc: Document) -> None:
        options = self.options()
        if not isinstance(value, str) or value not in options:
            raise doc.error(where, f"unknown {self.what} {value!r} at {dotted(where)} "
                                   f"(choose one of {', '.join(options)})")


@dataclass(frozen=True)
class Specifier(Schema):
    """A version specifier such as ">=3.13.8", as packaging reads it."""

    def check(self, value: Any, where: Where, doc: Document) -> None:
        TEXT.check(value, where, doc)
        try:
            SpecifierSet(value)
        except InvalidSpecifier:
            raise doc.error(where, f"{dotted(where)} is not a version specifier: {value!r} "
                                   "(write e.g. \">=3.13.8\" or \"<3.14\")") from None


@dataclass(frozen=True)
class Matching(Schema):
    """A string that matches a regular expression, e.g. a Python version "3.13"."""

    pattern: str
    what: str

    def check(self, value: Any, where: Where, doc: Document) -> None:
        TEXT.check(value, where, doc)
        if not re.fullmatch(self.pattern, value):
            raise doc.error(where, f"{dotted(where)} must be {self.what}, not {value!r}")


@dataclass(frozen=True)
class Regex(Schema):
    """A regular expression that compiles."""

    def check(self, value: Any, where: Where, doc: Document) -> None:
        TEXT.check(value, where, doc)
        try:
            re.compile(value)
        except re.error as exc:
            raise doc.error(where, f"{dotted(where)} is not a regular expression: {exc}") from None


@dataclass(frozen=True)
class ListOf(Schema):
    """An array whose items all follow ``item``; ``length`` fixes its size (a pair: 2)."""

    item: Schema
    min_length: int = 0
    length: int | None = None

    def check(self, value: Any, where: Where, doc: Document) -> None:
        Is(list, "an array").check(value, where, doc)
        if self.length is not None and len(value) != self.length:
            raise doc.error(where, f"{dotted(where)} must have {self.length} items, "
                                   f"not {len(value)}")
        if len(value) < self.min_length:
            raise doc.error(where, f"{dotted(where)} needs at least {self.min_length} items")
        for i, item in enumerate(value):
            self.item.check(item, (*where, i), doc)


@dataclass(frozen=True)
class Field:
    schema: Schema
    required: bool = True


def req(schema: Schema) -> Field:
    return Field(schema, True)


def opt(schema: Schema) -> Field:
    return Field(schema, False)


@dataclass(frozen=True)
class Table(Schema):
    """A table with known keys: an unknown key is a typo, a missing required key an omission.

    ``what`` names the table for the reader ("a rule's when"); ``check_after`` is for rules
    between keys (say, one of two keys required) once each key's own value is checked.
    """

    what: str
    fields: dict[str, Field]
    check_after: Callable[[dict[str, Any], Where, Document], None] | None = field(
        default=None, compare=False)

    def check(self, value: Any, where: Where, doc: Document) -> None:
        Is(dict, "a table").check(value, where, doc)
        for key in value:
            if key not in self.fields:
                raise doc.error((*where, key), f"unknown key {key!r} in {self.what} "
                                               f"(known: {', '.join(self.fields)})")
        for key, spec in self.fields.items():
            if key in value:
                spec.schema.check(value[key], (*where, key), doc)
            elif spec.required:
                raise doc.error(where, f"{self.what} ({dotted(where)}) lacks the required "
                                       f"key {key!r}")
        if self.check_after is not None:
            self.check_after(value, where, doc)


@dataclass(frozen=True)
class Each(Schema):
    """A table of entries under names the file chooses (examples, claims), all of one schema."""

    value: Schema
    keys: Schema = TEXT

    def check(self, value: Any, where: Where, doc: Document) -> None:
        Is(dict, "a table").check(value, where, doc)
        for key, item in value.items():
            self.keys.check(key, (*where, key), doc)
            self.value.check(item, (*where, key), doc)


def read(path: Path, schema: Schema) -> Document:
    """Parse ``path`` and check it against ``schema``; a DataError names the file and line."""
    text = path.read_bytes().decode("utf-8")
    doc = Document(path, text, {})
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        at = re.search(r"at line (\d+)", str(exc))
        raise DataError(f"{doc.name}:{at.group(1) if at else 1}: not valid TOML: {exc}") from None
    doc = Document(path, text, data)
    schema.check(data, (), doc)
    return doc
