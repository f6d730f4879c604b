"""Local input named on the command line — a CA bundle, a private key, a key or JWKS file, an
environment variable — read and checked before any request is made.

Every command treats one it cannot use the same way: a usage error (exit 2) whose message names
the file (or variable) and says what is wrong with it. Standard library only at import time.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
from pathlib import Path

from inspector.core.errors import InspectorError
from inspector.core.files import read_bounded

#: The most read from a file or standard input: far above any token, key, JWK Set, CA bundle
#: (the system's whole trust store is well under 1 MiB) or profiles export; ``/dev/zero`` stops here.
MAX_INPUT_BYTES = 8 * 1024 * 1024
_MIB = MAX_INPUT_BYTES // (1024 * 1024)
#: A secret is one line of text.
MAX_SECRET_BYTES = 64 * 1024

__all__ = ["MAX_INPUT_BYTES", "ca_bundle", "decryption_key", "epoch_seconds", "leeway_seconds", "name_value",
           "pem_file", "private_key", "read_file", "read_stdin", "read_stdin_bytes", "read_text", "secret_from_env", "secret_from_file",
           "timeout_seconds", "usage"]


def usage(message: str, hint: str | None = None) -> InspectorError:
    return InspectorError(message, code="usage", hint=hint)


def name_value(pair: str, option: str) -> tuple[str, str]:
    """``NAME=VALUE`` given to ``option`` → (name, value); no '=' or no name is a usage error."""
    name, sep, value = pair.partition("=")
    if not sep or not name:
        raise usage(f"{option} needs NAME=VALUE, not {pair!r}.")
    return name, value


def read_file(path: str, what: str, *, code: str = "usage", limit: int = MAX_INPUT_BYTES, streams: bool = False,
              wait: float | None = None) -> bytes:
    """The bytes of ``path``; ``what`` names it in the message ("the CA bundle"). ``code`` is the
    error's code (``verify`` reports unreadable key sources as ``key_source``, still exit 2).

    Bounded (see :func:`inspector.core.files.read_bounded`): a regular file over ``limit`` bytes is
    refused unread and anything else refused, unless ``streams`` (a secret from ``<(pass show x)``):
    then a pipe is read up to ``limit`` bytes for at most ``wait`` seconds.
    """
    return read_bounded(path, limit=limit, what=what, error=InspectorError, code=code, streams=streams, wait=wait)


def read_text(path: str, what: str, *, code: str = "usage") -> str:
    """``read_file`` decoded as UTF-8 (keys, JWKS and profile exports are text)."""
    try:
        return read_file(path, what, code=code).decode("utf-8")
    except UnicodeDecodeError as exc:
        raise InspectorError(f"{what[0].upper()}{what[1:]} {path!r} is not text (UTF-8).", code=code) from exc


def read_stdin(what: str) -> str:
    """Standard input as UTF-8 text; ``what`` names it in the message ("the token"). Read as bytes:
    the text layer decodes strictly under most UTF-8 locales, and a stray byte (a binary file piped
    by mistake) must be a usage error, not an internal one."""
    if sys.stdin is None:
        raise usage(f"There is no standard input to read {what} from.")
    data = read_stdin_bytes(what)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise usage(f"Standard input is not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start}), "
                    f"so it cannot be {what}.", hint="Pipe the text itself, not a binary file.") from exc


def read_stdin_bytes(what: str, *, limit: int = MAX_INPUT_BYTES, error: type[InspectorError] | None = None) -> bytes:
    """At most ``limit`` bytes of standard input (``< /dev/zero`` never ends otherwise). Past it,
    ``error`` (a usage error by default) says so, naming ``what`` standard input was meant to be."""
    if sys.stdin is None:
        raise (error or InspectorError)(f"There is no standard input to read {what} from.",
                                        **({} if error else {"code": "usage"}))
    try:
        if hasattr(sys.stdin, "buffer"):
            data = sys.stdin.buffer.read(limit + 1)
        else:
            data = sys.stdin.read(limit + 1).encode("utf-8", "surrogateescape")
    except (OSError, ValueError) as exc:  # closed (ValueError), a directory, a terminal gone
        detail = getattr(exc, "strerror", None) or "it is closed or cannot be read"
        message = f"Standard input could not be read for {what} ({detail})."
        hint = "Pipe the text in, or give it as an argument."
        raise error(message, hint=hint) if error else usage(message, hint=hint)
    if len(data) > limit:
        message = f"Standard input is larger than {limit / 1_048_576:.0f} MiB, far more than {what} can be."
        hint = "Save it to a file first, or pipe the text itself, not a device."
        raise error(message, hint=hint) if error else usage(message, hint=hint)
    return data


def ca_bundle(path: str) -> str:
    """``path`` as an absolute path once it loads as a PEM bundle of CA certificates."""
    import ssl

    candidate = Path(path).expanduser()
    read_file(path, "the CA bundle")  # a regular file only: every connection reads it again by name
    resolved = str(candidate.resolve())
    try:
        ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT).load_verify_locations(cafile=resolved)
    except ssl.SSLError as exc:
        raise usage(f"The CA bundle {path!r} holds no usable PEM CA certificate ({exc.reason or exc}).",
                    hint="Pass a PEM file with one or more CA certificates (-----BEGIN CERTIFICATE-----).") from exc
    return resolved


def private_key(path: str) -> bytes:
    """The PEM bytes of ``path`` once they load as a private key a client assertion can be signed with."""
    from inspector.core.errors import KeySourceError
    from inspector.core.protocol.client_auth import load_signing_key

    pem = read_file(path, "the key file")
    try:
        load_signing_key(pem)
    except KeySourceError as exc:
        raise usage(f"The key file {path!r} cannot be used: {exc.message}", hint=exc.hint) from exc
    return pem


def decryption_key(path: str) -> str:
    """The text of ``path`` once it loads as a decryption key (private JWK, JWK Set or PEM), to be
    kept in the keyring; a file that cannot be read or holds no private key is a usage error."""
    from inspector.core.errors import KeySourceError
    from inspector.core.jose.jwe_keys import load_decryption_keys

    text = read_text(path, "the decryption key file")
    try:
        load_decryption_keys(text)
    except KeySourceError as exc:
        raise usage(f"The decryption key file {path!r} cannot be used: {exc.message}", hint=exc.hint) from exc
    return text
def pem_file(path: str, what: str) -> bytes:
    """A PEM file (a client certificate or its key): bounded like a secret, '<(command)' allowed."""
    return read_file(path, what, limit=MAX_SECRET_BYTES, streams=True)


def secret_from_env(variable: str, *, code: str = "usage") -> str:
    """A secret kept out of the command line (where ``ps`` shows it to every user of the machine)."""
    value = os.environ.get(variable)
    if not value:
        raise InspectorError(f"The environment variable {variable} is not set or empty.", code=code,
                             hint="Export it first, or pass the secret another way.")
    return value


def secret_from_file(path: str, what: str, *, code: str = "usage") -> str:
    """The secret in ``path`` (one line of UTF-8 text; the line break that ends it is dropped).
    ``what`` names the file ("the secret file"); unreadable, empty or too large is exit 2."""
    data = read_file(path, what, code=code, limit=MAX_SECRET_BYTES, streams=True)
    try:
        secret = data.decode("utf-8").rstrip("\r\n")
    except UnicodeDecodeError as exc:
        raise InspectorError(f"{what[0].upper()}{what[1:]} {path!r} is not text (UTF-8).", code=code) from exc
    if not secret:
        raise InspectorError(f"{what[0].upper()}{what[1:]} {path!r} is empty.", code=code,
                             hint="Write the secret into it, or pass the secret another way.")
    return secret


def _finite(text: str, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number of {what}") from None
    if not math.isfinite(value):
        raise argparse.ArgumentTypeError(f"{text!r} is not a finite number of {what}")
    return value


def timeout_seconds(text: str) -> float:
    """argparse type for --timeout: seconds above zero and at most a day (``nan`` and ``inf`` parse
    as floats but no HTTP client or deadline can use them; nor 1e10, past the OS's timers)."""
    from inspector.core.flows.settings import MAX_TIMEOUT

    value = _finite(text, "seconds")
    if not 0 < value <= MAX_TIMEOUT:
        raise argparse.ArgumentTypeError(f"the timeout must be above 0 and at most {MAX_TIMEOUT:g} seconds "
                                         f"(a day), not {text!r}")
    return value


def leeway_seconds(text: str) -> float:
    """argparse type for --leeway: a finite number of seconds, zero or more."""
    value = _finite(text, "seconds")
    if value < 0:
        raise argparse.ArgumentTypeError(f"the leeway cannot be negative ({text!r})")
    return value


def epoch_seconds(text: str) -> float:
    """argparse type for --now: a finite time in seconds since 1970 that dates can be shown for."""
    import datetime

    value = _finite(text, "seconds since 1970")
    try:
        datetime.datetime.fromtimestamp(value, datetime.timezone.utc)
    except (OverflowError, OSError, ValueError):
        raise argparse.ArgumentTypeError(f"{text!r} is outside the dates this system can show") from None
    return value
