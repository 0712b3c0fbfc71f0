"""The child's report dashboard: findings, charts with their tables, the ledger, downloads.

Read-only, so every member of the household sees it (viewers too); an outsider gets 404. The
page runs a fixed number of queries whatever the size of the log: load_log (4), the child,
the plan in force and school year for the range's defaults, and the household's labels.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from iepright.plans.access import get_child
from iepright.plans.models import Child
from iepright.reports import charts
from iepright.reports.forms import RangeForm, default_range, presets, range_context
from iepright.reports.summary import Report, build_report
from iepright.rules.ledger import (
    BY_OPPORTUNITY,
    OVER_REQUIRED,
    WORDING,
    LedgerRow,
    round_minutes,
    round_sessions,
    rule_text,
)
from iepright.rules.logdata import WEEKDAYS
from iepright.templatetags.dates import ldate

TOP_FINDINGS = 5
PDF_KINDS = (
    ("compliance", gettext_lazy("Compliance report")),
    ("one-pager", gettext_lazy("Meeting one-pager")),
    ("binder", gettext_lazy("Evidence binder")),
)


@dataclass
class Chart:
    """An SVG chart and the table with the same numbers shown beside it."""

    key: str
    heading: str
    svg: SafeString
    caption: str
    headers: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    # A narrow table fits a phone as it is; a wider one shows its rows as cards there.
    cards: bool = False
    # What an empty table says ("" = the usual "Nothing logged in these dates.").
    empty: str = ""

    def labelled_rows(self) -> list[list[tuple[str, Any]]]:
        """Return each row's cells with their column's header (shown beside them on a phone)."""
        return [list(zip(self.headers, row, strict=True)) for row in self.rows]


def pct(rate: float | None) -> str:
    """Return a rate as a whole percentage ("–" without days), rounded as the findings do."""
    return "–" if rate is None else f"{int(rate * 100 + 0.5)}%"


def _svg(svg: str) -> SafeString:
    return mark_safe(svg)  # noqa: S308 - built by charts.py, every text escaped


def _series() -> list[charts.Series]:
    return [
        charts.Series("✓ " + _("Delivered"), charts.BLUE, "solid"),
        charts.Series("◐ " + _("Partly"), charts.AMBER, "hatch"),
        charts.Series("✗ " + _("Not delivered"), charts.RED, "cross"),
    ]


def _misses_of(misses: int, n: int) -> str:
    return _("%(m)d of %(n)d provision-days") % {"m": misses, "n": n}


def _miss_rate(misses: int, n: int) -> str:
    return pct(misses / n if n else None)


def delivery_chart(report: Report) -> Chart:
    """Return the delivery rate per provision: delivered, partly, not, as shares of its days."""
    bars, rows = [], []
    for row in report.rows:
        s = row.stats
        n = s.opportunity_days
        if n:
            text = _("%(pct)s delivered (%(d)d of %(n)d days)") % {
                "pct": pct(s.delivery_rate), "d": s.delivered, "n": n,
            }  # fmt: skip
            segments = tuple(
                charts.Segment(i, v) for i, v in enumerate((s.delivered, s.partly, s.not_delivered))
            )
        else:
            text, segments = _("no days with an opportunity"), ()
        bars.append(charts.Bar(row.provision.text, segments, n, text))
        rows.append(
            [row.provision.text, s.delivered, s.partly, s.not_delivered, n, pct(s.delivery_rate)]
        )
    heading = _("Delivery rate per provision")
    svg = charts.share_bars(
        bars, _series(), title=heading, prefix="chart-delivery",
        axis_label=_("Share of the provision's logged days with an opportunity"),
        desc=_("For each provision, the share of logged days with an opportunity on which it "
               "was delivered in full, partly, or not at all. The same numbers are in the "
               "table beside the chart."),
    )  # fmt: skip
    return Chart(
        "delivery", heading, _svg(svg), _("Delivery per provision"),
        [_("Provision"), _("Days delivered"), _("Days partly"), _("Days not delivered"),
         _("Days with an opportunity"), _("Delivery rate")],
        rows, cards=True,
    )  # fmt: skip


def weeks_chart(report: Report) -> Chart:
    """Return the share of provision-days missed (partly or not delivered) in each week."""
    cols, rows = [], []
    for week in report.weeks:
        n = week.opportunity_days
        text = _misses_of(week.misses, n)
        cols.append(charts.Column(ldate(week.monday, "M j"), week.misses, n, text))
        rows.append([ldate(week.monday, "M j, Y"), week.misses, n, _miss_rate(week.misses, n)])
    heading = _("Misses by week")
    svg = charts.columns(
        cols, title=heading, prefix="chart-weeks",
        axis_label=_("Share of provision-days missed, by week starting"),
        desc=_("For each week from %(start)s to %(end)s, the share of provision-days with an "
               "opportunity on which the provision was partly or not delivered. The same "
               "numbers are in the table beside the chart.")
        % {"start": ldate(report.start, "M j, Y"), "end": ldate(report.end, "M j, Y")},
    )  # fmt: skip
    return Chart(
        "weeks", heading, _svg(svg), heading,
        [_("Week starting"), _("Provision-days missed"), _("Provision-days with an opportunity"),
         _("Share missed")],
        rows,
    )  # fmt: skip


def _miss_bars(
    named: list[tuple[str, int, int]],
    *,
    key: str,
    heading: str,
    first: str,
    desc: str,
    empty: str = "",
) -> Chart:
    """Return a chart of misses out of provision-days, one bar per (name, misses, days)."""
    series = [charts.Series("✗ " + _("Missed"), charts.RED, "cross")]
    bars = [charts.Bar(name, (charts.Segment(0, m),), n, _misses_of(m, n)) for name, m, n in named]
    svg = charts.share_bars(
        bars, series, title=heading, prefix=f"chart-{key}", desc=desc,
        axis_label=_("Share of provision-days missed"),
    )  # fmt: skip
    return Chart(
        key, heading, _svg(svg), heading,
        [first, _("Provision-days missed"), _("Provision-days with an opportunity"),
         _("Share missed")],
        [[name, m, n, _miss_rate(m, n)] for name, m, n in named], empty=empty,
    )  # fmt: skip


def weekday_chart(report: Report) -> Chart:
    """Return misses by weekday (Monday to Friday, and any weekend day logged)."""
    tallies = report.breakdowns.by_weekday
    named = []
    for d in (d for d in range(1, 8) if d <= 5 or d in tallies):
        t = tallies.get(d)
        named.append((_(WEEKDAYS[d - 1]), t.misses if t else 0, t.opportunity_days if t else 0))
    return _miss_bars(
        named, key="weekday", heading=_("Misses by weekday"), first=_("Weekday"),
        desc=_("For each weekday, the share of provision-days with an opportunity on which the "
               "provision was partly or not delivered. A provision-day is one provision on one "
               "logged school day."),
    )  # fmt: skip


def circumstance_chart(report: Report) -> Chart:
    """Return misses by the day facts recorded for the day, most misses first."""
    tallies = sorted(
        report.breakdowns.by_circumstance.items(),
        key=lambda kv: (-kv[1].misses, -kv[1].opportunity_days, kv[0]),
    )
    named = [(report.circumstance_label(code), t.misses, t.opportunity_days) for code, t in tallies]
    return _miss_bars(
        named, key="circumstance", heading=_("Misses by what was different that day"),
        first=_("Day fact"),
        desc=_("For each day fact, the share of provision-days with an opportunity on days with "
               "it on which the provision was partly or not delivered. Only days whose day facts "
               "were recorded are counted; what got in the way of one entry is not a day fact. "
               "A provision-day is one provision on one logged school day."),
        empty=_("No day facts were recorded on the logged days of these dates."),
    )  # fmt: skip


@dataclass
class LedgerLine:
    """A ledger row rounded for display (sessions to 0.1, minutes to whole minutes)."""

    text: str
    basis: str
    required_sessions: float | None
    required_minutes: int | None
    logged_sessions: int
    delivered_minutes: int
    school_side_minutes: int
    student_side_minutes: int
    no_reason_minutes: int
    partly_without_minutes: int
    unlogged_sessions: float | None
    over_required: bool = False


def ledger_line(row: LedgerRow) -> LedgerLine:
    """Return the row as the page shows it."""
    return LedgerLine(
        text=row.text,
        basis=row.basis,
        required_sessions=None
        if row.required_sessions is None
        else round_sessions(row.required_sessions),
        required_minutes=None
        if row.required_minutes is None
        else round_minutes(row.required_minutes),
        logged_sessions=row.logged_sessions,
        delivered_minutes=row.delivered_minutes,
        school_side_minutes=row.school_side_minutes,
        student_side_minutes=row.student_side_minutes,
        no_reason_minutes=row.no_reason_minutes,
        partly_without_minutes=row.partly_sessions_without_minutes,
        unlogged_sessions=None
        if row.unlogged_sessions is None
        else round_sessions(row.unlogged_sessions),
        over_required=row.over_required,
    )


def report_context(report: Report) -> dict[str, Any]:
    """Return the template context of a report's sections."""
    totals = report.totals
    return {
        "report": report,
        "top_findings": report.findings[:TOP_FINDINGS],
        "provision_rows": [
            {"provision": r.provision, "stats": r.stats, "rate": pct(r.stats.delivery_rate)}
            for r in report.rows
        ],
        "more_findings": report.findings[TOP_FINDINGS:],
        "charts": [delivery_chart(report), weeks_chart(report)],
        "breakdown_charts": [weekday_chart(report), circumstance_chart(report)],
        "ledger": [ledger_line(row) for row in report.ledger],
        "by_opportunity": BY_OPPORTUNITY,
        "totals": {
            "required_sessions": round_sessions(totals.required_sessions),
            "required_minutes": round_minutes(totals.required_minutes),
            "logged_sessions": totals.logged_sessions,
            "delivered_minutes": totals.delivered_minutes,
            "school_side_minutes": totals.school_side_minutes,
            "student_side_minutes": totals.student_side_minutes,
            "no_reason_minutes": totals.no_reason_minutes,
            "partly_without_minutes": totals.partly_sessions_without_minutes,
            "unlogged_sessions": round_sessions(totals.unlogged_sessions),
            "over_required_rows": totals.over_required_rows,
        },
        "over_required": _(OVER_REQUIRED),
        "rule_text": rule_text(translate=_),
        "wording": _(WORDING),
    }


def downloads(child: Child, query: str) -> list[dict[str, str]]:
    """Return the PDF download links for the range (query string `from=&to=`)."""
    return [
        {
            "kind": kind,
            "label": str(label),
            "url": reverse("child_report_pdf", args=[child.public_id, kind]) + "?" + query,
        }
        for kind, label in PDF_KINDS
    ]


@login_required
@require_GET
@never_cache
def child_reports(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Show the child's findings, charts and ledger over a range (`?from=&to=`)."""
    child = get_child(request.user, public_id).obj
    ctx = range_context(child)
    default = default_range(ctx)
    data = {
        "from": request.GET.get("from") or default[0].isoformat(),
        "to": request.GET.get("to") or default[1].isoformat(),
    }
    form = RangeForm(data, default=default)
    chosen = form.range()
    context: dict[str, Any] = {"child": child, "form": form, "presets": presets(ctx)}
    if chosen is not None:
        start, end = chosen
        query = f"from={start.isoformat()}&to={end.isoformat()}"
        context |= report_context(build_report(child, start, end))
        context |= {"query": query, "pdf_links": downloads(child, query)}
    return render(request, "reports/dashboard.html", context)
