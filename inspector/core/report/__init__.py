"""Redacted support reports: what went wrong with a login, in a file a person can attach to a ticket.

    source     what a report is made from: a flow record, a HAR recording or a token
    model      what a report holds, as data (already sanitized)
    build      the report of a source: diagnoses, timeline, findings, tokens (header and claims)
    text       the one escaping of untrusted text both renderers share
    markdown, html_page   the two renderings; render: either, as the bytes written
"""
