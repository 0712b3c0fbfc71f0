"""Reading the daily log: a child's entries with filters, and the month grid.

Everything here filters in the database. The one portable trick is the circumstances filter:
the list of codes is a JSON column, stored as text on SQLite and as jsonb on PostgreSQL, and
`circumstances__contains` only works on PostgreSQL. So a code is matched as its quoted JSON
string, `"code"`, inside the column's text (`icontains`, which PostgreSQL runs on jsonb cast to
text): the quotes keep `other` from matching `other_reason`.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from iepright.logbook import changes
from iepright.logbook.models import STATUS_SYMBOL, Entry, Evidence, Status
from iepright.plans.models import Child, Plan, Provision
from iepright.plans.services import school_years
from iepright.rules import schooldays
from iepright.templatetags.dates import ldate


@dataclass(frozen=True)
class EntryFilter:
    """What the parent asked to see; empty means "any". Codes within one field are OR-ed."""

    statuses: tuple[str, ...] = ()
    circumstances: tuple[str, ...] = ()
    provision_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    late_only: bool = False
    with_evidence: bool = False
    include_deleted: bool = False


def _live_evidence() -> QuerySet[Evidence]:
    return Evidence.objects.filter(entry=OuterRef("pk"), removed_at__isnull=True)


def with_evidence_count(queryset: QuerySet[Entry]) -> QuerySet[Entry]:
    """Return the entries annotated with `evidence_count` (attachments not removed)."""
    counted = _live_evidence().order_by().values("entry").annotate(n=Count("id")).values("n")
    return queryset.annotate(
        evidence_count=Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))
    )


def circumstances_q(codes: Iterable[str]) -> Q:
    """Return a condition matching entries that carry any of the circumstance codes."""
    condition = Q()
    for code in codes:
        condition |= Q(circumstances__icontains=f'"{code}"')
    return condition


def filter_entries(queryset: QuerySet[Entry], flt: EntryFilter) -> QuerySet[Entry]:
    """Return `queryset` narrowed by the filter; deleted entries only when asked for."""
    if not flt.include_deleted:
        queryset = queryset.filter(deleted_at__isnull=True)
    if flt.statuses:
        queryset = queryset.filter(status__in=flt.statuses)
    if flt.circumstances:
        queryset = queryset.filter(circumstances_q(flt.circumstances))
    if flt.provision_id is not None:
        queryset = queryset.filter(provision_id=flt.provision_id)
    if flt.date_from is not None:
        queryset = queryset.filter(event_date__gte=flt.date_from)
    if flt.date_to is not None:
        queryset = queryset.filter(event_date__lte=flt.date_to)
    if flt.late_only:
        queryset = queryset.filter(recorded_late=True)
    if flt.with_evidence:
        queryset = queryset.filter(Exists(_live_evidence()))
    return queryset


def child_entries(child: Child, flt: EntryFilter | None = None) -> QuerySet[Entry]:
    """Return the child's entries matching `flt`, newest school day first, ready to show."""
    queryset = Entry.objects.filter(child=child).select_related(
        "provision__plan", "recorded_by", "reported_contact"
    )
    queryset = filter_entries(queryset, flt or EntryFilter())
    return with_evidence_count(queryset).order_by(
        "-event_date", "provision__plan__start_date", "provision__position", "deleted_at", "-id"
    )


def status_counts(queryset: QuerySet[Entry]) -> list[tuple[str, str, str, int]]:
    """Return (status, label, symbol, count) for every status, in the usual order."""
    counts = dict(
        queryset.order_by().values_list("status").annotate(n=Count("id")).values_list("status", "n")
    )
    return [(s.value, str(s.label), STATUS_SYMBOL[s], counts.get(s.value, 0)) for s in Status]


def prepare(entries: Sequence[Entry], child: Child, labels: dict[str, str]) -> None:
    """Ready entries for showing: their child (for lateness in its time zone), labels and
    late changes (one query, none when no entry was changed).

    A circumstance code the household has since removed shows as the code itself.
    """
    for entry in entries:
        entry.child = child  # already loaded with its household: no query per entry
        entry.circumstance_labels = [  # type: ignore[attr-defined]
            labels.get(code, code) for code in entry.circumstances
        ]
    changes.mark(entries, child, labels)


# The month grid ---------------------------------------------------------------------------


def month_bounds(first: date) -> tuple[date, date]:
    """Return the first and last day of the month containing `first`."""
    start = first.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - timedelta(days=1)


def short_name(provision: Provision) -> str:
    """Return the provision's first words, to name it in a cell's accessible name."""
    return Truncator(provision.text).words(8)


@dataclass
class GridDay:
    day: date
    school_day: bool  # False: a day without school, shown because something was logged
    early_release: bool = False
    estimated: bool = False  # no calendar covers it: counted as a school day because Mon–Fri
    future: bool = False


@dataclass
class GridCell:
    day: GridDay
    applies: bool
    entry: Entry | None
    label: str = ""

    @property
    def symbol(self) -> str:
        if self.entry is None:
            return "·" if self.applies and not self.day.future else ""
        return self.entry.status_symbol()

    @property
    def css(self) -> str:
        if self.entry is not None:
            return f"cell-{self.entry.status}"
        if not self.applies:
            return "cell-na"
        return "cell-future" if self.day.future else "cell-empty"

    @property
    def evidence(self) -> int:
        return getattr(self.entry, "evidence_count", 0) if self.entry else 0

    @property
    def late(self) -> bool:
        """Return True if the entry was recorded late or changed after the late window."""
        return self.entry is not None and (
            self.entry.recorded_late or getattr(self.entry, "changed_later", False)
        )

    @property
    def linkable(self) -> bool:
        return self.applies and not self.day.future


@dataclass
class GridRow:
    provision: Provision
    plan: Plan
    cells: list[GridCell] = field(default_factory=list)


@dataclass
class MonthGrid:
    first: date
    last: date
    days: list[GridDay]
    rows: list[GridRow]
    approximate: bool  # some columns come from the Mon–Fri estimate, not a district calendar
    has_calendar: bool
    versions: list[Plan]


def _cell_label(provision: Provision, day: GridDay, entry: Entry | None, applies: bool) -> str:
    """Return the cell's spoken label and tooltip, e.g. "Speech, 17 nov: not logged"."""
    where = _("%(provision)s, %(day)s") % {
        "provision": short_name(provision),
        "day": ldate(day.day, "M j"),
    }
    if entry is None:
        if not applies:
            what = _("not in effect")
        elif day.future:
            what = _("not yet")
        else:
            what = _("not logged")
    else:
        parts = [str(entry.get_status_display())]
        if entry.recorded_late:
            parts.append(_("recorded late"))
        if getattr(entry, "changed_later", False):
            parts.append(_("changed later"))
        count = getattr(entry, "evidence_count", 0)
        if count:
            parts.append(ngettext("%(n)s attachment", "%(n)s attachments", count) % {"n": count})
        what = ", ".join(parts)
    # Translators: a month-grid cell: "Speech, Nov 17" then what the log says for that day.
    return _("%(where)s: %(what)s") % {"where": where, "what": what}


def _school_days(child: Child, first: date, last: date) -> tuple[list[GridDay], bool]:
    years = school_years(child)
    days: list[GridDay] = []
    for ordinal in range(first.toordinal(), last.toordinal() + 1):
        day = date.fromordinal(ordinal)
        if any(year.contains(day) for year in years):
            if schooldays.is_school_day(years, day):
                early = schooldays.day_status(years, day) == schooldays.DayStatus.EARLY_RELEASE
                days.append(GridDay(day, school_day=True, early_release=early))
        elif day.isoweekday() in schooldays.MONDAY_TO_FRIDAY:
            # Convention 5: without the district's calendar, Mon–Fri is an estimate, labelled so.
            days.append(GridDay(day, school_day=True, estimated=True))
    return days, bool(years)


def month_grid(child: Child, month: date, today: date) -> MonthGrid:
    """Return the grid of provisions (rows) by school day (columns) for the month.

    Rows are the provisions of every plan version in force during the month, each with cells
    only on the days its version is in force (an entry logged on another day still shows).
    Columns are the calendar's school days plus any other day that has a live entry.
    A constant number of queries, however many provisions and entries.
    """
    first, last = month_bounds(month)
    days, has_calendar = _school_days(child, first, last)
    entries = list(
        with_evidence_count(
            Entry.objects.filter(
                child=child, event_date__gte=first, event_date__lte=last, deleted_at__isnull=True
            )
        )
    )
    late = changes.for_entries(child, entries)
    for logged in entries:
        logged.changed_later = logged.pk in late  # type: ignore[attr-defined]
    by_cell = {(e.provision_id, e.event_date): e for e in entries}
    shown = {d.day for d in days}
    extra = {day for _pid, day in by_cell if day not in shown}
    days.extend(GridDay(day, school_day=False) for day in extra)
    days.sort(key=lambda d: d.day)
    for grid_day in days:
        grid_day.future = grid_day.day > today
    # In IN_FORCE_ORDER (Plan's default ordering), so the first covering a day is in force.
    plans = list(
        child.plans.filter(start_date__lte=last, end_date__gte=first).prefetch_related("provisions")
    )
    in_force = {d.day: next((p for p in plans if p.is_in_force(d.day)), None) for d in days}
    rows: list[GridRow] = []
    for plan in sorted(plans, key=lambda p: (p.start_date, p.created, p.pk)):
        for provision in plan.provisions.all():
            row = GridRow(provision, plan)
            for grid_day in days:
                entry = by_cell.get((provision.pk, grid_day.day))
                force = in_force[grid_day.day]
                applies = entry is not None or (
                    force is not None
                    and force.pk == plan.pk
                    and provision.in_effect_on(grid_day.day)
                )
                label = _cell_label(provision, grid_day, entry, applies)
                row.cells.append(GridCell(grid_day, applies, entry, label))
            if any(cell.applies for cell in row.cells):
                rows.append(row)
    versions = sorted({row.plan for row in rows}, key=lambda p: p.start_date)
    return MonthGrid(
        first=first,
        last=last,
        days=days,
        rows=rows,
        approximate=any(d.estimated for d in days),
        has_calendar=has_calendar,
        versions=versions,
    )


def legend() -> list[dict[str, Any]]:
    """Return the statuses with their symbols, for the legend under the grid."""
    return [{"status": s.value, "label": s.label, "symbol": STATUS_SYMBOL[s]} for s in Status]
