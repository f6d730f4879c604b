import subprocess
import sys
from pathlib import Path

import pytest

from inspector.core.errors import InspectorError
from inspector.core.flows.grants import GRANTS, grant

ROOT = Path(__file__).resolve().parents[3]


def test_every_grant_discovers_first_and_names_its_steps_uniquely():
    for name, record in GRANTS.items():
        names = [step.name for step in record.steps]
        assert names[0] == "discovery", name
        assert len(names) == len(set(names)), name


def test_the_grants_the_cli_and_gui_offer():
    assert list(GRANTS) == ["auth_code", "device", "client_credentials", "refresh", "token_exchange", "jwt_bearer",
                            "userinfo", "introspect", "revoke"]
    assert all(name == record.name and record.label and record.summary for name, record in GRANTS.items())


def test_each_grant_names_the_endpoints_it_cannot_do_without():
    assert GRANTS["auth_code"].endpoints == ("authorization_endpoint", "token_endpoint")
    assert GRANTS["device"].endpoints == ("device_authorization_endpoint", "token_endpoint")
    assert GRANTS["introspect"].endpoints == ("introspection_endpoint",)


def test_the_grants_acting_on_a_token_say_which_kind():
    assert {name: record.token for name, record in GRANTS.items() if record.token} == {
        "refresh": "refresh_token", "token_exchange": "access_token", "userinfo": "access_token",
        "introspect": "access_token", "revoke": "refresh_token"}


def test_token_exchange_takes_its_token_as_the_subject_token():
    assert GRANTS["token_exchange"].token_option == "subject_token"
    assert all(record.token_option is None for name, record in GRANTS.items() if name != "token_exchange")


def test_an_unknown_grant_is_a_usage_error_listing_the_known_ones():
    with pytest.raises(InspectorError, match="Unknown flow 'implicit'; choose one of auth_code, device") as caught:
        grant("implicit")
    assert caught.value.code == "usage"


def test_the_registry_loads_no_step_module_until_steps_are_asked_for():
    """The GUI lists the grants, and the CLI its help, at start-up: no step module, no httpx."""
    code = ("import sys\nimport inspector.core.flows.grants\n"
            "print(sorted(n for n in sys.modules if n.startswith(('inspector.core.flows.', 'httpx'))))")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True,
                            timeout=60)
    assert result.stdout.strip() == "['inspector.core.flows.grants']"
