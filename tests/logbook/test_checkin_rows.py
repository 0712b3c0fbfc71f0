"""A check-in row's controls: Details opened when asked, Clear on logged rows, the reason field."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from iepright.plans.models import Child, Provision
from tests.clock import AFTER_THANKSGIVING
from tests.conftest import log_entry
from tests.logbook.checkin_support import TODAY, details

pytestmark = pytest.mark.frozen(AFTER_THANKSGIVING)


def page(child: Child, **query: str) -> str:
    url = reverse("checkin", kwargs={"public_id": child.public_id})
    return url + "?" + "&".join(f"{k}={v}" for k, v in {"date": TODAY, **query}.items())


def row_html(html: str, provision: Provision) -> str:
    """Return the <li> of one provision's row."""
    start = html.index(f'<li id="p-{provision.public_id}"')
    return html[start : html.index("</li>", start)]


def clear_button(row: str) -> str:
    match = re.search(r'<button [^>]*value="clear"[^>]*>', row)
    assert match, "no Clear button"
    return match.group(0)


def test_no_row_carries_its_details_form_until_asked(
    client_for, owner, child, speech, extended_time
):
    html = client_for(owner).get(page(child)).content.decode()
    assert 'class="details-form"' not in html
    for provision in (speech, extended_time):
        row = row_html(html, provision)
        link = (
            f'href="{page(child, details=str(provision.public_id))}#details-{provision.public_id}"'
        ).replace("&", "&amp;")
        assert link in row
        assert "Details<span" in row


def test_the_asked_row_alone_shows_its_form_posting_to_the_details_view(
    client_for, owner, child, speech, extended_time, contact
):
    r = client_for(owner).get(page(child, details=str(speech.public_id)))
    html = r.content.decode()
    assert html.count('class="details-form"') == 1
    row = row_html(html, speech)
    assert f'id="details-{speech.public_id}"' in row
    assert reverse("checkin_details", args=[child.public_id]) in row
    assert 'enctype="multipart/form-data"' in row
    assert "Karen Whitfield" in row  # the contacts, read for the open form only
    assert "Close details" in row
    assert "details-form" not in row_html(html, extended_time)
    assert "&amp;details=" in row_html(html, extended_time)


@pytest.mark.parametrize("asked", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_an_unknown_row_asked_opens_no_form(client_for, owner, child, speech, asked):
    r = client_for(owner).get(page(child, details=asked))
    assert r.status_code == 200
    assert 'class="details-form"' not in r.content.decode()


def test_a_viewer_asking_for_details_gets_no_form_nor_link(client_for, viewer, child, speech):
    html = client_for(viewer).get(page(child, details=str(speech.public_id))).content.decode()
    assert 'class="details-form"' not in html
    assert "&amp;details=" not in html


def test_a_refused_details_form_is_the_only_one_open(
    client_for, owner, child, speech, extended_time
):
    r = details(client_for(owner), child, speech, note="No status chosen")
    html = r.content.decode()
    assert html.count('class="details-form"') == 1
    assert "Choose a status" in row_html(html, speech)
    assert "details-form" not in row_html(html, extended_time)


def test_clear_is_offered_on_logged_rows_only(client_for, owner, child, speech, extended_time):
    log_entry(speech, TODAY, owner, status="partly", minutes_delivered=10)
    html = client_for(owner).get(page(child)).content.decode()
    assert " hidden" not in clear_button(row_html(html, speech))
    # The unlogged row's Clear is there for the script to show after a tap, hidden until then.
    assert clear_button(row_html(html, extended_time)).endswith(" hidden>")


def test_the_reason_is_asked_only_when_an_entry_is_changed(
    client_for, owner, child, speech, extended_time
):
    log_entry(speech, TODAY, owner, status="partly", minutes_delivered=10)
    c = client_for(owner)
    first = c.get(page(child, details=str(extended_time.public_id))).content.decode()
    assert "<div data-reason hidden>" in row_html(first, extended_time)
    change = c.get(page(child, details=str(speech.public_id))).content.decode()
    row = row_html(change, speech)
    assert "<div data-reason>" in row and "Reason for the change" in row


def test_opening_a_details_form_adds_one_query(client_for, owner, child, speech):
    c = client_for(owner)
    c.get(page(child))  # the session's first read of the user is not counted twice
    with CaptureQueriesContext(connection) as closed:
        c.get(page(child))
    with CaptureQueriesContext(connection) as opened:
        c.get(page(child, details=str(speech.public_id)))
    assert len(opened) == len(closed) + 1  # the contacts, for "Who" in the form
