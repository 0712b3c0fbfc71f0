"""CSV and JSON exports: every entry, late and deleted flags, formula escaping, full history."""

from __future__ import annotations

import csv
import io
import json
import uuid
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.urls import reverse

from iepright.reports import exports
from tests.clock import REPORT_DAY
from tests.reports.reportlog import INJECTION, extra_entries

# The contact is for the JSON export, which lists the child's contacts.
pytestmark = [pytest.mark.frozen(REPORT_DAY), pytest.mark.usefixtures("media", "contact")]

ROLES = ["owner", "editor", "viewer"]


def parse(content: bytes) -> list[dict[str, str]]:
    text = content.decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:])))


def csv_url(child, query: str = "") -> str:
    return reverse("child_export_csv", args=[child.public_id]) + (f"?{query}" if query else "")


def json_url(child) -> str:
    return reverse("child_export_json", args=[child.public_id])


@pytest.mark.parametrize("role", ROLES)
def test_members_download_the_log_as_csv(client_for, personas, child, report_log, role):
    r = client_for(personas[role]).get(csv_url(child))
    assert r.status_code == 200
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert r["Content-Disposition"] == 'attachment; filename="maya-alvarez-log-2026-11-20.csv"'
    assert len(parse(r.content)) == 12


@pytest.mark.parametrize("view", ["child_export_csv", "child_export_json"])
def test_outsiders_cannot_export(client_for, personas, child, report_log, view):
    r = client_for(personas["outsider"]).get(reverse(view, args=[child.public_id]))
    assert r.status_code == 404


def test_the_csv_has_one_row_per_entry_with_every_column(client_for, owner, child, report_log):
    rows = parse(client_for(owner).get(csv_url(child)).content)
    assert list(rows[0]) == [str(name) for name in exports.CSV_HEADER]
    assert [r["entry id"] for r in rows].count(str(report_log["late"].public_id)) == 1
    late = next(r for r in rows if r["entry id"] == str(report_log["late"].public_id))
    assert late["school day"] == "2026-11-09" and late["weekday"] == "Monday"
    assert late["recorded late"] == "yes" and late["days after school day"] == "11"
    assert late["recorded at"] == "2026-11-20T15:00:00-06:00"
    assert late["recorded by"] == "Rosa Alvarez"
    assert late["status"] == "Not delivered" and late["session minutes"] == "30"
    on_time = [r for r in rows if r["entry id"] != str(report_log["late"].public_id)]
    assert {r["recorded late"] for r in on_time} == {"no"}


def test_the_csv_speaks_the_readers_language_in_the_same_column_order(
    client_for, owner, child, report_log
):
    c = client_for(owner)
    c.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    text = c.get(csv_url(child)).content.decode("utf-8")
    header = next(csv.reader(io.StringIO(text[1:])))
    assert len(header) == len(exports.CSV_HEADER)
    assert header[:3] == ["id de la anotación", "día escolar", "día de la semana"]
    assert header[9] == "minutos entregados" and header[-1] == "borrado"
    rows = {r["id de la anotación"]: r for r in parse(text.encode())}
    late = rows[str(report_log["late"].public_id)]
    assert late["resultado"] == "No entregado" and late["anotado tarde"] == "sí"
    assert late["día de la semana"] == "lunes"
    # The reports page says so next to the link.
    html = c.get(reverse("child_reports", args=[child.public_id])).content.decode()
    assert "las columnas siempre van en el mismo orden" in html


def test_the_csv_flags_deleted_entries_and_counts_revisions(client_for, owner, child, report_log):
    rows = {r["entry id"]: r for r in parse(client_for(owner).get(csv_url(child)).content)}
    assert rows[str(report_log["deleted"].public_id)]["deleted"] == "yes"
    changed = rows[str(report_log["changed"].public_id)]
    assert changed["revisions"] == "2" and changed["deleted"] == "no"
    assert changed["status"] == "Partly" and changed["minutes delivered"] == "20"
    assert changed["circumstances"] == "Substitute teacher"


def test_the_csv_escapes_formulas(client_for, owner, child, report_log):
    rows = {r["entry id"]: r for r in parse(client_for(owner).get(csv_url(child)).content)}
    assert rows[str(report_log["injected"].public_id)]["note"] == "'" + INJECTION


@pytest.mark.parametrize(
    ("value", "safe"),
    [("=1+2", "'=1+2"), ("+1", "'+1"), ("-1", "'-1"), ("@SUM(A1)", "'@SUM(A1)"),
     ("\tx", "'\tx"), ("plain", "plain"), (5, 5), ("", "")],
)  # fmt: skip
def test_safe_cell(value, safe):
    assert exports.safe_cell(value) == safe


def test_the_csv_can_cover_a_range(client_for, owner, child, report_log):
    rows = parse(client_for(owner).get(csv_url(child, "from=2026-11-16&to=2026-11-18")).content)
    assert sorted(r["school day"] for r in rows) == ["2026-11-16", "2026-11-17", "2026-11-18"]


def test_a_bad_csv_range_is_explained(client_for, owner, child, report_log):
    r = client_for(owner).get(csv_url(child, "from=2026-11-18&to=2026-11-01"))
    assert r.status_code == 400 and "is after the “To” date" in r.content.decode()


@pytest.mark.parametrize("role", ROLES)
def test_members_download_the_full_record_as_json(client_for, personas, child, report_log, role):
    r = client_for(personas[role]).get(json_url(child))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/json; charset=utf-8"
    assert r["Content-Disposition"] == (
        'attachment; filename="maya-alvarez-record-2026-11-20.json"'
    )
    record = json.loads(r.content)
    assert record["schema"] == "iepright.child-record" and record["schema_version"] == 1
    assert record["generated_at"] == "2026-11-20T15:00:00-06:00"


def test_the_json_holds_the_day_facts_with_every_answer(client_for, owner, child, report_log):
    from datetime import date

    from iepright.logbook import dayfacts
    from tests.clock import at

    day = date(2026, 11, 16)
    dayfacts.record(child, day, ["assembly"], user=owner, client="web", now=at(day))
    dayfacts.record(child, day, [], user=owner, client="web", now=at(day, 16))
    record = json.loads(client_for(owner).get(json_url(child)).content)
    assert record["day_facts"] == [
        {
            "day": "2026-11-16",
            "facts": [],
            "history": [
                {"facts": ["assembly"], "recorded_at": "2026-11-16T15:00:00-06:00",
                 "recorded_by": owner.display_name(), "client": "web"},
                {"facts": [], "recorded_at": "2026-11-16T16:00:00-06:00",
                 "recorded_by": owner.display_name(), "client": "web"},
            ],
        }
    ]  # fmt: skip


def test_the_json_holds_the_whole_record_and_its_history(client_for, owner, child, report_log):
    record = json.loads(client_for(owner).get(json_url(child)).content)
    assert record["child"]["name"] == "Maya Alvarez"
    assert [len(p["provisions"]) for p in record["plans"]] == [2]
    assert record["calendars"][0]["school_year"] == "2026-2027"
    assert {e["name"] for e in record["calendars"][0]["events"]} == {
        "Thanksgiving break", "Early release",
    }  # fmt: skip
    assert record["contacts"][0]["name"] == "Karen Whitfield"
    assert len(record["entries"]) == 12
    entries = {e["id"]: e for e in record["entries"]}
    changed = entries[str(report_log["changed"].public_id)]
    assert [r["action"] for r in changed["revisions"]] == ["create", "update"]
    assert changed["revisions"][1]["reason"] == "The SLP came for 20 minutes"
    assert changed["revisions"][1]["previous_hash"]
    assert entries[str(report_log["deleted"].public_id)]["deleted"] is True
    assert entries[str(report_log["late"].public_id)]["recorded_late"] is True
    assert record["verification"]["ok"] is True
    assert record["verification"]["revisions"] == 14  # 12 recordings, 1 change, 1 deletion


def test_every_id_in_the_json_is_a_uuid(client_for, owner, child, report_log):
    record = json.loads(client_for(owner).get(json_url(child)).content)

    keys = ("id", "provision", "reported_contact", "copied_from", "entry")

    def ids(node: object) -> Iterator[str]:
        if isinstance(node, dict):
            for key, value in node.items():
                if key in keys and isinstance(value, str):
                    yield value
                yield from ids(value)
        elif isinstance(node, list):
            for value in node:
                yield from ids(value)

    found = list(ids(record))
    assert len(found) > 20
    for value in found:
        uuid.UUID(value)


def test_the_json_lists_evidence_metadata(client_for, owner, child, report_log):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from iepright.logbook import services
    from tests.images import PNG as png

    services.add_evidence(report_log["injected"], SimpleUploadedFile("board.png", png), user=owner)
    record = json.loads(client_for(owner).get(json_url(child)).content)
    entry = next(e for e in record["entries"] if e["id"] == str(report_log["injected"].public_id))
    assert [(e["name"], e["size"], len(e["sha256"])) for e in entry["evidence"]] == [
        ("board.png", len(png), 64)
    ]
    rows = parse(client_for(owner).get(csv_url(child)).content)
    row = next(r for r in rows if r["entry id"] == str(report_log["injected"].public_id))
    assert row["evidence count"] == "1" and row["evidence sha256"] == entry["evidence"][0]["sha256"]


@pytest.mark.parametrize("extra", [0, 20])
def test_exports_run_a_fixed_number_of_queries(
    client_for, owner, child, report_log, speech, extra, django_assert_num_queries
):
    extra_entries(owner, speech, extra)
    client = client_for(owner)
    # session, user, child, household circumstances, revisions of changed entries, entries,
    # their evidence
    with django_assert_num_queries(7):
        client.get(csv_url(child))
    # session, user, child, plans + provisions, calendars + events, contacts, circumstances,
    # entries + evidence + revisions, day facts, and verify_child (revisions, entries + evidence)
    with django_assert_num_queries(16):
        client.get(json_url(child))
