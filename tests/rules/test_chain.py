from datetime import date

import pytest

from iepright.rules import chain, lateness


def _links(n):
    links, previous = [], chain.GENESIS
    for seq in range(1, n + 1):
        payload = {"seq": seq, "note": f"día {seq} ✓", "n": seq * 1.5}
        digest = chain.link_hash(previous, payload)
        links.append(chain.Link(seq, payload, previous, digest))
        previous = digest
    return links


def test_canonical_json_is_order_independent_and_utf8():
    assert chain.canonical_json({"b": 1, "a": "é"}) == chain.canonical_json({"a": "é", "b": 1})
    assert chain.canonical_json({"a": "é"}) == '{"a":"é"}'


def test_an_intact_chain_has_no_break():
    assert chain.first_break(_links(5)) is None
    assert chain.first_break([]) is None


@pytest.mark.parametrize(
    ("tamper", "seq", "reason"),
    [
        ("payload", 3, "altered"),
        ("drop", 3, "missing"),
        ("previous", 3, "previous hash"),
        ("swap", 2, "missing"),
    ],
)
def test_it_reports_the_first_break(tamper, seq, reason):
    links = _links(5)
    if tamper == "payload":
        edited = {**links[2].payload, "note": "edited"}
        links[2] = chain.Link(3, edited, links[2].previous, links[2].hash)
    elif tamper == "drop":
        del links[2]
    elif tamper == "previous":
        links[2] = chain.Link(3, links[2].payload, chain.GENESIS, links[2].hash)
    elif tamper == "swap":
        links[1], links[2] = links[2], links[1]
    broken = chain.first_break(links)
    assert broken is not None
    assert broken.seq == seq
    assert reason in broken.reason


@pytest.mark.parametrize(
    ("event", "recorded", "late", "days"),
    [
        (date(2026, 11, 2), date(2026, 11, 2), False, 0),
        (date(2026, 11, 2), date(2026, 11, 4), False, 2),
        (date(2026, 11, 2), date(2026, 11, 5), True, 3),
        (date(2026, 10, 30), date(2026, 11, 2), True, 3),
    ],
)
def test_entries_more_than_two_days_after_the_event_are_late(event, recorded, late, days):
    assert lateness.days_after(event, recorded) == days
    assert lateness.is_late(event, recorded) is late
