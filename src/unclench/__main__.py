"""``python -m unclench``: the same as the ``unclench`` command."""

import sys

from unclench.cli import main

sys.exit(main())
