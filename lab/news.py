"""What CPython's changelog says about the fixes the data's version boundaries stand on.

lab/data/news.toml is written by hand from ``Misc/NEWS.d/<release>.rst``: for each fix, the
first release of each branch whose file lists its issue number, and the release before it whose
file does not. A fix is listed once per branch, so that table is all a boundary needs: a rule's
``>=3.13.8`` is right when the fix it names is first listed on the 3.13 branch in 3.13.8.rst.
lab/boundaries.py checks every boundary in the data against it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from packaging.version import InvalidVersion, Version

from lab import datafiles as df

NEWS_TOML = df.DATA_DIR / "news.toml"

BRANCH = r"3\.\d+"
ISSUE = re.compile(r"\b(gh|bpo)-(\d+)\b|\bgh-issue (\d+)\b")


def issues_named(text: str) -> set[str]:
    """The issue numbers a text names, as ``gh-N`` or ``bpo-N`` ("gh-issue 126631" too)."""
    return {f"{kind}-{num}" if kind else f"gh-{bare}" for kind, num, bare in ISSUE.findall(text)}


def branch_of(version: Version) -> tuple[int, int]:
    return version.release[0], version.release[1] if len(version.release) > 1 else 0


def branch_start(branch: tuple[int, int]) -> Version:
    """The first release of a branch, its first alpha: ``3.14.0a1``."""
    return Version(f"{branch[0]}.{branch[1]}.0a1")


def _on_branch(entry: dict, where: df.Where, doc: df.Document) -> None:
    """Each release sits on the branch it is filed under, and after the release before it."""
    for key in ("first", "before"):
        for name, text in entry.get(key, {}).items():
            try:
                version = Version(text)
            except InvalidVersion:
                raise doc.error((*where, key, name), f"{text!r} is not a release") from None
            if f"{version.major}.{version.minor}" != name:
                raise doc.error((*where, key, name), f"{text} is not on the {name} branch")
    for name, text in entry.get("before", {}).items():
        if name not in entry["first"]:
            raise doc.error((*where, "before", name), f"'before' names branch {name}, "
                                                      "which 'first' lacks")
        if Version(text) >= Version(entry["first"][name]):
            raise doc.error((*where, "before", name), f"{text} is not before "
                                                      f"{entry['first'][name]}")


SCHEMA = df.Table("the NEWS table", {
    "fix": df.req(df.ListOf(df.Table("a fix", {
        "issue": df.req(df.Matching(r"(gh|bpo)-\d+", 'an issue like "gh-126631"')),
        "change": df.req(df.TEXT),
        "first": df.req(df.Each(df.TEXT, keys=df.Matching(BRANCH, 'a branch like "3.13"'))),
        "before": df.opt(df.Each(df.TEXT, keys=df.Matching(BRANCH, 'a branch like "3.13"'))),
        "note": df.opt(df.TEXT),
    }, check_after=_on_branch))),
})


@dataclass(frozen=True)
class Fix:
    """One change as NEWS lists it: its issue, and the first release per branch that has it."""

    issue: str
    change: str
    first: dict[tuple[int, int], Version]
    before: dict[tuple[int, int], Version]
    note: str = ""

    def first_on(self, branch: tuple[int, int]) -> Version | None:
        """The first release of ``branch`` with the fix; None when the branch never got it.

        A branch cut after the newest listed one inherits the fix from main, from its first
        alpha; a branch older than every listed one never got it.
        """
        if branch in self.first:
            return self.first[branch]
        if branch > max(self.first):
            return branch_start(branch)
        return None

    def news_file(self, branch: tuple[int, int]) -> str:
        return f"Misc/NEWS.d/{self.first[branch]}.rst"


def load_news(path: Path) -> tuple[Fix, ...]:
    """The fixes of a news.toml, checked: a DataError names a bad line."""
    def versions(table: dict[str, str]) -> dict[tuple[int, int], Version]:
        return {branch_of(Version(v)): Version(v) for v in table.values()}

    return tuple(
        Fix(issue=f["issue"], change=f["change"], first=versions(f["first"]),
            before=versions(f.get("before", {})), note=f.get("note", ""))
        for f in df.read(path, SCHEMA).data["fix"]
    )


@cache
def news() -> tuple[Fix, ...]:
    return load_news(NEWS_TOML)


def fixes_of(issues: set[str]) -> list[Fix]:
    return [f for f in news() if f.issue in issues]
