"""Work done once after the first paint, off the GUI thread: import what later clicks will need."""

from __future__ import annotations

import importlib

from inspector.ui.workers import Job

#: Libraries the panels use on first interaction; importing them here keeps the first click fast.
HEAVY_MODULES = ("httpx", "jwt", "cryptography.hazmat.primitives.asymmetric.rsa", "keyring")


def warm_up(job: Job) -> None:
    for name in HEAVY_MODULES:
        if job.cancel.cancelled:
            return
        importlib.import_module(name)
