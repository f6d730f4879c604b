import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from inspector.core.storage.vault import SERVICE
from tests.support.keys import certificate_pem, ec_private
from tests.support.storage import memory_storage, run_cli

ROOT = Path(__file__).resolve().parents[2]
SECRET = "cli-Secret-Value-abcdef123456"


@pytest.fixture
def storage(tmp_path, keyring):
    return memory_storage(tmp_path, keyring)


def cli(storage, *argv):
    return run_cli(storage, "profile", *argv)


def test_add_show_list_with_every_field(storage, tmp_path):
    bundle = tmp_path / "ca.pem"
    bundle.write_bytes(certificate_pem(ec_private()))
    result = cli(storage, "add", "work", "--issuer", "https://idp.example", "--client-id", "web",
                 "--auth-method", "client_secret_post", "--scope", "openid profile", "--scope", "email",
                 "--redirect-host", "localhost", "--redirect-port", "8765", "--redirect-path", "/cb",
                 "--param", "prompt=login", "--ca-bundle", str(bundle), "--notes", "staging tenant",
                 "--userinfo-endpoint", "https://idp.example/me")  # fmt: skip
    assert result.code == 0 and "Added profile 'work'" in result.out
    shown = json.loads(cli(storage, "show", "work", "--json").out)
    assert shown["scopes"] == ["openid", "profile", "email"]
    assert shown["redirect_host"] == "localhost" and shown["redirect_port"] == 8765
    assert shown["extra_params"] == {"prompt": "login"} and shown["ca_bundle"] == str(bundle.resolve())
    assert shown["endpoints"] == {"userinfo_endpoint": "https://idp.example/me"}
    text = cli(storage, "show", "work").out
    assert "http://localhost:8765/cb" in text and re.search(r"client secret +none", text)
    assert cli(storage, "list").out.startswith("work\thttps://idp.example\tweb")
    assert [p["name"] for p in json.loads(cli(storage, "list", "--json").out)] == ["work"]


def test_secret_from_environment_goes_to_the_keyring_and_is_never_printed(storage, keyring):
    os.environ["TI_TEST_SECRET"] = SECRET
    try:
        result = cli(storage, "add", "work", "--issuer", "https://idp.example", "--client-secret-env", "TI_TEST_SECRET")
    finally:
        del os.environ["TI_TEST_SECRET"]
    assert result.code == 0
    assert keyring.entries[(SERVICE, "profile/work/client_secret")] == SECRET
    shown = cli(storage, "show", "work")
    assert re.search(r"client secret +stored in the keyring", shown.out)
    assert SECRET not in result.out + result.err + shown.out + cli(storage, "show", "work", "--json").out


def test_missing_secret_variable_is_an_error(storage):
    result = cli(storage, "add", "work", "--issuer", "https://idp.example", "--client-secret-env", "TI_NOT_SET_ANYWHERE")
    assert result.code == 2 and "TI_NOT_SET_ANYWHERE is not set" in result.err
    assert cli(storage, "list", "--json").out.strip() == "[]"


def test_secret_from_a_file_goes_to_the_keyring(storage, keyring, tmp_path):
    secret_file = tmp_path / "client-secret"
    secret_file.write_text(SECRET + "\n")
    result = cli(storage, "add", "work", "--issuer", "https://idp.example", "--client-secret-file", str(secret_file))
    assert result.code == 0 and keyring.entries[(SERVICE, "profile/work/client_secret")] == SECRET
    empty = tmp_path / "empty"
    empty.write_text("")
    refused = cli(storage, "edit", "work", "--client-secret-file", str(empty))
    assert refused.code == 2 and "The client secret file" in refused.err and "is empty" in refused.err
    assert keyring.entries[(SERVICE, "profile/work/client_secret")] == SECRET


def test_prompt_needs_a_terminal(storage):
    result = cli(storage, "add", "work", "--issuer", "https://idp.example", "--ask-client-secret")
    assert result.code == 2 and "no terminal to prompt" in result.err


def test_secret_on_the_command_line_is_not_an_option(storage):
    assert cli(storage, "add", "work", "--issuer", "https://idp.example", "--client-secret", SECRET).code == 2


def test_edit_changes_fields_renames_and_removes_secret(storage, keyring):
    os.environ["TI_TEST_SECRET"] = SECRET
    try:
        cli(storage, "add", "work", "--issuer", "https://idp.example", "--token-endpoint", "https://idp.example/t",
            "--param", "prompt=login", "--client-secret-env", "TI_TEST_SECRET")  # fmt: skip
    finally:
        del os.environ["TI_TEST_SECRET"]
    result = cli(storage, "edit", "work", "--rename", "prod", "--client-id", "cli", "--token-endpoint", "",
                 "--param", "prompt=", "--param", "max_age=60")  # fmt: skip
    assert result.code == 0 and "Updated profile 'prod'" in result.out
    shown = json.loads(cli(storage, "show", "prod", "--json").out)
    assert shown["client_id"] == "cli" and shown["endpoints"] == {} and shown["extra_params"] == {"max_age": "60"}
    assert keyring.entries == {(SERVICE, "profile/prod/client_secret"): SECRET}
    cli(storage, "edit", "prod", "--remove-client-secret")
    assert keyring.entries == {}


def test_validation_errors_are_plain_messages(storage):
    bad_url = cli(storage, "add", "x", "--issuer", "idp.example")
    assert bad_url.code == 2 and "must be an absolute https URL" in bad_url.err and "Traceback" not in bad_url.err
    bad_port = cli(storage, "add", "x", "--issuer", "https://idp.example", "--redirect-port", "http")
    assert bad_port.code == 2 and "'http' is not a port number" in bad_port.err
    bad_param = cli(storage, "add", "x", "--issuer", "https://idp.example", "--param", "novalue")
    assert bad_param.code == 2 and "--param needs NAME=VALUE" in bad_param.err
    missing_ca = cli(storage, "add", "x", "--issuer", "https://idp.example", "--ca-bundle", "/nonexistent/ca.pem")
    assert missing_ca.code == 2 and "is not a file" in missing_ca.err


def test_remove_and_unknown_profile(storage):
    cli(storage, "add", "work", "--issuer", "https://idp.example")
    assert cli(storage, "remove", "work").code == 0
    missing = cli(storage, "show", "work")
    assert missing.code == 2 and "no profile named 'work'" in missing.err


def test_export_to_file_and_import_with_replace(storage, tmp_path):
    cli(storage, "add", "work", "--issuer", "https://idp.example", "--client-id", "web")
    target = tmp_path / "out" / "profiles-export.json"
    assert cli(storage, "export", "-o", str(target)).code == 0
    other = memory_storage(tmp_path / "other")
    assert "Imported 1 profile:\n  work: added\n" in run_cli(other, "profile", "import", str(target)).out
    clash = run_cli(other, "profile", "import", str(target))
    assert clash.code == 2 and "--replace" in clash.err
    assert run_cli(other, "profile", "import", str(target), "--replace").code == 0
    assert json.loads(cli(storage, "export", "work").out)["profiles"][0]["client_id"] == "web"


def repointing_export(storage, tmp_path, **changes):
    document = json.loads(cli(storage, "export").out)
    document["profiles"][0].update(changes)
    source = tmp_path / "incoming.json"
    source.write_text(json.dumps(document))
    return str(source)


def add_work_with_secret(storage):
    os.environ["TI_TEST_SECRET"] = SECRET
    try:
        assert cli(storage, "add", "work", "--issuer", "https://idp.example", "--client-id", "web",
                   "--client-secret-env", "TI_TEST_SECRET").code == 0
    finally:
        del os.environ["TI_TEST_SECRET"]


def test_import_that_repoints_a_profile_is_refused_and_lists_the_changes(storage, keyring, tmp_path):
    add_work_with_secret(storage)
    source = repointing_export(storage, tmp_path, issuer="https://evil.example",
                               endpoints={"token_endpoint": "https://evil.example/token"})
    result = cli(storage, "import", source, "--replace")
    assert result.code == 2
    assert result.out.splitlines() == [
        "Nothing was imported. The file would change:",
        "  work: replaced",
        "    issuer: https://idp.example -> https://evil.example",
        "    endpoints.token_endpoint: (none) -> https://evil.example/token",
        "    its client secret would be sent to the new values above",
    ]
    assert "'work' (issuer, endpoints.token_endpoint)" in result.err and "--keep-secrets" in result.err
    assert json.loads(cli(storage, "show", "work", "--json").out)["issuer"] == "https://idp.example"
    refused = json.loads(cli(storage, "import", source, "--replace", "--json").out)
    assert refused["imported"] is False and refused["error"]["code"] == "import_repoints_secrets"
    [item] = refused["profiles"]
    assert item["repointed_by"] == ["issuer", "endpoints.token_endpoint"]
    assert item["changes"][0] == {"field": "issuer", "old": "https://idp.example", "new": "https://evil.example"}
    assert keyring.entries[(SERVICE, "profile/work/client_secret")] == SECRET


def test_import_with_drop_secrets_says_the_secret_was_deleted(storage, keyring, tmp_path):
    add_work_with_secret(storage)
    source = repointing_export(storage, tmp_path, issuer="https://new-idp.example")
    result = cli(storage, "import", source, "--replace", "--drop-secrets")
    assert result.code == 0 and "its client secret was deleted from the keyring (--drop-secrets)" in result.out
    assert (SERVICE, "profile/work/client_secret") not in keyring.entries
    assert json.loads(cli(storage, "show", "work", "--json").out)["secrets"] == []


def test_import_with_keep_secrets_keeps_it_and_says_where_it_will_go(storage, keyring, tmp_path):
    add_work_with_secret(storage)
    source = repointing_export(storage, tmp_path, client_id="other-client")
    result = cli(storage, "import", source, "--replace", "--keep-secrets", "--json")
    data = json.loads(result.out)
    assert result.code == 0 and data["imported"] is True and data["secrets"] == "keep"
    assert data["profiles"][0]["secrets_kept"] == ["client_secret"]
    assert keyring.entries[(SERVICE, "profile/work/client_secret")] == SECRET
    assert SECRET not in result.out + result.err


def test_import_lists_ca_bundles_and_extra_parameters_from_the_file(storage, tmp_path):
    source = tmp_path / "incoming.json"
    source.write_text(json.dumps({"version": 2, "profiles": [
        {"name": "lab", "issuer": "https://idp.example", "ca_bundle": "/tmp/their-ca.pem",
         "extra_params": {"request_uri": "https://evil.example/r"}}]}))  # fmt: skip
    result = cli(storage, "import", str(source))
    assert result.code == 0
    assert "  lab: ca_bundle = /tmp/their-ca.pem (trusted to vouch for this profile's TLS connections)" in result.out
    assert "  lab: extra_params.request_uri = https://evil.example/r (sent with every authorization request)" \
        in result.out


def test_import_help_offers_keep_and_drop_secrets(capsys):
    from inspector.cli.main import main

    assert main(["profile", "import", "--help"]) == 0
    text = " ".join(capsys.readouterr().out.split())
    assert "--keep-secrets" in text and "--drop-secrets" in text and "nothing changes" in text
    assert main(["profile", "import", "f", "--keep-secrets", "--drop-secrets"]) == 2


def test_list_when_empty_says_how_to_start(storage):
    assert "No profiles yet" in cli(storage, "list").out


def run_subprocess(args, env_extra, stdin=""):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTHON_KEYRING", "MEMORY_KEYRING"))}
    env.update(env_extra)
    return subprocess.run([sys.executable, "-m", "inspector", *args], input=stdin, capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=60)  # fmt: skip


def test_without_a_keyring_only_the_secret_operation_is_refused(tmp_path):
    env = {"TOKEN_INSPECTOR_HOME": str(tmp_path), "PYTHON_KEYRING_BACKEND": "keyring.backends.fail.Keyring"}
    ok = run_subprocess(["profile", "add", "plain", "--issuer", "https://idp.example"], env)
    assert ok.returncode == 0, ok.stderr
    refused = run_subprocess(["profile", "add", "secret", "--issuer", "https://idp.example", "--client-secret-stdin"],
                             env, stdin=SECRET + "\n")  # fmt: skip
    assert refused.returncode != 0
    assert "No system keyring was found" in refused.stderr and "PYTHON_KEYRING_BACKEND" in refused.stderr
    assert SECRET not in refused.stderr + refused.stdout and "Traceback" not in refused.stderr
    listed = run_subprocess(["profile", "list"], env)
    assert listed.returncode == 0 and listed.stdout.startswith("plain\t")


def test_secret_from_stdin_is_stored(tmp_path):
    env = {"TOKEN_INSPECTOR_HOME": str(tmp_path), "PYTHON_KEYRING_BACKEND": "tests.support.memory_keyring.MemoryKeyring"}
    result = run_subprocess(["profile", "add", "work", "--issuer", "https://idp.example", "--client-secret-stdin", "--json"],
                            env, stdin=SECRET + "\n")  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["secrets"] == ["client_secret"] and SECRET not in result.stdout


def test_unusable_configured_backend_is_explained(tmp_path):
    env = {"TOKEN_INSPECTOR_HOME": str(tmp_path), "PYTHON_KEYRING_BACKEND": "keyring.backends.SecretService.Keyring",
           "DBUS_SESSION_BUS_ADDRESS": "unix:path=" + str(tmp_path / "no-bus")}  # fmt: skip
    result = run_subprocess(["profile", "add", "work", "--issuer", "https://idp.example", "--client-secret-stdin"],
                            env, stdin=SECRET)  # fmt: skip
    assert result.returncode != 0 and "keyring" in result.stderr and "Traceback" not in result.stderr


def test_listing_profiles_loads_no_keyring_crypto_or_qt(tmp_path):
    code = (
        "import sys; from inspector.cli.main import main; main(['profile', 'list']);"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('keyring', 'cryptography', 'PySide6', 'httpx')))"
    )
    env = {k: v for k, v in os.environ.items()} | {"TOKEN_INSPECTOR_HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, timeout=60)
    assert result.stdout.strip().splitlines()[-1] == "[]"


def test_imported_text_cannot_drive_the_terminal(storage, tmp_path):
    hostile = json.dumps({"version": 1, "profiles": [
        {"name": "evil", "issuer": "https://idp.example", "notes": "\x1b]0;pwned\x07\u202eexe.txt"}]})  # fmt: skip
    source = tmp_path / "hostile.json"
    source.write_text(hostile)
    assert cli(storage, "import", str(source)).code == 0
    shown = cli(storage, "show", "evil").out
    assert "\x1b" not in shown and "\u202e" not in shown and "\\u001b]0;pwned" in shown


def test_list_escapes_control_characters_in_each_field_and_keeps_the_tabs_between_them(storage):
    assert cli(storage, "add", "tabbed", "--issuer", "https://idp.example", "--client-id", "we\tb\x1b[2J").code == 0
    line = cli(storage, "list").out.splitlines()[0]
    assert line == "tabbed\thttps://idp.example\twe\\u0009b\\u001b[2J"


def test_profile_and_flow_options_offer_the_same_methods_and_endpoints():
    from inspector.cli.main import build_parser

    def options(*argv):
        parser = build_parser(argv[0])
        for sub in argv[1:]:
            parser = next(a for a in parser._actions if a.dest in ("action", "flow")).choices[sub]
        return {a.dest: a for a in parser._actions}

    profile, flow = options("profile", "add"), options("flow", "auth-code")
    assert profile["auth_method"].choices == tuple(flow["auth_method"].choices)
    for name in ("authorization_endpoint", "token_endpoint", "device_authorization_endpoint", "userinfo_endpoint",
                 "introspection_endpoint", "revocation_endpoint", "jwks_uri"):
        assert profile[name].option_strings == flow[name].option_strings == ["--" + name.replace("_", "-")]


def test_a_decryption_key_file_goes_to_the_keyring_only_and_can_be_removed(storage, keyring, tmp_path):
    from tests.support.jwe import jwk_text, rsa_jwk

    key_file = tmp_path / "enc.json"
    key_file.write_text(jwk_text({**rsa_jwk(0), "kid": "enc-1"}))
    result = cli(storage, "add", "work", "--issuer", "https://idp.example", "--decrypt-key-file", str(key_file))
    assert result.code == 0 and storage.profiles.secret("work", "decryption_key") == key_file.read_text()
    shown = cli(storage, "show", "work")
    assert re.search(r"decryption key +stored in the keyring", shown.out)
    assert rsa_jwk(0)["d"][:16] not in shown.out + cli(storage, "show", "work", "--json").out
    assert json.loads(cli(storage, "show", "work", "--json").out)["secrets"] == ["decryption_key"]
    assert cli(storage, "edit", "work", "--remove-decrypt-key").code == 0
    assert not [name for _, name in keyring.entries if name.startswith("profile/work/decryption_key")]


def test_a_public_key_is_refused_as_a_decryption_key(storage, tmp_path):
    from tests.support.keys import public_pem

    key_file = tmp_path / "public.pem"
    key_file.write_bytes(public_pem(ec_private()))
    result = cli(storage, "add", "work", "--issuer", "https://idp.example", "--decrypt-key-file", str(key_file))
    assert result.code == 2 and "cannot be used" in result.err and "no private key" in result.err
    assert cli(storage, "list", "--json").out.strip() == "[]"


def test_a_client_certificate_goes_to_the_profile_and_its_key_only_to_the_keyring(storage, keyring, tmp_path):
    from tests.support.mtls import issue

    cert_file, key_file = issue("mtls-client").write(tmp_path, "client")
    result = cli(storage, "add", "work", "--issuer", "https://idp.example", "--auth-method", "tls_client_auth",
                 "--client-cert", str(cert_file), "--client-key-file", str(key_file))
    assert result.code == 0, result.err
    profile = storage.profiles.get("work")
    assert profile.client_cert == cert_file.read_text() and profile.secrets == ("client_key",)
    assert keyring.entries[(SERVICE, "profile/work/client_key")] == key_file.read_text()
    assert "PRIVATE KEY" not in storage.paths.profiles_file.read_text()
    shown = cli(storage, "show", "work")
    assert "client cert" in shown.out and "client key" in shown.out and "PRIVATE" not in shown.out
    removed = cli(storage, "edit", "work", "--remove-client-key", "--client-cert", "")
    assert removed.code == 0 and (SERVICE, "profile/work/client_key") not in keyring.entries
    assert storage.profiles.get("work").client_cert == ""


def test_a_private_key_given_as_the_client_certificate_is_refused(storage, tmp_path):
    from tests.support.mtls import issue

    _cert_file, key_file = issue("mtls-client").write(tmp_path, "client")
    result = cli(storage, "add", "work", "--issuer", "https://idp.example", "--client-cert", str(key_file))
    assert result.code != 0 and "never in the profiles file" in result.err
    assert "PRIVATE KEY" not in (storage.paths.profiles_file.read_text() if storage.paths.profiles_file.exists() else "")


def test_dpop_switch_and_a_kept_key_that_lives_only_in_the_keyring(storage, keyring):
    assert cli(storage, "add", "dp", "--issuer", "https://idp.example", "--dpop", "--dpop-keep-key").code == 0
    kept = keyring.entries[(SERVICE, "profile/dp/dpop_key")]
    assert json.loads(kept)["kty"] == "EC" and "d" in json.loads(kept)
    shown = cli(storage, "show", "dp")
    assert re.search(r"dpop\s+on", shown.out) and re.search(r"dpop key\s+kept in the keyring", shown.out)
    assert json.loads(kept)["d"] not in shown.out + cli(storage, "show", "dp", "--json").out + cli(storage, "export").out
    again = cli(storage, "edit", "dp", "--dpop-keep-key")
    assert again.code == 2 and "already keeps a DPoP key" in again.err
    assert cli(storage, "edit", "dp", "--no-dpop", "--dpop-forget-key").code == 0
    assert (SERVICE, "profile/dp/dpop_key") not in keyring.entries
    assert json.loads(cli(storage, "show", "dp", "--json").out)["dpop"] is False


def test_the_pushed_requests_setting_is_saved_shown_edited_and_travels_in_an_export(storage, tmp_path):
    cli(storage, "add", "work", "--issuer", "https://idp.example", "--client-id", "web", "--par", "always")
    assert json.loads(cli(storage, "show", "work", "--json").out)["use_par"] is True
    assert re.search(r"par +always", cli(storage, "show", "work").out)
    target = tmp_path / "export.json"
    assert cli(storage, "export", "-o", str(target)).code == 0
    other = memory_storage(tmp_path / "other")
    run_cli(other, "profile", "import", str(target))
    assert other.profiles.get("work").use_par is True
    cli(storage, "edit", "work", "--par", "never")
    assert storage.profiles.get("work").use_par is False
    cli(storage, "edit", "work", "--par", "auto")
    assert "use_par" not in json.loads(cli(storage, "show", "work", "--json").out)


def test_resources_are_set_replaced_and_cleared(storage):
    assert cli(storage, "add", "api", "--issuer", "https://idp.example", "--resource", "https://a.example",
               "--resource", "urn:b").code == 0
    assert json.loads(cli(storage, "show", "api", "--json").out)["resources"] == ["https://a.example", "urn:b"]
    assert re.search(r"resources +https://a.example urn:b", cli(storage, "show", "api").out)
    assert cli(storage, "edit", "api", "--resource", "").code == 0
    assert json.loads(cli(storage, "show", "api", "--json").out)["resources"] == []
    refused = cli(storage, "edit", "api", "--resource", "https://a.example#x")
    assert refused.code == 2 and "has a fragment" in refused.err
