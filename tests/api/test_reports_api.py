"""The report routes: findings, ledger, CSV and JSON exports, PDFs — access, numbers, errors."""

from __future__ import annotations

import csv
import io
import json
from types import SimpleNamespace

import pytest

from iepright.reports.views import downloads
from tests.clock import REPORT_DAY
from tests.reports.reportlog import LATE, RANGE, SUMMARY

API = "/api/v1"
ROLES = ["owner", "editor", "viewer"]
# (method, path, need, body, status on success), as in tests/api/test_ownership.py: all reads.
ROUTES = [
    ("get", "/children/{child}/findings?" + RANGE, "read", None, 200),
    ("get", "/children/{child}/ledger?" + RANGE, "read", None, 200),
    ("get", "/children/{child}/export.csv", "read", None, 200),
    ("get", "/children/{child}/export.json", "read", None, 200),
    ("get", "/children/{child}/reports/compliance.pdf?" + RANGE, "read", None, 200),
]
PATHS = [path for _method, path, *_rest in ROUTES]

pytestmark = pytest.mark.frozen(REPORT_DAY)


@pytest.fixture(autouse=True)
def fake_pdf(monkeypatch):
    calls = []

    def render_report(kind, *, child, start, end, language="en"):
        calls.append((kind, start.isoformat(), end.isoformat(), language))
        return b"%PDF-1.7 fake"

    fake = SimpleNamespace(KINDS=("compliance", "one-pager", "binder"), render_report=render_report)
    monkeypatch.setattr(downloads, "pdf_module", lambda: fake)
    return calls


def get(client, child, path: str):
    return client.get(API + path.replace("{child}", str(child.public_id)))


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("role", ROLES)
def test_every_member_may_read_and_export(api_for, personas, child, report_log, path, role):
    assert get(api_for(personas[role]), child, path).status_code == 200


@pytest.mark.parametrize("path", PATHS)
def test_outsiders_get_404(api_for, personas, child, report_log, path):
    r = get(api_for(personas["outsider"]), child, path)
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "not_found"


@pytest.mark.parametrize("path", PATHS)
def test_anonymous_callers_get_401(api_for, child, path):
    assert get(api_for(None), child, path).status_code == 401


def test_findings_give_the_sentences_and_the_counts(api_for, owner, child, report_log):
    body = get(api_for(owner), child, "/children/{child}/findings?" + RANGE).json()
    assert (body["from"], body["to"], body["calendar_on_file"]) == (
        "2026-11-02", "2026-11-20", True,
    )  # fmt: skip
    texts = [f["text"] for f in body["findings"]]
    assert SUMMARY in texts and LATE not in texts
    assert {f["kind"] for f in body["findings"]} <= {"summary", "current_run", "longest_run"}
    assert all(f["method"] == "" for f in body["findings"])
    summary = next(f for f in body["findings"] if f["text"] == SUMMARY)
    assert summary["numbers"]["delivered"] == 3 and summary["kind"] == "summary"
    speech = next(p for p in body["provisions"] if p["text"] == "Speech-language therapy")
    assert summary["provision"] == speech["id"]
    assert {k: speech[k] for k in ("school_days", "logged_days", "delivered", "partly",
            "not_delivered", "no_opportunity", "unlogged_days", "late")} == {
        "school_days": 15, "logged_days": 9, "delivered": 3, "partly": 2,
        "not_delivered": 3, "no_opportunity": 1, "unlogged_days": 6, "late": 1,
    }  # fmt: skip
    assert speech["delivery_rate"] == pytest.approx(3 / 8)


def test_the_ledger_gives_rows_totals_and_the_rule(api_for, owner, child, report_log):
    body = get(api_for(owner), child, "/children/{child}/ledger?" + RANGE).json()
    [row] = body["rows"]
    assert row["text"] == "Speech-language therapy"
    names = ("required_sessions", "required_minutes", "logged_sessions", "delivered_minutes",
             "school_side_minutes", "student_side_minutes", "no_reason_minutes",
             "unlogged_sessions")  # fmt: skip
    assert [row[n] for n in names] == [6.0, 180, 8, 125, 40, 30, 45, 0.0]
    # 8 logged against 6 required: flagged for a check, not read as extra delivery.
    assert row["extra_sessions"] == 2
    assert row["check"] == "more sessions logged than required — check for double entries"
    assert body["totals"]["over_required_rows"] == 1
    assert body["totals"]["not_delivered_minutes"] == 115
    assert body["rule_text"].startswith("Required sessions count only school days")
    assert "services not delivered" in body["wording"]
    assert "owed" not in json.dumps(body).lower()


def test_without_a_range_it_starts_at_the_plan(api_for, owner, child, report_log):
    body = get(api_for(owner), child, "/children/{child}/ledger").json()
    assert (body["from"], body["to"]) == ("2026-09-16", "2026-11-20")


@pytest.mark.parametrize(
    "path",
    [
        "/children/{child}/findings",
        "/children/{child}/ledger",
        "/children/{child}/reports/binder.pdf",
        "/children/{child}/export.csv",
    ],
)
def test_a_reversed_range_is_a_422_naming_from(api_for, owner, child, report_log, path, fake_pdf):
    r = get(api_for(owner), child, path + "?from=2026-11-20&to=2026-11-01")
    assert r.status_code == 422
    error = r.json()["error"]
    assert error["code"] == "validation_error"
    assert [f["field"] for f in error["fields"]] == ["from"]
    assert fake_pdf == []


def test_a_range_over_three_years_is_refused(api_for, owner, child, report_log):
    r = get(api_for(owner), child, "/children/{child}/findings?from=2020-01-01&to=2026-11-20")
    assert r.status_code == 422
    assert "three years" in r.json()["error"]["fields"][0]["message"]


def test_a_date_that_is_not_a_date_names_the_field(api_for, owner, child, report_log):
    r = get(api_for(owner), child, "/children/{child}/findings?from=2026-13-01")
    assert r.status_code == 422
    assert r.json()["error"]["fields"][0]["field"] == "from"


def test_the_csv_export_has_every_entry(api_for, owner, child, report_log):
    r = get(api_for(owner), child, "/children/{child}/export.csv")
    assert r["Content-Type"] == "text/csv; charset=utf-8"
    assert r["Content-Disposition"] == 'attachment; filename="maya-alvarez-log-2026-11-20.csv"'
    text = r.content.decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text[1:])))
    assert len(rows) == 12
    assert [r["recorded late"] for r in rows].count("yes") == 1
    assert [r["deleted"] for r in rows].count("yes") == 1


def test_the_json_export_holds_history_and_the_chain_check(api_for, owner, child, report_log):
    r = get(api_for(owner), child, "/children/{child}/export.json")
    assert r["Content-Disposition"] == (
        'attachment; filename="maya-alvarez-record-2026-11-20.json"'
    )
    record = json.loads(r.content)
    assert len(record["entries"]) == 12
    assert record["verification"]["ok"] is True
    changed = next(e for e in record["entries"] if e["id"] == str(report_log["changed"].public_id))
    assert len(changed["revisions"]) == 2


@pytest.mark.parametrize("kind", ["compliance", "one-pager", "binder"])
def test_pdfs_are_attachments_named_for_the_child_and_range(api_for, owner, child, kind, fake_pdf):
    r = get(api_for(owner), child, f"/children/{{child}}/reports/{kind}.pdf?{RANGE}&lang=es")
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == (
        f'attachment; filename="maya-alvarez-{kind}-2026-11-02-to-2026-11-20.pdf"'
    )
    assert fake_pdf == [(kind, "2026-11-02", "2026-11-20", "es")]


def test_an_unknown_pdf_language_falls_back_to_english(api_for, owner, child, fake_pdf):
    get(api_for(owner), child, f"/children/{{child}}/reports/compliance.pdf?{RANGE}&lang=xx")
    assert fake_pdf[-1][-1] == "en"


def test_an_unknown_report_is_404(api_for, owner, child):
    assert get(api_for(owner), child, "/children/{child}/reports/novel.pdf").status_code == 404


def test_every_report_route_has_an_openapi_summary(client, db):
    paths = client.get(API + "/openapi.json").json()["paths"]
    for path in (
        "/api/v1/children/{child_id}/findings",
        "/api/v1/children/{child_id}/ledger",
        "/api/v1/children/{child_id}/export.csv",
        "/api/v1/children/{child_id}/export.json",
        "/api/v1/children/{child_id}/reports/{kind}.pdf",
    ):
        assert paths[path]["get"]["summary"], path
        assert "401" in paths[path]["get"]["responses"]


@pytest.mark.parametrize("extra", [0, 20])
def test_findings_run_a_fixed_number_of_queries(
    api_for, owner, child, report_log, plan, extra, django_assert_num_queries
):
    from tests.reports.reportlog import extra_entries

    extra_entries(owner, plan.provisions.get(position=1), extra)
    client = api_for(owner)
    # token (+ its last-used stamp), child, range defaults (2), load_log (6, day facts
    # included), labels
    with django_assert_num_queries(12):
        assert get(client, child, "/children/{child}/findings?" + RANGE).status_code == 200
