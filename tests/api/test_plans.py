"""Plans: list, add, change, delete, copy into a new version, the signed PDF, plan in force."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from iepright.plans.models import Child, Plan, Provision
from tests.api.conftest import send
from tests.images import PDF


def test_it_lists_plans_newest_first_without_a_query_per_row(
    api_for, viewer, plan, django_assert_num_queries
):
    for year in (2023, 2024, 2025):
        Plan.objects.create(
            child=plan.child,
            start_date=f"{year}-09-16",
            end_date=f"{year + 1}-09-15",
            copied_from=plan,
        )
    client = api_for(viewer)
    send(client, "get", f"/children/{plan.child.public_id}/plans")
    with django_assert_num_queries(4):  # token, child, count, page (child and copy joined)
        r = send(client, "get", f"/children/{plan.child.public_id}/plans")
    body = r.json()
    assert body["count"] == 4
    assert [p["start_date"] for p in body["items"]] == [
        "2026-09-16",
        "2025-09-16",
        "2024-09-16",
        "2023-09-16",
    ]
    assert body["items"][0] == {
        "id": str(plan.public_id),
        "child": str(plan.child.public_id),
        "plan_type": "iep",
        "label": "Annual IEP",
        "title": "Annual IEP",
        "meeting_date": "2026-09-15",
        "start_date": "2026-09-16",
        "end_date": "2027-09-14",
        "document": None,
        "copied_from": None,
        "created": body["items"][0]["created"],
        "updated": body["items"][0]["updated"],
    }
    assert body["items"][1]["copied_from"] == str(plan.public_id)


def test_it_shows_a_plan_with_its_provisions_in_order(
    api_for, viewer, plan, django_assert_num_queries
):
    client = api_for(viewer)
    send(client, "get", f"/plans/{plan.public_id}")
    with django_assert_num_queries(4):  # token, access check, plan, provisions
        r = send(client, "get", f"/plans/{plan.public_id}")
    provisions = r.json()["provisions"]
    assert [p["position"] for p in provisions] == [0, 1]
    assert provisions[1]["frequency_text"] == "2 × 30 min per week"
    assert provisions[1]["is_service"] is True
    assert provisions[0]["is_service"] is False


def test_it_adds_a_plan(api_for, editor, child):
    r = send(
        api_for(editor),
        "post",
        f"/children/{child.public_id}/plans",
        {"plan_type": "504", "start_date": "2026-09-01", "end_date": "2027-08-31"},
    )
    assert r.status_code == 201
    plan = Plan.objects.get(child=child)
    assert r.json()["id"] == str(plan.public_id)
    assert (plan.plan_type, r.json()["title"], r.json()["provisions"]) == ("504", "504 plan", [])


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"start_date": "2027-09-15", "end_date": "2027-09-01"}, "end_date"),
        (
            {"start_date": "2026-09-01", "end_date": "2027-08-31", "meeting_date": "2027-09-01"},
            "meeting_date",
        ),
        ({"start_date": "2026-09-01", "end_date": "2027-08-31", "plan_type": "ifsp"}, "plan_type"),
        ({"end_date": "2027-08-31"}, "start_date"),
    ],
)
def test_it_refuses_a_bad_plan(api_for, owner, child, body, field):
    r = send(api_for(owner), "post", f"/children/{child.public_id}/plans", body)
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == [field]
    assert not child.plans.exists()


def test_it_changes_only_the_fields_sent(api_for, editor, plan):
    r = send(api_for(editor), "patch", f"/plans/{plan.public_id}", {"meeting_date": None})
    assert r.status_code == 200
    plan.refresh_from_db()
    assert (plan.meeting_date, plan.label) == (None, "Annual IEP")


def test_it_refuses_a_change_that_puts_dates_in_the_wrong_order(api_for, editor, plan):
    r = send(api_for(editor), "patch", f"/plans/{plan.public_id}", {"end_date": "2026-01-01"})
    assert r.status_code == 422
    # The meeting (15 September 2026) now also falls after the end: both fields are named.
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["end_date", "meeting_date"]
    plan.refresh_from_db()
    assert str(plan.end_date) == "2027-09-14"


def test_it_deletes_a_plan_and_its_provisions(api_for, editor, plan):
    r = send(api_for(editor), "delete", f"/plans/{plan.public_id}")
    assert r.status_code == 204
    assert not Provision.objects.filter(plan_id=plan.pk).exists()


def test_it_will_not_delete_a_plan_with_log_entries(api_for, owner, plan, entry):
    r = send(api_for(owner), "delete", f"/plans/{plan.public_id}")
    assert r.status_code == 422
    assert "log entries" in r.json()["error"]["fields"][0]["message"]
    assert Plan.objects.filter(pk=plan.pk).exists()


def test_it_lets_an_owner_delete_a_child_with_a_log(api_for, owner, plan, entry):
    r = send(api_for(owner), "delete", f"/children/{plan.child.public_id}")
    assert r.status_code == 204
    assert not Child.objects.filter(pk=plan.child_id).exists()


def test_it_copies_a_plan_into_a_new_version(api_for, editor, plan, provision):
    provision.ended_on = provision.plan.start_date
    provision.save()
    r = send(
        api_for(editor),
        "post",
        f"/plans/{plan.public_id}/copy",
        {
            "start_date": "2027-09-15",
            "end_date": "2028-09-14",
            "label": "Annual IEP 2027",
            "meeting_date": "2027-09-10",
        },
    )
    assert r.status_code == 201
    body = r.json()
    new = Plan.objects.get(public_id=body["id"])
    assert (new.label, str(new.meeting_date), new.copied_from) == (
        "Annual IEP 2027",
        "2027-09-10",
        plan,
    )
    assert body["copied_from"] == str(plan.public_id)
    # The ended speech therapy stays behind; the old version is untouched.
    assert [p["category"] for p in body["provisions"]] == ["testing_accommodation"]
    assert plan.provisions.count() == 2


def test_it_refuses_a_copy_with_dates_in_the_wrong_order(api_for, editor, plan):
    r = send(
        api_for(editor),
        "post",
        f"/plans/{plan.public_id}/copy",
        {"start_date": "2028-09-15", "end_date": "2027-09-14"},
    )
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["end_date"]
    assert Plan.objects.count() == 1


def test_it_stores_and_returns_the_signed_pdf(api_for, editor, viewer, plan):
    upload = SimpleUploadedFile("Maya IEP (signed).pdf", PDF, content_type="application/pdf")
    r = api_for(editor).post(f"/api/v1/plans/{plan.public_id}/document", {"document": upload})
    assert r.status_code == 200
    assert r.json()["document"]["name"] == "Maya IEP (signed).pdf"
    assert r.json()["document"]["size"] == len(PDF)
    plan.refresh_from_db()
    assert "Maya" not in plan.document.name  # stored under a random name

    r = api_for(viewer).get(f"/api/v1/plans/{plan.public_id}/document")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["X-Content-Type-Options"] == "nosniff"
    assert 'filename="Maya IEP (signed).pdf"' in r["Content-Disposition"]
    assert b"".join(r.streaming_content) == PDF


def test_it_404s_the_download_when_there_is_no_document(api_for, viewer, plan):
    r = api_for(viewer).get(f"/api/v1/plans/{plan.public_id}/document")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


def test_it_refuses_a_program_renamed_to_pdf(api_for, editor, plan):
    upload = SimpleUploadedFile("iep.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    r = api_for(editor).post(f"/api/v1/plans/{plan.public_id}/document", {"document": upload})
    assert r.status_code == 422
    assert [f["field"] for f in r.json()["error"]["fields"]] == ["document"]
    plan.refresh_from_db()
    assert not plan.document and plan.document_sha256 == ""


@override_settings(MAX_UPLOAD_MB=1)
def test_it_refuses_an_oversize_upload(api_for, editor, plan, settings):
    data = PDF + b"0" * (1_572_864 - len(PDF))  # 1.5 MB
    upload = SimpleUploadedFile("big.pdf", data, content_type="application/pdf")
    r = api_for(editor).post(f"/api/v1/plans/{plan.public_id}/document", {"document": upload})
    assert r.status_code == 422
    error = r.json()["error"]["fields"][0]
    assert error["field"] == "document"
    assert "1 MB" in error["message"]
    plan.refresh_from_db()
    assert not plan.document
    assert not list((settings.MEDIA_ROOT).rglob("*.pdf"))
