"""The specs' fixtures (``start_method``, ``observe``, ``probe``, ``output_check``, ``spec``) come
from the lab's pytest plugin (lab/fixtures.py), so that specs outside this repository have them
too. This file marks tests/ as the lab's checkout for `mplab matrix`."""
