"""Why a login failed, in plain words, from the artifacts support staff are handed: a token, a
callback URL, a provider's error answer, a flow record or a browser's HAR recording.

Every front end renders the same :class:`~inspector.core.diagnosis.model.DiagnosisReport`: the
CLI as cards or JSON, the GUI as cards beside the timeline. The package never fetches anything on
its own; only a :class:`~inspector.core.diagnosis.remote.IssuerSource` handed in by the caller
(the user's ``--issuer`` or ``--jwks`` URL) goes to the network.
"""
