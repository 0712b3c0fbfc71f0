"""One entry: its current state, its evidence, and its full revision history.

The history compares each revision's snapshot with the one before it, so a reader sees exactly
what changed (old → new), who changed it, when, from which client and why. A deleted entry is
kept and shown as deleted, with its history.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from uuid import UUID
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from iepright.accounts.access import Need
from iepright.accounts.views import current_user
from iepright.correspondence.models import Contact
from iepright.logbook import changes as late_changes
from iepright.logbook import services
from iepright.logbook.access import get_entry, get_evidence
from iepright.logbook.forms import EntryDetailsForm, ReasonForm
from iepright.logbook.models import STATUS_SYMBOL, Entry, EntryRevision, Source, Status
from iepright.logbook.views import checkin_url, row_message
from iepright.plans.models import Child

# Shown inline (thumbnails); anything else, PDFs included, is always downloaded.
INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}

FIELD_LABELS: dict[str, Any] = {
    "status": gettext_lazy("Status"),
    "circumstances": gettext_lazy("Circumstances"),
    "source": gettext_lazy("How you know"),
    "reported_by": gettext_lazy("Who saw or reported it"),
    "reported_contact": gettext_lazy("School contact"),
    "minutes_delivered": gettext_lazy("Minutes delivered"),
    "note": gettext_lazy("Note"),
    "evidence": gettext_lazy("Evidence"),
    "deleted": gettext_lazy("Deleted"),
    "event_date": gettext_lazy("School day"),
    "provision": gettext_lazy("Provision"),
}
NOTHING = "—"


@dataclass
class Change:
    field: str
    label: str
    old: str
    new: str


@dataclass
class RevisionView:
    revision: EntryRevision
    changes: list[Change]


class Describer:
    """Turn snapshot values into the words a reader sees (labels, names, not codes)."""

    def __init__(self, child: Child) -> None:
        self.codes = services.circumstance_codes(child)
        self.contacts = {
            str(public_id): name
            for public_id, name in Contact.objects.filter(child=child).values_list(
                "public_id", "name"
            )
        }

    def __call__(self, name: str, value: Any) -> str:
        if value in (None, "", []):
            return NOTHING
        if name == "status":
            return f"{STATUS_SYMBOL[Status(value)]} {Status(value).label}"
        if name == "source":
            return str(Source(value).label) if value in Source.values else str(value)
        if name == "circumstances":
            return ", ".join(self.codes.get(code, code) for code in value)
        if name == "reported_contact":
            return self.contacts.get(str(value), _("a contact no longer on file"))
        if name == "evidence":
            return ", ".join(item["name"] for item in value)
        if name == "deleted":
            return _("yes") if value else _("no")
        return str(value)


def changes(
    previous: dict[str, Any] | None, current: dict[str, Any], describe: Describer
) -> list[Change]:
    """Return what differs between two consecutive snapshots (the first: what was set)."""
    result = []
    for name, label in FIELD_LABELS.items():
        new = current.get(name)
        if previous is None:
            if name in ("provision", "event_date") or new in (None, "", [], False):
                continue
            old = None
        else:
            old = previous.get(name)
            if old == new:
                continue
        result.append(Change(name, str(label), describe(name, old), describe(name, new)))
    return result


def history(entry: Entry) -> list[RevisionView]:
    """Return the entry's revisions, oldest first, each with what it changed."""
    describe = Describer(entry.child)
    revisions = list(entry.revisions.select_related(None).order_by("number"))
    views, previous = [], None
    for revision in revisions:
        views.append(RevisionView(revision, changes(previous, revision.snapshot, describe)))
        previous = revision.snapshot
    return views


def _details_form(request: HttpRequest | None, entry: Entry) -> EntryDetailsForm:
    child = entry.child
    return EntryDetailsForm(
        request.POST if request else None,
        request.FILES if request else None,
        provision=entry.provision,
        entry=entry,
        circumstances=services.circumstance_codes(child),
        contacts=list(child.contacts.all()),
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Show one entry with its evidence and history; on POST (editors) change its details."""
    need = Need.WRITE if request.method == "POST" else Need.READ
    access = get_entry(request.user, public_id, need)
    entry = access.obj
    form: EntryDetailsForm | None = None
    if access.can_write and not entry.is_deleted():
        form = _details_form(request if request.method == "POST" else None, entry)
        if form.is_bound and form.is_valid():
            try:
                form.save(child=entry.child, day=entry.event_date, user=current_user(request))
            except ValidationError as exc:
                form.add_service_errors(exc)
            else:
                messages.success(request, _("Entry saved."))
                return redirect("entry_detail", public_id=entry.public_id)
    elif request.method == "POST":
        messages.error(request, _("This entry was deleted, so it cannot be changed."))
        return redirect("entry_detail", public_id=entry.public_id)
    evidence = list(entry.evidence.all())
    codes = services.circumstance_codes(entry.child)
    revisions = history(entry)
    late = late_changes.of_entry(
        entry, ZoneInfo(entry.child.household.timezone), [r.revision for r in revisions]
    )
    context = {
        "entry": entry,
        "child": entry.child,
        "provision": entry.provision,
        "tz": entry.child.household.timezone,
        "form": form,
        "can_write": access.can_write,
        "history": revisions,
        "evidence": [e for e in evidence if e.removed_at is None],
        "removed_evidence": [e for e in evidence if e.removed_at is not None],
        "inline_types": INLINE_TYPES,
        "circumstance_labels": [codes.get(code, code) for code in entry.circumstances],
        "late_changes": late_changes.texts(late, codes, late_changes.page_date),
        "checkin_url": checkin_url(entry.child, entry.event_date, entry.provision),
        "delete_form": ReasonForm(auto_id="delete-%s"),
        "deleted_by": _deleted_by(entry),
    }
    return render(request, "logbook/entry_detail.html", context)


def _deleted_by(entry: Entry) -> EntryRevision | None:
    if not entry.is_deleted():
        return None
    return entry.revisions.filter(action=EntryRevision.Action.DELETE).order_by("-number").first()


@login_required
@require_http_methods(["GET", "POST"])
def entry_delete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Ask to confirm (GET), then delete an entry: it is kept, shown as deleted in its history."""
    entry = get_entry(request.user, public_id, Need.WRITE).obj
    child = entry.child
    back = checkin_url(child, entry.event_date, entry.provision)
    if request.method == "GET":
        if entry.is_deleted():
            return redirect("entry_detail", public_id=entry.public_id)
        context = {
            "entry": entry,
            "child": child,
            "provision": entry.provision,
            "tz": child.household.timezone,
            "evidence": list(entry.evidence.filter(removed_at__isnull=True)),
            "circumstance_labels": [
                services.circumstance_codes(child).get(code, code) for code in entry.circumstances
            ],
            "checkin_url": back,
            "delete_form": ReasonForm(auto_id="delete-%s"),
        }
        return render(request, "logbook/entry_delete.html", context)
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    to_checkin = request.POST.get("back") == "checkin"
    try:
        services.delete_entry(entry, user=current_user(request), client="web", reason=reason)
    except ValidationError as exc:
        messages.error(request, str(exc.messages[0]))
    else:
        text = _("Entry deleted. It stays in the history, marked deleted.")
        if to_checkin:
            row_message(request, messages.SUCCESS, text, entry.provision)
            return redirect(back)
        messages.success(request, text)
    return redirect("entry_detail", public_id=entry.public_id)


@login_required
@require_GET
def evidence_download(request: HttpRequest, public_id: UUID) -> FileResponse:
    """Send an evidence file to a member: images inline (thumbnails), anything else attached."""
    evidence = get_evidence(request.user, public_id).obj
    inline = evidence.content_type in INLINE_TYPES and request.GET.get("download") != "1"
    try:
        handle = evidence.file.open("rb")
    except OSError as exc:
        raise Http404("The file is missing.") from exc
    response = FileResponse(
        handle,
        content_type=evidence.content_type,
        as_attachment=not inline,
        filename=evidence.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    # Even if a file slipped past the checks, the browser runs nothing from it.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


@login_required
@require_POST
def evidence_remove(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Detach evidence from its entry; the file and its hash stay in the history."""
    evidence = get_evidence(request.user, public_id, Need.WRITE).obj
    entry = evidence.entry
    form = ReasonForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    if evidence.removed_at is not None:
        messages.info(request, _("That file was already removed."))
    elif entry.is_deleted():
        messages.error(request, _("This entry was deleted, so it cannot be changed."))
    else:
        services.remove_evidence(evidence, user=current_user(request), client="web", reason=reason)
        messages.success(
            request,
            _("Removed %(name)s. It stays listed in the history.")
            % {"name": evidence.original_name},
        )
    return redirect("entry_detail", public_id=entry.public_id)
