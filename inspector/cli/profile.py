"""`token-inspector profile`: list, show, add, edit, remove, import and export issuer profiles.

Secrets never come from the command line (shell history, ``ps``): use ``--client-secret-env VAR``,
``--client-secret-file FILE``, ``--client-secret-stdin`` or ``--ask-client-secret`` (a hidden prompt);
they go to the keyring only and are never printed.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any

from inspector.cli.inputs import (
    ca_bundle,
    decryption_key,
    name_value,
    pem_file,
    private_key,
    read_stdin,
    read_text,
    secret_from_env,
    secret_from_file,
    usage,
)
from inspector.cli.text import print_json, printable
from inspector.core.protocol.endpoints import ENDPOINTS, option_name
from inspector.core.storage.profile_model import AUTH_METHODS, SECRET_KINDS

#: ``profile --par`` -> the profile's use_par.
PAR_CHOICES = {"auto": None, "always": True, "never": False}

if TYPE_CHECKING:
    from inspector.core.storage.context import Storage
    from inspector.core.storage.profile_import import ImportPlan
    from inspector.core.storage.profile_model import Profile
    from inspector.core.storage.profiles import ProfileStore



def add_arguments(parser: argparse.ArgumentParser) -> None:
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    listing = actions.add_parser("list", help="list the profiles")
    show = actions.add_parser("show", help="show one profile (secrets are never shown)")
    show.add_argument("name")
    add = actions.add_parser("add", help="add a profile")
    add.add_argument("name")
    edit = actions.add_parser("edit", help="change fields of a profile (only the options given)")
    edit.add_argument("name")
    edit.add_argument("--rename", metavar="NEW_NAME", help="give the profile a new name")
    for sub in (add, edit):
        _field_options(sub)
        _secret_options(sub)
    edit.add_argument("--remove-client-secret", action="store_true", help="delete the stored client secret")
    edit.add_argument("--remove-private-key", action="store_true", help="delete the stored private key")
    edit.add_argument("--remove-decrypt-key", action="store_true", help="delete the stored decryption key")
    edit.add_argument("--remove-client-key", action="store_true", help="delete the stored client certificate key")
    edit.add_argument("--dpop-forget-key", action="store_true",
                      help="delete the kept DPoP key (tokens bound to it can no longer be used from this profile)")
    remove = actions.add_parser("remove", help="remove a profile and its secrets")
    remove.add_argument("name")
    remove.add_argument("--keep-secrets", action="store_true",
                        help="do not touch the keyring (e.g. it is locked); its secrets stay there")  # fmt: skip
    imports = actions.add_parser("import", help="add profiles from an export file ('-' for stdin)")
    imports.add_argument("file")
    imports.add_argument("--replace", action="store_true", help="replace profiles that have the same name")
    fate = imports.add_mutually_exclusive_group()
    fate.add_argument("--keep-secrets", action="store_true",
                      help="when the import changes a replaced profile's issuer, an endpoint, its client id or CA "
                      "bundle, keep its stored client secret and private key: they will be sent to the new ones "
                      "(by default such an import is refused and nothing changes)")
    fate.add_argument("--drop-secrets", action="store_true",
                      help="in that case delete the profile's secrets from the keyring instead")
    export = actions.add_parser("export", help="write profiles (never secrets) as JSON")
    export.add_argument("names", nargs="*", metavar="NAME", help="profiles to export (default: all)")
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of standard output")
    for sub in (listing, show, add, edit, remove, imports):
        sub.add_argument("--json", action="store_true", help="print JSON")


def _field_options(sub: argparse.ArgumentParser) -> None:
    group = sub.add_argument_group("profile fields")
    group.add_argument("--issuer", metavar="URL", help="issuer URL (discovery); '' to clear")
    for name in ENDPOINTS:
        group.add_argument(option_name(name), dest=name, metavar="URL", help=f"{name} set by hand; '' to clear")
    group.add_argument("--client-id")
    group.add_argument("--auth-method", choices=AUTH_METHODS,
                       help="client authentication (default auto: private_key_jwt with a stored key, "
                       "client_secret_basic with a client secret — client_secret_post if the provider lists only "
                       "that —, otherwise none, a public client)")
    group.add_argument("--scope", dest="scopes", action="append", metavar="SCOPE",
                       help="scopes, space-separated or repeated; replaces the list (default openid)")  # fmt: skip
    group.add_argument("--resource", dest="resources", action="append", metavar="URI",
                       help="resource indicator (RFC 8707) the flows ask tokens for; repeat; replaces the list; "
                       "'' clears it")
    group.add_argument("--redirect-host", choices=("127.0.0.1", "localhost"))
    group.add_argument("--redirect-port", type=_port, metavar="PORT", help="0 = any free port (default)")
    group.add_argument("--redirect-path", metavar="PATH", help="default /callback")
    group.add_argument("--param", dest="params", action="append", metavar="NAME=VALUE",
                       help="extra authorization parameter (repeat; NAME= removes it)")  # fmt: skip
    group.add_argument("--ca-bundle", metavar="FILE", help="PEM bundle of extra trusted CAs; '' to clear")
    group.add_argument("--client-cert", metavar="PEM",
                       help="client certificate for mutual TLS (RFC 8705), kept in the profile; '' to clear")
    group.add_argument("--notes", metavar="TEXT")
    group.add_argument("--dpop", action=argparse.BooleanOptionalAction, default=None,
                       help="use DPoP (RFC 9449) in this profile's flows: tokens bound to a key")
    group.add_argument("--par", dest="use_par", choices=tuple(PAR_CHOICES),
                       help="pushed authorization requests (RFC 9126): auto (as the provider requires, the "
                       "default), always or never")


def _secret_options(sub: argparse.ArgumentParser) -> None:
    group = sub.add_argument_group("secrets (stored only in the OS keyring)")
    source = group.add_mutually_exclusive_group()
    source.add_argument("--client-secret-env", metavar="VAR", help="read the client secret from environment variable VAR")
    source.add_argument("--client-secret-file", metavar="FILE", help="read the client secret from FILE (its first line)")
    source.add_argument("--client-secret-stdin", action="store_true", help="read the client secret from standard input")
    source.add_argument("--ask-client-secret", action="store_true", help="prompt for the client secret (hidden)")
    group.add_argument("--private-key-file", metavar="PEM", help="store this private key (for private_key_jwt)")
    group.add_argument("--decrypt-key-file", metavar="FILE", help="store this private JWK, JWK Set or PEM key, which "
                       "encrypted ID tokens and userinfo answers (JWE) are decrypted with")
    group.add_argument("--client-key-file", metavar="PEM",
                       help="store the client certificate's private key (mutual TLS; '<(command)' works too)")
    group.add_argument("--dpop-keep-key", action="store_true",
                       help="make a DPoP key (ES256) and keep it for this profile, so its bound tokens stay usable "
                       "in later runs (without it, each flow makes a new key)")


def _port(text: str) -> int:
    try:
        port = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a port number") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{port} is not a port: use 1-65535, or 0 for any free port")
    return port


def run(args: argparse.Namespace, storage: Storage | None = None) -> int:
    from inspector.core.storage.context import Storage

    storage = storage or Storage.from_environment()
    store = storage.profiles
    action = args.action
    if action == "list":
        profiles = store.list()
        if args.json:
            return print_json([p.to_json() for p in profiles])
        if not profiles:
            print(f"No profiles yet ({storage.paths.profiles_file}). Add one with `token-inspector profile add NAME --issuer URL`.")
        for p in profiles:
            print("\t".join(printable(field) for field in (p.name, p.issuer or _first_endpoint(p), p.client_id or "-")))
        return 0
    if action == "show":
        return _show(store.get(args.name), args.json)
    if action == "add":
        from inspector.core.storage.profile_model import Profile

        fields = _changes(args, None)
        profile = store.add(Profile(name=args.name, **fields), secrets=_secrets(args))
        return _done(args, profile, f"Added profile {profile.name!r}.")
    if action == "edit":
        current = store.get(args.name)
        changes = _changes(args, current)
        if args.rename:
            changes["name"] = args.rename
        secrets: dict[str, str | None] = dict(_secrets(args))
        if args.remove_client_secret:
            secrets["client_secret"] = None
        if args.remove_private_key:
            secrets["private_key"] = None
        if args.remove_decrypt_key:
            secrets["decryption_key"] = None
        if args.remove_client_key:
            secrets["client_key"] = None
        if args.dpop_keep_key and "dpop_key" in current.secrets:
            raise usage(f"Profile {current.name!r} already keeps a DPoP key; give --dpop-forget-key first to "
                        "replace it (tokens bound to the old key then become unusable).")
        if args.dpop_forget_key:
            if args.dpop_keep_key:
                raise usage("Give --dpop-keep-key or --dpop-forget-key, not both.")
            secrets["dpop_key"] = None
        profile = store.update(args.name, changes, secrets=secrets)
        return _done(args, profile, f"Updated profile {profile.name!r}.")
    if action == "remove":
        profile = store.remove(args.name, keep_secrets=args.keep_secrets)
        return _done(args, profile, f"Removed profile {profile.name!r}.")
    if action == "import":
        return _import(store, args)
    text = store.export(args.names or None)
    if args.output:
        from inspector.core.storage.atomic import write_atomic

        try:
            write_atomic(Path(args.output), text.encode("utf-8"))
        except ValueError as exc:  # a NUL byte in the name
            raise usage(f"Cannot write {args.output!r}: a file name cannot contain a NUL byte.") from exc
        print(f"Exported to {printable(args.output)} (no secrets included).", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return 0


def _import(store: ProfileStore, args: argparse.Namespace) -> int:
    """Import, or refuse to and say why; either way list every profile, every changed field and
    every CA bundle and extra parameter the file brings."""
    from inspector.core.storage.profile_import import DROP, KEEP, REFUSE

    text = read_stdin("a profiles export") if args.file == "-" else read_text(args.file, "the import file")
    options = {"replace_existing": args.replace, "secrets": KEEP if args.keep_secrets else DROP if args.drop_secrets
               else REFUSE, "where": f"The import {args.file}"}
    plan = store.plan_import(text, **options)
    if plan.blocked:
        refusal = plan.refusal()
        if args.json:
            print_json({"imported": False, "error": refusal.to_json(), **plan.to_json()})
        else:
            _print_plan(plan, "Nothing was imported. The file would change:")
        print(f"token-inspector: {printable(str(refusal))}", file=sys.stderr)
        return 2
    plan = store.import_text(text, **options)
    if args.json:
        return print_json({"imported": True, **plan.to_json()})
    count = len(plan.profiles)
    _print_plan(plan, f"Imported {count} profile{'s' if count != 1 else ''}:")
    return 0


def _print_plan(plan: ImportPlan, title: str) -> None:
    from inspector.core.storage.profile_import import KEEP

    print(title)
    for item in plan.profiles:
        print(printable(f"  {item.profile.name}: {item.status}"))
        for change in item.changes:
            print(printable(f"    {change.field}: {_shown(change.old)} -> {_shown(change.new)}"))
        if not item.secrets_at_stake:
            continue
        secrets = " and ".join(kind.replace("_", " ") for kind in item.secrets_at_stake)
        was = "were" if len(item.secrets_at_stake) > 1 else "was"
        if item.secrets_dropped:
            print(f"    its {secrets} {was} deleted from the keyring (--drop-secrets), since the profile points elsewhere")
        elif plan.secrets == KEEP:
            print(f"    its {secrets} {was} kept (--keep-secrets) and will be sent to the new values above")
        else:
            print(f"    its {secrets} would be sent to the new values above")
    review = [(item.profile.name, field, value) for item in plan.profiles for field, value in item.review]
    if review:
        print("From the file, check before use:")
    for name, field, value in review:
        why = ("trusted to vouch for this profile's TLS connections" if field == "ca_bundle"
               else "sent with every authorization request")
        print(printable(f"  {name}: {field} = {_shown(value)} ({why})"))


def _shown(value: Any) -> str:
    if value is None or value == "":
        return "(none)"
    if isinstance(value, list):
        return " ".join(value) or "(none)"
    return str(value)


def _changes(args: argparse.Namespace, current: Profile | None) -> dict[str, Any]:
    """Profile field values from the options given (for edit: only those, merged with current)."""
    changes: dict[str, Any] = {}
    for name in ("issuer", "client_id", "auth_method", "redirect_host", "redirect_port", "redirect_path", "notes",
                 "dpop"):
        if getattr(args, name) is not None:
            changes[name] = getattr(args, name)
    endpoints = dict(current.endpoints) if current else {}
    for name in ENDPOINTS:
        value = getattr(args, name)
        if value == "":
            endpoints.pop(name, None)
        elif value is not None:
            endpoints[name] = value
    if current is None or endpoints != current.endpoints:
        changes["endpoints"] = endpoints
    if args.scopes is not None:
        changes["scopes"] = tuple(word for item in args.scopes for word in item.split())
    if args.resources is not None:
        changes["resources"] = tuple(resource for resource in args.resources if resource)
    if args.params:
        params = dict(current.extra_params) if current else {}
        for item in args.params:
            key, value = name_value(item, "--param")
            if value:
                params[key] = value
            else:
                params.pop(key, None)
        changes["extra_params"] = params
    if args.ca_bundle is not None:
        changes["ca_bundle"] = ca_bundle(args.ca_bundle) if args.ca_bundle else ""
    if args.client_cert is not None:
        changes["client_cert"] = _pem_text(args.client_cert, "the client certificate file") if args.client_cert else ""
    if args.use_par is not None:
        changes["use_par"] = PAR_CHOICES[args.use_par]
    return changes


def _pem_text(path: str, what: str) -> str:
    try:
        return pem_file(path, what).decode("ascii")
    except UnicodeDecodeError as exc:  # a PEM is ASCII; the keyring and the profiles file store text
        raise usage(f"{what[0].upper()}{what[1:]} {path!r} is not a PEM text file.") from exc


def _secrets(args: argparse.Namespace) -> dict[str, str]:
    secrets: dict[str, str] = {}
    if args.client_secret_env is not None:
        secrets["client_secret"] = secret_from_env(args.client_secret_env)
    elif args.client_secret_file is not None:
        secrets["client_secret"] = secret_from_file(args.client_secret_file, "the client secret file")
    elif args.client_secret_stdin:
        secrets["client_secret"] = read_stdin("a client secret").rstrip("\r\n")
    elif args.ask_client_secret:
        if not sys.stdin.isatty():
            raise usage("There is no terminal to prompt on; use --client-secret-env or --client-secret-stdin.")
        import getpass

        secrets["client_secret"] = getpass.getpass("Client secret (hidden): ")
    if args.dpop_keep_key:
        from inspector.core.jose.dpop_key import DpopKey

        secrets["dpop_key"] = DpopKey.generate().to_private_jwk()
    if args.private_key_file:
        pem = private_key(args.private_key_file)
        try:
            secrets["private_key"] = pem.decode("ascii")
        except UnicodeDecodeError as exc:  # a PEM is ASCII; the keyring stores text
            raise usage(f"The key file {args.private_key_file!r} is not a PEM text file.") from exc
    if args.decrypt_key_file:
        secrets["decryption_key"] = decryption_key(args.decrypt_key_file)
    if args.client_key_file:
        secrets["client_key"] = _pem_text(args.client_key_file, "the client key file")
    return secrets


def _show(profile: Profile, as_json: bool) -> int:
    if as_json:
        return print_json(profile.to_json())
    rows = [("name", profile.name), ("issuer", profile.issuer or "-")]
    rows += [(name, url) for name, url in profile.endpoints.items()]
    rows += [
        ("client id", profile.client_id or "-"), ("auth method", profile.auth_method),
        ("scopes", " ".join(profile.scopes) or "-"), ("resources", " ".join(profile.resources) or "-"),
        ("redirect uri", profile.redirect_uri),
    ]  # fmt: skip
    rows += [(f"param {key}", value) for key, value in profile.extra_params.items()]
    rows += [("ca bundle", profile.ca_bundle or "system trust store")]
    rows += [("client cert", "set (PEM in the profile)" if profile.client_cert else "none")]
    rows += [("par", {True: "always", False: "never", None: "as the provider requires"}[profile.use_par])]
    for kind in SECRET_KINDS:
        rows.append((kind.replace("_", " "), "stored in the keyring" if kind in profile.secrets else "none"))
    rows.append(("dpop", "on" if profile.dpop else "off"))
    rows.append(("dpop key", "kept in the keyring" if "dpop_key" in profile.secrets else "none (a new key per flow)"))
    if profile.notes:
        rows.append(("notes", profile.notes))
    width = max(len(label) for label, _value in rows)
    for label, value in rows:
        print(printable(f"{label:<{width}}  {value}"))
    return 0


def _done(args: argparse.Namespace, profile: Profile, message: str) -> int:
    if getattr(args, "json", False):
        return print_json(profile.to_json())
    print(message)
    return 0


def _first_endpoint(profile: Profile) -> str:
    return next(iter(profile.endpoints.values()), "-")
