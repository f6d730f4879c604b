"""``--decrypt-key FILE`` for ``decode`` and ``verify``: decrypt a JWE with the recipient's key.

The file (a private JWK, a JWK Set chosen by ``kid``, or PEM) is read through the bounded reader
like every key file; a file that cannot be read or holds no usable private key is a usage error
(exit 2). A decryption that fails is a result, not an error: findings, no plaintext, exit 1.
The JOSE library is imported only here and only for a JWE (see :mod:`inspector.core.jose.jwe`).
"""

from __future__ import annotations

import argparse
from typing import Any

from inspector.cli.inputs import read_file, usage
from inspector.core.errors import KeySourceError

__all__ = ["HINT", "add_argument", "decrypt_with_file", "not_encrypted_note"]

HINT = ("Give --decrypt-key FILE (the recipient's private JWK, JWK Set or PEM) to decrypt it; "
        "a provider encrypts to a key the client registered (its jwks or jwks_uri).")


def add_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--decrypt-key", metavar="FILE",
                        help="decrypt an encrypted token (JWE) with this private JWK, JWK Set (chosen by kid) or PEM "
                        "key; RSA1_5 is refused")


def decrypt_with_file(decoded: Any, path: str) -> Any:
    """The core's Decryption of the JWE ``decoded`` with the keys in ``path``; None when the token
    is not encrypted (the file is still read, so a wrong path is never silently ignored)."""
    data = read_file(path, "the decryption key file")
    if decoded.format != "jwe":
        return None
    from inspector.core.jose.jwe import decrypt
    from inspector.core.jose.jwe_keys import load_decryption_keys

    try:
        keys = load_decryption_keys(data)
    except KeySourceError as exc:
        raise usage(f"The decryption key file {path!r} cannot be used: {exc.message}", hint=exc.hint) from exc
    return decrypt(decoded, keys)


def not_encrypted_note() -> Any:
    from inspector.core import findings as fnd

    return fnd.info("not_encrypted", "The token is not encrypted: --decrypt-key was not needed.")
