"""Specs of a newcomer's first run: the README's commands, on a machine as it comes.

Each spec here stands for something that went wrong on a fresh clone: a dependency only a used
machine had, Pythons tox could not see, npm without the user's CA, a matrix that exited 1 under
an all-green table, a terminal that was not a wide colour one.
"""

from __future__ import annotations

import ast
import configparser
import hashlib
import importlib.util
import os
import re
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

from lab import contract, interpreters

ROOT = Path(__file__).resolve().parent.parent
TIMEOUT = 240


def user_env(**env: str) -> dict[str, str]:
    """This environment as a user's machine has it: no PYTHONUNBUFFERED (CI runners lack it)."""
    base = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    return {**base, "PYTHONIOENCODING": "utf-8", **env}


def mplab(*args: str, cwd: Path | None = None, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "lab", *args], capture_output=True, text=True,
                          encoding="utf-8", errors="replace", timeout=TIMEOUT, cwd=cwd,
                          env=user_env(**env), stdin=subprocess.DEVNULL)


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _imports(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


def _owners() -> dict[str, set[str]]:
    """Top-level module name -> the installed distributions that provide it, from their files
    (packages_distributions() reads only top_level.txt before 3.11, which flit never writes)."""
    from importlib.metadata import distributions

    owners: dict[str, set[str]] = {}
    for dist in distributions():
        name = _normal(dist.metadata["Name"])  # parsed on each access: once per distribution
        for file in dist.files or []:
            top = file.parts[0].split(".")[0] if file.parts else ""
            if top and not file.parts[0].endswith((".dist-info", ".data")):
                owners.setdefault(top, set()).add(name)
    return owners


def _is_stdlib(name: str) -> bool:
    if hasattr(sys, "stdlib_module_names"):  # 3.10+
        return name in sys.stdlib_module_names
    if name in sys.builtin_module_names or name == "__future__":
        return True
    spec = importlib.util.find_spec(name)
    origin = os.path.realpath(spec.origin) if spec and spec.origin else ""
    # The standard library's folder, or python.org's embeddable zip of it (python39.zip beside
    # python.exe, in the base prefix): anything of the base install but site-packages.
    homes = (os.path.realpath(sysconfig.get_paths()["stdlib"]), os.path.realpath(sys.base_prefix))
    return origin.startswith(tuple(h + os.sep for h in homes)) and "site-packages" not in origin


def test_pip_install_dot_brings_every_module_the_specs_import():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    declared = {_normal(re.split(r"[\s<>=!~;\[]", req, maxsplit=1)[0])
                for req in project["dependencies"]}
    owners = _owners()
    third_party = set()
    for path in sorted((ROOT / "tests").glob("*.py")):
        for name in _imports(path):
            # tomllib/tomli: stdlib from 3.11, the tomli dependency below it.
            if _is_stdlib(name) or name in {"lab", "conftest", "tomli", "tomllib"}:
                continue
            if (ROOT / "tests" / f"{name}.py").is_file():  # a helper beside the specs
                continue
            third_party.add(name)
    assert {"hypothesis", "yaml", "pytest", "psutil"} <= third_party
    missing = {name: sorted(owners.get(name, [])) for name in sorted(third_party)
               if not declared & owners.get(name, {name})}
    assert missing == {}, "imported by tests/ but not in [project].dependencies"


def _toxfile():
    spec = importlib.util.spec_from_file_location("toxfile", ROOT / "toxfile.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_tox_finds_the_newest_cpython_of_each_version_pyenv_installed(tmp_path):
    for name, exe in [("3.9.1", "python3.9"), ("3.9.18", "python3.9"), ("3.12.1", "python3.12"),
                      ("3.13.0", "python3.13"), ("pypy3.10-7.3.12", "python3.10"),
                      ("3.14.0rc1", "python3.14"), ("3.11.7", None)]:
        (tmp_path / "versions" / name / "bin").mkdir(parents=True)
        if exe:
            (tmp_path / "versions" / name / "bin" / exe).write_text("", encoding="utf-8")
    found = _toxfile().pyenv_pythons(tmp_path)
    assert [Path(p).relative_to(tmp_path / "versions").parts[0] for p in found] == [
        "3.9.18", "3.12.1", "3.13.0"]
    assert _toxfile().pyenv_pythons(tmp_path / "no-pyenv-here") == []


def _tox_ini() -> configparser.ConfigParser:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read(ROOT / "tox.ini", encoding="utf-8")
    return parser


def test_the_lint_env_hands_npm_the_users_ca_settings():
    lint = _tox_ini()["testenv:lint"]
    passed = lint["pass_env"].split()
    assert {"NODE_EXTRA_CA_CERTS", "npm_config_*"} <= set(passed)
    assert "{env:SSL_CERT_FILE" in lint["set_env"]  # tox passes SSL_CERT_FILE itself
    # --prefix would make npm read its "global" npmrc, and the cafile there, from ci/etc/.
    assert "--prefix" not in lint["commands"]


def _checkout(tmp_path: Path, test_body: str) -> Path:
    """A checkout as `mplab matrix` finds one: pyproject.toml and tests/ with conftest.py."""
    (tmp_path / "tests").mkdir()
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'x'\n", encoding="utf-8")
    (tmp_path / "tests" / "conftest.py").write_text("", encoding="utf-8")
    (tmp_path / "tests" / "test_ok.py").write_text("def test_ok():\n    pass\n", "utf-8")
    (tmp_path / "tests" / "test_broken.py").write_text(test_body, encoding="utf-8")
    return tmp_path


def test_a_spec_file_that_cannot_be_collected_is_one_line_naming_the_log(tmp_path):
    root = _checkout(tmp_path, "import a_module_nobody_installed\n")
    done = mplab("matrix", "--out", str(tmp_path / "out"), cwd=root)
    assert done.returncode == 1
    version = ".".join(map(str, sys.version_info[:3]))
    problems = [line for line in done.stdout.splitlines() if line.startswith("mplab: Python")]
    assert len(problems) == 1, done.stdout
    assert "a_module_nobody_installed" in problems[0] and ".log" in problems[0]
    log = problems[0].rsplit("see ", 1)[1]
    assert Path(log).is_file()
    assert done.stdout.splitlines()[-1] == (
        f"Python {version}: 1 passed, 0 failed, 0 skipped, 1 errors")


def test_a_python_too_old_is_found_then_refused_in_one_line():
    old = interpreters.find("3.8")
    if old is None:
        pytest.skip("no CPython 3.8 on PATH or under pyenv to refuse")
    done = mplab("matrix", "--python", "3.8")
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1, done.stderr
    assert f"CPython {old.version} at {old.path} is not supported" in done.stderr
    assert "3.9 or newer" in done.stderr


def test_a_failed_pip_step_is_one_line_and_caches_nothing(tmp_path):
    other = next((i for i in interpreters.find_all()
                  if os.path.realpath(i.path) != os.path.realpath(sys.executable)), None)
    if other is None:
        pytest.skip("needs a second supported CPython here, to make an environment for")
    cache = tmp_path / "cache"
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()[:10]
    half_built = cache / "venvs" / f"py{other.version}-{digest}"
    (half_built / "bin").mkdir(parents=True)  # as an interrupted older mplab left it
    tmp = tmp_path / "tmp"
    tmp.mkdir()
    done = mplab("matrix", "--python", other.path, "--out", str(tmp_path / "out"), cwd=ROOT,
                 **{contract.CACHE: str(cache)}, PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1",
                 PIP_FIND_LINKS="", PIP_EXTRA_INDEX_URL="", TMPDIR=str(tmp))
    assert done.returncode == 1
    (line,) = [x for x in done.stdout.splitlines() if x.startswith("mplab: ")]
    assert line.startswith(f"mplab: Python {other.version}: could not make its environment: "
                           "pip install failed: ERROR: ")
    assert list((cache / "venvs").iterdir()) == []  # neither the half-built one nor a new one
    assert list(tmp.iterdir()) == []  # nor a temporary file (3.9's ensurepip leaves cacert.pem)


def test_list_keeps_every_name_whole_at_80_columns_piped():
    from lab import catalog

    done = mplab("list", COLUMNS="80", NO_COLOR="1", TERM="dumb")
    assert done.returncode == 0
    assert max(map(len, done.stdout.splitlines())) <= 80
    words = set(re.findall(r"[\w]+", done.stdout))
    assert set(catalog.examples()) <= words


def test_differing_lines_carry_a_text_marker_without_colour():
    # The Queue program as printed fails in both tasks (E-queue-time): its lines differ.
    done = mplab("run", "queue_pair", "--time-scale", "0", NO_COLOR="1", TERM="dumb")
    marked = [line for line in done.stdout.splitlines() if "!=" in line]
    assert len(marked) >= 2, done.stdout
    assert "lines marked != differ" in " ".join(done.stdout.split())
    assert "\x1b[" not in done.stdout


@pytest.mark.parametrize("command", [["list"], ["platform"]])
def test_a_closed_pipe_ends_quietly(command):
    proc = subprocess.Popen([sys.executable, "-m", "lab", *command], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, stdin=subprocess.DEVNULL, env=user_env())
    proc.stdout.close()  # the reader is gone before mplab writes its first line
    proc.stdout = None  # so communicate() reads stderr only (on Windows it reads in threads)
    _, err = proc.communicate(timeout=TIMEOUT)
    assert (proc.returncode, err.decode()) == (1, "")  # 1, as Python's docs advise


def test_the_pages_chinese_survives_a_pipe_with_no_encoding_set():
    # A user's shell sets neither PYTHONIOENCODING nor PYTHONUTF8. On Windows a pipe then got
    # the ANSI code page, and the page's section names came out as "?????" (seen under Wine).
    env = {k: v for k, v in user_env().items() if k not in ("PYTHONIOENCODING", "PYTHONUTF8")}
    done = subprocess.run([sys.executable, "-m", "lab", "list"], capture_output=True,
                          timeout=TIMEOUT, env=env, stdin=subprocess.DEVNULL)
    assert done.returncode == 0, done.stderr
    assert "与平台有关" in done.stdout.decode("utf-8", "replace"), done.stdout


@pytest.mark.parametrize("args", [["platform"], ["list"],
                                  ["run", "process_join", "--time-scale", "0"], ["--help"]])
def test_an_ascii_only_stdout_gets_replacements_not_a_traceback(args):
    done = mplab(*args, PYTHONIOENCODING="ascii")
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr and "UnicodeEncodeError" not in done.stderr


def test_help_shows_no_restructuredtext_markup():
    done = mplab("--help")
    assert "``" not in done.stdout


UNRELATED = '''
import ctypes
import signal
import sys


def test_the_lab_changed_nothing_here(request):
    assert request.config.pluginmanager.has_plugin("mplab")  # installed, so loaded
    assert signal.getsignal(signal.SIGTERM) == signal.SIG_DFL
    if sys.platform.startswith("linux"):
        libc = ctypes.CDLL(None, use_errno=True)
        flag = ctypes.c_int(-1)
        assert libc.prctl(37, ctypes.byref(flag), 0, 0, 0) == 0  # PR_GET_CHILD_SUBREAPER
        assert flag.value == 0
'''


@pytest.mark.skipif(sys.platform == "win32", reason="SIGTERM's handler and subreapers: POSIX")
def test_an_unrelated_pytest_run_where_mplab_is_installed_is_left_alone(tmp_path):
    (tmp_path / "test_unrelated.py").write_text(UNRELATED, encoding="utf-8")
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider",
                           str(tmp_path)], capture_output=True, text=True, timeout=TIMEOUT,
                          cwd=tmp_path, env=contract.without_lab(user_env()))
    assert done.returncode == 0, done.stdout


def test_two_passing_runs_into_one_out_folder(tmp_path):
    # Two runs of mplab matrix serve three checks: each costs seconds.
    root = _checkout(tmp_path, "import pytest\n\n@pytest.mark.skip(reason='x')\n"
                               "def test_skipped():\n    pass\n")
    out = tmp_path / "out"
    # Specs that run mplab inside a CI cell inherit the cell's results folder: nothing of
    # theirs may land there, or the cell's artifacts hold runs that are not the cell's.
    cell = tmp_path / "cell-results"
    first = mplab("matrix", "--out", str(out), cwd=root, **{contract.RESULTS_DIR: str(cell)})
    second = mplab("matrix", "--out", str(out), cwd=root)

    # A passing run exits 0 and ends with its counts.
    assert (first.returncode, second.returncode) == (0, 0), first.stdout + second.stdout
    version = ".".join(map(str, sys.version_info[:3]))
    assert first.stdout.splitlines()[-1] == (
        f"Python {version}: 1 passed, 0 failed, 1 skipped, 0 errors")
    # mplab matrix writes no results into a folder its environment names.
    assert not cell.exists() or list(cell.iterdir()) == []
    # A reused out folder reports this run only, and says so.
    assert len(list(out.glob("mplab-results-*.json"))) == 2
    report_md = (out / "mplab-report.md").read_text(encoding="utf-8")
    assert "1 results file(s) merged" in report_md
    assert "already held 1 results file(s) of earlier runs" in " ".join(second.stdout.split())
