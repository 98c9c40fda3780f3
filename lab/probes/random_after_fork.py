"""Probe: random state in children (L10).

Three generators, each drawn 8 times 64 bits (two equal sequences by chance: 2**-512):
- ``stdlib``: the random module's own generator, which Lib/random.py reseeds in a forked child
  (os.register_at_fork, 3.7+);
- ``instance``: a random.Random() of the program's own, seeded from the OS at import;
- ``lcg``: a pure-Python linear congruential generator, seeded from os.urandom at import.
The parent starts two children one after the other and draws only after both have started, so
all three processes draw from the state each had when it began.
"""
import multiprocessing as mp
import os
import random

import _path  # noqa: F401
import _lab_hook

WAIT = 20  # seconds: far beyond what any step needs
N = 8


class LCG:
    """Knuth's MMIX constants, 64 bits of state: no reseeding of any kind."""

    def __init__(self, seed):
        self.state = seed

    def getrandbits64(self):
        self.state = (6364136223846793005 * self.state + 1442695040888963407) % 2**64
        return self.state


OWN = random.Random()
MINE = LCG(int.from_bytes(os.urandom(8), "big"))


def draws():
    return {
        "stdlib": [random.getrandbits(64) for _ in range(N)],
        "instance": [OWN.getrandbits(64) for _ in range(N)],
        "lcg": [MINE.getrandbits64() for _ in range(N)],
    }


def child(i):
    _lab_hook.report("child_draws", {"child": i, "draws": draws()})


if __name__ == "__main__":
    children = [mp.Process(target=child, args=(i,)) for i in (1, 2)]
    for p in children:
        p.start()
    for p in children:
        p.join(WAIT)
    _lab_hook.report("parent_draws", draws())
    _lab_hook.report("exitcodes", [p.exitcode for p in children])
