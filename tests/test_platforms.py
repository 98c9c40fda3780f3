"""Specs of the page's platform claims, checked against this interpreter's own row of the table.

Each CI runner (Linux, macOS, Windows x Python 3.9-3.14) verifies its own row of
lab/data/start_methods.toml; the table's sources say where each row comes from.
"""

from __future__ import annotations

import multiprocessing
import os
import sys

import pytest

from lab.platforms import platform_key, platforms, python_version, this_platform
from lab.runner import interpreter_info


@pytest.mark.claim("C13")
def test_fork_exists_exactly_where_the_table_says(spec):
    spec.check(hasattr(os, "fork"), "fork" in this_platform().available,
               labels={True: "os.fork exists", False: "no os.fork"})


@pytest.mark.claim("C13")
def test_available_start_methods_match_the_table(spec):
    methods = sorted(multiprocessing.get_all_start_methods())
    spec.check(methods, sorted(this_platform().available), labels=[(methods, ", ".join(methods))])


@pytest.mark.claim("C14")
def test_default_start_method_matches_the_table(spec):
    rule = this_platform().default_for(python_version())
    # Asked of a fresh interpreter, so nothing this test process did can have fixed it.
    spec.check(interpreter_info()["default_method"], rule.method)


@pytest.mark.claim("C14")
def test_default_is_listed_first(spec):
    # Documented ("the first of which is the default"); true in code since 3.8.4 (bpo-39244).
    spec.check(multiprocessing.get_all_start_methods()[0], this_platform().default_for(
        python_version()).method)


@pytest.mark.parametrize(
    ("platform", "python", "method"),
    [
        ("linux", "3.9", "fork"),
        ("linux", "3.13", "fork"),
        ("linux", "3.14", "forkserver"),
        ("linux", "3.15", "forkserver"),
        ("darwin", "3.7", "fork"),
        ("darwin", "3.8", "spawn"),
        ("darwin", "3.14", "spawn"),
        ("win32", "3.9", "spawn"),
        ("win32", "3.14", "spawn"),
    ],
)
def test_the_table_itself(platform, python, method):
    assert platforms()[platform].default_for(python).method == method


def test_every_rule_cites_a_source():
    for platform in platforms().values():
        for rule in platform.defaults:
            assert rule.source.strip(), (platform.name, rule.python)


def test_other_posix_systems_read_as_linux():
    assert platform_key("freebsd13") == "linux"
    assert platform_key("linux") == "linux"
    assert platform_key(sys.platform) in platforms()
