"""Benchmark: sanitizing a 50 MB HAR (run on demand, never in CI's pass/fail).

    .venv/bin/python tests/benchmarks/bench_sanitize.py [--megabytes 50] [--repeat 5] [--shape pages|api]

The recording is bench_har's (a Chrome export with a login among images and fonts saved base64,
scripts, style sheets, API calls and pages; or ``--shape api``: 20,000 small entries). Compared, in
the same run, with the bare cost of reading and writing it: ``json.load`` of the file plus
``json.dump`` of what it read to a file (no indent: the fast C encoder, the stricter baseline).
Target: ``sanitize_har`` plus writing its bytes <= 2x. Round-robin medians, as in bench_har.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from inspector.core.sanitize.har import sanitize_har  # noqa: E402
from tests.benchmarks.bench_har import build, round_robin  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=50)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--shape", choices=["pages", "api"], default="pages")
    options = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        source = build(options.megabytes, options.shape).write(Path(folder) / "login.har")
        target = Path(folder) / "out.har"

        def bare() -> Any:
            with source.open("rb") as handle:
                document = json.load(handle)
            with target.open("w", encoding="utf-8") as handle:
                json.dump(document, handle)

        def sanitized() -> Any:
            result = sanitize_har(source)
            with target.open("wb") as handle:
                result.write(handle)
            return result

        result = sanitize_har(source)
        size = source.stat().st_size
        figures = round_robin({"json.load + json.dump": bare, "sanitize + write": sanitized}, options.repeat)

    print(f"HAR ({options.shape}): {size / 1e6:.1f} MB, {result.entries:,} entries; removed "
          f"{', '.join(f'{count} {name}' for name, count in sorted(result.counts.items()))}")
    base = figures["json.load + json.dump"]
    print(f"{'json.load + json.dump':24} {base:8.1f} ms   1.00x")
    ratio = figures["sanitize + write"] / base
    print(f"{'sanitize + write':24} {figures['sanitize + write']:8.1f} ms  {ratio:5.2f}x  (target <= 2x)")


if __name__ == "__main__":
    main()
