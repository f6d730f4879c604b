"""Sanitizing what people share: a browser's HAR recording of a login, rewritten without its secrets.

Every removed value becomes a stable marker derived from it (``markers``), so equal values stay
linkable and the diagnosis engine still reads the login from the sanitized file.

    markers    the markers: keyed hashes (HMAC-SHA256, a random key per file), and reading them back
    rules      which names hold secrets or personal data (data, one place)
    scrubber   one value, text or JSON document at a time: by name, JWTs anywhere, by value
    patterns   where free text holds a secret, found from cheap anchors
    jwts, saml tokens kept readable without what makes them usable
    bodies     request and response bodies in every encoding a HAR holds
    needles    every secret in every form, and the search proving none is left
    cleaner    what that search finds, replaced; sanitize_document for any JSON document
    har        the whole recording: sanitize_har
"""
