"""The claims ledger (lab/data/claims.toml and the catalog's lab/data/behaviors/*.toml) and its
rendering as docs/claims.md: the page's claims, then the catalog's.

``python -m lab.ledger > docs/claims.md`` regenerates the page; a test fails when the committed
file is stale, so the ledger and its Markdown never drift apart.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from lab import datafiles as df

CLAIMS_TOML = df.DATA_DIR / "claims.toml"

VERDICTS = {
    "holds": "holds",
    "conditional": "holds only under conditions",
    "wrong": "wrong",
    "untestable": "not testable",
}


@dataclass(frozen=True)
class Source:
    title: str
    url: str
    versions: str


@dataclass(frozen=True)
class Claim:
    id: str
    kind: str
    section: str
    quote: str
    gloss: str
    verdict: str
    reason: str
    conditions: str
    sources: tuple[Source, ...]

    @property
    def verdict_text(self) -> str:
        return VERDICTS[self.verdict]


SCHEMA = df.Each(df.Table("a claim", {
    "kind": df.opt(df.OneOf("kind", ("claim", "erratum"))),
    "section": df.req(df.TEXT),
    "quote": df.req(df.TEXT),
    "gloss": df.req(df.TEXT),
    "verdict": df.req(df.OneOf("verdict", tuple(VERDICTS))),
    "reason": df.req(df.TEXT),
    "conditions": df.opt(df.TEXT),
    "sources": df.opt(df.ListOf(df.Table("a source", {
        "title": df.req(df.TEXT),
        "url": df.req(df.Matching(r"https?://\S+", "an http(s) URL")),
        "versions": df.req(df.TEXT),
    }))),
}))


KINDS = {"page": ("claim", "erratum"), "catalog": ("catalog",)}


@cache
def claims() -> dict[str, Claim]:
    """The page's claims and errata, then the catalog's behaviors (lab/behaviors.py)."""
    from lab.behaviors import behaviors

    found = load_claims(CLAIMS_TOML)
    for b in behaviors().values():
        d = b.data
        found[b.id] = Claim(id=b.id, kind="catalog", section=d["topic"], quote=d.get("quote", ""),
                            gloss=d["gloss"], verdict=d["verdict"], reason=d["reason"],
                            conditions=d.get("conditions", ""),
                            sources=tuple(Source(**s) for s in d["sources"]))
    return found


def load_claims(path: Path) -> dict[str, Claim]:
    """The claims of a ledger file, checked: a DataError names a bad line."""
    return {
        key: Claim(
            id=key,
            kind=entry.get("kind", "claim"),
            section=entry["section"],
            quote=entry["quote"],
            gloss=entry["gloss"],
            verdict=entry["verdict"],
            reason=entry["reason"],
            conditions=entry.get("conditions", ""),
            sources=tuple(Source(**s) for s in entry.get("sources", [])),
        )
        for key, entry in df.read(path, SCHEMA).data.items()
    }


def specs_by_claim(tests_dir: Path) -> dict[str, list[str]]:
    """Which spec functions name each claim in @pytest.mark.claim(...), read from the source."""
    found: dict[str, list[str]] = {}
    for path in sorted(tests_dir.rglob("test_*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.FunctionDef):
                continue
            for deco in node.decorator_list:
                if (isinstance(deco, ast.Call) and isinstance(deco.func, ast.Attribute)
                        and deco.func.attr == "claim" and deco.args
                        and isinstance(deco.args[0], ast.Constant)):
                    found.setdefault(deco.args[0].value, []).append(
                        f"{path.relative_to(tests_dir).as_posix()}::{node.name}")
    return found


def _details(c: Claim, specs: dict[str, list[str]], heading: str) -> list[str]:
    lines = ["", f"{heading} {c.id}", ""]
    if c.quote:
        lines += [f"> {c.quote}", ""]
    lines += [f"*{c.section}* — {c.gloss}", "", f"**Verdict: {c.verdict_text}.** {c.reason}"]
    if c.conditions:
        lines += ["", f"Conditions: {c.conditions}"]
    if c.sources:
        lines += ["", "Sources:"]
        lines += [f"- [{s.title}]({s.url}) ({s.versions})" for s in c.sources]
    checked = specs.get(c.id, [])
    if checked:
        lines += ["", "Specs: " + ", ".join(f"`{name}`" for name in checked)]
    return lines


def _row(c: Claim, middle: str) -> str:
    return f"| [{c.id}](#{c.id.lower()}) | {middle} | {c.gloss} | {c.verdict_text} |"


def render_markdown(tests_dir: Path) -> str:
    """docs/claims.md: the page's claims, then the catalog's by topic, with the specs found in
    ``tests_dir`` under each claim."""
    specs = specs_by_claim(tests_dir)
    page = [c for c in claims().values() if c.kind in KINDS["page"]]
    catalog = [c for c in claims().values() if c.kind in KINDS["catalog"]]
    topics: dict[str, list[Claim]] = {}
    for c in sorted(catalog, key=lambda c: c.id):
        topics.setdefault(c.section, []).append(c)
    lines = [
        "# The claims ledger",
        "",
        "<!-- Generated by `python -m lab.ledger > docs/claims.md` from lab/data/claims.toml and"
        " lab/data/behaviors/*.toml; edit those files, not this one. -->",
        "",
        "Two kinds of claim, each with the lab's verdict, the reason and the sources: the page's",
        "own (its claims and errata) and the catalog's (behaviors of multiprocessing users trip",
        "over, from the docs and CPython). The specs named under each claim check it on every",
        "platform, Python and start method the matrix runs.",
        "",
        f"- [The page](#the-page): {len(page)} claims and errata",
        f"- [The catalog](#the-catalog): {len(catalog)} behaviors in {len(topics)} topics",
        "",
        "## The page",
        "",
        "Every claim of the page. Claims with an `E-` id are errata: defects of the page's code.",
        "",
        "| id | section | claim | verdict |",
        "| --- | --- | --- | --- |",
    ]
    lines += [_row(c, c.section) for c in page]
    for c in page:
        lines += _details(c, specs, "###")
    lines += [
        "",
        "## The catalog",
        "",
        "Behaviors beyond the page, by topic; each is one file under lab/data/behaviors/, with its",
        "probe under lab/probes/ and its specs under tests/catalog/ (`mplab new NAME` makes all",
        "three).",
        "",
        "| id | topic | claim | verdict |",
        "| --- | --- | --- | --- |",
    ]
    lines += [_row(c, topic) for topic, group in topics.items() for c in group]
    for topic, group in topics.items():
        lines += ["", f"### {topic}"]
        for c in group:
            lines += _details(c, specs, "####")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    import sys

    sys.stdout.reconfigure(encoding="utf-8")
    sys.stdout.write(render_markdown(Path(sys.argv[1] if len(sys.argv) > 1 else "tests")))
