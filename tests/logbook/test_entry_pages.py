"""One entry's page: current state, evidence (download, removal) and the full history."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iepright.logbook import services, verify
from iepright.logbook.models import Entry, Evidence
from tests.images import PDF, PNG

CHICAGO = ZoneInfo("America/Chicago")
NOW = datetime(2026, 11, 30, 15, 0, tzinfo=CHICAGO)
MATRIX = [("owner", 302), ("editor", 302), ("viewer", 403), ("outsider", 404)]


@pytest.fixture(autouse=True)
def frozen(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def entry(child, speech, owner, editor, contact):
    """An entry recorded on time, then changed by the co-parent four days later, with a photo."""
    with time_machine.travel(datetime(2026, 11, 16, 16, 5, tzinfo=CHICAGO), tick=False):
        first = services.record_entry(
            child=child,
            provision=speech,
            event_date=date(2026, 11, 16),
            user=owner,
            fields={"status": "delivered", "circumstances": ["substitute_teacher"]},
        ).entry
    with time_machine.travel(datetime(2026, 11, 20, 9, 30, tzinfo=CHICAGO), tick=False):
        services.record_entry(
            child=child,
            provision=speech,
            event_date=date(2026, 11, 16),
            user=editor,
            fields={
                "status": "partly",
                "minutes_delivered": 10,
                "reported_contact": contact,
                "source": "teacher_told",
            },
            reason="The SLP said the session was cut short",
        )
        first.refresh_from_db()
        upload = SimpleUploadedFile("IMG_0042.jpg", PNG, content_type="image/jpeg")
        services.add_evidence(first, upload, user=editor)
    first.refresh_from_db()
    return first


def detail(entry: Entry) -> str:
    return reverse("entry_detail", args=[entry.public_id])


@pytest.mark.parametrize(
    ("role", "status", "forms"),
    [("owner", 200, True), ("editor", 200, True), ("viewer", 200, False), ("outsider", 404, False)],
)
def test_it_shows_the_entry_by_role(client_for, personas, entry, role, status, forms):
    r = client_for(personas[role]).get(detail(entry))
    assert r.status_code == status
    if status != 200:
        return
    html = r.content.decode()
    assert html.count("<h1") == 1
    assert "Entry for Monday, November 16, 2026" in html
    assert "Speech-language therapy" in html and "10 of 30" in html
    assert "IMG_0042.jpg" in html
    assert ("Save changes" in html) is forms
    assert (reverse("entry_delete", args=[entry.public_id]) in html) is forms
    assert ("Remove<span" in html) is forms


def test_anonymous_visitors_are_sent_to_log_in(client_for, entry):
    r = client_for(None).get(detail(entry))
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


def test_the_history_shows_each_revision_with_old_and_new_values(client_for, viewer, entry):
    r = client_for(viewer).get(detail(entry))
    history = r.context["history"]
    assert [item.revision.action for item in history] == ["create", "update", "update"]
    created, changed, photo = ({c.field: (c.old, c.new) for c in item.changes} for item in history)
    assert created["status"] == ("—", "✓ Delivered")
    assert created["circumstances"] == ("—", "Substitute teacher")
    assert created["minutes_delivered"] == ("—", "30")
    assert changed == {
        "status": ("✓ Delivered", "◐ Partly"),
        "minutes_delivered": ("30", "10"),
        "reported_contact": ("—", "Karen Whitfield"),
        "source": ("—", "Teacher told me"),
    }
    assert photo == {"evidence": ("—", "IMG_0042.jpg")}
    html = r.content.decode()
    assert "The SLP said the session was cut short" in html
    assert "Nov 20, 2026, 9:30:00 a.m. CST" in html  # the household's time zone
    assert "Daniel Alvarez" in html and "from web" in html


def test_an_entry_recorded_on_time_is_not_marked_late(client_for, viewer, entry):
    assert not entry.recorded_late  # first recorded the same day; later changes do not count
    html = client_for(viewer).get(detail(entry)).content.decode()
    assert "Recorded late" not in html


def test_a_late_entry_is_marked_late(client_for, viewer, child, speech, owner):
    late = services.record_entry(
        child=child,
        provision=speech,
        event_date=date(2026, 11, 18),
        fields={"status": "delivered"},
        user=owner,
    ).entry
    html = client_for(viewer).get(detail(late)).content.decode()
    assert "Recorded late (12 days after)" in html


def test_editing_the_entry_appends_a_revision(client_for, editor, entry):
    r = client_for(editor).post(
        detail(entry),
        {
            "status": "not_delivered",
            "minutes_delivered": "5",
            "note": "Actually none",
            "reason": "Checked the service log",
            "reported_contact": "",
        },
    )
    # Not delivered with 5 minutes is contradictory: refused, nothing stored.
    assert r.status_code == 200 and "0 minutes" in r.content.decode()
    assert entry.revisions.count() == 3
    r = client_for(editor).post(
        detail(entry),
        {
            "status": "not_delivered",
            "minutes_delivered": "0",
            "note": "Actually none",
            "reason": "Checked the service log",
        },
    )
    assert r.status_code == 302 and r["Location"] == detail(entry)
    entry.refresh_from_db()
    assert (entry.status, entry.minutes_delivered, entry.note) == (
        "not_delivered",
        0,
        "Actually none",
    )
    latest = entry.revisions.order_by("-number").first()
    assert latest.reason == "Checked the service log" and latest.client == "web"
    assert entry.reported_contact is None


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_edits_are_for_owners_and_editors(client_for, personas, entry, role, status):
    r = client_for(personas[role]).post(detail(entry), {"status": "delivered", "note": "n"})
    assert r.status_code == status
    assert entry.revisions.count() == (4 if status == 302 else 3)


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_deleting_keeps_the_entry_and_shows_it_as_deleted(
    client_for, personas, viewer, entry, role, status
):
    url = reverse("entry_delete", args=[entry.public_id])
    r = client_for(personas[role]).post(url, {"reason": "Wrong day"})
    assert r.status_code == status
    entry.refresh_from_db()
    assert entry.is_deleted() is (status == 302)
    if status != 302:
        return
    html = client_for(viewer).get(detail(entry)).content.decode()
    assert "this entry was deleted on Nov 30, 2026, 3:00 p.m." in html
    assert "Reason: Wrong day" in html
    history = client_for(viewer).get(detail(entry)).context["history"]
    last = history[-1]
    assert last.revision.action == "delete"
    assert {c.field: (c.old, c.new) for c in last.changes} == {"deleted": ("no", "yes")}
    # A deleted entry cannot be edited or deleted again.
    again = client_for(personas[role]).post(url, follow=True)
    assert "already deleted" in again.content.decode()
    edit = client_for(personas[role]).post(detail(entry), {"status": "delivered"}, follow=True)
    assert "cannot be changed" in edit.content.decode()
    assert Entry.objects.get().revisions.count() == 4
    assert "Save changes" not in edit.content.decode()


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 200), ("editor", 200), ("viewer", 200), ("outsider", 404)]
)
def test_evidence_downloads_are_checked_and_typed(client_for, personas, entry, role, status):
    evidence = entry.evidence.get()
    url = reverse("evidence_download", args=[evidence.public_id])
    r = client_for(personas[role]).get(url)
    assert r.status_code == status
    if status != 200:
        return
    assert r["Content-Type"] == "image/png"  # the sniffed type, not the name's
    assert r["Content-Disposition"] == 'inline; filename="IMG_0042.jpg"'
    assert r["X-Content-Type-Options"] == "nosniff"
    assert b"".join(r.streaming_content) == PNG
    r = client_for(personas[role]).get(url + "?download=1")
    assert r["Content-Disposition"] == 'attachment; filename="IMG_0042.jpg"'


def test_anonymous_downloads_go_to_log_in(client_for, entry):
    r = client_for(None).get(reverse("evidence_download", args=[entry.evidence.get().public_id]))
    assert r.status_code == 302


def test_pdfs_are_always_downloaded(client_for, owner, entry):
    pdf = services.add_evidence(
        entry, SimpleUploadedFile("log.pdf", PDF, content_type="application/pdf"), user=owner
    )
    r = client_for(owner).get(reverse("evidence_download", args=[pdf.public_id]))
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'attachment; filename="log.pdf"'


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_removing_evidence_keeps_it_in_the_history(
    client_for, personas, viewer, entry, role, status
):
    evidence = entry.evidence.get()
    url = reverse("evidence_remove", args=[evidence.public_id])
    r = client_for(personas[role]).post(url, {"reason": "Wrong photo"})
    assert r.status_code == status
    evidence.refresh_from_db()
    assert (evidence.removed_at is not None) is (status == 302)
    if status != 302:
        return
    r = client_for(viewer).get(detail(entry))
    html = r.content.decode()
    assert "Removed (kept for the history)" in html and "Wrong photo" in html
    last = r.context["history"][-1]
    assert {c.field: (c.old, c.new) for c in last.changes} == {"evidence": ("IMG_0042.jpg", "—")}
    assert verify.verify_child(entry.child, check_files=True).ok


def test_evidence_can_be_added_from_the_entry_page(client_for, owner, entry):
    scan = SimpleUploadedFile("note.pdf", PDF, content_type="application/pdf")
    data = {
        "status": "partly",
        "minutes_delivered": "10",
        "reported_contact": str(entry.reported_contact.public_id),
        "source": "teacher_told",
        "circumstances": ["substitute_teacher"],
        "evidence": [scan],
    }
    r = client_for(owner).post(detail(entry), data)
    assert r.status_code == 302
    assert sorted(Evidence.objects.values_list("original_name", flat=True)) == [
        "IMG_0042.jpg",
        "note.pdf",
    ]
    assert entry.revisions.count() == 4  # only the file: nothing else changed


def test_the_entry_page_does_a_fixed_number_of_queries(
    client_for, viewer, entry, django_assert_num_queries
):
    c = client_for(viewer)
    with django_assert_num_queries(9):
        c.get(detail(entry))
