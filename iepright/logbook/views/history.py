"""The log's history: month grid, one day, one provision's timeline, and the filtered list.

All pages are read-only, so every member (viewer included) sees them; an outsider gets 404.
Cells of the grid link to the check-in page for members who can write, and to the day view
for viewers, who cannot record.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from iepright.logbook import queries, services
from iepright.logbook.models import Entry, Status
from iepright.logbook.views import EARLIEST_DAY
from iepright.plans.access import get_child, get_provision
from iepright.plans.models import Child, Provision
from iepright.templatetags.dates import ldate

PER_PAGE = 50
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")


class EntryFilterForm(forms.Form):
    """The list's filters, sent by GET so a filtered list can be bookmarked and shared."""

    status = forms.MultipleChoiceField(
        label=gettext_lazy("Status"),
        choices=Status.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    circumstance = forms.MultipleChoiceField(
        label=gettext_lazy("Circumstances"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    provision = forms.ChoiceField(label=gettext_lazy("Provision"), required=False)
    date_from = forms.DateField(
        label=gettext_lazy("From"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    date_to = forms.DateField(
        label=gettext_lazy("To"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    late_only = forms.BooleanField(label=gettext_lazy("Only entries recorded late"), required=False)
    with_evidence = forms.BooleanField(
        label=gettext_lazy("Only entries with attachments"), required=False
    )
    include_deleted = forms.BooleanField(
        label=gettext_lazy("Include deleted entries"), required=False
    )

    def __init__(
        self,
        data: Any,
        *,
        circumstances: dict[str, str],
        provisions: list[Provision] | None,
    ) -> None:
        super().__init__(data)
        circumstance_field = self.fields["circumstance"]
        assert isinstance(circumstance_field, forms.MultipleChoiceField)
        circumstance_field.choices = list(circumstances.items())
        self._provisions = {str(p.public_id): p for p in provisions or []}
        if provisions is None:
            del self.fields["provision"]
        else:
            provision_field = self.fields["provision"]
            assert isinstance(provision_field, forms.ChoiceField)
            provision_field.choices = [("", _("All provisions"))] + [
                (key, _provision_choice(p)) for key, p in self._provisions.items()
            ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and start > end:
            self.add_error(
                "date_to",
                _("The “To” date (%(end)s) is before the “From” date (%(start)s).")
                % {"end": end.isoformat(), "start": start.isoformat()},
            )
        return data

    def entry_filter(self, **fixed: Any) -> queries.EntryFilter:
        """Return the filter from the valid fields; an invalid field filters nothing."""
        if not self.is_bound:
            return queries.EntryFilter(**fixed)
        self.is_valid()
        data = self.cleaned_data
        provision = self._provisions.get(data.get("provision") or "")
        values: dict[str, Any] = {
            "statuses": tuple(data.get("status") or ()),
            "circumstances": tuple(data.get("circumstance") or ()),
            "provision_id": provision.pk if provision else None,
            "date_from": data.get("date_from"),
            "date_to": data.get("date_to"),
            "late_only": bool(data.get("late_only")),
            "with_evidence": bool(data.get("with_evidence")),
            "include_deleted": bool(data.get("include_deleted")),
        }
        values.update(fixed)
        return queries.EntryFilter(**values)


def _provision_choice(provision: Provision) -> str:
    plan = provision.plan
    return f"{queries.short_name(provision)} ({plan.title()}, {ldate(plan.start_date, 'M j, Y')})"


def _page(
    request: HttpRequest, queryset: QuerySet[Entry], child: Child, labels: dict[str, str]
) -> Page[Entry]:
    page = Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))
    page.object_list = list(page.object_list)
    queries.prepare(page.object_list, child, labels)
    return page


def _parse_day(raw: str | None, default: date) -> tuple[date, str]:
    if not raw:
        return default, ""
    try:
        day = date.fromisoformat(raw)
    except ValueError:
        return default, _("“%(raw)s” is not a date; showing today. Use the form 2026-11-17.") % {
            "raw": raw[:20]
        }
    if day < EARLIEST_DAY:  # the day before it must exist for the page's "previous" link
        return default, _(
            "%(day)s is too long ago; showing today. Choose a day in %(year)s or later."
        ) % {
            "day": day.isoformat(),
            "year": EARLIEST_DAY.year,
        }
    return day, ""


def _parse_month(raw: str | None, default: date) -> tuple[date, str]:
    if not raw:
        return default.replace(day=1), ""
    match = _MONTH.match(raw)
    if match and 1900 <= int(match[1]) <= 2200 and 1 <= int(match[2]) <= 12:
        return date(int(match[1]), int(match[2]), 1), ""
    return default.replace(day=1), _(
        "“%(raw)s” is not a month; showing this month. Use the form 2026-11."
    ) % {"raw": raw[:20]}


def _context(child: Child, can_write: bool, **extra: Any) -> dict[str, Any]:
    return {
        "child": child,
        "household": child.household,
        "can_write": can_write,
        "tz": child.household.timezone,
        **extra,
    }


@login_required
@require_GET
def log_month(request: HttpRequest, public_id: UUID) -> HttpResponse:
    access = get_child(request.user, public_id)
    child = access.obj
    today = services.today_for(child)
    month, problem = _parse_month(request.GET.get("month"), today)
    grid = queries.month_grid(child, month, today)
    previous = (grid.first - timedelta(days=1)).replace(day=1)
    following = grid.last + timedelta(days=1)
    context = _context(
        child,
        access.can_write,
        grid=grid,
        month=grid.first,
        problem=problem,
        previous=previous,
        following=following if following <= today else None,
        legend=queries.legend(),
        # Viewers cannot record, so their cells open the day's history instead of the check-in.
        cell_url=reverse(
            "checkin" if access.can_write else "log_day", kwargs={"public_id": child.public_id}
        ),
    )
    return render(request, "logbook/history_month.html", context)


@login_required
@require_GET
def log_day(request: HttpRequest, public_id: UUID) -> HttpResponse:
    access = get_child(request.user, public_id)
    child = access.obj
    today = services.today_for(child)
    day, problem = _parse_day(request.GET.get("date"), today)
    flt = queries.EntryFilter(date_from=day, date_to=day, include_deleted=True)
    entries = list(queries.child_entries(child, flt).order_by("provision__position", "deleted_at"))
    queries.prepare(entries, child, services.circumstance_codes(child))
    logged = {e.provision_id for e in entries if not e.is_deleted()}
    missing = [p for p in services.provisions_in_effect(child, day) if p.pk not in logged]
    context = _context(
        child,
        access.can_write,
        day=day,
        problem=problem,
        entries=entries,
        missing=missing,
        is_future=day > today,
        previous=day - timedelta(days=1),
        following=day + timedelta(days=1) if day < today else None,
    )
    return render(request, "logbook/history_day.html", context)


@login_required
@require_GET
def log_provision(request: HttpRequest, public_id: UUID) -> HttpResponse:
    access = get_provision(request.user, public_id)
    provision = access.obj
    child: Child = provision.plan.child
    labels = services.circumstance_codes(child)
    form = EntryFilterForm(request.GET or None, circumstances=labels, provisions=None)
    flt = form.entry_filter(provision_id=provision.pk)
    queryset = queries.child_entries(child, flt)
    counts = queries.status_counts(
        Entry.objects.filter(provision=provision, deleted_at__isnull=True)
    )
    context = _context(
        child,
        access.can_write,
        provision=provision,
        plan=provision.plan,
        form=form,
        counts=counts,
        page=_page(request, queryset, child, labels),
        changes=list(provision.changes.all()),
    )
    return render(request, "logbook/history_provision.html", context)


@login_required
@require_GET
def log_list(request: HttpRequest, public_id: UUID) -> HttpResponse:
    access = get_child(request.user, public_id)
    child = access.obj
    labels = services.circumstance_codes(child)
    provisions = list(
        Provision.objects.filter(plan__child=child)
        .select_related("plan")
        .order_by("-plan__start_date", "position", "id")
    )
    form = EntryFilterForm(request.GET or None, circumstances=labels, provisions=provisions)
    queryset = queries.child_entries(child, form.entry_filter())
    context = _context(
        child, access.can_write, form=form, page=_page(request, queryset, child, labels)
    )
    return render(request, "logbook/history_list.html", context)
