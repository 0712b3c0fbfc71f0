"""The date range of a report: the form on the dashboard, its defaults and presets.

Pages, downloads and the API read a range the same way (`?from=&to=`, both inclusive), so a
link copied from one gives the same numbers in the other. Dates are the child's school dates,
so "today" is today in the household's time zone (iepright.logbook.services.today_for).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iepright.logbook.services import today_for
from iepright.plans.models import Child
from iepright.rules.ledger import school_year_of

# Three school years is more than one plan; longer ranges are refused rather than slow.
MAX_RANGE_DAYS = 3 * 365 + 1
FALLBACK_DAYS = 90


@dataclass(frozen=True)
class Preset:
    """A named range, offered as a link beside the form."""

    key: str
    label: str
    start: date
    end: date

    def query(self) -> str:
        """Return the query string that selects this range."""
        return f"from={self.start.isoformat()}&to={self.end.isoformat()}"


@dataclass(frozen=True)
class RangeContext:
    """What the defaults and presets are computed from (two small queries)."""

    today: date
    plan_start: date | None
    plan_end: date | None
    school_year_start: date | None


def range_context(child: Child) -> RangeContext:
    """Return today (household zone), the plan in force's dates and the school year's start."""
    today = today_for(child)
    plan = child.plan_in_force(today)
    first_day = (
        child.calendars.filter(first_day__lte=today, last_day__gte=today)
        .values_list("first_day", flat=True)
        .first()
    )
    return RangeContext(
        today=today,
        plan_start=plan.start_date if plan else None,
        plan_end=plan.end_date if plan else None,
        school_year_start=first_day,
    )


def default_range(ctx: RangeContext) -> tuple[date, date]:
    """Return the plan in force's start (else 90 days ago) to today."""
    start = ctx.plan_start or ctx.today - timedelta(days=FALLBACK_DAYS)
    return start, ctx.today


def presets(ctx: RangeContext) -> list[Preset]:
    """Return the preset ranges; each ends today (a range past today has nothing logged)."""
    today = ctx.today
    year_start = ctx.school_year_start or date(school_year_of(today), 7, 1)
    found = [
        Preset("month", _("This month"), today.replace(day=1), today),
        Preset("30days", _("Last 30 days"), today - timedelta(days=29), today),
        Preset("school_year", _("This school year"), year_start, today),
    ]
    if ctx.plan_start is not None and ctx.plan_end is not None:
        found.append(
            Preset("plan", _("Whole plan so far"), ctx.plan_start, min(today, ctx.plan_end))
        )
    return found


def check_range(start: date, end: date) -> dict[str, str]:
    """Return errors by field name ("from"), empty when the range can be reported."""
    if start > end:
        return {
            "from": _("The “From” date (%(start)s) is after the “To” date (%(end)s).")
            % {"start": start.isoformat(), "end": end.isoformat()}
        }
    if (end - start).days + 1 > MAX_RANGE_DAYS:
        return {
            "from": _("Choose at most three years (%(days)d days); this range has %(n)d days.")
            % {"days": MAX_RANGE_DAYS, "n": (end - start).days + 1}
        }
    return {}


class RangeForm(forms.Form):
    """`?from=&to=`; an empty field takes its default."""

    def __init__(self, data: Any, *, default: tuple[date, date]) -> None:
        super().__init__(data)
        self.default = default
        self.fields["from"] = forms.DateField(
            label=gettext_lazy("From"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
            error_messages={"invalid": gettext_lazy("Enter the date as 2026-11-18.")},
        )
        self.fields["to"] = forms.DateField(
            label=gettext_lazy("To"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
            error_messages={"invalid": gettext_lazy("Enter the date as 2026-11-18.")},
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.errors:
            return data
        start = data.get("from") or self.default[0]
        end = data.get("to") or self.default[1]
        for field, message in check_range(start, end).items():
            self.add_error(field, message)
        data["from"], data["to"] = start, end
        return data

    def range(self) -> tuple[date, date] | None:
        """Return the chosen range, or None when the form has errors."""
        if not self.is_valid():
            return None
        return self.cleaned_data["from"], self.cleaned_data["to"]
