"""Unclench's development tools: the end-to-end harness and the benchmark's machinery.

Throwaway desktops to run the real app on (``x11``, ``wayland``), the programs they start
(``programs``, ``host``), process sampling (``sampling``), a sample month of history
(``sample_history``) and the benchmark's measurements (``bench``). The tests, ``scripts/`` and
``bench/`` import it; the editable install puts ``src`` on the path. It is not shipped: the
wheel packages ``src/unclench`` only, and nothing in ``unclench`` imports it.
"""

from pathlib import Path

#: The checkout this package lives in; the harness runs a few of the tests' own programs.
REPO = Path(__file__).resolve().parents[2]
