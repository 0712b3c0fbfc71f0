"""The check-in page and the API refuse the same things, in the same words (rules/entries.py)."""

from __future__ import annotations

import html

import pytest

from iepright.logbook.models import Entry
from tests.api.entry_support import body, message, post_entry
from tests.clock import NOW
from tests.logbook.checkin_support import details

pytestmark = pytest.mark.frozen(NOW)


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"status": "partly", "minutes_delivered": 31}, "minutes_delivered"),
        ({"status": "partly", "minutes_delivered": -3}, "minutes_delivered"),
        ({"status": "delivered", "minutes_delivered": 10}, "minutes_delivered"),
        ({"status": "partly", "minutes_delivered": 30}, "minutes_delivered"),
        ({"status": "not_delivered", "minutes_delivered": 5}, "minutes_delivered"),
        ({"status": "no_opportunity", "minutes_delivered": 5}, "minutes_delivered"),
        ({"status": "delivered", "note": "x" * 5001}, "note"),
        ({"status": "delivered", "reported_by": "x" * 201}, "reported_by"),
        ({"note": "a note without a status"}, "status"),
    ],
)
def test_the_page_and_the_api_refuse_a_bad_entry_in_the_same_words(
    api_for, client_for, owner, child, provision, fields, field
):
    api = post_entry(api_for(owner), child, body(provision, NOW.date().isoformat(), **fields))
    page = details(client_for(owner), child, provision, NOW.date(), **fields)
    assert api.status_code == 422
    said = message(api)
    assert [f["field"] for f in api.json()["error"]["fields"]] == [field]
    assert html.escape(said) in page.content.decode(), said
    assert not Entry.objects.exists()
