"""Scripts each measured Python runs: the plan's driver and pyperf's workers (stdlib, pyperf and
psutil only; never the lab, which the measured Python may not have)."""
