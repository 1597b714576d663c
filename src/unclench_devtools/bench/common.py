"""What the benchmark's measurements share: the progress line and a summary of a series."""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Sequence
from typing import Any

MB = 1e6  # decimal megabytes: the unit the targets are written in


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def summary(values: Sequence[float]) -> dict[str, Any]:
    return {
        "median": statistics.median(values),
        "min": min(values),
        "max": max(values),
        "n": len(values),
        "all": list(values),
    }


def mb(kb: float) -> float:
    return kb * 1024 / MB
