"""Reports: findings, the service ledger, the log as CSV, the full record as JSON, PDFs.

All are reads, so every member of the household may call them (viewers too); an outsider gets
404. The numbers come from the same functions as the dashboard (iepright/reports/summary.py),
so the API and the pages never disagree. A range is `?from=&to=` (inclusive); without them it
is the plan in force's start (or 90 days ago) to today in the household's time zone.
"""

import datetime as dt
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from iepright.api.common import user_of
from iepright.api.schemas import ERRORS
from iepright.logbook.services import today_for
from iepright.plans.access import get_child
from iepright.plans.models import Child
from iepright.reports import exports
from iepright.reports.forms import check_range, default_range, range_context
from iepright.reports.summary import build_report
from iepright.reports.views import downloads
from iepright.reports.views.downloads import attachment, report_language
from iepright.rules.ledger import (
    OVER_REQUIRED,
    WORDING,
    LedgerRow,
    round_minutes,
    round_sessions,
    rule_text,
)

router = Router(tags=["reports"])


class RangeIn(Schema):
    start: dt.date | None = Field(None, alias="from", description="First day, included.")
    to: dt.date | None = Field(None, description="Last day, included.")


class PdfIn(RangeIn):
    lang: str = Field("", description="Language of the report: en or es (default: en).")


class FindingOut(Schema):
    kind: str = Field(description="summary, current_run, longest_run, trend_month, "
                      "trend_halves, circumstance (from day facts) or weekday.")  # fmt: skip
    provision: UUID | None = Field(description="The provision it is about, if any.")
    importance: float = Field(description="Higher first; the order of the list.")
    text: str = Field(description="The finding in plain words, in the reader's language.")
    numbers: dict[str, Any] = Field(description="The numbers behind the sentence.")
    method: str = Field(description="How a comparison was tested (the test, its p-value and the "
                        "correction), for the small print; empty for a count.")  # fmt: skip


class ProvisionStatsOut(Schema):
    id: UUID
    text: str
    category: str
    school_days: int = Field(description="School days on which the provision was in effect.")
    logged_days: int
    delivered: int
    partly: int
    not_delivered: int
    no_opportunity: int
    opportunity_days: int = Field(description="delivered + partly + not delivered")
    unlogged_days: int
    late: int = Field(description="Entries recorded late.")
    delivery_rate: float | None = Field(description="delivered ÷ opportunity days (0 to 1).")


class FindingsOut(Schema):
    child: UUID
    start: dt.date = Field(alias="from")
    to: dt.date
    calendar_on_file: bool = Field(
        description="False: school days are an approximation (Monday to Friday)."
    )
    findings: list[FindingOut]
    provisions: list[ProvisionStatsOut]


class LedgerRowOut(Schema):
    provision: UUID
    text: str
    period: str
    sessions_per_period: int | None
    minutes_per_session: int | None
    basis: str = Field(description="prorated, or by_opportunity (no fixed number).")
    school_days: int
    required_sessions: float | None = Field(description="Rounded to one decimal.")
    required_minutes: int | None
    logged_sessions: int
    delivered_sessions: int
    partly_sessions: int
    not_delivered_sessions: int
    no_opportunity_days: int
    delivered_minutes: int
    school_side_minutes: int = Field(description="Services not delivered, school-side reason.")
    student_side_minutes: int = Field(description="Services not delivered: absent or refused.")
    no_reason_minutes: int = Field(description="Services not delivered, no reason recorded.")
    partly_sessions_without_minutes: int
    unlogged_sessions: float | None
    unlogged_minutes: int | None
    extra_sessions: int = Field(
        description="Sessions logged beyond the required ones rounded up to a whole session."
    )
    check: str = Field(
        description='When extra_sessions > 0: "more sessions logged than required — check for '
        'double entries", in the reader\'s language (never extra delivery); else "".'
    )


class LedgerTotalsOut(Schema):
    required_sessions: float
    required_minutes: int
    logged_sessions: int
    delivered_minutes: int
    school_side_minutes: int
    student_side_minutes: int
    no_reason_minutes: int
    not_delivered_minutes: int
    partly_sessions_without_minutes: int
    unlogged_sessions: float
    unlogged_minutes: int
    over_required_rows: int = Field(description="Rows with more sessions logged than required.")


class LedgerOut(Schema):
    child: UUID
    start: dt.date = Field(alias="from")
    to: dt.date
    calendar_on_file: bool
    rows: list[LedgerRowOut]
    totals: LedgerTotalsOut
    rule_text: str = Field(description="How required sessions are counted, in plain words.")
    wording: str


def _range(child: Child, query: RangeIn) -> tuple[dt.date, dt.date]:
    default = default_range(range_context(child))
    start, end = query.start or default[0], query.to or default[1]
    errors = check_range(start, end)
    if errors:
        raise ValidationError(errors)
    return start, end


def _opt(value: float | None, rounder: Any) -> Any:
    return None if value is None else rounder(value)


def _ledger_row(row: LedgerRow) -> dict[str, Any]:
    return {
        "provision": row.provision_id, "text": row.text, "period": row.period,
        "sessions_per_period": row.sessions_per_period,
        "minutes_per_session": row.minutes_per_session, "basis": row.basis,
        "school_days": row.school_days,
        "required_sessions": _opt(row.required_sessions, round_sessions),
        "required_minutes": _opt(row.required_minutes, round_minutes),
        "logged_sessions": row.logged_sessions, "delivered_sessions": row.delivered_sessions,
        "partly_sessions": row.partly_sessions,
        "not_delivered_sessions": row.not_delivered_sessions,
        "no_opportunity_days": row.no_opportunity_days,
        "delivered_minutes": row.delivered_minutes,
        "school_side_minutes": row.school_side_minutes,
        "student_side_minutes": row.student_side_minutes,
        "no_reason_minutes": row.no_reason_minutes,
        "partly_sessions_without_minutes": row.partly_sessions_without_minutes,
        "unlogged_sessions": _opt(row.unlogged_sessions, round_sessions),
        "unlogged_minutes": _opt(row.unlogged_minutes, round_minutes),
        "extra_sessions": row.extra_sessions,
        "check": _(OVER_REQUIRED) if row.over_required else "",
    }  # fmt: skip


@router.get(
    "/children/{uuid:child_id}/findings",
    response={200: FindingsOut, **ERRORS},
    summary="Findings and per-provision counts over a range",
    by_alias=True,
)
def findings(request: HttpRequest, child_id: UUID, query: Query[RangeIn]) -> dict[str, Any]:
    """Return the findings (most important first) and each provision's counts."""
    child = get_child(user_of(request), child_id).obj
    start, end = _range(child, query)
    report = build_report(child, start, end)
    return {
        "child": child.public_id, "from": start, "to": end,
        "calendar_on_file": report.log.calendar_on_file,
        "findings": [
            {"kind": f.kind, "provision": f.provision_id, "importance": f.importance,
             "text": f.text, "numbers": f.numbers, "method": f.method}
            for f in report.findings
        ],
        "provisions": [
            {"id": r.provision.public_id, "text": r.provision.text,
             "category": r.provision.category, "school_days": r.stats.school_days,
             "logged_days": r.stats.logged_days, "delivered": r.stats.delivered,
             "partly": r.stats.partly, "not_delivered": r.stats.not_delivered,
             "no_opportunity": r.stats.no_opportunity,
             "opportunity_days": r.stats.opportunity_days,
             "unlogged_days": r.stats.unlogged_days, "late": r.stats.late,
             "delivery_rate": r.stats.delivery_rate}
            for r in report.rows
        ],
    }  # fmt: skip


@router.get(
    "/children/{uuid:child_id}/ledger",
    response={200: LedgerOut, **ERRORS},
    summary="Service ledger: required, delivered and not delivered sessions and minutes",
    by_alias=True,
)
def ledger(request: HttpRequest, child_id: UUID, query: Query[RangeIn]) -> dict[str, Any]:
    """Return one row per timed service, the totals, and the counting rule in plain words.

    Minutes not delivered are "services not delivered", grouped by the reason recorded.
    """
    child = get_child(user_of(request), child_id).obj
    start, end = _range(child, query)
    report = build_report(child, start, end)
    t = report.totals
    return {
        "child": child.public_id, "from": start, "to": end,
        "calendar_on_file": report.log.calendar_on_file,
        "rows": [_ledger_row(row) for row in report.ledger],
        "totals": {
            "required_sessions": round_sessions(t.required_sessions),
            "required_minutes": round_minutes(t.required_minutes),
            "logged_sessions": t.logged_sessions, "delivered_minutes": t.delivered_minutes,
            "school_side_minutes": t.school_side_minutes,
            "student_side_minutes": t.student_side_minutes,
            "no_reason_minutes": t.no_reason_minutes,
            "not_delivered_minutes": t.not_delivered_minutes,
            "partly_sessions_without_minutes": t.partly_sessions_without_minutes,
            "unlogged_sessions": round_sessions(t.unlogged_sessions),
            "unlogged_minutes": round_minutes(t.unlogged_minutes),
            "over_required_rows": t.over_required_rows,
        },
        "rule_text": rule_text(translate=_),
        "wording": _(WORDING),
    }  # fmt: skip


def _binary(content_type: str, description: str) -> dict[str, Any]:
    schema = {"type": "string", "format": "binary"}
    return {
        "responses": {
            200: {"description": description, "content": {content_type: {"schema": schema}}}
        }
    }


@router.get(
    "/children/{uuid:child_id}/export.csv",
    response={200: None, **ERRORS},
    summary="The log as CSV: one row per entry, late and deleted entries flagged",
    openapi_extra=_binary("text/csv", "UTF-8 CSV with a byte order mark."),
)
def export_csv(request: HttpRequest, child_id: UUID, query: Query[RangeIn]) -> HttpResponse:
    """Return every entry (deleted ones too), or those from `from` to `to` when given."""
    child = get_child(user_of(request), child_id).obj
    start = end = None
    if query.start or query.to:
        start, end = _range(child, query)
    name = exports.filename(child, "log", start or today_for(child), end, "csv")
    text = exports.entries_csv(child, start, end)
    return attachment(text.encode("utf-8"), "text/csv; charset=utf-8", name)


@router.get(
    "/children/{uuid:child_id}/export.json",
    response={200: None, **ERRORS},
    summary="The child's full record as JSON, with the hash chain's verification",
    openapi_extra=_binary("application/json", "The full record (schema_version 1)."),
)
def export_json(request: HttpRequest, child_id: UUID) -> HttpResponse:
    """Return the child, plans, calendars, contacts, entries with their revisions and evidence."""
    child = get_child(user_of(request), child_id).obj
    name = exports.filename(child, "record", today_for(child), None, "json")
    body = exports.record_json(child).encode("utf-8")
    return attachment(body, "application/json; charset=utf-8", name)


@router.get(
    "/children/{uuid:child_id}/reports/{kind}.pdf",
    response={200: None, **ERRORS},
    summary="A PDF report: compliance, one-pager or binder",
    openapi_extra=_binary("application/pdf", "The report."),
)
def report_pdf(
    request: HttpRequest, child_id: UUID, kind: str, query: Query[PdfIn]
) -> HttpResponse:
    """Return the PDF report `kind` (compliance, one-pager, binder) over the range."""
    child = get_child(user_of(request), child_id).obj
    pdf = downloads.pdf_module()  # looked up here so tests can stand in for the PDF builder
    if kind not in pdf.KINDS:
        raise Http404("No such report.")
    start, end = _range(child, query)
    content: bytes = pdf.render_report(
        kind, child=child, start=start, end=end, language=report_language(query.lang or "en")
    )
    return attachment(content, "application/pdf", exports.filename(child, kind, start, end, "pdf"))
