"""Specs of L02b: the first use of multiprocessing fixes the start method
(lab/data/behaviors/start_method_after_first_use.toml).

These specs take no start method: the point is what happens when the program has set none.
"""

import pytest

from lab.expectations import expected


def in_words(entry: dict) -> str:
    state = "leaves it unset" if entry["fixed_to"] is None else "fixes it"
    return f"{state}: then {entry['then set_start_method']}"


@pytest.mark.claim("L02b")
def test_which_first_uses_fix_the_start_method(probe, spec):
    obs = probe("start_method_after_first_use", None)
    uses = obs.one("uses").value
    spec.check({use: in_words(entry) for use, entry in uses.items()},
               expected("start_method_after_first_use"))


@pytest.mark.claim("L02b")
def test_the_first_use_fixes_the_platform_default(probe, spec):
    obs = probe("start_method_after_first_use", None)
    fixed = {entry["fixed_to"] for entry in obs.one("uses").value.values()} - {None}
    assert len(fixed) == 1, fixed
    spec.check(fixed.pop(), expected("start_method_after_first_use_fixed_to"))
