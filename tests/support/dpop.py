"""DPoP test data: the RFC examples (tests/data/dpop_vectors.json) and a fixed-clock proof maker."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

VECTORS: dict[str, Any] = json.loads((Path(__file__).parents[1] / "data" / "dpop_vectors.json")
                                     .read_text(encoding="utf-8"))
NOW = 1_800_000_000.0


def counter_random() -> Any:
    """Randomness that differs on every call and is the same in every run: ``jti-0001…``."""
    count = iter(range(1, 10_000))
    return lambda nbytes: f"jti-{next(count):04d}".ljust(nbytes + 6, "x")
