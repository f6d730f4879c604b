from inspector.core.flows.grants import GRANTS


def test_every_grant_discovers_first_and_names_its_steps_uniquely():
    for grant, steps in GRANTS.items():
        names = [step.name for step in steps]
        assert names[0] == "discovery", grant
        assert len(names) == len(set(names)), grant


def test_the_grants_the_cli_and_gui_offer():
    assert set(GRANTS) == {"auth_code", "client_credentials", "device", "refresh", "introspect", "revoke", "userinfo"}
