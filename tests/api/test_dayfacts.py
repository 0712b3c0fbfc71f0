"""Day facts in the API: what was different about a child's day, read and recorded."""

from __future__ import annotations

import json
from datetime import date

import pytest

from iepright.logbook.models import DayFacts
from tests.api.conftest import API
from tests.clock import at, frozen

pytestmark = pytest.mark.frozen

DAY = date(2026, 11, 16)  # a Monday before NOW


def url(child, day: date = DAY) -> str:
    return f"{API}/children/{child.public_id}/days/{day.isoformat()}/facts"


def put(client, child, body, day: date = DAY):
    return client.put(url(child, day), data=json.dumps(body), content_type="application/json")


def test_a_day_without_day_facts_says_so(api_for, owner, child):
    body = api_for(owner).get(url(child)).json()
    assert body == {
        "child": str(child.public_id),
        "day": "2026-11-16",
        "recorded": False,
        "facts": [],
        "history": [],
    }


def test_it_records_the_facts_and_keeps_every_answer(api_for, owner, editor, child):
    first = put(api_for(owner), child, {"facts": ["substitute_teacher", "assembly"]})
    assert first.status_code == 200, first.content
    assert first.json()["facts"] == ["assembly", "substitute_teacher"]
    with frozen(at(date(2026, 11, 19))):
        second = put(api_for(editor, name="phone"), child, {"facts": []})
    body = second.json()
    assert body["recorded"] is True and body["facts"] == []
    assert [(v["facts"], v["client"], v["recorded_by"]) for v in body["history"]] == [
        (["assembly", "substitute_teacher"], "api:tests", owner.display_name()),
        ([], "api:phone", editor.display_name()),
    ]


def test_the_same_answer_again_records_nothing_new(api_for, owner, child):
    client = api_for(owner)
    put(client, child, {"facts": ["field_trip"]})
    again = put(client, child, {"facts": ["field_trip", "field_trip"]})
    assert again.status_code == 200
    assert DayFacts.objects.filter(child=child).count() == 1


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"facts": ["meteor_shower"]}, "facts"),
        ({"facts": "assembly"}, "facts"),
        ({"facts": [], "status": "delivered"}, "status"),
    ],
)
def test_it_refuses_what_is_not_a_day_fact_naming_the_field(api_for, owner, child, body, field):
    r = put(api_for(owner), child, body)
    assert r.status_code == 422, r.content
    assert field in [f["field"] for f in r.json()["error"]["fields"]]
    assert not DayFacts.objects.exists()


def test_it_refuses_a_day_still_to_come(api_for, owner, child):
    r = put(api_for(owner), child, {"facts": []}, day=date(2026, 11, 19))
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["day"]


def test_a_household_circumstance_is_a_day_fact(api_for, owner, child):
    child.household.circumstances.create(code="bus_late", label="Bus late")
    assert put(api_for(owner), child, {"facts": ["bus_late"]}).json()["facts"] == ["bus_late"]


def test_a_viewer_reads_but_cannot_record(api_for, owner, viewer, child):
    put(api_for(owner), child, {"facts": ["assembly"]})
    assert api_for(viewer).get(url(child)).json()["facts"] == ["assembly"]
    assert put(api_for(viewer), child, {"facts": []}).status_code == 403
    assert DayFacts.objects.count() == 1
