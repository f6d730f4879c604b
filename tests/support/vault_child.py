"""The vault's backend as a fresh process finds it, for tests of keyring detection: which backend
it picked (or why it refused), which keyring backend modules that loaded, and what keyring's own
full detection picks in the same environment — a child, because keyring caches its pick and the
modules loaded cannot be unloaded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

CHILD = """
import json, sys
exec(sys.argv[1])
from inspector.core.errors import KeyringUnavailableError
from inspector.core.storage.vault import Vault, usable_backend

def name(backend):
    return f"{type(backend).__module__}.{type(backend).__name__}"

vault = Vault()
try:
    vault.set("detection-probe", "value")
    assert vault.get("detection-probe") == "value"
    vault.delete("detection-probe")
    picked = name(vault.backend)
except KeyringUnavailableError as exc:
    picked = f"refused: {exc}"
loaded = sorted(module for module in sys.modules if module.startswith("keyring.backends."))
import keyring
try:
    keyring_picks = name(usable_backend(keyring.get_keyring()))
except KeyringUnavailableError as exc:
    keyring_picks = f"refused: {exc}"
print(json.dumps({"picked": picked, "loaded": loaded, "keyring_picks": keyring_picks}))
"""


def resolve_in_child(env: dict[str, str], setup: str = "") -> dict:
    """Run ``setup`` then resolve, store, read and delete a secret in a new process under ``env``."""
    result = subprocess.run([sys.executable, "-c", CHILD, setup], capture_output=True, text=True, env=env,
                            cwd=ROOT, timeout=60)  # fmt: skip
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
