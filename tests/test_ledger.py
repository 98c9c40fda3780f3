"""The claims ledger: complete, sourced, checked by specs, and its Markdown up to date."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from lab import catalog
from lab.ledger import claims, render_markdown, specs_by_claim

# The sources do not change during a run; parsing them once per claim cost seconds.
_specs_by_claim = cache(specs_by_claim)

TESTS = Path(__file__).parent
CLAIMS_MD = TESTS.parent / "docs" / "claims.md"


def test_docs_claims_md_is_up_to_date():
    fresh = render_markdown(TESTS)
    assert CLAIMS_MD.read_text(encoding="utf-8") == fresh, (
        "docs/claims.md is stale: run `python -m lab.ledger > docs/claims.md`"
    )


def test_every_spec_names_a_known_claim():
    unknown = set(_specs_by_claim(TESTS)) - set(claims())
    assert unknown == set()


@pytest.mark.parametrize("claim", [c for c in claims().values() if c.verdict != "untestable"],
                         ids=lambda c: c.id)
def test_every_testable_claim_has_a_spec(claim):
    assert _specs_by_claim(TESTS).get(claim.id), f"no spec checks {claim.id}"


@pytest.mark.parametrize("claim", list(claims().values()), ids=lambda c: c.id)
def test_every_claim_is_complete(claim):
    assert claim.verdict in ("holds", "conditional", "wrong", "untestable")
    assert claim.quote and claim.gloss and claim.reason
    if claim.verdict in ("conditional", "wrong"):
        assert claim.sources, f"{claim.id}: a verdict against the page needs a source"
    if claim.verdict == "conditional":
        assert claim.conditions, f"{claim.id}: say under which conditions it holds"


@pytest.mark.parametrize("claim", list(claims().values()), ids=lambda c: c.id)
def test_no_claim_is_left_as_scaffolded(claim):
    # `mplab new` writes TODO in every field to fill in: an unfinished claim fails here.
    text = " ".join([claim.section, claim.quote, claim.gloss, claim.reason, claim.conditions,
                     *(f"{s.title} {s.versions}" for s in claim.sources)])
    assert "TODO" not in text, f"{claim.id} still has a TODO of `mplab new`"


def test_claims_md_has_the_page_and_the_catalog_apart():
    page, catalog = render_markdown(TESTS).split("\n## The catalog\n")
    assert "\n## The page\n" in page
    for c in claims().values():
        if c.kind == "catalog":
            assert f"\n#### {c.id}\n" in catalog and f"[{c.id}](#" not in page
        else:
            assert f"\n### {c.id}\n" in page and f"[{c.id}](#" not in catalog


def test_every_erratum_of_an_example_is_in_the_ledger():
    named = {ex.erratum for ex in catalog.examples().values() if ex.erratum}
    assert named <= set(claims())
