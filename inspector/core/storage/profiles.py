"""Issuer profiles: a versioned, human-readable JSON file; their secrets only in the keyring.

File format (``profiles.json`` in the config folder)::

    {"version": 2, "profiles": [{"name": "...", "issuer": "https://...", ...}, ...]}

Version 2 added ``"auth_method": "auto"`` (the new default). Version 1 files are read and written
back as version 2: their ``client_secret_basic`` was the old default, so a profile with that method
and no stored client secret (a public client, or one whose secret comes from the command line)
becomes ``auto``, which chooses basic whenever a secret is there and ``none`` when it is not.

Every change re-reads the file under a lock and replaces it atomically, so a damaged file or one
from a newer version raises StorageError and is never overwritten. Secrets are written to the
keyring *before* the file, so a refused keyring leaves nothing half-saved; export and import
carry no secrets, and an import that re-points a profile decides its secrets' fate explicitly
(:mod:`profile_import`).
"""

from __future__ import annotations

import json
import logging
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Mapping

from inspector.core.errors import ProfileNotFoundError, StorageError
from inspector.core.storage.atomic import remove_stale_temporaries, write_atomic
from inspector.core.storage.filelock import locked
from inspector.core.storage.profile_import import REFUSE, ImportPlan, plan_import
from inspector.core.storage.profile_model import SECRET_KINDS, Profile, merged, validate
from inspector.core.storage.vault import Vault

__all__ = ["FILE_VERSION", "Profile", "ProfileStore", "parse_profiles"]

log = logging.getLogger(__name__)

FILE_VERSION = 2


def parse_profiles(text: str, where: str) -> list[Profile]:
    """Profiles from the file (or export) format; StorageError says what is wrong and where."""
    untouched = "It was left untouched; fix it, or move it aside to start over."
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StorageError(
            f"{where} is damaged: {exc.msg} at line {exc.lineno}, column {exc.colno}.", hint=untouched
        ) from exc
    except RecursionError as exc:  # JSON nested past Python's recursion limit: no export is
        raise StorageError(f"{where} is not a profiles file: its JSON is nested too deeply to read.",
                           hint=untouched) from exc
    version = data.get("version") if isinstance(data, dict) else None
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise StorageError(f"{where} is not a Token Inspector profiles file (no valid \"version\").", hint=untouched)
    if version > FILE_VERSION:
        raise StorageError(
            f"{where} was written by a newer Token Inspector (profiles format {version}; this version "
            f"reads up to {FILE_VERSION}).",
            hint="Upgrade Token Inspector to use it; the file was left untouched.",
        )
    if not isinstance(data.get("profiles"), list):
        raise StorageError(f"{where} has no \"profiles\" list.", hint=untouched)
    items = data["profiles"] if version > 1 else [_from_version_1(item) for item in data["profiles"]]
    try:
        profiles = [Profile.from_json(item) for item in items]
    except StorageError as exc:
        raise StorageError(f"{where} holds an invalid profile: {exc.message}", hint=untouched) from exc
    _check_unique(profiles, where)
    return profiles


def _from_version_1(item: Any) -> Any:
    """Version 1 had no "auto": its default, client_secret_basic, without a stored secret becomes auto."""
    if isinstance(item, dict) and item.get("auth_method") == "client_secret_basic" \
            and "client_secret" not in (item.get("secrets") or ()):
        return {**item, "auth_method": "auto"}
    return item


def _check_unique(profiles: Iterable[Profile], where: str) -> None:
    seen: set[str] = set()
    for profile in profiles:
        if profile.name.casefold() in seen:
            raise StorageError(f"{where} has two profiles named {profile.name!r}.")
        seen.add(profile.name.casefold())


def dump_profiles(profiles: Iterable[Profile]) -> str:
    ordered = sorted(profiles, key=lambda p: p.name.casefold())
    document = {"version": FILE_VERSION, "profiles": [p.to_json() for p in ordered]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def secret_entry(profile_name: str, kind: str) -> str:
    """The keyring entry name of one secret of one profile."""
    return f"profile/{profile_name}/{kind}"


class ProfileStore:
    def __init__(self, path: Path, vault: Vault) -> None:
        self.path = Path(path)
        self.vault = vault

    # -- reading ---------------------------------------------------------------------------------
    def list(self) -> list[Profile]:
        return sorted(self._load(), key=lambda p: p.name.casefold())

    def get(self, name: str) -> Profile:
        for profile in self._load():
            if profile.name.casefold() == name.casefold():
                return profile
        raise ProfileNotFoundError(
            f"There is no profile named {name!r}.", hint="`token-inspector profile list` shows the profiles."
        )

    def secret(self, name: str, kind: str) -> str | None:
        """A profile's secret from the keyring (None when it has none of that kind)."""
        profile = self.get(name)
        return self.vault.get(secret_entry(profile.name, kind)) if kind in profile.secrets else None

    def export(self, names: Iterable[str] | None = None) -> str:
        """The chosen profiles (all by default) in the file format, without any secret."""
        chosen = self.list() if names is None else [self.get(n) for n in names]
        return dump_profiles(replace(p, secrets=()) for p in chosen)

    # -- changing --------------------------------------------------------------------------------
    def add(self, profile: Profile, *, secrets: Mapping[str, str] | None = None) -> Profile:
        secrets = _checked_secrets(secrets or {})
        with locked(self.path):
            profiles = self._load()
            self._ensure_free(profiles, profile.name)
            stored = validate(replace(profile, secrets=tuple(k for k in SECRET_KINDS if k in secrets)))
            for kind, value in secrets.items():
                self.vault.set(secret_entry(stored.name, kind), value)
            self._save([*profiles, stored])
        log.info("added profile %s", stored.name)
        return stored

    def update(self, name: str, changes: Mapping[str, Any], *,
               secrets: Mapping[str, str | None] | None = None) -> Profile:  # fmt: skip
        """Apply field ``changes`` (``name`` renames); a secret set to None is deleted."""
        secrets = dict(secrets or {})
        _checked_secrets({k: v for k, v in secrets.items() if v is not None}, allow_kinds=secrets)
        with locked(self.path):
            profiles = self._load()
            old = self._find(profiles, name)
            kept = [k for k in old.secrets if k not in secrets] + [k for k, v in secrets.items() if v]
            new = merged(old, {**changes, "secrets": tuple(k for k in SECRET_KINDS if k in kept)})
            renamed = new.name != old.name
            if new.name.casefold() != old.name.casefold():
                self._ensure_free(profiles, new.name)
            carried = {k: self.vault.get(secret_entry(old.name, k)) for k in old.secrets if renamed and k in kept}
            for kind, value in {**carried, **secrets}.items():
                if value is not None:
                    self.vault.set(secret_entry(new.name, kind), value)
            self._save([new if p is old else p for p in profiles])
            for kind in old.secrets:
                if renamed or secrets.get(kind, "") is None:
                    self.vault.delete(secret_entry(old.name, kind))
        log.info("updated profile %s", new.name)
        return new

    def remove(self, name: str, *, keep_secrets: bool = False) -> Profile:
        """Remove a profile and its secrets; ``keep_secrets`` skips the keyring (e.g. it is locked)."""
        with locked(self.path):
            profiles = self._load()
            old = self._find(profiles, name)
            if not keep_secrets:
                for kind in old.secrets:
                    self.vault.delete(secret_entry(old.name, kind))
            self._save([p for p in profiles if p is not old])
        log.info("removed profile %s", old.name)
        return old

    def plan_import(self, text: str, *, replace_existing: bool = False, secrets: str = REFUSE,
                    where: str = "The import") -> ImportPlan:
        """What :meth:`import_text` would do, without doing it (see :mod:`profile_import`)."""
        return plan_import(self._load(), parse_profiles(text, where), replace_existing=replace_existing,
                           secrets=secrets)

    def import_text(self, text: str, *, replace_existing: bool = False, secrets: str = REFUSE,
                    where: str = "The import") -> ImportPlan:
        """Add the profiles of an export; same names are an error unless ``replace_existing``.

        ``secrets`` says what becomes of the stored secrets of a profile the import re-points
        (refuse, keep or drop; see :mod:`profile_import`). All or nothing: a refusal, a clash or an
        invalid profile changes nothing; a keyring that cannot drop the secrets leaves the file as it was.
        """
        incoming = parse_profiles(text, where)
        with locked(self.path):
            profiles = self._load()
            plan = plan_import(profiles, incoming, replace_existing=replace_existing, secrets=secrets)
            if plan.blocked:
                raise plan.refusal()
            moved: list[str] = []
            for item in plan.profiles:
                previous, stored = item.previous, item.profile
                for kind in item.secrets_dropped:
                    self.vault.delete(secret_entry(previous.name, kind))
                if previous is not None and previous.name != stored.name:  # the file changed the name's case
                    for kind in stored.secrets:
                        value = self.vault.get(secret_entry(previous.name, kind))
                        if value is not None:
                            self.vault.set(secret_entry(stored.name, kind), value)
                            moved.append(secret_entry(previous.name, kind))
            names = {item.profile.name.casefold() for item in plan.profiles}
            self._save([p for p in profiles if p.name.casefold() not in names] + [i.profile for i in plan.profiles])
            for entry in moved:
                self.vault.delete(entry)
        log.info("imported %d profiles", len(plan.profiles))
        return plan

    # -- internals -------------------------------------------------------------------------------
    def _load(self) -> list[Profile]:
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return []
        except (OSError, UnicodeDecodeError) as exc:
            raise StorageError(f"Cannot read the profiles file {self.path}: {exc}.") from exc
        return parse_profiles(text, f"The profiles file {self.path}")

    def _save(self, profiles: list[Profile]) -> None:
        remove_stale_temporaries(self.path)
        write_atomic(self.path, dump_profiles(profiles).encode("utf-8"))

    def _find(self, profiles: list[Profile], name: str) -> Profile:
        for profile in profiles:
            if profile.name.casefold() == name.casefold():
                return profile
        raise ProfileNotFoundError(
            f"There is no profile named {name!r}.", hint="`token-inspector profile list` shows the profiles."
        )

    @staticmethod
    def _ensure_free(profiles: list[Profile], name: str) -> None:
        if any(p.name.casefold() == name.casefold() for p in profiles):
            raise StorageError(f"A profile named {name!r} already exists.", hint="Choose another name, or edit it.")


def _checked_secrets(secrets: Mapping[str, str], allow_kinds: Iterable[str] = ()) -> dict[str, str]:
    for kind in {*secrets, *allow_kinds}:
        if kind not in SECRET_KINDS:
            raise StorageError(f"Unknown secret kind {kind!r}; use one of {', '.join(SECRET_KINDS)}.")
    for kind, value in secrets.items():
        if not value:
            raise StorageError(f"The {kind.replace('_', ' ')} is empty.")
        if kind == "decryption_key":
            _check_decryption_key(value)
    return dict(secrets)


def _check_decryption_key(text: str) -> None:
    """A decryption key is kept only if it can decrypt: a pasted public JWKS would fail every token later."""
    from inspector.core.errors import KeySourceError
    from inspector.core.jose.jwe_keys import load_decryption_keys

    try:
        load_decryption_keys(text)
    except KeySourceError as exc:
        raise StorageError(f"The decryption key cannot be used: {exc.message}", hint=exc.hint) from exc
