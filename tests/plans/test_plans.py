"""Plan versions: add, read as the IEP reads, change, copy to a new version, delete, signed copy."""

from __future__ import annotations

import hashlib
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.urls import reverse

from iepright.plans.models import Category, Plan, Provision
from tests.images import PDF
from tests.plans.conftest import OWNER_PAGE, OWNER_POST, READ_PAGE, WRITE_PAGE, WRITE_POST

GOOD = {
    "plan_type": "iep",
    "label": "Annual IEP 2027",
    "meeting_date": "2027-09-10",
    "start_date": "2027-09-15",
    "end_date": "2028-09-14",
}


def pdf(name: str = "signed IEP.pdf", data: bytes = PDF) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


# Adding and changing ------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_shows_the_add_plan_form_to_writers_only(client_for, personas, child, role, status):
    assert (
        client_for(personas[role]).get(reverse("plan_create", args=[child.public_id])).status_code
        == status
    )


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_writers_add_a_plan_and_go_on_to_its_provisions(
    client_for, personas, child, role, status
):
    r = client_for(personas[role]).post(reverse("plan_create", args=[child.public_id]), GOOD)
    assert r.status_code == status
    plan = Plan.objects.filter(child=child, label="Annual IEP 2027").first()
    assert (plan is not None) is (status == 302)
    if plan:
        assert r["Location"] == reverse("provision_create", args=[plan.public_id])


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"end_date": "2027-09-01"}, "end_date", "The end date is before the start date."),
        ({"start_date": ""}, "start_date", "This field is required."),
        ({"meeting_date": "2029-01-01"}, "meeting_date", "after the plan's end date"),
        ({"plan_type": "idp"}, "plan_type", "Select a valid choice."),
    ],
)
def test_it_refuses_a_bad_plan_and_names_the_field(
    client_for, owner, child, changes, field, message
):
    r = client_for(owner).post(reverse("plan_create", args=[child.public_id]), {**GOOD, **changes})
    assert r.status_code == 200
    assert message in " ".join(r.context["form"].errors[field])
    assert not Plan.objects.filter(child=child).exists()


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_writers_change_a_plan(client_for, personas, plan, role, status):
    r = client_for(personas[role]).post(
        reverse("plan_edit", args=[plan.public_id]), {**GOOD, "label": "Renamed"}
    )
    assert r.status_code == status
    plan.refresh_from_db()
    assert (plan.label == "Renamed") is (status == 302)


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_shows_the_plan_edit_form_to_writers_only(client_for, personas, plan, role, status):
    assert (
        client_for(personas[role]).get(reverse("plan_edit", args=[plan.public_id])).status_code
        == status
    )


# The plan page --------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), READ_PAGE)
def test_it_shows_the_plan_to_members_only(client_for, personas, plan, role, status):
    assert (
        client_for(personas[role]).get(reverse("plan_detail", args=[plan.public_id])).status_code
        == status
    )


@pytest.mark.frozen
def test_it_reads_the_plan_the_way_the_iep_reads(client_for, owner, plan):
    Provision.objects.create(
        plan=plan,
        position=2,
        category=Category.TESTING_ACCOMMODATION,
        text="Small group setting\n  for state assessments",
        applies="state assessments",
    )
    r = client_for(owner).get(reverse("plan_detail", args=[plan.public_id]))
    html = r.content.decode()
    assert "Annual IEP" in html and "September 16, 2026 to September 14, 2027" in html
    assert "Meeting date" in html and "September 15, 2026" in html
    assert "In force today" in html
    # Grouped by category in the parent's order; the exact text, line breaks kept.
    groups = r.context["groups"]
    assert [g.label for g in groups] == ["Testing accommodation", "Related service"]
    assert [p.position for p in groups[0].provisions] == [0, 2]
    assert '<p class="text">Small group setting\n  for state assessments</p>' in html
    assert "<strong>Applies:</strong> state assessments" in html


def test_it_shows_the_services_grid_as_a_table(client_for, owner, plan):
    html = client_for(owner).get(reverse("plan_detail", args=[plan.public_id])).content.decode()
    grid = html[html.index('<div class="table-wrap"') :]
    assert grid.index("<table>") < grid.index("<caption") < grid.index("</table>")
    assert 'tabindex="0" role="region" aria-labelledby="services-caption"' in grid
    headers = [
        "Service",
        "Frequency",
        "Minutes per week/period",
        "Location",
        "Setting",
        "Provider",
        "Delivery",
        "Group",
        "Start",
        "End",
    ]
    positions = [grid.index(f'<th scope="col">{h}</th>') for h in headers]
    assert positions == sorted(positions)
    row = grid[grid.index("<tbody>") : grid.index("</tbody>")]
    for cell in [
        '<th scope="row">Speech-language therapy</th>',
        "<td>2 × 30 min per week</td>",
        "<td>60 min per week</td>",
        "<td>Outside general education</td>",
        "<td>speech room</td>",
        "<td>Speech-language pathologist</td>",
        "<td>Direct</td>",
        "<td>individual</td>",
        "<td>Sep 16, 2026</td>",
        "<td>Sep 14, 2027</td>",
    ]:
        assert cell in row
    assert "Extended time" not in row  # an accommodation is not a timed service


def test_it_keeps_ended_provisions_with_a_badge(client_for, owner, provision):
    provision.ended_on = date(2027, 1, 15)
    provision.ended_reason = "Removed at the amendment meeting"
    provision.save()
    html = (
        client_for(owner)
        .get(reverse("plan_detail", args=[provision.plan.public_id]))
        .content.decode()
    )
    assert html.count("Ended Jan 15, 2027") == 2  # in the list and in the grid
    assert "Removed at the amendment meeting" in html
    assert "<td>Jan 15, 2027" in html


def test_it_hides_edit_controls_from_viewers(client_for, viewer, plan, provision):
    html = client_for(viewer).get(reverse("plan_detail", args=[plan.public_id])).content.decode()
    assert "Speech-language therapy" in html
    for name in ("provision_create", "plan_edit", "plan_copy", "plan_document"):
        assert reverse(name, args=[plan.public_id]) not in html
    assert reverse("provision_edit", args=[provision.public_id]) not in html
    assert "Move up" not in html and '<form method="post" action="/provisions' not in html


def test_the_plan_page_query_count_does_not_grow_with_provisions(
    client_for, owner, plan, django_assert_num_queries
):
    c = client_for(owner)
    url = reverse("plan_detail", args=[plan.public_id])
    with django_assert_num_queries(4):
        c.get(url)
    Provision.objects.bulk_create(
        Provision(
            plan=plan,
            position=10 + n,
            category=Category.SPECIAL_EDUCATION if n % 2 else Category.ACCOMMODATION,
            text=f"Provision {n}",
            sessions_per_period=1 if n % 2 else None,
            minutes_per_session=45 if n % 2 else None,
            period="week" if n % 2 else "",
        )
        for n in range(12)
    )
    with django_assert_num_queries(4):
        r = c.get(url)
    assert len(r.context["services"]) == 7


# Copying to a new version ---------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_shows_the_copy_form_to_writers_only(client_for, personas, plan, role, status):
    assert (
        client_for(personas[role]).get(reverse("plan_copy", args=[plan.public_id])).status_code
        == status
    )


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_copies_a_plan_into_a_new_version_and_keeps_the_old_one(
    client_for, personas, plan, role, status
):
    before = [(p.text, p.position, p.plan_id) for p in plan.provisions.all()]
    r = client_for(personas[role]).post(
        reverse("plan_copy", args=[plan.public_id]),
        {"label": "Amendment", "start_date": "2027-01-10", "end_date": "2027-09-14"},
    )
    assert r.status_code == status
    new = Plan.objects.filter(copied_from=plan).first()
    assert (new is not None) is (status == 302)
    plan.refresh_from_db()
    assert (plan.label, plan.start_date, plan.end_date) == (
        "Annual IEP",
        date(2026, 9, 16),
        date(2027, 9, 14),
    )
    assert [(p.text, p.position, p.plan_id) for p in plan.provisions.all()] == before
    if new:
        assert r["Location"] == reverse("plan_detail", args=[new.public_id])
        assert new.label == "Amendment"
        assert [p.text for p in new.provisions.all()] == [t for t, _, _ in before]
        # the previous version stays readable, and says where the new one came from
        old_page = client_for(personas[role]).get(reverse("plan_detail", args=[plan.public_id]))
        assert old_page.status_code == 200
        new_page = client_for(personas[role]).get(r["Location"]).content.decode()
        assert reverse("plan_detail", args=[plan.public_id]) in new_page


def test_it_refuses_a_copy_with_dates_in_the_wrong_order(client_for, owner, plan):
    r = client_for(owner).post(
        reverse("plan_copy", args=[plan.public_id]),
        {"label": "Amendment", "start_date": "2027-09-14", "end_date": "2027-01-10"},
    )
    assert r.status_code == 200
    assert r.context["form"].errors["end_date"] == ["The end date is before the start date."]
    assert Plan.objects.count() == 1


# Deleting -----------------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), OWNER_PAGE)
def test_it_asks_owners_to_confirm_deleting_a_plan(client_for, personas, plan, role, status):
    assert (
        client_for(personas[role]).get(reverse("plan_delete", args=[plan.public_id])).status_code
        == status
    )


@pytest.mark.parametrize(("role", "status"), OWNER_POST)
def test_it_lets_only_owners_delete_a_plan(client_for, personas, plan, role, status):
    r = client_for(personas[role]).post(reverse("plan_delete", args=[plan.public_id]))
    assert r.status_code == status
    assert Plan.objects.filter(pk=plan.pk).exists() is (status != 302)
    if status == 302:
        assert r["Location"] == reverse("child_detail", args=[plan.child.public_id])


def test_it_refuses_to_delete_a_plan_with_log_entries(client_for, owner, provision, entry):
    c = client_for(owner)
    page = c.get(reverse("plan_delete", args=[provision.plan.public_id])).content.decode()
    assert "has log entries, so it cannot be deleted" in page
    assert "Delete plan version</button>" not in page
    r = c.post(reverse("plan_delete", args=[provision.plan.public_id]))
    assert r.status_code == 409
    assert Plan.objects.filter(pk=provision.plan_id).exists()


# The signed copy ----------------------------------------------------------------------------


@pytest.mark.parametrize(("role", "status"), WRITE_POST)
def test_it_lets_writers_upload_the_signed_copy(client_for, personas, plan, role, status):
    r = client_for(personas[role]).post(
        reverse("plan_document", args=[plan.public_id]), {"document": pdf()}
    )
    assert r.status_code == status
    plan.refresh_from_db()
    assert bool(plan.document) is (status == 302)
    if status == 302:
        assert plan.document_name == "signed IEP.pdf"
        assert plan.document_size == len(PDF)
        assert plan.document_sha256 == hashlib.sha256(PDF).hexdigest()
        assert "signed IEP.pdf" not in plan.document.name  # stored under a random name
        html = (
            client_for(personas[role])
            .get(reverse("plan_detail", args=[plan.public_id]))
            .content.decode()
        )
        assert "Download “signed IEP.pdf”" in html
        assert f"{len(PDF)} bytes" in html
        digest = plan.document_sha256
        assert f"{digest[:16]}<wbr>{digest[16:32]}<wbr>{digest[32:48]}<wbr>{digest[48:]}" in html


@pytest.mark.parametrize(("role", "status"), WRITE_PAGE)
def test_it_shows_the_upload_form_to_writers_only(client_for, personas, plan, role, status):
    assert (
        client_for(personas[role]).get(reverse("plan_document", args=[plan.public_id])).status_code
        == status
    )


def test_it_refuses_a_file_that_is_not_a_pdf_even_when_named_pdf(client_for, owner, plan):
    fake = pdf("iep.pdf", b"MZ\x90\x00 this is a program" + b"\x00" * 100)
    r = client_for(owner).post(reverse("plan_document", args=[plan.public_id]), {"document": fake})
    assert r.status_code == 200
    assert "not an accepted type (PDF)" in r.context["form"].errors["document"][0]
    plan.refresh_from_db()
    assert not plan.document


@override_settings(MAX_UPLOAD_MB=1)
def test_it_refuses_a_pdf_over_the_size_limit(client_for, owner, plan):
    big = pdf("big.pdf", b"%PDF-1.7\n" + b"0" * (1024 * 1024 + 10))
    r = client_for(owner).post(reverse("plan_document", args=[plan.public_id]), {"document": big})
    assert r.status_code == 200
    # 1 MB and 19 bytes: rounded up, never shown as if it were the limit itself.
    assert r.context["form"].errors["document"][0] == "The file is 1.1 MB; the limit is 1 MB."
    assert "up to 1 MB" in r.content.decode()
    plan.refresh_from_db()
    assert not plan.document


def test_it_asks_for_a_file(client_for, owner, plan):
    r = client_for(owner).post(reverse("plan_document", args=[plan.public_id]), {})
    assert r.status_code == 200
    assert "document" in r.context["form"].errors


@pytest.mark.parametrize(("role", "status"), READ_PAGE)
def test_it_serves_the_signed_copy_as_an_attachment_to_members_only(
    client_for, personas, owner, plan, role, status
):
    client_for(owner).post(reverse("plan_document", args=[plan.public_id]), {"document": pdf()})
    r = client_for(personas[role]).get(reverse("plan_document_download", args=[plan.public_id]))
    assert r.status_code == status
    if status == 200:
        assert r["Content-Type"] == "application/pdf"
        assert r["Content-Disposition"].startswith("attachment;")
        assert (
            "signed%20IEP.pdf" in r["Content-Disposition"]
            or "signed IEP.pdf" in r["Content-Disposition"]
        )
        assert b"".join(r.streaming_content) == PDF


def test_it_answers_404_for_a_plan_without_a_signed_copy(client_for, owner, plan):
    assert (
        client_for(owner).get(reverse("plan_document_download", args=[plan.public_id])).status_code
        == 404
    )
