"""A scripted user agent (httpx): it plays the person in the browser against oidc-provider's
development login and consent pages, and approves device codes.

It follows the authorization URL, signs in (any login and password work there), consents, and
when the provider redirects off its own origin (to our loopback listener) it makes that last
request as a browser would and returns the listener's answer.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx


@dataclass
class Form:
    action: str
    method: str
    fields: dict[str, str] = field(default_factory=dict)
    form_id: str | None = None


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.forms: list[Form] = []
        self.links: list[tuple[str, str]] = []
        self._href: str | None = None

    def handle_data(self, data: str) -> None:
        if self._href is not None and data.strip():
            self.links.append((self._href, data.strip()))
            self._href = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and values.get("href"):
            self._href = values["href"]
        elif tag == "form":
            self.forms.append(Form(values.get("action", ""), values.get("method", "get").lower(),
                                   form_id=values.get("id")))
        elif tag == "input" and self.forms and values.get("name"):
            self.forms[-1].fields[values["name"]] = values.get("value", "")


def forms_of(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    return parser.forms


def cancel_link(html: str) -> str | None:
    parser = _FormParser()
    parser.feed(html)
    return next((href for href, text in parser.links if "Cancel" in text), None)


class UserAgent:
    """One browser profile (cookie jar). ``login`` is the account that signs in."""

    def __init__(self, login: str = "alice", password: str = "correct horse", timeout: float = 10.0,
                 verify: "str | bool | ssl.SSLContext" = True) -> None:
        """``verify``: a CA bundle path for a provider served with a private test CA."""
        self.login = login
        self.password = password
        if isinstance(verify, str):
            import ssl

            verify = ssl.create_default_context(cafile=verify)
        self.client = httpx.Client(timeout=timeout, follow_redirects=False, verify=verify)
        self.pages: list[str] = []
        self.approve = True
        self.aborted = False

    def close(self) -> None:
        self.client.close()

    def __enter__(self) -> "UserAgent":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def authorize(self, url: str, *, consent: bool = True, max_steps: int = 30) -> httpx.Response:
        """Sign in and consent (or press Cancel on the consent page when ``consent`` is false);
        return the response of the final redirect target (the listener)."""
        return self.client.get(self.redirect_back(url, consent=consent, max_steps=max_steps))

    def redirect_back(self, url: str, *, consent: bool = True, max_steps: int = 30) -> str:
        """Sign in and consent as :meth:`authorize` does, but stop at the provider's redirect back to
        the client and return its URL (the authorization response) without requesting it: for
        tests that play the client themselves and have no listener at the redirect URI."""
        origin = _origin(url)
        response = self.client.get(url)
        for _ in range(max_steps):
            if response.is_redirect:
                target = urljoin(str(response.url), response.headers["location"])
                if _origin(target) != origin:
                    return target
                response = self.client.get(target)
                continue
            response = self._submit_page(response, consent=consent)
        raise AssertionError(f"no redirect back to the client after {max_steps} steps; last page: {response.text[:500]}")

    def approve_device(self, verification_uri_complete: str, *, approve: bool = True,
                       max_steps: int = 30) -> httpx.Response:
        """Enter (confirm) the user code, sign in and consent; return the provider's final page.
        With ``approve`` false, press Abort on the confirmation page instead."""
        self.approve = approve
        self.aborted = False
        response = self.client.get(verification_uri_complete)
        for _ in range(max_steps):
            if response.is_redirect:
                response = self.client.get(urljoin(str(response.url), response.headers["location"]))
                continue
            if response.status_code >= 400:
                raise AssertionError(f"device approval failed (HTTP {response.status_code}): {response.text[:500]}")
            if not forms_of(response.text) or self.aborted:
                return response
            response = self._submit_page(response, consent=True)
        raise AssertionError("device approval did not finish")

    def _submit_page(self, response: httpx.Response, *, consent: bool) -> httpx.Response:
        self.pages.append(response.text)
        forms = forms_of(response.text)
        if response.status_code >= 400 or not forms:
            raise AssertionError(f"unexpected page (HTTP {response.status_code}): {response.text[:500]}")
        form = forms[0]
        data = dict(form.fields)
        if "login" in data:
            data.update(login=self.login, password=self.password)
        if data.get("prompt") == "consent" and not consent:
            return self.client.get(urljoin(str(response.url), cancel_link(response.text) or "abort"))
        if data.get("confirm") == "yes" and not self.approve:
            data["abort"] = "yes"
            self.aborted = True
        target = urljoin(str(response.url), form.action)
        if form.method == "post":
            return self.client.post(target, data=data)
        return self.client.get(target, params=data)


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
