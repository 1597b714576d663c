"""The benchmark's machinery (``bench/run.py`` is the command): targets, peers, phases, report."""
