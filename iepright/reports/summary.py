"""One report's numbers over a range, built once from `load_log` for the page and the API.

Everything here comes from the pure rules (findings, ledger) run on the same ChildLog, so the
dashboard, the API and the downloads can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.formats import date_format
from django.utils.translation import gettext

from iepright.logbook.services import circumstance_codes
from iepright.plans.models import Child, Provision
from iepright.reports.data import ChildLog, load_log
from iepright.rules.findings import (
    Breakdowns,
    Finding,
    LoggingRecord,
    ProvisionStats,
    analyse,
    breakdowns,
    logging_record,
    provision_stats,
)
from iepright.rules.ledger import LedgerRow, LedgerTotals, ledger_totals, service_ledger
from iepright.rules.logdata import CIRCUMSTANCE_LABELS


@dataclass(frozen=True)
class ProvisionRow:
    """A provision with its counts over the range."""

    provision: Provision
    stats: ProvisionStats


@dataclass(frozen=True)
class Week:
    """Misses and days with an opportunity in one week (Monday to Sunday)."""

    monday: date
    misses: int
    opportunity_days: int


@dataclass(frozen=True)
class Report:
    """Everything a report shows over one range."""

    log: ChildLog
    findings: list[Finding]
    rows: list[ProvisionRow]
    ledger: list[LedgerRow]
    totals: LedgerTotals
    breakdowns: Breakdowns
    weeks: list[Week]
    labels: dict[str, str]

    @property
    def start(self) -> date:
        return self.log.start

    @property
    def end(self) -> date:
        return self.log.end

    @property
    def logging_record(self) -> LoggingRecord:
        """Return the parent's own logging record ("How this log was kept")."""
        return logging_record(self.log.data, self.log.start, self.log.end)

    def circumstance_label(self, code: str) -> str:
        """Return the household's words for a day fact's code ("" = nothing was different)."""
        if not code:
            return gettext("Nothing was different")
        if code in self.labels:
            return self.labels[code]
        known = CIRCUMSTANCE_LABELS.get(code)
        return gettext(known) if known else code.replace("_", " ")


def long_date(day: date) -> str:
    """Return a date as findings print it, in the reader's language."""
    return date_format(day, "DATE_FORMAT")


def weeks(log: ChildLog) -> list[Week]:
    """Return every week that touches the range, with its misses (days outside not counted)."""
    first = log.start - timedelta(days=log.start.weekday())
    misses: dict[date, int] = {}
    days: dict[date, int] = {}
    for item in log.data.items:
        if not (log.start <= item.day <= log.end) or not item.is_opportunity:
            continue
        monday = item.day - timedelta(days=item.day.weekday())
        days[monday] = days.get(monday, 0) + 1
        misses[monday] = misses.get(monday, 0) + item.is_miss
    out = []
    monday = first
    while monday <= log.end:
        out.append(Week(monday, misses.get(monday, 0), days.get(monday, 0)))
        monday += timedelta(days=7)
    return out


def build_report(child: Child, start: date, end: date) -> Report:
    """Return the report from start to end (inclusive): load_log plus one query for labels."""
    log = load_log(child, start, end)
    labels = circumstance_codes(child)

    def label(code: str) -> str:
        return labels.get(code) or code.replace("_", " ")

    findings = analyse(
        log.data, start, end, translate=gettext, date_format=long_date, circumstance_label=label
    )
    rows = [
        ProvisionRow(log.provisions[info.id], provision_stats(log.data, info.id, start, end))
        for info in log.data.provisions
    ]
    ledger = service_ledger(log.data, start, end)
    return Report(
        log=log,
        findings=findings,
        rows=rows,
        ledger=ledger,
        totals=ledger_totals(ledger),
        breakdowns=breakdowns(log.data, start, end),
        weeks=weeks(log),
        labels=labels,
    )
