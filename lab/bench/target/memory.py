"""Worker: the memory an idle child adds (USS and PSS), after the parent filled 64 MiB.

    python memory.py --method fork --children 5 --size-mib 64 -o FILE.json

Not a timing, so not pyperf's Runner: psutil reads the child's memory while it waits, and the
values are written as a pyperf suite (unit "byte"), so that pyperf's tools read this raw record
as they read the others. Module level imports only the standard library (see startup.py).
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import sys

READY_TIMEOUT = 120.0  # seconds for a child to start and say so


def _idle(conn) -> None:
    conn.send(os.getpid())
    conn.recv()  # until the parent has measured


def measure_child(ctx, psutil) -> tuple[int, int | None]:
    parent_end, child_end = ctx.Pipe()
    proc = ctx.Process(target=_idle, args=(child_end,))
    proc.start()
    try:
        if not parent_end.poll(READY_TIMEOUT):
            raise RuntimeError(f"the child did not start within {READY_TIMEOUT:g} s")
        info = psutil.Process(parent_end.recv()).memory_full_info()
        parent_end.send(None)
        proc.join(READY_TIMEOUT)
    finally:
        if proc.is_alive():
            proc.kill()
            proc.join()
    return info.uss, getattr(info, "pss", None)


def main() -> int:
    import psutil
    import pyperf

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--method", required=True,
                        choices=multiprocessing.get_all_start_methods())
    parser.add_argument("--children", type=int, default=5)
    parser.add_argument("--size-mib", type=int, default=64)
    parser.add_argument("-o", "--output", required=True)
    args = parser.parse_args()
    if args.children < 1 or args.size_mib < 0:
        parser.error("--children must be 1 or more, --size-mib 0 or more")
    ctx = multiprocessing.get_context(args.method)
    big = bytearray(b"\x01") * (args.size_mib * 1024 * 1024)  # every page written, so resident
    measure_child(ctx, psutil)  # the first child starts the fork server or the tracker: untimed
    uss, pss = [], []
    for _ in range(args.children):
        u, p = measure_child(ctx, psutil)
        uss.append(u)
        if p:
            pss.append(p)
    common = {"unit": "byte", "mplab_method": args.method, "mplab_parent_mib": args.size_mib}
    benches = [pyperf.Benchmark([pyperf.Run(values, warmups=None,
                                            metadata={"name": name, **common})])
               for name, values in (("child_uss", uss), ("child_pss", pss)) if values]
    pyperf.BenchmarkSuite(benches).dump(args.output)
    del big
    return 0


if __name__ == "__main__":
    sys.exit(main())
