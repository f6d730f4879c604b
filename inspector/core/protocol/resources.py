"""Resource indicators (RFC 8707): which protected resources a token is asked for.

A step's inputs are one string per parameter (the GUI edits them as text), so several resources
sit in the ``resource`` input separated by spaces — a URI never contains one (RFC 3986 §2) — and
go out as one ``resource`` parameter each (RFC 8707 §2: "multiple resource parameters")."""

from __future__ import annotations

from typing import Iterable, Mapping, Sequence
from urllib.parse import urlsplit

from inspector.core.advice import Advice

__all__ = ["form_with_resources", "grouped", "param_pairs", "resource_input", "resource_problems"]


def resource_input(resources: Sequence[str]) -> str:
    """The ``resource`` input for ``resources`` (empty: no resource parameter is sent)."""
    return " ".join(resources)


def param_pairs(params: Mapping[str, str]) -> list[tuple[str, str]]:
    """``(name, value)`` pairs as sent in a query or form, one per resource."""
    pairs: list[tuple[str, str]] = []
    for name, value in params.items():
        if name == "resource":
            pairs += [(name, resource) for resource in value.split()]
        else:
            pairs.append((name, value))
    return pairs


def grouped(pairs: Iterable[tuple[str, str]]) -> dict[str, str | list[str]]:
    """Pairs as a record shows them: a name sent more than once (``resource``) keeps every value."""
    out: dict[str, str | list[str]] = {}
    for name, value in pairs:
        if name not in out:
            out[name] = value
        else:
            earlier = out[name]
            out[name] = [*earlier, value] if isinstance(earlier, list) else [earlier, value]
    return out


def form_with_resources(form: Mapping[str, str]) -> dict[str, str | list[str]]:
    """``form`` with ``resource`` as a list of values, which httpx sends as repeated parameters."""
    out: dict[str, str | list[str]] = dict(form)
    if "resource" in form:
        out["resource"] = form["resource"].split()
    return out


def resource_problems(resources: Iterable[str]) -> list[Advice]:
    """RFC 8707 §2: a resource is an absolute URI without a fragment."""
    found = []
    for resource in resources:
        try:
            parts = urlsplit(resource)
        except ValueError:
            parts = None
        if parts is None or not parts.scheme or " " in resource:
            found.append(Advice(f"{{resource}} {resource!r} is not an absolute URI (RFC 8707 §2: "
                                "for example https://api.example.com)", ("resource",)))
        elif parts.fragment or resource.endswith("#"):
            found.append(Advice(f"{{resource}} {resource!r} has a fragment ('#…'), which RFC 8707 §2 "
                                "forbids: remove it", ("resource",)))
    return found
