"""Every version boundary in lab/data agrees with CPython's NEWS (lab/data/news.toml).

A rule's bound must be the first release that lists the fix its source names, on that branch,
and the rule must admit no release of a later branch that lacks it; sources saying "3.12.8+"
are held to the same. The wrong boundaries the data once had are kept here as cases that must
fail, so the check is seen to catch each kind.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from lab import boundaries
from lab.boundaries import BEGIN, END, Rule, check_rule, check_source
from lab.errors import DataError
from lab.news import load_news

SOURCES_MD = Path(__file__).parent.parent / "docs" / "sources.md"


@pytest.mark.parametrize("rule", boundaries.rules(), ids=lambda r: r.where)
def test_every_rule_bound_is_where_news_first_lists_its_fix(rule):
    problems, _ = check_rule(rule)
    assert problems == []


@pytest.mark.parametrize(("where", "title", "versions"), boundaries.sources(),
                         ids=lambda v: v if isinstance(v, str) and " source " in v else "")
def test_every_sources_versions_are_where_news_first_lists_its_fix(where, title, versions):
    problems, _ = check_source(where, title, versions)
    assert problems == []


def test_docs_sources_md_lists_every_boundary():
    page = SOURCES_MD.read_text(encoding="utf-8")
    assert BEGIN in page and END in page
    fresh = boundaries.updated(page, boundaries.render(boundaries.audit()[1]))
    assert page == fresh, "docs/sources.md is stale: run " \
                          "`python -m lab.boundaries --update docs/sources.md`"


def _rule(python: str, source: str, *, earlier: tuple[dict, ...] = (), **when: str) -> Rule:
    mine = {**when, "python": python}
    return Rule("case", python, source, mine, (*earlier, mine, {}), len(earlier))


# The data's own mistakes (issue: "The record, corrected"), each a rule the check must refuse.
WRONG_RULES = {
    "a backport filed under the wrong release (gh-97514 is in 3.11.0)":
        _rule(">=3.11.1,<3.12.0a1", "gh-97514 backport (3.11.1)"),
    "a bound at the branch, not at the fix (gh-141860 is first in 3.15.0a6)":
        _rule(">=3.15.0a1", "gh-141860 (PR gh-141859, 3.15)", start_method="forkserver"),
    "a later branch's pre-releases admitted (gh-77377 reached 3.12 in 3.12.0rc2)":
        _rule(">=3.11.5", "gh-77377, first in 3.11.5 and 3.12.0rc2"),
    "a bound whose source names no fix":
        _rule("<3.13.0a1", "resource_tracker.py main(): warnings.warn(...) (3.8+)"),
    "a final release where NEWS lists a pre-release (bpo-33725 is in 3.8.0b1)":
        _rule(">=3.8", "macOS's default is spawn since 3.8 (bpo-33725)", platform="darwin"),
    "an upper bound that admits an older branch's fixed releases":
        _rule("<3.13.1", "gh-117378: fixed in 3.13.1"),
}


@pytest.mark.parametrize("rule", list(WRONG_RULES.values()), ids=list(WRONG_RULES))
def test_a_wrong_bound_is_refused(rule):
    problems, _ = check_rule(rule)
    assert problems, f"{rule.python} ({rule.source}) passed"


def test_an_earlier_rule_covering_the_pre_fix_releases_is_taken_into_account():
    earlier = ({"python": ">=3.12.0a1,<3.12.0rc2"},)
    assert check_rule(_rule(">=3.11.5", "gh-77377", earlier=earlier))[0] == []
    assert check_rule(_rule(">=3.11.5,<3.12.0a1", "gh-77377"))[0] == []
    assert check_rule(_rule(">=3.12.0rc2", "gh-77377"))[0] == []


WRONG_SOURCES = {
    "a later branch left out (gh-88110 is in 3.14.0a3 too)":
        ("gh-88110: thread queues cleared after fork", "3.12.8+, 3.13.1+"),
    "a pre-release NEWS does not list (gh-141860 is first in 3.15.0a6)":
        ("gh-141860: on_error for the preload", "3.15.0a3+"),
    "a branch between two named ones left out (gh-143706 is in 3.14.3)":
        ("gh-143706: sys.argv while preloading", "3.13.12+, 3.15.0a5+"),
}


@pytest.mark.parametrize(("title", "versions"), list(WRONG_SOURCES.values()),
                         ids=list(WRONG_SOURCES))
def test_a_wrong_source_is_refused(title, versions):
    problems, _ = check_source("case", title, versions)
    assert problems, f"{title}: {versions} passed"


def test_a_right_source_passes():
    assert check_source("case", "gh-88110", "3.12.8+, 3.13.1+, 3.14.0a3+")[0] == []
    assert check_source("case", "gh-126631", "fixed in 3.13.8 and 3.14.1")[0] == []


@pytest.mark.parametrize(("entry", "message"), [
    ('issue = "gh-1"\nchange = "x"\nfirst = { "3.13" = "3.14.1" }', "not on the 3.13 branch"),
    ('issue = "gh-1"\nchange = "x"\nfirst = { "3.13" = "3.13.8" }\n'
     'before = { "3.13" = "3.13.9" }', "is not before 3.13.8"),
    ('issue = "gh-1"\nchange = "x"\nfirst = { "3.13" = "soon" }', "'soon' is not a release"),
    ('issue = "126631"\nchange = "x"\nfirst = { "3.13" = "3.13.8" }', "an issue like"),
])
def test_a_malformed_news_table_names_its_line(tmp_path, entry, message):
    path = tmp_path / "news.toml"
    path.write_text("# NEWS\n\n[[fix]]\n" + entry + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=message) as caught:
        load_news(path)
    assert str(caught.value).startswith(f"{path}:")
