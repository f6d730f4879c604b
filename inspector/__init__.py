"""Token Inspector: inspect OAuth 2.0 / OpenID Connect flows and tokens, privately."""

__version__ = "0.1.0"
