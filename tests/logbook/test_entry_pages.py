"""One entry's page: current state, evidence (download, removal) and the full history."""

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from iepright.logbook import services, verify
from iepright.logbook.models import Entry, Evidence
from tests.clock import AFTER_THANKSGIVING, at
from tests.conftest import log_entry
from tests.images import PDF, PNG

pytestmark = [pytest.mark.frozen(AFTER_THANKSGIVING), pytest.mark.usefixtures("media")]

MATRIX = [("owner", 302), ("editor", 302), ("viewer", 403), ("outsider", 404)]


@pytest.fixture
def edited_entry(speech, owner, editor, contact):
    """An entry recorded on time, then changed by the co-parent four days later, with a photo."""
    day = date(2026, 11, 16)
    first = log_entry(
        speech, day, owner, when=at(day, 16, 5), status="delivered",
        circumstances=["substitute_teacher"],
    )  # fmt: skip
    changed = at(date(2026, 11, 20), 9, 30)
    log_entry(
        speech, day, editor, when=changed, reason="The SLP said the session was cut short",
        status="partly", minutes_delivered=10, reported_contact=contact, source="teacher_told",
    )  # fmt: skip
    first.refresh_from_db()
    upload = SimpleUploadedFile("IMG_0042.jpg", PNG, content_type="image/jpeg")
    services.add_evidence(first, upload, user=editor, now=changed)
    first.refresh_from_db()
    return first


def detail(entry: Entry) -> str:
    return reverse("entry_detail", args=[entry.public_id])


@pytest.mark.parametrize(
    ("role", "status", "forms"),
    [("owner", 200, True), ("editor", 200, True), ("viewer", 200, False), ("outsider", 404, False)],
)
def test_it_shows_the_entry_by_role(client_for, personas, edited_entry, role, status, forms):
    r = client_for(personas[role]).get(detail(edited_entry))
    assert r.status_code == status
    if status != 200:
        return
    html = r.content.decode()
    assert html.count("<h1") == 1
    assert "Entry for Monday, November 16, 2026" in html
    assert "Speech-language therapy" in html and "10 of 30" in html
    assert "IMG_0042.jpg" in html
    assert ("Save changes" in html) is forms
    assert (reverse("entry_delete", args=[edited_entry.public_id]) in html) is forms
    assert ("Remove<span" in html) is forms


def test_anonymous_visitors_are_sent_to_log_in(client_for, edited_entry):
    r = client_for(None).get(detail(edited_entry))
    assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


def test_the_history_shows_each_revision_with_old_and_new_values(client_for, viewer, edited_entry):
    r = client_for(viewer).get(detail(edited_entry))
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


def test_an_entry_recorded_on_time_is_not_marked_late(client_for, viewer, edited_entry):
    assert not edited_entry.recorded_late  # first recorded the same day; later changes do not count
    html = client_for(viewer).get(detail(edited_entry)).content.decode()
    assert "Recorded late" not in html


def test_a_late_entry_is_marked_late(client_for, viewer, speech, owner):
    late = log_entry(speech, date(2026, 11, 18), owner, status="delivered")
    html = client_for(viewer).get(detail(late)).content.decode()
    assert "Recorded late (12 days after)" in html


def test_editing_the_entry_appends_a_revision(client_for, editor, edited_entry):
    r = client_for(editor).post(
        detail(edited_entry),
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
    assert edited_entry.revisions.count() == 3
    r = client_for(editor).post(
        detail(edited_entry),
        {
            "status": "not_delivered",
            "minutes_delivered": "0",
            "note": "Actually none",
            "reason": "Checked the service log",
        },
    )
    assert r.status_code == 302 and r["Location"] == detail(edited_entry)
    edited_entry.refresh_from_db()
    assert (edited_entry.status, edited_entry.minutes_delivered, edited_entry.note) == (
        "not_delivered",
        0,
        "Actually none",
    )
    latest = edited_entry.revisions.order_by("-number").first()
    assert latest.reason == "Checked the service log" and latest.client == "web"
    assert edited_entry.reported_contact is None


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_edits_are_for_owners_and_editors(client_for, personas, edited_entry, role, status):
    r = client_for(personas[role]).post(detail(edited_entry), {"status": "delivered", "note": "n"})
    assert r.status_code == status
    assert edited_entry.revisions.count() == (4 if status == 302 else 3)


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_deleting_keeps_the_entry_and_shows_it_as_deleted(
    client_for, personas, viewer, edited_entry, role, status
):
    url = reverse("entry_delete", args=[edited_entry.public_id])
    r = client_for(personas[role]).post(url, {"reason": "Wrong day"})
    assert r.status_code == status
    edited_entry.refresh_from_db()
    assert edited_entry.is_deleted() is (status == 302)
    if status != 302:
        return
    html = client_for(viewer).get(detail(edited_entry)).content.decode()
    assert "this entry was deleted on Nov 30, 2026, 3:00 p.m." in html
    assert "Reason: Wrong day" in html
    history = client_for(viewer).get(detail(edited_entry)).context["history"]
    last = history[-1]
    assert last.revision.action == "delete"
    assert {c.field: (c.old, c.new) for c in last.changes} == {"deleted": ("no", "yes")}
    # A deleted entry cannot be edited or deleted again.
    again = client_for(personas[role]).post(url, follow=True)
    assert "already deleted" in again.content.decode()
    edit = client_for(personas[role]).post(
        detail(edited_entry), {"status": "delivered"}, follow=True
    )
    assert "cannot be changed" in edit.content.decode()
    assert Entry.objects.get().revisions.count() == 4
    assert "Save changes" not in edit.content.decode()


@pytest.mark.parametrize(
    ("role", "status"), [("owner", 200), ("editor", 200), ("viewer", 200), ("outsider", 404)]
)
def test_evidence_downloads_are_checked_and_typed(client_for, personas, edited_entry, role, status):
    evidence = edited_entry.evidence.get()
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


def test_anonymous_downloads_go_to_log_in(client_for, edited_entry):
    r = client_for(None).get(
        reverse("evidence_download", args=[edited_entry.evidence.get().public_id])
    )
    assert r.status_code == 302


def test_pdfs_are_always_downloaded(client_for, owner, edited_entry):
    pdf = services.add_evidence(
        edited_entry, SimpleUploadedFile("log.pdf", PDF, content_type="application/pdf"), user=owner
    )
    r = client_for(owner).get(reverse("evidence_download", args=[pdf.public_id]))
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == 'attachment; filename="log.pdf"'


@pytest.mark.parametrize(("role", "status"), MATRIX)
def test_removing_evidence_keeps_it_in_the_history(
    client_for, personas, viewer, edited_entry, role, status
):
    evidence = edited_entry.evidence.get()
    url = reverse("evidence_remove", args=[evidence.public_id])
    r = client_for(personas[role]).post(url, {"reason": "Wrong photo"})
    assert r.status_code == status
    evidence.refresh_from_db()
    assert (evidence.removed_at is not None) is (status == 302)
    if status != 302:
        return
    r = client_for(viewer).get(detail(edited_entry))
    html = r.content.decode()
    assert "Removed (kept for the history)" in html and "Wrong photo" in html
    last = r.context["history"][-1]
    assert {c.field: (c.old, c.new) for c in last.changes} == {"evidence": ("IMG_0042.jpg", "—")}
    assert verify.verify_child(edited_entry.child, check_files=True).ok


def test_evidence_can_be_added_from_the_entry_page(client_for, owner, edited_entry):
    scan = SimpleUploadedFile("note.pdf", PDF, content_type="application/pdf")
    data = {
        "status": "partly",
        "minutes_delivered": "10",
        "reported_contact": str(edited_entry.reported_contact.public_id),
        "source": "teacher_told",
        "circumstances": ["substitute_teacher"],
        "evidence": [scan],
    }
    r = client_for(owner).post(detail(edited_entry), data)
    assert r.status_code == 302
    assert sorted(Evidence.objects.values_list("original_name", flat=True)) == [
        "IMG_0042.jpg",
        "note.pdf",
    ]
    assert edited_entry.revisions.count() == 4  # only the file: nothing else changed


def test_the_entry_page_does_a_fixed_number_of_queries(
    client_for, viewer, edited_entry, django_assert_num_queries
):
    c = client_for(viewer)
    with django_assert_num_queries(9):
        c.get(detail(edited_entry))
