"""The device authorization grant (RFC 8628): show a code, poll the token endpoint.

Polling follows §3.5 exactly: wait ``interval`` seconds (5 when the provider gives none) before
each request, add 5 seconds on every ``slow_down``, keep going on ``authorization_pending``,
stop on ``access_denied``, ``expired_token`` or when the device code's lifetime has passed.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspector.core.findings import error, info
from inspector.core.flows.context import FlowContext, StepSpec
from inspector.core.flows.model import Step, StepStatus
from inspector.core.flows.questions import DeviceCodeQuestion
from inspector.core.flows.id_token import ID_TOKEN, preload_verifier
from inspector.core.flows.steps import (
    DISCOVERY, accept_token_response, endpoint, post_with_client_auth, send_with_client_auth,
)
from inspector.core.flows.userinfo import USERINFO

__all__ = ["DEFAULT_INTERVAL", "SLOW_DOWN_STEP", "STEPS", "DeviceState"]

DEFAULT_INTERVAL = 5
SLOW_DOWN_STEP = 5
#: The most an interval or a device code's lifetime is taken to be: beyond, a provider cannot mean
#: it (and 10**309 seconds would overflow the clock arithmetic and the waits).
MAX_INTERVAL = 3600
MAX_EXPIRES_IN = 86_400
GRANT_TYPE = "urn:ietf:params:oauth:grant-type:device_code"


@dataclass
class DeviceState:
    """What the device authorization step hands the polling step (``ctx.state(DeviceState)``)."""

    device_code: str = ""
    #: Seconds between polls (§3.2, or the default), before any slow_down.
    interval: int = DEFAULT_INTERVAL
    #: ``env.monotonic()`` past which the device code has expired (§3.2 expires_in).
    deadline: float = 0.0


def prepare_authorization(ctx: FlowContext, step: Step) -> None:
    step.inputs = {"scope": ctx.settings.scope or ""}
    step.inputs.update(ctx.settings.extra_params)


def run_authorization(ctx: FlowContext, step: Step) -> None:
    """RFC 8628 §3.1-3.3."""
    answer = post_with_client_auth(ctx, step, "device_authorization_endpoint", dict(step.inputs),
                                   error_code="device_authorization_error")
    data = answer.data
    if data is None:
        return
    missing = [name for name in ("device_code", "user_code", "verification_uri") if not isinstance(data.get(name), str)]
    if missing:
        step.findings.append(error("invalid_response", f"The device authorization response lacks {', '.join(missing)} "
                                   "(RFC 8628 §3.2).", part=step.name))
        return
    interval = data.get("interval")
    if not _seconds(interval, MAX_INTERVAL):
        given = "No polling interval given" if interval is None else (
            f"The polling interval is not a whole number of seconds from 1 to {MAX_INTERVAL}")
        interval = DEFAULT_INTERVAL
        step.findings.append(info("device_interval_default", f"{given}; polling every {DEFAULT_INTERVAL} seconds "
                                  "as RFC 8628 §3.2 says.", claim="interval"))
    expires_in = data.get("expires_in") if _seconds(data.get("expires_in"), MAX_EXPIRES_IN) else None
    device = ctx.state(DeviceState)
    device.device_code, device.interval = data["device_code"], interval
    device.deadline = ctx.env.monotonic() + (expires_in or ctx.settings.timeout)
    question = DeviceCodeQuestion(data["user_code"], data["verification_uri"],
                                  data.get("verification_uri_complete"), expires_in)
    step.output.update(question.to_json())
    step.output.pop("kind")
    step.output["interval"] = interval
    ctx.scope = scope = step.inputs.get("scope", "")
    if "openid" in scope.split():
        preload_verifier()
    ctx.ask(question)


def _seconds(value: object, most: int) -> bool:
    """A whole number of seconds from 1 to ``most`` (booleans are not numbers)."""
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= most


def prepare_poll(ctx: FlowContext, step: Step) -> None:
    step.inputs = {"grant_type": GRANT_TYPE, "device_code": ctx.state(DeviceState).device_code}


def run_poll(ctx: FlowContext, step: Step) -> None:
    """RFC 8628 §3.4-3.5."""
    url = endpoint(ctx, step, "token_endpoint")
    if url is None:
        return
    device = ctx.state(DeviceState)
    interval = device.interval
    waits: list[int] = []
    step.output["waits"] = waits
    while True:
        if ctx.env.monotonic() >= device.deadline:
            step.findings.append(error("device_code_expired", "The device code expired before anyone approved it. "
                                       "Start again and enter the code sooner.", part=step.name))
            return
        waits.append(interval)
        if ctx.sleep(interval):
            step.status = StepStatus.CANCELLED
            return
        answer = send_with_client_auth(ctx, step, url, dict(step.inputs), what="token endpoint", error_code="token_error",
                                       dpop=True)
        step.output["polls"] = len(step.exchanges)
        if answer.oauth_error == "authorization_pending":
            continue
        if answer.oauth_error == "slow_down":
            interval += SLOW_DOWN_STEP
            step.findings.append(info("device_slow_down", f"The provider asked to slow down; polling every "
                                      f"{interval} seconds from now on (RFC 8628 §3.5).", part=step.name))
            continue
        step.findings.extend(answer.findings)
        if answer.oauth_error:
            step.output["error"] = answer.oauth_error
            return
        accept_token_response(ctx, step, answer)
        return


STEPS = [
    DISCOVERY,
    StepSpec("device_authorization", "Get a code for the person to enter", run_authorization,
             prepare=prepare_authorization),
    StepSpec("token", "Wait for approval (polling)", run_poll, prepare=prepare_poll),
    ID_TOKEN,
    USERINFO,
]
