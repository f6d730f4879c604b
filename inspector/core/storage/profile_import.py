"""What an import of profiles changes, worked out before anything is written.

A profile's stored secrets (client secret, private key) go wherever the profile points: its issuer
(through discovery), its endpoints, as its client id, over connections trusting its CA bundle. An
import that changes any of these *re-points* the profile, so keeping its secrets silently would
hand them to whoever wrote the file. What happens to them is the user's explicit choice:

- ``refuse`` (the default): nothing is imported; the refusal names each re-pointed profile and the
  fields that re-point it. Nothing is sent anywhere new and no credential is destroyed — a client
  secret is often shown only once by the provider's console, so deleting it unasked can cost the
  user a secret rotation.
- ``keep``: the secrets stay, for the new issuer and endpoints.
- ``drop``: the secrets are deleted from the keyring.

Every changed field is listed, and so are the imported values that deserve a look whatever they
replaced: a CA bundle (trusted for the profile's TLS connections) and extra authorization
parameters (sent with every authorization request, e.g. ``request_uri``).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Iterable

from inspector.core.errors import StorageError
from inspector.core.storage.profile_model import Profile

__all__ = ["DROP", "KEEP", "REFUSE", "REPOINTING_FIELDS", "SECRET_CHOICES", "FieldChange", "ImportPlan",
           "ImportedProfile", "plan_import"]

REFUSE, KEEP, DROP = "refuse", "keep", "drop"
SECRET_CHOICES = (REFUSE, KEEP, DROP)
#: Fields that decide where a profile's secrets are sent.
REPOINTING_FIELDS = ("issuer", "endpoints", "client_id", "ca_bundle")
#: Fields compared for the change list (``secrets`` is the keyring's business, shown separately).
_COMPARED = ("name", "issuer", "endpoints", "client_id", "auth_method", "scopes", "resources", "redirect_host",
             "redirect_port", "redirect_path", "extra_params", "ca_bundle", "client_cert", "notes", "use_par")


@dataclass(frozen=True)
class FieldChange:
    """One field's old and new value; ``field`` is ``issuer``, ``endpoints.token_endpoint``,
    ``extra_params.request_uri``…; a value absent on one side is None."""

    field: str
    old: Any
    new: Any

    @property
    def repoints(self) -> bool:
        return self.field.partition(".")[0] in REPOINTING_FIELDS

    def to_json(self) -> dict[str, Any]:
        return {"field": self.field, "old": self.old, "new": self.new}


@dataclass(frozen=True)
class ImportedProfile:
    """One profile of an import: as it will be stored, what it replaces, what changed."""

    profile: Profile
    previous: Profile | None
    changes: tuple[FieldChange, ...]
    secrets_dropped: tuple[str, ...] = ()

    @property
    def status(self) -> str:
        if self.previous is None:
            return "added"
        return "replaced" if self.changes else "unchanged"

    @property
    def repointed_by(self) -> tuple[str, ...]:
        """The changed fields that re-point the profile (empty: its secrets go where they went)."""
        return tuple(change.field for change in self.changes if change.repoints)

    @property
    def secrets_at_stake(self) -> tuple[str, ...]:
        """Stored secrets this import would send somewhere new, unless dropped."""
        return self.previous.secrets if self.previous is not None and self.repointed_by else ()

    @property
    def review(self) -> tuple[tuple[str, str], ...]:
        """(field, value) pairs taken from the file that widen trust or requests: look at them."""
        items = [("ca_bundle", self.profile.ca_bundle)] if self.profile.ca_bundle else []
        items += [(f"extra_params.{name}", value) for name, value in self.profile.extra_params.items()]
        return tuple(items)

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.profile.name,
            "status": self.status,
            "changes": [change.to_json() for change in self.changes],
            "repointed_by": list(self.repointed_by),
            "secrets_kept": list(self.profile.secrets),
            "secrets_dropped": list(self.secrets_dropped),
            "review": [{"field": field, "value": value} for field, value in self.review],
            "profile": self.profile.to_json(),
        }


@dataclass(frozen=True)
class ImportPlan:
    profiles: tuple[ImportedProfile, ...]
    secrets: str

    @property
    def blocked(self) -> tuple[ImportedProfile, ...]:
        """Profiles whose secrets would follow a re-pointing, when the choice is to refuse."""
        return tuple(p for p in self.profiles if p.secrets_at_stake) if self.secrets == REFUSE else ()

    def refusal(self) -> StorageError:
        named = "; ".join(f"{p.profile.name!r} ({', '.join(p.repointed_by)})" for p in self.blocked)
        return StorageError(
            f"Nothing was imported: the import re-points profiles that have secrets in the keyring, which would "
            f"then be sent to the new issuer or endpoints: {named}.",
            code="import_repoints_secrets",
            hint="Check the new values, then import again with --keep-secrets to use the secrets with them, or "
            "--drop-secrets to delete the secrets from the keyring.",
        )

    def to_json(self) -> dict[str, Any]:
        return {"secrets": self.secrets, "profiles": [p.to_json() for p in self.profiles]}


def plan_import(existing: Iterable[Profile], incoming: Iterable[Profile], *, replace_existing: bool,
                secrets: str) -> ImportPlan:
    """What importing ``incoming`` over ``existing`` does; a clash without ``replace_existing``
    raises StorageError. Imported profiles never bring secrets: a new one has none, a replaced one
    keeps its own unless it is re-pointed and ``secrets`` is ``drop``."""
    if secrets not in SECRET_CHOICES:
        raise ValueError(f"secrets must be one of {SECRET_CHOICES}, not {secrets!r}")
    by_name = {p.name.casefold(): p for p in existing}
    incoming = list(incoming)
    clashes = [p.name for p in incoming if p.name.casefold() in by_name]
    if clashes and not replace_existing:
        raise StorageError(f"Profiles already exist: {', '.join(clashes)}.",
                           hint="Remove or rename them first, or import with --replace.")
    planned = []
    for profile in incoming:
        previous = by_name.get(profile.name.casefold())
        stored = replace(profile, secrets=previous.secrets if previous is not None else ())
        item = ImportedProfile(stored, previous, _changes(previous, stored))
        if secrets == DROP and item.secrets_at_stake:
            item = replace(item, profile=replace(stored, secrets=()), secrets_dropped=item.secrets_at_stake)
        planned.append(item)
    return ImportPlan(tuple(planned), secrets)


def _changes(old: Profile | None, new: Profile) -> tuple[FieldChange, ...]:
    if old is None:
        return ()
    changes: list[FieldChange] = []
    for name in _COMPARED:
        before, after = getattr(old, name), getattr(new, name)
        if before == after:
            continue
        if isinstance(before, dict):
            for key in sorted({*before, *after}):
                if before.get(key) != after.get(key):
                    changes.append(FieldChange(f"{name}.{key}", before.get(key), after.get(key)))
        else:
            changes.append(FieldChange(name, _plain(before), _plain(after)))
    return tuple(changes)


def _plain(value: Any) -> Any:
    return list(value) if isinstance(value, tuple) else value
