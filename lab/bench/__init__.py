"""``mplab bench``: what each start method costs, per Python, measured with pyperf.

The host side (this package) decides what to measure (``measures``), finds the Pythons and
their environments (``targets``), turns pyperf's JSON into one summary (``summary``), and shows
it as a terminal table (``show``) and a self-contained HTML page with charts (``page``). The
scripts under ``target/`` run inside each measured Python and import nothing but the standard
library, pyperf and psutil, so any CPython the lab supports can run them, in a chroot too.
"""
