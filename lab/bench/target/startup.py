"""pyperf worker: the time of starting processes and of sending them work, under one start method.

    python startup.py --measure process_next --method spawn [pyperf's options] -o FILE.json

Only the standard library is imported at module level: spawn and forkserver children import
this file again as ``__mp_main__``, and whatever it imported there would be timed too.
pyperf is imported in the ``__main__`` block, by the parent alone.
"""

from __future__ import annotations

import multiprocessing
import sys
import time

KIB = 1024
SIZES = {"roundtrip_1k": KIB, "roundtrip_1m": KIB * KIB}
JOIN_TIMEOUT = 120.0  # seconds; a child that takes longer fails the measure
_state: dict = {}


def _empty() -> None:
    pass


def _echo(payload: bytes) -> bytes:
    return payload


def _one_process(ctx) -> None:
    proc = ctx.Process(target=_empty)
    proc.start()
    proc.join(JOIN_TIMEOUT)
    if proc.exitcode != 0:
        proc.kill()
        raise RuntimeError(f"the empty process ended with exit code {proc.exitcode}")


def _warm(ctx) -> None:
    """One process before timing: the fork server and the resource tracker run from then on."""
    if not _state.get("warm"):
        _one_process(ctx)
        _state["warm"] = True


def process_first(loops: int, ctx) -> float:
    # pyperf runs this with --loops 1 --values 1 --warmups 0: one call per fresh interpreter.
    started = time.perf_counter()
    for _ in range(loops):
        _one_process(ctx)
    return time.perf_counter() - started


def process_next(loops: int, ctx) -> float:
    _warm(ctx)
    started = time.perf_counter()
    for _ in range(loops):
        _one_process(ctx)
    return time.perf_counter() - started


def pool_first_result(loops: int, ctx) -> float:
    _warm(ctx)
    total = 0.0
    for _ in range(loops):
        started = time.perf_counter()
        pool = ctx.Pool(4)
        pool.apply(_empty)
        total += time.perf_counter() - started
        pool.terminate()
        pool.join()
    return total


def roundtrip(loops: int, ctx, size: int) -> float:
    pool = _state.get("pool")
    if pool is None:
        pool = _state["pool"] = ctx.Pool(1)
    payload = b"x" * size
    if len(pool.apply(_echo, (payload,))) != size:  # the first task, untimed
        raise RuntimeError("the echo came back changed")
    started = time.perf_counter()
    for _ in range(loops):
        pool.apply(_echo, (payload,))
    return time.perf_counter() - started


def main() -> None:
    import pyperf

    def pass_on(cmd: list, args) -> None:  # pyperf's own worker processes need them too
        cmd.extend(("--measure", args.measure, "--method", args.method))

    runner = pyperf.Runner(add_cmdline_args=pass_on)
    runner.argparser.add_argument("--measure", required=True,
                                  choices=["process_first", "process_next", "pool_first_result",
                                           *SIZES])
    runner.argparser.add_argument("--method", required=True,
                                  choices=multiprocessing.get_all_start_methods())
    args = runner.parse_args()
    ctx = multiprocessing.get_context(args.method)
    runner.metadata["mplab_method"] = args.method
    runner.metadata["mplab_measure"] = args.measure
    try:
        if args.measure in SIZES:
            runner.bench_time_func(args.measure, roundtrip, ctx, SIZES[args.measure])
        else:
            runner.bench_time_func(args.measure, globals()[args.measure], ctx)
    finally:
        pool = _state.pop("pool", None)
        if pool is not None:
            pool.terminate()
            pool.join()


if __name__ == "__main__":
    sys.exit(main())
