"""The layer rule, proven in fresh interpreters: the core never loads Qt, and the CLI's decode
path loads neither Qt nor httpx (nor crypto: decoding needs only base64 and JSON)."""

import ast
import json
import pkgutil
import subprocess
import sys
from pathlib import Path

import inspector.core

ROOT = Path(__file__).resolve().parents[1]


def loaded_modules(code: str) -> set[str]:
    """Run ``code`` in a fresh interpreter and return the names in its sys.modules afterwards."""
    script = f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))"
    result = subprocess.run([sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    return set(json.loads(result.stdout.splitlines()[-1]))


def core_modules() -> list[str]:
    return sorted(info.name for info in pkgutil.walk_packages(inspector.core.__path__, "inspector.core."))


def test_core_walk_finds_the_jose_modules():
    assert {"inspector.core.jose.parse", "inspector.core.jose.verify", "inspector.core.jose.keys"} <= set(
        core_modules())


def test_importing_all_of_core_loads_no_qt():
    modules = loaded_modules("\n".join(f"import {name}" for name in ["inspector.core", *core_modules()]))
    assert not any(name == "PySide6" or name.startswith("PySide6.") for name in modules)


def test_decode_cli_path_loads_no_qt_httpx_or_crypto():
    token = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTgwMDAwMDAwMH0.c2ln"
    code = (
        "import contextlib, io\n"
        "from inspector.cli.main import main\n"
        "out = io.StringIO()\n"
        "with contextlib.redirect_stdout(out):\n"
        f"    assert main(['decode', {token!r}, '--json']) == 0\n"
        f"    assert main(['decode', {token!r}, '--now', '0']) == 0\n"
    )
    modules = loaded_modules(code)
    for forbidden in ("PySide6", "httpx", "cryptography", "jwt"):
        assert not any(name == forbidden or name.startswith(f"{forbidden}.") for name in modules), forbidden
    assert "inspector.core.jose.parse" in modules


def test_decode_cli_on_a_dpop_proof_loads_no_qt_or_httpx():
    """A proof is checked with its own key, so crypto loads for it; Qt and HTTP still do not."""
    from tests.support.dpop import VECTORS

    proof = VECTORS["rfc9449_token_request"]["proof"]
    code = (
        "import contextlib, io\n"
        "from inspector.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['decode', {proof!r}, '--json']) == 0\n"
    )
    modules = loaded_modules(code)
    for forbidden in ("PySide6", "httpx"):
        assert not any(name == forbidden or name.startswith(f"{forbidden}.") for name in modules), forbidden
    assert "inspector.core.jose.dpop_check" in modules


def test_decode_of_a_jwe_without_a_key_loads_no_jose_library_or_crypto():
    """A JWE's header is decoded (and the key it needs named) with the standard library alone."""
    jwe = "eyJhbGciOiJSU0EtT0FFUCIsImVuYyI6IkEyNTZHQ00ifQ.YQ.Yg.Yw.ZA"
    code = (
        "import contextlib, io\n"
        "from inspector.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['decode', {jwe!r}, '--json']) == 0\n"
        f"    assert main(['decode', {jwe!r}]) == 0\n"
    )
    modules = loaded_modules(code)
    for forbidden in ("PySide6", "httpx", "cryptography", "jwt", "joserfc"):
        assert not any(name == forbidden or name.startswith(f"{forbidden}.") for name in modules), forbidden
    assert "inspector.core.jose.jwe" in modules and "inspector.core.jose.jwe_content" not in modules


def test_decode_with_a_decryption_key_loads_the_jose_library_only_for_a_jwe(tmp_path):
    key = tmp_path / "key.json"
    key.write_text('{"kty": "oct", "k": "AAAAAAAAAAAAAAAAAAAAAA"}')
    jws = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2ln"
    code = (
        "import contextlib, io\n"
        "from inspector.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['decode', {jws!r}, '--decrypt-key', {str(key)!r}]) == 0\n"
    )
    assert not any(name.split(".")[0] in ("joserfc", "cryptography") for name in loaded_modules(code))
    jwe = "eyJhbGciOiJBMTI4S1ciLCJlbmMiOiJBMTI4R0NNIn0.YQ.Yg.Yw.ZA"
    code = code.replace(jws, jwe).replace("== 0", "== 1")
    assert "joserfc" in loaded_modules(code)


def test_diff_cli_path_loads_no_qt_httpx_or_crypto():
    first = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSIsImV4cCI6MTgwMDAwMDAwMH0.c2ln"
    second = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJib2IiLCJleHAiOjE4MDAwMDM2MDB9.c2ln"
    code = (
        "import contextlib, io\n"
        "from inspector.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        f"    assert main(['diff', {first!r}, {second!r}, '--json']) == 1\n"
        f"    assert main(['diff', {first!r}, {first!r}]) == 0\n"
    )
    modules = loaded_modules(code)
    for forbidden in ("PySide6", "httpx", "cryptography", "jwt", "keyring"):
        assert not any(name == forbidden or name.startswith(f"{forbidden}.") for name in modules), forbidden
    assert "inspector.core.jose.diff" in modules


def test_verify_cli_without_remote_keys_loads_no_qt_or_httpx():
    code = (
        "import contextlib, io\n"
        "from inspector.cli.main import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['verify', 'eyJhbGciOiJIUzI1NiJ9.e30.c2ln', '--secret', 's' * 32, '--json']) == 1\n"
    )
    modules = loaded_modules(code)
    assert not any(name.split(".")[0] in ("PySide6", "httpx") for name in modules)


def test_jose_package_init_imports_nothing():
    tree = ast.parse((ROOT / "inspector" / "core" / "jose" / "__init__.py").read_text())
    assert not [node for node in ast.walk(tree) if isinstance(node, (ast.Import, ast.ImportFrom))]


def test_diagnose_cli_of_static_input_loads_no_qt_or_httpx():
    """A token with a saved JWKS, and a provider's error answer: nothing to fetch, so no HTTP client."""
    code = (
        "import contextlib, io, json, sys, tempfile\n"
        "from inspector.cli.main import main\n"
        "from tests.support.diagnosis import id_token, jwk\n"
        "jwks = tempfile.NamedTemporaryFile('w', suffix='.json', delete=False)\n"
        "json.dump({'keys': [jwk()]}, jwks); jwks.close()\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    assert main(['diagnose', id_token(aud='other'), '--jwks', jwks.name, '--client-id', 'web-app']) == 0\n"
        "    assert main(['diagnose', '{\"error\": \"invalid_client\"}', '--json']) == 0\n"
    )
    modules = loaded_modules(code)
    assert not any(name.split(".")[0] in ("PySide6", "httpx") for name in modules)
    assert "inspector.core.diagnosis.token" in modules


def test_sanitize_cli_loads_no_qt_or_httpx(tmp_path):
    """Sanitizing a recording is all local: no GUI, no HTTP client."""
    source, target = tmp_path / "in.har", tmp_path / "out.har"
    code = (
        "import contextlib, io\n"
        "from inspector.cli.main import main\n"
        "from tests.support.har_logins import Login, clean\n"
        f"open({str(source)!r}, 'wb').write(clean(Login('chrome')).data)\n"
        "with contextlib.redirect_stderr(io.StringIO()):\n"
        f"    assert main(['sanitize', {str(source)!r}, '-o', {str(target)!r}]) == 0\n"
    )
    modules = loaded_modules(code)
    assert not any(name.split(".")[0] in ("PySide6", "httpx") for name in modules)
    assert "inspector.core.sanitize.har" in modules
