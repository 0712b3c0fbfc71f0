"""A change made weeks after the school day is marked "changed N days later" everywhere the
entry is shown: the PDFs (text extracted), the CSV and JSON exports, the API and the pages. A
change within the late window is not."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date

import pytest
from django.urls import reverse

from iepright.logbook import services
from iepright.logbook.models import Entry
from iepright.reports.pdf import render_report
from tests.clock import at
from tests.conftest import log_entry
from tests.reports.test_pdf_data import flat, pdf_text

START, END = date(2026, 11, 2), date(2026, 11, 18)
CHANGED = date(2026, 11, 10)  # delivered, changed to not delivered on 3 December
ON_TIME = date(2026, 11, 12)  # delivered, changed two days later: within the window
REMOVED = date(2026, 11, 16)  # delivered, deleted on 3 December
LATE_TEXT = "Status changed 23 days later, on 2026-12-03: ✓ Delivered → ✗ Not delivered"
DELETED_TEXT = "Status changed 17 days later, on 2026-12-03: ✓ Delivered → deleted"

pytestmark = pytest.mark.frozen(at(date(2026, 12, 4)))


@dataclass
class Changed:
    late: Entry
    on_time: Entry
    removed: Entry


@pytest.fixture
def changed(owner, speech, calendar) -> Changed:
    entries = {
        day: log_entry(speech, day, owner, when=at(day, 16), status="delivered")
        for day in (CHANGED, ON_TIME, REMOVED)
    }
    services.update_entry(
        entries[CHANGED],
        fields={"status": "not_delivered"},
        user=owner,
        reason="The teacher told me it did not happen.",
        now=at(date(2026, 12, 3)),
    )
    services.update_entry(
        entries[ON_TIME], fields={"status": "not_delivered"}, user=owner, now=at(date(2026, 11, 14))
    )
    services.delete_entry(entries[REMOVED], user=owner, now=at(date(2026, 12, 3)))
    return Changed(*(Entry.objects.get(pk=entries[d].pk) for d in (CHANGED, ON_TIME, REMOVED)))


def report_pages(kind: str, child, language: str = "en") -> list[str]:
    return pdf_text(render_report(kind, child=child, start=START, end=END, language=language))


def report_text(kind: str, child) -> str:
    return flat(report_pages(kind, child))


@pytest.mark.parametrize("kind", ["compliance", "one-pager", "binder"])
def test_every_pdf_marks_the_late_change_and_counts_it(changed, child, kind):
    pages = report_pages(kind, child)
    text = flat(pages)
    assert LATE_TEXT in text
    assert "Changed later" in text
    assert DELETED_TEXT in text
    assert "changed 2 days later" not in text
    footer = " ".join(pages[0].split())
    assert "2 were changed later (more than 2 days after)" in footer


def test_the_compliance_report_shows_the_change_beside_the_status(changed, child):
    text = report_text("compliance", child)
    assert "✗ Not delivered (changed 23 days later)" in text
    assert "✗ Not delivered (changed 2 days later)" not in text


def test_the_binders_chronology_marks_the_late_change_and_the_late_deletion(changed, child):
    text = report_text("binder", child)
    assert "✗ Not delivered (changed 23 days later)" in text
    assert "Deleted; was ✓ Delivered (changed 17 days later)" in text


def test_the_csv_has_the_late_change_in_its_own_column(client_for, owner, child, changed):
    content = client_for(owner).get(reverse("child_export_csv", args=[child.public_id])).content
    rows = {r["entry id"]: r for r in csv.DictReader(io.StringIO(content.decode("utf-8-sig")))}
    assert rows[str(changed.late.public_id)]["changed later"] == LATE_TEXT
    assert rows[str(changed.removed.public_id)]["changed later"] == DELETED_TEXT
    assert rows[str(changed.on_time.public_id)]["changed later"] == ""


def test_the_json_export_lists_the_late_changes(client_for, owner, child, changed):
    data = client_for(owner).get(reverse("child_export_json", args=[child.public_id])).json()
    entries = {e["id"]: e for e in data["entries"]}
    assert entries[str(changed.late.public_id)]["changed_late"] == [
        {
            "on": "2026-12-03",
            "days_after": 23,
            "field": "status",
            "old": "delivered",
            "new": "not_delivered",
        }
    ]
    assert entries[str(changed.removed.public_id)]["changed_late"][0]["new"] == "deleted"
    assert entries[str(changed.on_time.public_id)]["changed_late"] == []


def test_the_api_gives_the_late_changes(api_for, viewer, child, changed):
    client = api_for(viewer)
    listed = client.get(f"/api/v1/children/{child.public_id}/entries?include_deleted=true")
    by_id = {e["id"]: e for e in listed.json()["items"]}
    late = by_id[str(changed.late.public_id)]["changed_late"]
    assert late == [
        {
            "on": "2026-12-03",
            "days_after": 23,
            "field": "status",
            "old": "delivered",
            "new": "not_delivered",
        }
    ]
    assert by_id[str(changed.on_time.public_id)]["changed_late"] == []
    one = client.get(f"/api/v1/entries/{changed.late.public_id}").json()
    assert one["changed_late"] == late


PAGE_TEXT = "Status changed 23 days later, on Dec 3, 2026: ✓ Delivered → ✗ Not delivered"


def test_the_entry_page_marks_the_late_change(client_for, viewer, changed):
    html = client_for(viewer).get(reverse("entry_detail", args=[changed.late.public_id]))
    assert PAGE_TEXT in html.content.decode()
    on_time = client_for(viewer).get(reverse("entry_detail", args=[changed.on_time.public_id]))
    assert "days later" not in on_time.content.decode()


def test_the_history_and_check_in_pages_mark_the_late_change(client_for, owner, child, changed):
    client = client_for(owner)
    listed = client.get(reverse("log_list", kwargs={"public_id": child.public_id}))
    assert listed.content.decode().count("days later") == 1
    assert PAGE_TEXT in listed.content.decode()
    checkin = client.get(
        reverse("checkin", kwargs={"public_id": child.public_id}) + f"?date={CHANGED}"
    )
    assert PAGE_TEXT in checkin.content.decode()


def test_it_reads_in_spanish(changed, child):
    text = flat(report_pages("compliance", child, language="es"))
    assert "23 días después" in text


def test_the_month_grid_marks_the_late_change(client_for, owner, child, changed):
    url = reverse("log_month", kwargs={"public_id": child.public_id}) + "?month=2026-11"
    html = client_for(owner).get(url).content.decode()
    assert "Nov 10: Not delivered, changed later" in html
    assert 'Nov 12: Not delivered"' in html


def test_the_one_pager_lists_a_few_late_changes_and_counts_the_rest(owner, speech, calendar, child):
    days = [date(2026, 11, d) for d in (2, 3, 4, 5, 6)]
    for day in days:
        entry = log_entry(speech, day, owner, when=at(day, 16), status="delivered")
        services.update_entry(
            entry, fields={"status": "not_delivered"}, user=owner, now=at(date(2026, 12, 3))
        )
    pages = report_pages("one-pager", child)
    text = flat(pages)
    assert len(pages) == 1
    assert len(report_pages("one-pager", child, language="es")) == 1
    assert text.count("days later, on 2026-12-03") == 3
    assert "And 2 more entries changed later, listed in the compliance report." in text
    assert flat(report_pages("compliance", child)).count("days later, on 2026-12-03") >= 5
