"""The check-in page: the child's home screen, where a parent logs each provision of a day.

Every control is a plain form that works without JavaScript (POST, then redirect back to the
same day, anchored to the provision). checkin.js sends the status taps with fetch() to the
same endpoints and gets JSON back, so a tap saves at once without reloading the page.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.messages.storage.base import Message
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Prefetch
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from iepright.accounts.access import Access, Need
from iepright.accounts.views import current_user
from iepright.errors import error_body, validation_fields
from iepright.logbook import changes, services
from iepright.logbook.forms import CircumstanceForm, EntryDetailsForm
from iepright.logbook.forms import add_circumstance as add_to_list
from iepright.logbook.models import (
    STATUS_SYMBOL,
    Entry,
    Evidence,
    Status,
    local_date,
)
from iepright.logbook.views import (
    EARLIEST_DAY,
    ROW_TAG,
    checkin_facts,
    checkin_url,
    parse_day,
    parse_uuid,
    posted_from_checkin,
    row_message,
    wants_json,
)
from iepright.logbook.views.checkin_day import all_delivered_summary
from iepright.plans import services as plan_services
from iepright.plans.access import find_childs_provision, get_child
from iepright.plans.models import Child, Provision
from iepright.rules import lateness, schooldays

SHORT_TEXT = 110  # characters of the IEP wording shown before "Full text"
CLEAR = "clear"


@dataclass
class Row:
    """One provision on the check-in page, with its entry for the day (if logged)."""

    provision: Provision
    entry: Entry | None
    codes: dict[str, str]
    form: EntryDetailsForm | None = None
    error: str = ""
    evidence: list[Evidence] = field(default_factory=list)
    messages: list[Message] = field(default_factory=list)
    # An entry whose provision is not in effect that day (e.g. the provision ended later).
    not_in_effect: bool = False

    @property
    def short_text(self) -> str:
        return Truncator(self.provision.text).chars(SHORT_TEXT)

    @property
    def is_long(self) -> bool:
        return len(self.provision.text) > SHORT_TEXT

    @property
    def days_late(self) -> int:
        if self.entry is None:
            return 0
        recorded_on = local_date(self.entry.recorded_at, self.entry.child)
        return lateness.days_after(self.entry.event_date, recorded_on)

    @property
    def circumstance_labels(self) -> list[str]:
        if self.entry is None:
            return []
        return [self.codes.get(code, code) for code in self.entry.circumstances]


def statuses() -> list[dict[str, Any]]:
    """Return the four status buttons in order, with label and text/shape cue."""
    return [{"value": s.value, "label": s.label, "symbol": STATUS_SYMBOL[s]} for s in Status]


def progress(logged: int, total: int) -> str:
    """Return how much of the day is logged, as the page shows it."""
    return ngettext(
        "%(logged)s of %(total)s provision logged",
        "%(logged)s of %(total)s provisions logged",
        total,
    ) % {"logged": logged, "total": total}


def day_notice(child: Child, day: date) -> tuple[str, str]:
    """Return (kind, message) about the day on the school calendar; kind "" for school days."""
    years = plan_services.school_years(child)
    if not years:
        return "no_calendar", _(
            "No school calendar is entered, so IEP Right cannot tell if this was a school day."
        )
    status = schooldays.day_status(years, day)
    weekday = date_format(day, "l")
    if status == schooldays.DayStatus.WEEKEND:
        return "warning", _("%(weekday)s is not a school day (weekend).") % {"weekday": weekday}
    if status == schooldays.DayStatus.CLOSED:
        closure = schooldays.closure_on(years, day)
        if closure and closure.name:
            return "warning", _("No school this day: %(name)s.") % {"name": closure.name}
        return "warning", _("No school this day: the school calendar shows it closed.")
    if status == schooldays.DayStatus.OUTSIDE_YEAR:
        return "warning", _("This day is outside the school year on the calendar.")
    if status == schooldays.DayStatus.EARLY_RELEASE:
        return "info", _("Early release day.")
    return "", ""


def has_details(entry: Entry, provision: Provision) -> bool:
    """Return True if the entry holds more than its status (so Clear must ask first)."""
    default_minutes: set[int | None] = {None}
    if provision.is_service():
        default_minutes = (
            {provision.minutes_per_session} if entry.status == Status.DELIVERED else {None, 0}
        )
    return bool(
        entry.circumstances
        or entry.note
        or entry.source
        or entry.reported_by
        or entry.reported_contact_id
        or entry.minutes_delivered not in default_minutes
        or entry.evidence.filter(removed_at__isnull=True).exists()
    )


def day_entries(child: Child, day: date) -> dict[int, Entry]:
    """Return the live entries of the day by provision id, evidence prefetched (2 queries)."""
    entries = (
        Entry.objects.filter(child=child, event_date=day, deleted_at__isnull=True)
        .select_related("recorded_by", "reported_contact", "provision")
        .prefetch_related(
            Prefetch("evidence", queryset=Evidence.objects.filter(removed_at__isnull=True))
        )
    )
    result = {}
    for entry in entries:
        entry.child = child  # for days_late(): the household's time zone, without a query
        result[entry.provision_id] = entry
    return result


def _page(
    request: HttpRequest,
    access: Access[Child],
    day: date,
    *,
    bound: EntryDetailsForm | None = None,
    asked: UUID | None = None,
    errors: dict[int, str] | None = None,
    status: int = 200,
) -> HttpResponse:
    child = access.obj
    today = services.today_for(child)
    provisions = services.provisions_in_effect(child, day)
    plan = provisions[0].plan if provisions else child.plan_in_force(day)
    entries = day_entries(child, day)
    codes = services.circumstance_codes(child)
    changes.mark(entries.values(), child, codes)
    # The Details form is rendered for one row only: the one asked for (?details=) or the one
    # whose form came back with errors. The other rows link to it.
    open_id = bound.provision.pk if bound is not None else None
    rows = []
    in_effect = {provision.pk for provision in provisions}
    # Entries kept for a provision that is not in effect that day stay visible (and deletable),
    # after the ones in effect; they do not count in the progress.
    others = [e.provision for pk, e in entries.items() if pk not in in_effect]
    for provision in [*provisions, *sorted(others, key=lambda p: (p.position, p.pk))]:
        entry = entries.get(provision.pk)
        row = Row(provision, entry, codes, error=(errors or {}).get(provision.pk, ""))
        row.not_in_effect = provision.pk not in in_effect
        if entry is not None:
            row.evidence = list(entry.evidence.all())
        if access.can_write and not row.not_in_effect:
            if bound is not None and open_id == provision.pk:
                row.form = bound
            elif bound is None and asked == provision.public_id:
                row.form = EntryDetailsForm(
                    provision=provision,
                    entry=entry,
                    circumstances=codes,
                    contacts=list(child.contacts.all()),
                )
        rows.append(row)
    shown = {row.provision.pk for row in rows}
    for provision_id, message in (errors or {}).items():
        if provision_id not in shown:  # e.g. the provision was not in effect that day
            messages.error(request, message)
    # A message about one provision is shown in its row, where the redirect lands and where
    # the script moves focus; the others stay at the top of the page.
    by_row = {f"{ROW_TAG}{row.provision.public_id}": row for row in rows}
    page_messages: list[Message] = []
    for shown_message in messages.get_messages(request):
        row_for = by_row.get(shown_message.extra_tags or "")
        if row_for is not None:
            row_for.messages.append(shown_message)
        else:
            page_messages.append(shown_message)
    kind, notice = day_notice(child, day)
    context = {
        "child": child,
        "tz": child.household.timezone,
        "day": day,
        "today": today,
        "is_today": day == today,
        "previous_day": day - timedelta(days=1),
        "next_day": day + timedelta(days=1) if day < today else None,
        "plan": plan,
        "rows": rows,
        "progress": progress(
            sum(1 for r in rows if r.entry is not None and not r.not_in_effect), len(provisions)
        ),
        "page_messages": page_messages,
        "has_provisions": bool(provisions),
        "all_delivered": all_delivered_summary(
            provisions, day, {pk for pk in entries if pk in in_effect}
        ),
        "bound": bound if bound is not None and bound.errors else None,
        "notice_kind": kind,
        "notice": notice,
        "can_write": access.can_write,
        "statuses": statuses(),
        "circumstance_form": CircumstanceForm() if access.can_write else None,
        "day_facts": checkin_facts.panel(child, day, codes),
    }
    return render(request, "logbook/checkin.html", context, status=status)


@login_required
@require_GET
def checkin(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Show one day's provisions with their status buttons (today by default)."""
    access = get_child(request.user, public_id)
    child = access.obj
    today = services.today_for(child)
    asked = request.GET.get("date")
    details_for = parse_uuid(request.GET.get("details"))
    if not asked:
        return _page(request, access, today, asked=details_for)
    day = parse_day(asked)
    if day is None:
        messages.error(request, _("That is not a date. Choose a day with the date picker."))
        return redirect(checkin_url(child))
    if day < EARLIEST_DAY:
        messages.error(
            request,
            _("%(day)s is too long ago to log. Choose a day in %(year)s or later.")
            % {"day": day.isoformat(), "year": EARLIEST_DAY.year},
        )
        return redirect(checkin_url(child))
    if day > today:
        messages.error(
            request,
            _("%(day)s has not happened yet. You can log today or any earlier day.")
            % {"day": date_format(day, "DATE_FORMAT")},
        )
        return redirect(checkin_url(child))
    return _page(request, access, day, asked=details_for)


def _posted_provision(request: HttpRequest, public_id: UUID) -> tuple[Access[Child], Provision]:
    """Return the child (with the user's role) and the provision named in the POST, read in one
    query; 404 unless the provision is one of this child's, 403 for a role that cannot write."""
    found = find_childs_provision(
        request.user, public_id, request.POST.get("provision") or "", Need.WRITE
    )
    if found is None:
        raise Http404("No such provision.")
    provision = found.obj
    return Access(provision.plan.child, found.household_id, found.role), provision


def _live_entry(provision: Provision, day: date) -> Entry | None:
    return Entry.objects.filter(
        provision=provision, event_date=day, deleted_at__isnull=True
    ).first()


def _first_message(exc: ValidationError) -> str:
    return str(exc.messages[0]) if exc.messages else _("That did not work.")


@login_required
@require_POST
def set_status(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Record one tap: a status for a provision on a day, or "clear" to delete the entry.

    Clear deletes at once only an entry that holds nothing but its status; an entry with
    details goes to the delete confirmation page (with an optional reason) instead.
    """
    try:
        access, provision = _posted_provision(request, public_id)
    except (Http404, PermissionDenied) as exc:
        # The script reads JSON; an HTML 403 is kept for a CSRF failure (the session ended).
        if not wants_json(request):
            raise
        if isinstance(exc, PermissionDenied):
            message = _("Not saved: your role in this household can read but not change records.")
            return JsonResponse(error_body(403, "forbidden", message), status=403)
        return JsonResponse(error_body(404, "not_found", _("No such provision.")), status=404)
    child = access.obj
    user = current_user(request)
    day = parse_day(request.POST.get("date"))
    choice = request.POST.get("status", "")
    entry: Entry | None = None
    try:
        if day is None:
            raise ValidationError({"event_date": _("The day is missing or not a date.")})
        if choice == CLEAR:
            with transaction.atomic():
                live = _live_entry(provision, day)
                if live is not None and has_details(live, provision):
                    confirm = reverse("entry_delete", args=[live.public_id])
                    if wants_json(request):
                        return JsonResponse({"confirm_url": confirm})
                    return redirect(confirm)
                if live is not None:
                    services.delete_entry(live, user=user, client="web")
        else:
            entry = services.record_entry(
                child=child,
                provision=provision,
                event_date=day,
                fields={"status": choice},
                user=user,
                client="web",
            ).entry
    except ValidationError as exc:
        if wants_json(request):
            body = error_body(400, "validation_error", _first_message(exc), validation_fields(exc))
            return JsonResponse(body, status=400)
        today = services.today_for(child)
        page_day = day if day is not None and EARLIEST_DAY <= day <= today else today
        if page_day != day:  # the asked day cannot be shown: say it above today's page
            messages.error(request, _first_message(exc))
        errors = {provision.pk: _first_message(exc)} if page_day == day else None
        return _page(request, access, page_day, errors=errors)
    assert day is not None
    if wants_json(request):
        return JsonResponse(_tap_result(request, child, provision, day, entry))
    if entry is None:
        row_message(request, messages.SUCCESS, _("Cleared."), provision)
    else:
        row_message(
            request,
            messages.SUCCESS,
            _("Saved: %(status)s.") % {"status": entry.get_status_display()},
            provision,
        )
    return redirect(checkin_url(child, day, provision))


def _tap_result(
    request: HttpRequest, child: Child, provision: Provision, day: date, entry: Entry | None
) -> dict[str, Any]:
    """Return the JSON a tap gets back: the new state and the row's refreshed summary."""
    codes = services.circumstance_codes(child) if entry is not None and entry.circumstances else {}
    provisions = services.provisions_in_effect(child, day)
    in_effect = [p.pk for p in provisions]
    total = len(in_effect)
    logged_ids = set(
        Entry.objects.filter(
            child=child, event_date=day, deleted_at__isnull=True, provision_id__in=in_effect
        ).values_list("provision_id", flat=True)
    )
    logged = len(logged_ids)
    row = Row(provision, entry, codes)
    if entry is not None:
        entry.child = child
        found = changes.for_entries(child, [entry])
        if found and not codes:
            codes = row.codes = services.circumstance_codes(child)
        changes.mark([entry], child, codes, found)
        # On its first revision an entry has no evidence: adding a file appends a revision.
        if entry.revision_count > 1:
            row.evidence = list(entry.evidence.filter(removed_at__isnull=True))
    meta = render_to_string(
        "logbook/checkin_entry_meta.html",
        {"row": row, "tz": child.household.timezone, "child": child},
        request=request,
    )
    return {
        "status": entry.status if entry else None,
        "label": entry.get_status_display() if entry else "",
        "symbol": entry.status_symbol() if entry else "",
        "late": entry.recorded_late if entry else False,
        "days_late": row.days_late,
        "entry_url": reverse("entry_detail", args=[entry.public_id]) if entry else None,
        "message": _("Saved") if entry else _("Cleared"),
        # For the details form, so that saving details after this tap keeps it.
        "revision": entry.revision_count if entry else None,
        "minutes_delivered": entry.minutes_delivered if entry else None,
        "progress": progress(logged, total),
        "meta_html": meta,
        # What "All delivered" will now mark: the tap changed what is left unlogged.
        "all_delivered_html": render_to_string(
            "logbook/checkin_all_delivered.html",
            {"all_delivered": all_delivered_summary(provisions, day, logged_ids)},
            request=request,
        ),
    }


@login_required
@posted_from_checkin
def save_details(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Save the optional details of one provision's entry (and evidence), or show the errors."""
    access, provision = _posted_provision(request, public_id)
    child = access.obj
    day = parse_day(request.POST.get("date"))
    if day is None:
        messages.error(request, _("The day is missing or not a date; nothing was saved."))
        return redirect(checkin_url(child))
    form = EntryDetailsForm(
        request.POST,
        request.FILES,
        provision=provision,
        entry=_live_entry(provision, day),
        circumstances=services.circumstance_codes(child),
        contacts=list(child.contacts.all()),
    )
    if form.is_valid():
        try:
            recorded = form.save(child=child, day=day, user=current_user(request))
        except ValidationError as exc:
            form.add_service_errors(exc)
        else:
            files = len(form.cleaned_data.get("evidence") or [])
            if recorded.created or recorded.changed or files:
                row_message(request, messages.SUCCESS, _("Details saved."), provision)
            else:
                row_message(request, messages.INFO, _("Nothing changed."), provision)
            return redirect(checkin_url(child, day, provision))
    # Shown again as typed (200, as every form page), the errors beside the fields.
    return _page(request, access, day, bound=form)


@login_required
@require_POST
def add_circumstance(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Add a circumstance to the household's list (editors and owners)."""
    access = get_child(request.user, public_id, Need.WRITE)
    child = access.obj
    day = parse_day(request.POST.get("date"))
    provision_id = parse_uuid(request.POST.get("provision"))
    back = checkin_url(child, day) + (f"#p-{provision_id}" if provision_id else "")
    provision = (
        Provision.objects.filter(public_id=provision_id, plan__child=child).first()
        if provision_id
        else None
    )

    def say(level: int, text: str) -> None:
        if provision is not None:
            row_message(request, level, text, provision)
        else:
            messages.add_message(request, level, text)

    form = CircumstanceForm(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            say(messages.ERROR, _("Circumstance not added: %(e)s") % {"e": errors[0]})
        return redirect(back)
    label = form.cleaned_data["label"]
    codes = services.circumstance_codes(child)
    if label.casefold() in {existing.casefold() for existing in codes.values()}:
        say(messages.ERROR, _("“%(label)s” is already in the list.") % {"label": label})
        return redirect(back)
    add_to_list(child, label, student_side=form.cleaned_data["student_side"])
    say(messages.SUCCESS, _("Added “%(label)s” to your list of circumstances.") % {"label": label})
    return redirect(back)
