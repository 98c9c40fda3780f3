"""Which start methods exist where, and which is the default: lab/data/start_methods.toml."""

from __future__ import annotations

import multiprocessing
import os
import sys
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from packaging.specifiers import SpecifierSet
from packaging.version import Version

from lab import datafiles as df
from lab.errors import LabError

ALL_METHODS = ("fork", "spawn", "forkserver")
PLATFORM_KEYS = ("linux", "darwin", "win32")  # what platform_key() can return
START_METHODS_TOML = df.DATA_DIR / "start_methods.toml"
METHOD = df.OneOf("start method", ALL_METHODS)


def _defaults_are_available(entry: dict[str, Any], where: df.Where, doc: df.Document) -> None:
    for i, rule in enumerate(entry["defaults"]):
        if rule["method"] not in entry["available"]:
            raise doc.error((*where, "defaults", i, "method"),
                            f"default start method {rule['method']!r} is not among this "
                            f"platform's available ones ({', '.join(entry['available'])})")


SCHEMA = df.Table("start_methods.toml", {
    "pythons": df.req(df.ListOf(df.Matching(r"3\.\d+", 'a Python minor version like "3.13"'),
                                min_length=1)),
    "platforms": df.req(df.Each(df.Table("a platform", {
        "name": df.req(df.TEXT),
        "available": df.req(df.ListOf(METHOD, min_length=1)),
        "defaults": df.req(df.ListOf(df.Table("a platform's default rule", {
            "python": df.req(df.Specifier()),
            "method": df.req(METHOD),
            "source": df.req(df.TEXT),
        }), min_length=1)),
        "unavailable_reason": df.opt(df.TEXT),
    }, check_after=_defaults_are_available), keys=df.OneOf("platform key", PLATFORM_KEYS))),
})


@cache
def _document(path: Path = START_METHODS_TOML) -> df.Document:
    return df.read(path, SCHEMA)


SUPPORTED_PYTHONS: tuple[str, ...] = tuple(_document().data["pythons"])


@dataclass(frozen=True)
class DefaultRule:
    python: SpecifierSet
    method: str
    source: str


@dataclass(frozen=True)
class Platform:
    key: str
    name: str
    available: tuple[str, ...]
    defaults: tuple[DefaultRule, ...]
    unavailable_reason: str

    def default_for(self, python: str) -> DefaultRule:
        """The documented default start method for a Python version such as "3.14"."""
        version = Version(python)
        for rule in self.defaults:
            if version in rule.python:
                return rule
        raise LabError(f"no documented default start method for Python {python} on {self.name}")

    def why_unavailable(self, method: str) -> str:
        return self.unavailable_reason or f"{method} is not available on {self.name}"


@cache
def platforms() -> dict[str, Platform]:
    return load_platforms(START_METHODS_TOML)


def load_platforms(path: Path) -> dict[str, Platform]:
    """The platforms of a start_methods.toml, checked: a DataError names a bad line."""
    table = _document(path).data["platforms"]
    return {
        key: Platform(
            key=key,
            name=entry["name"],
            available=tuple(entry["available"]),
            defaults=tuple(
                DefaultRule(SpecifierSet(d["python"]), d["method"], d["source"])
                for d in entry["defaults"]
            ),
            unavailable_reason=entry.get("unavailable_reason", ""),
        )
        for key, entry in table.items()
    }


def platform_key(sys_platform: str = sys.platform) -> str:
    """The table's key for a ``sys.platform`` value; other POSIX systems behave as Linux does."""
    if sys_platform.startswith("linux"):
        return "linux"
    if sys_platform in ("darwin", "win32"):
        return sys_platform
    return "linux"


def this_platform() -> Platform:
    return platforms()[platform_key()]


def python_version() -> str:
    return "{}.{}".format(*sys.version_info[:2])


def check_start_method(method: str | None) -> str | None:
    """Validate a start method asked for by a user; None means the platform's default."""
    if method is None:
        return None
    if method not in ALL_METHODS:
        raise LabError(
            f"unknown start method {method!r}: choose one of {', '.join(ALL_METHODS)}"
        )
    here = this_platform()
    if method not in multiprocessing.get_all_start_methods():
        raise LabError(
            f"start method {method!r} is not available on {here.name}: "
            f"{here.why_unavailable(method)}; use one of "
            f"{', '.join(multiprocessing.get_all_start_methods())}"
        )
    return method


def build(base_prefix: str = sys.base_prefix, version: str = sys.version) -> str:
    """Who built this CPython, from where it lives: pyenv, Debian, python.org, setup-python...

    The exact release and its build tell two runs of one minor version apart (a distribution's
    3.13.x carries fixes an early 3.13.0 lacks), so the matrix names both.
    """
    if sys.platform == "win32":
        kind = _windows_build(base_prefix, version)
        wine = wine_version()  # a Windows build, but not Windows: the matrix must say so
        return f"{kind} under Wine {wine}" if wine else kind
    return _by_location(base_prefix, version)


def wine_version() -> str | None:
    """The Wine release this Windows process runs under, or None on Windows itself.

    Wine's ntdll exports wine_get_version; Windows' does not. Evidence gathered under Wine is a
    stand-in for Windows, never Windows itself, so results carry it in their build.
    """
    if sys.platform != "win32":
        return None
    import ctypes

    try:
        get = ctypes.WinDLL("ntdll").wine_get_version
    except (OSError, AttributeError):
        return None
    get.restype = ctypes.c_char_p
    return get().decode("ascii", "replace")


def _windows_build(base_prefix: str, version: str) -> str:
    """python.org's embeddable package keeps its standard library in python3XY.zip beside
    python.exe; its installer puts Python under Programs/Python."""
    zipped = f"python{sys.version_info[0]}{sys.version_info[1]}.zip"
    if os.path.isfile(os.path.join(base_prefix, zipped)):
        return "python.org embeddable"
    return _by_location(base_prefix, version)


def _by_location(base_prefix: str, version: str) -> str:
    where = base_prefix.replace("\\", "/")
    if "/.pyenv/versions/" in where or "/pyenv/pyenv-win/versions/" in where.lower():
        return "pyenv"
    if "/hostedtoolcache/" in where.lower():
        return "setup-python"
    if "conda" in version.lower() or os.path.isdir(os.path.join(base_prefix, "conda-meta")):
        return "conda"
    if where.startswith("/Library/Frameworks/Python.framework") or "/Programs/Python/" in where:
        return "python.org"
    if where.startswith(("/opt/homebrew", "/usr/local/Cellar", "/usr/local/opt")):
        return "Homebrew"
    if where == "/usr":
        return _distribution() or "system"
    return "other"


def _distribution() -> str | None:
    """The Linux distribution whose package this /usr Python is (os-release's NAME's first word)."""
    try:
        with open("/etc/os-release", encoding="utf-8") as f:
            for line in f:
                if line.startswith("NAME="):
                    return line.split("=", 1)[1].strip().strip('"').split()[0] or None
    except OSError:
        return None
    return None
