"""Timing in-process variants against a baseline, shared by the on-demand benchmarks: each
variant timed over a fixed number of loops, round after round, interleaved so a busy machine
(other jobs on two cores) weighs on every variant alike; medians, and ratios as the median of the
rounds' ratios."""

from __future__ import annotations

import statistics
import time
from typing import Callable


def per_call(function: Callable[[], object], loops: int) -> float:
    start = time.perf_counter()
    for _ in range(loops):
        function()
    return (time.perf_counter() - start) / loops


def compare(variants: dict[str, Callable[[], object]], runs: int, loops: int) -> dict[str, list[float]]:
    """Per-call seconds of each variant, ``runs`` samples each, interleaved."""
    for function in variants.values():
        function()  # warm-up: imports, caches
    samples: dict[str, list[float]] = {name: [] for name in variants}
    for _ in range(runs):
        for name, function in variants.items():
            samples[name].append(per_call(function, loops))
    return samples


def report(title: str, samples: dict[str, list[float]], baseline: str, unit: str = "µs") -> None:
    scale = 1e6 if unit == "µs" else 1e3
    print(title)
    base = samples[baseline]
    for name, times in samples.items():
        ratio = statistics.median(t / b for t, b in zip(times, base))
        print(f"    {name:<46}: {statistics.median(times) * scale:8.1f} {unit}   {ratio:5.2f}×")
