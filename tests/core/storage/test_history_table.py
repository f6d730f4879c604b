import pytest
from hypothesis import given
from hypothesis import strategies as st

from inspector.core.errors import StorageError
from inspector.core.storage.history_table import AUDIENCE_SEPARATOR, HistoryEntry, HistoryTable, display_text, rows_matching


def entry(n, **changes):
    values = dict(id=f"{n:012x}", time=1_700_000_000.0 + n, kind="access", source="authorization_code",
                  profile="work", issuer="https://idp.example", subject=f"user-{n}", audience=("api",),
                  expires=1_700_003_600.0 + n)  # fmt: skip
    values.update(changes)
    return HistoryEntry(**values)


def table_of(count, limit=1000):
    table = HistoryTable.empty(limit)
    for n in range(count):
        table = table.appended([(entry(n), f"token-{n}")])
    return table


def test_encode_decode_round_trip_keeps_entries_tokens_and_limit():
    table = table_of(5, limit=7)
    decoded = HistoryTable.decode(table.encode(), "f")
    assert len(decoded) == 5 and decoded.max_entries == 7
    assert [decoded.entry(r) for r in range(5)] == [table.entry(r) for r in range(5)]
    assert [decoded.token(r) for r in range(5)] == [f"token-{n}" for n in range(5)]


def test_empty_table_round_trips():
    decoded = HistoryTable.decode(HistoryTable.empty(3).encode(), "f")
    assert len(decoded) == 0 and decoded.max_entries == 3


def test_missing_claims_are_kept_as_absent():
    table = HistoryTable.empty(10).appended([(entry(1, issuer="", subject="", audience=(), expires=None), "opaque")])
    got = HistoryTable.decode(table.encode(), "f").entry(0)
    assert (got.issuer, got.subject, got.audience, got.expires) == ("", "", (), None)


def test_control_characters_in_summaries_are_neutralised_but_tokens_kept_exactly():
    hostile = "evil\n\x1b[31mred\x1e\x00\u202egnp.exe"
    token = "line1\nline2\x00 \u00e9"
    table = HistoryTable.empty(10).appended([(entry(1, subject=hostile, audience=(hostile, "b")), token)])
    got = HistoryTable.decode(table.encode(), "f")
    assert got.entry(0).subject == "evil\ufffd\ufffd[31mred\ufffd\ufffd\ufffdgnp.exe"
    assert got.entry(0).audience == (display_text(hostile), "b")
    assert got.token(0) == token


def test_appending_many_at_once_keeps_order_and_the_limit():
    table = table_of(2, limit=4).appended([(entry(n), f"token-{n}") for n in range(10, 13)])
    assert [table.token(r) for r in range(len(table))] == ["token-1", "token-10", "token-11", "token-12"]


def test_appending_beyond_the_limit_drops_the_oldest():
    table = table_of(5, limit=3)
    assert [table.entry(r).subject for r in range(3)] == ["user-2", "user-3", "user-4"]
    assert [table.token(r) for r in range(3)] == ["token-2", "token-3", "token-4"]


def test_lowering_the_limit_trims_and_kept_selects_rows():
    table = table_of(6).with_limit(2)
    assert [table.token(r) for r in range(len(table))] == ["token-4", "token-5"]
    kept = table_of(4).kept([0, 3])
    assert [kept.token(r) for r in range(2)] == ["token-0", "token-3"]


def test_tables_are_immutable_snapshots():
    table = table_of(2)
    table.appended([(entry(9), "token-9")])
    table.kept([0])
    assert len(table) == 2 and table.token(1) == "token-1"


def test_search_terms_all_must_match_case_insensitively():
    table = table_of(3).appended([(entry(7, issuer="https://Other.example", kind="id"), "t")])
    assert rows_matching(table, [(None, "other")]) == [3]
    assert rows_matching(table, [("iss", "idp"), ("sub", "user-1")]) == [1]
    assert rows_matching(table, [("kind", "id"), ("sub", "user-1")]) == []
    assert rows_matching(table, [("aud", "api")]) == [0, 1, 2, 3]
    assert rows_matching(table, []) == [0, 1, 2, 3]


def test_field_search_ignores_matches_in_other_fields():
    table = table_of(2).appended([(entry(5, subject="access-admin", kind="id"), "t")])
    assert rows_matching(table, [("sub", "access")]) == [2]
    assert rows_matching(table, [("kind", "access")]) == [0, 1]
    assert rows_matching(table, [("flow", "authorization")]) == [0, 1, 2]
    assert rows_matching(table, [("profile", "idp")]) == []


def test_search_is_case_insensitive_even_when_lowering_changes_lengths():
    table = table_of(1).appended([(entry(5, issuer="https://İstanbul.example", subject="Zeynep"), "t")])
    assert rows_matching(table, [("sub", "zeynep")]) == [1]
    assert rows_matching(table, [(None, "user-0")]) == [0]


def test_malformed_plaintext_is_a_storage_error():
    data = bytearray(table_of(2).encode())
    with pytest.raises(StorageError, match="malformed"):
        HistoryTable.decode(bytes(data[:-3]), "f")
    with pytest.raises(StorageError, match="malformed"):
        HistoryTable.decode(b"\x00\x00\x00\x02{}", "f")


texts = st.text(max_size=40)


@given(
    rows=st.lists(
        st.tuples(texts, texts, st.lists(texts, max_size=3), st.one_of(st.none(), st.floats(allow_nan=False)), texts),
        max_size=8,
    )
)
def test_round_trip_property(rows):
    pairs = [
        (entry(n, issuer=issuer, subject=subject, audience=tuple(audience), expires=expires), token)
        for n, (issuer, subject, audience, expires, token) in enumerate(rows)
    ]
    table = HistoryTable.empty(1000).appended(pairs)
    decoded = HistoryTable.decode(table.encode(), "f")
    for r, (issuer, subject, audience, expires, token) in enumerate(rows):
        got = decoded.entry(r)
        assert got.issuer == display_text(issuer) and got.subject == display_text(subject)
        assert decoded.token(r) == token
        assert got.expires == expires
        joined = AUDIENCE_SEPARATOR.join(audience)  # [] and [""] both mean "no audience"
        assert got.audience == (tuple(display_text(a) for a in audience) if joined else ())
