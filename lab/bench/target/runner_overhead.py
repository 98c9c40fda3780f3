"""pyperf worker: each of the page's examples run bare and through the lab's runner.

    python runner_overhead.py [--time-scale 0.05] [pyperf's options] -o FILE.json

The one worker that imports the lab: it runs only under the Python mplab itself runs on. A bare
run is ``python example.py`` (the compiled binary for C) with the runner's environment less its
report folder, and with pipes, as the runner has them: without a pipe to read, a wait with a
timeout polls in sleeps of up to 50 ms, which would be measured instead of the program.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time

RUN_TIMEOUT = 120.0  # seconds for one run of an example


def _bare_once(argv: list[str], env: dict[str, str]) -> None:
    with tempfile.TemporaryDirectory() as cwd:
        subprocess.run(argv, env=env, cwd=cwd, capture_output=True, timeout=RUN_TIMEOUT,
                       check=True, stdin=subprocess.DEVNULL)


def bare(loops: int, example, time_scale: float) -> float:
    from lab import ccompiler, runner

    argv = ([str(ccompiler.compile_c(example.path))] if example.kind == "c"
            else [sys.executable, str(example.path)])
    env = runner.example_env(runner.Settings(time_scale=time_scale), report_dir=None)
    started = time.perf_counter()
    for _ in range(loops):
        _bare_once(argv, env)
    return time.perf_counter() - started


def through_runner(loops: int, example, time_scale: float) -> float:
    from lab import runner

    settings = runner.Settings(time_scale=time_scale, timeout=RUN_TIMEOUT)
    started = time.perf_counter()
    for _ in range(loops):
        obs = runner.run(example, settings)
        if obs.outcome != "ok":
            raise RuntimeError(f"{example.name}: {obs.summary()}")
    return time.perf_counter() - started


def main() -> None:
    import pyperf

    from lab import catalog, ccompiler

    def pass_on(cmd: list, args) -> None:
        cmd.extend(("--time-scale", repr(args.time_scale)))

    runner = pyperf.Runner(add_cmdline_args=pass_on)
    runner.argparser.add_argument("--time-scale", type=float, default=0.05)
    args = runner.parse_args()
    runner.metadata["mplab_time_scale"] = repr(args.time_scale)
    for example in catalog.examples().values():
        if example.kind == "c" and ccompiler.why_not_compilable():
            continue
        runner.bench_time_func(f"example_bare:{example.name}", bare, example, args.time_scale)
        runner.bench_time_func(f"example_runner:{example.name}", through_runner, example,
                               args.time_scale)


if __name__ == "__main__":
    sys.exit(main())
