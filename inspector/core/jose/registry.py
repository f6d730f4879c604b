"""The claim and header-parameter registry: one plain-language line per known name.

Sources: RFC 7519 §4.1 (registered claims); OpenID Connect Core 1.0 §2 and §5.1 (ID token and
standard claims); RFC 9068 §2.2 (JWT access tokens) with RFC 7643 attributes it reuses; RFC 8693
§4 (``act``, ``may_act``); RFC 7800 §3 (``cnf``); RFC 9449 §4.2 and §6 (DPoP proofs and
``cnf.jkt``); RFC 7515 §4.1 / RFC 7516 §4.1 (header parameters); and the vendors' own
documentation for the vendor claims.
"""

from __future__ import annotations

#: name -> (category, vendor or "", description)
CLAIMS: dict[str, tuple[str, str, str]] = {
    # RFC 7519 §4.1
    "iss": ("registered", "", "Issuer: who created and signed this token."),
    "sub": ("registered", "", "Subject: the user or client this token is about, unique within the issuer."),
    "aud": ("registered", "", "Audience: who this token is meant for; anyone else must reject it."),
    "exp": ("registered", "", "Expiration time: the token must not be accepted at or after this moment."),
    "nbf": ("registered", "", "Not before: the token must not be accepted before this moment."),
    "iat": ("registered", "", "Issued at: when the token was created."),
    "jti": ("registered", "", "JWT ID: a unique identifier, used to detect replay."),
    # OpenID Connect Core §2 (ID token)
    "auth_time": ("oidc", "", "When the user last actively authenticated."),
    "nonce": ("oidc", "", "ID token: the value the client sent, binding the token to its request. DPoP proof: the "
              "server's DPoP-Nonce."),
    "acr": ("oidc", "", "Authentication context class: how strongly the user was authenticated."),
    "amr": ("oidc", "", "Authentication methods used, e.g. pwd, otp, mfa (RFC 8176)."),
    "azp": ("oidc", "", "Authorized party: the client the ID token was issued to."),
    "at_hash": ("oidc", "", "Access token hash: binds the ID token to the access token issued with it."),
    "c_hash": ("oidc", "", "Code hash: binds the ID token to the authorization code issued with it."),
    "s_hash": ("oidc", "", "State hash (FAPI): binds the ID token to the state parameter."),
    "sid": ("oidc", "", "Session ID at the provider, used for front- and back-channel logout."),
    "events": ("oidc", "", "Logout token events (OpenID Back-Channel Logout)."),
    # OpenID Connect Core §5.1 (standard claims)
    "name": ("oidc", "", "The user's full name, for display."),
    "given_name": ("oidc", "", "Given (first) name."),
    "family_name": ("oidc", "", "Surname (last name)."),
    "middle_name": ("oidc", "", "Middle name."),
    "nickname": ("oidc", "", "Casual name."),
    "preferred_username": ("oidc", "", "Username the user prefers; not unique and not stable, never use it as an ID."),
    "profile": ("oidc", "", "URL of the user's profile page."),
    "picture": ("oidc", "", "URL of the user's picture."),
    "website": ("oidc", "", "URL of the user's web page or blog."),
    "email": ("oidc", "", "Email address; check email_verified before trusting it."),
    "email_verified": ("oidc", "", "Whether the provider verified that the user controls this email address."),
    "gender": ("oidc", "", "Gender."),
    "birthdate": ("oidc", "", "Birthday (YYYY-MM-DD, or YYYY)."),
    "zoneinfo": ("oidc", "", "Time zone, e.g. Europe/Paris."),
    "locale": ("oidc", "", "Locale, e.g. en-US."),
    "phone_number": ("oidc", "", "Phone number; check phone_number_verified before trusting it."),
    "phone_number_verified": ("oidc", "", "Whether the provider verified the phone number."),
    "address": ("oidc", "", "Postal address (a JSON object)."),
    "updated_at": ("oidc", "", "When the user's information was last updated."),
    # RFC 9068 §2.2 (JWT access tokens), RFC 8693, RFC 7800, RFC 8705, RFC 9449
    "client_id": ("access_token", "", "The OAuth client the access token was issued to."),
    "scope": ("access_token", "", "Scopes granted, separated by spaces."),
    "scp": ("access_token", "", "Scopes granted (a common variant of scope; Microsoft and Okta use it)."),
    "groups": ("access_token", "", "Groups the user belongs to (RFC 9068 §2.2.3.1)."),
    "roles": ("access_token", "", "Roles granted to the user or application (RFC 9068 §2.2.3.1)."),
    "entitlements": ("access_token", "", "Entitlements granted (RFC 9068 §2.2.3.1)."),
    "act": ("access_token", "", "Actor: who acts for the subject (delegation, RFC 8693 §4.1); a token without act "
            "lets its holder impersonate sub."),
    "may_act": ("access_token", "", "Who may act for the subject (RFC 8693 §4.4): it may exchange this token for one "
                "naming it in act (delegation)."),
    "cnf": ("access_token", "", "Confirmation: the key the presenter must prove it holds (RFC 7800); cnf.jkt: a DPoP "
            "key's thumbprint."),
    # RFC 9449 §4.2 (DPoP proofs)
    "htm": ("access_token", "", "DPoP proof: the HTTP method of the request the proof goes with, e.g. POST."),
    "htu": ("access_token", "", "DPoP proof: the URI of the request the proof goes with, without query and fragment."),
    "ath": ("access_token", "", "DPoP proof: hash (SHA-256, base64url) of the access token the request presents."),
    "authorization_details": ("access_token", "", "Rich authorization request details (RFC 9396)."),
    "txn": ("access_token", "", "Transaction identifier, for tracing across parties (RFC 8417)."),
    "toe": ("access_token", "", "Time of the event a Security Event Token reports (RFC 8417)."),
    # Microsoft Entra ID
    "oid": ("vendor", "Microsoft", "Object ID: the user's immutable ID in the tenant; use it (with tid) as the key."),
    "tid": ("vendor", "Microsoft", "Tenant ID: the directory the user signed in to."),
    "aio": ("vendor", "Microsoft", "Internal data Microsoft uses to reuse tokens; opaque, ignore it."),
    "uti": ("vendor", "Microsoft", "Token identifier Microsoft uses internally; opaque."),
    "rh": ("vendor", "Microsoft", "Internal data Microsoft uses to revalidate tokens; opaque, ignore it."),
    "wids": ("vendor", "Microsoft", "Directory role template IDs assigned to the user."),
    "upn": ("vendor", "Microsoft", "User principal name; can change, do not use it as a key."),
    "unique_name": ("vendor", "Microsoft", "A display username (v1 tokens); can change."),
    "appid": ("vendor", "Microsoft", "Application (client) ID of the client that asked for the token (v1)."),
    "appidacr": ("vendor", "Microsoft", "How the client authenticated (v1): 0 public, 1 secret, 2 certificate."),
    "azpacr": ("vendor", "Microsoft", "How the client authenticated (v2): 0 public, 1 secret, 2 certificate."),
    "idp": ("vendor", "Microsoft", "The identity provider that authenticated the user."),
    "idtyp": ("vendor", "Microsoft", "Token type hint: app for app-only tokens, user for delegated ones."),
    "ver": ("vendor", "Microsoft", "Token format version (1.0 or 2.0)."),
    "xms_cc": ("vendor", "Microsoft", "Client capabilities the client declared, e.g. cp1."),
    "ipaddr": ("vendor", "Microsoft", "IP address the user authenticated from."),
    "onprem_sid": ("vendor", "Microsoft", "The user's on-premises security identifier."),
    "hasgroups": ("vendor", "Microsoft", "Too many groups to list: query Microsoft Graph instead."),
    "verified_primary_email": ("vendor", "Microsoft", "The user's verified primary email addresses."),
    "verified_secondary_email": ("vendor", "Microsoft", "The user's verified secondary email addresses."),
    "login_hint": ("vendor", "Microsoft", "An opaque login hint for re-authentication."),
    "acct": ("vendor", "Microsoft", "Account status in the tenant: 0 member, 1 guest."),
    "ctry": ("vendor", "Microsoft", "The user's country or region (optional claim)."),
    "tenant_ctry": ("vendor", "Microsoft", "The tenant's country or region (optional claim)."),
    "xms_pl": ("vendor", "Microsoft", "The user's preferred language (optional claim)."),
    "acrs": ("vendor", "Microsoft", "Authentication context class references the user satisfied."),
    # Google
    "hd": ("vendor", "Google", "Hosted domain: the user's Google Workspace domain."),
    # Keycloak
    "realm_access": ("vendor", "Keycloak", "Realm roles granted to the user."),
    "resource_access": ("vendor", "Keycloak", "Client roles granted to the user, per client."),
    "typ": ("vendor", "Keycloak", "Keycloak's token type, e.g. Bearer, ID or Refresh."),
    "session_state": ("vendor", "Keycloak", "The user's session at the provider (OIDC Session Management)."),
    "allowed-origins": ("vendor", "Keycloak", "Web origins allowed to use this token (CORS)."),
    # Okta
    "cid": ("vendor", "Okta", "Client ID of the application the token was issued to."),
    "uid": ("vendor", "Okta", "The user's Okta ID."),
    # AWS Cognito
    "cognito:groups": ("vendor", "AWS Cognito", "User pool groups the user belongs to."),
    "cognito:username": ("vendor", "AWS Cognito", "The user's username in the user pool."),
    "cognito:roles": ("vendor", "AWS Cognito", "IAM roles associated with the user's groups."),
    "token_use": ("vendor", "AWS Cognito", "Which token this is: id or access."),
    "origin_jti": ("vendor", "AWS Cognito", "Identifier of the authentication the token came from (revocation)."),
    "event_id": ("vendor", "AWS Cognito", "Identifier of the sign-in event."),
    "username": ("vendor", "AWS Cognito", "The user's username (in access tokens)."),
    "cognito:preferred_role": ("vendor", "AWS Cognito", "The IAM role preferred among the user's groups."),
    # Auth0
    "permissions": ("vendor", "Auth0", "API permissions granted (Auth0 RBAC)."),
    "org_id": ("vendor", "Auth0", "The organization the user signed in to."),
    "gty": ("vendor", "Auth0", "Grant type that produced the token, e.g. client-credentials."),
    "org_name": ("vendor", "Auth0", "Name of the organization the user signed in to."),
}

#: Header parameters, RFC 7515 §4.1, RFC 7516 §4.1, RFC 7797, RFC 9068.
HEADER_PARAMETERS: dict[str, str] = {
    "alg": "Algorithm that signed (or encrypted the key of) this token.",
    "typ": "Media type of the token, e.g. JWT, at+jwt for access tokens (RFC 9068), dpop+jwt for DPoP proofs (RFC 9449).",
    "cty": "Content type of the payload; JWT means a nested token.",
    "kid": "Key ID: names the issuer's key to verify with (a hint, never the key itself).",
    "jku": "URL of a key set, chosen by whoever wrote the token: never fetched, never trusted.",
    "jwk": "A key embedded by whoever wrote the token: never trusted, except in a DPoP proof (typ dpop+jwt), "
           "which is checked with it by design (RFC 9449 §4.3).",
    "x5u": "URL of a certificate chain, chosen by whoever wrote the token: never fetched, never trusted.",
    "x5c": "A certificate chain embedded by whoever wrote the token: never trusted on its own.",
    "x5t": "SHA-1 thumbprint of the signing certificate.",
    "x5t#S256": "SHA-256 thumbprint of the signing certificate.",
    "crit": "Extensions the recipient must understand, or reject the token.",
    "b64": "false means the payload is not base64url-encoded (RFC 7797).",
    "enc": "Content encryption algorithm (JWE).",
    "zip": "Compression applied before encryption (JWE).",
    "epk": "Ephemeral public key for key agreement (JWE).",
    "apu": "Agreement PartyUInfo (JWE key agreement).",
    "apv": "Agreement PartyVInfo (JWE key agreement).",
    "iv": "Initialisation vector for key wrapping (JWE).",
    "tag": "Authentication tag for key wrapping (JWE).",
    "p2s": "PBES2 salt (JWE).",
    "p2c": "PBES2 iteration count (JWE).",
}
