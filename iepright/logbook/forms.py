"""Forms of the daily log: an entry's optional details, and a household's own circumstance."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import QueryDict
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from iepright.accounts.models import User
from iepright.correspondence.models import Contact
from iepright.logbook import services
from iepright.logbook.models import Circumstance, Entry, Source, Status
from iepright.plans.models import Child, Provision
from iepright.rules import entries as rules
from iepright.uploads import check_upload

EVIDENCE_ACCEPT = "image/*,application/pdf"


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """A file input that takes several files at once; cleans to a list (maybe empty)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": EVIDENCE_ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile[bytes]]:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class EntryDetailsForm(forms.Form):
    """The optional details of one provision on one day, plus its status.

    The status is here too so that a parent without JavaScript can set everything in one
    submit; details saved without any status are refused (the service says so on `status`).
    """

    status = forms.ChoiceField(label=gettext_lazy("Status"), required=False)
    circumstances = forms.MultipleChoiceField(
        label=gettext_lazy("What got in the way (circumstances)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    source = forms.ChoiceField(label=gettext_lazy("How you know"), required=False)
    # Lengths and values are checked by the entry rules (rules/entries.py, in clean()), so the
    # page refuses what the API refuses, in the same words; the widgets only carry the limits.
    reported_by = forms.CharField(
        label=gettext_lazy("Who saw or reported it"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": rules.MAX_REPORTED_BY}),
        help_text=gettext_lazy("A name in your own words, or choose a school contact below."),
    )
    reported_contact = forms.ChoiceField(label=gettext_lazy("School contact"), required=False)
    minutes_delivered = forms.IntegerField(
        label=gettext_lazy("Minutes delivered"),
        required=False,
        widget=forms.NumberInput(attrs={"min": 0}),
    )
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "maxlength": rules.MAX_NOTE}),
    )
    reason = forms.CharField(
        label=gettext_lazy("Reason for the change"),
        required=False,
        widget=forms.TextInput(attrs={"maxlength": rules.MAX_REASON}),
        help_text=gettext_lazy("Kept in the entry's history."),
    )
    evidence = MultipleFileField(
        label=gettext_lazy("Photos or documents"),
        required=False,
        help_text=gettext_lazy("Photos (JPEG, PNG, GIF, WebP, HEIC) or PDF. You can pick several."),
    )
    new_circumstance = forms.CharField(
        label=gettext_lazy("Something else got in the way"),
        required=False,
        max_length=100,
        help_text=gettext_lazy("Added to your household's list and ticked for this entry."),
    )
    new_circumstance_student_side = forms.BooleanField(
        label=gettext_lazy("Caused by the student (for example absent or refused)"),
        required=False,
    )
    # The entry's revision count when the form was shown ("" for no entry yet): a save from a
    # form older than the entry is refused instead of undoing someone's newer change.
    revision = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=0)

    def __init__(
        self,
        data: Any = None,
        files: Any = None,
        *,
        provision: Provision,
        entry: Entry | None,
        circumstances: dict[str, str],
        contacts: Sequence[Contact],
        **kwargs: Any,
    ) -> None:
        # Ids unique per provision: the check-in page shows one form per provision.
        kwargs.setdefault("auto_id", f"d{provision.public_id.hex[:12]}-%s")
        super().__init__(data, files, **kwargs)
        self.provision = provision
        self.entry = entry
        self.contacts = {str(c.public_id): c for c in contacts}
        fields = self.fields
        status_field = fields["status"]
        assert isinstance(status_field, forms.ChoiceField)
        status_field.choices = [("", _("Choose a status")), *Status.choices]
        circumstance_field = fields["circumstances"]
        assert isinstance(circumstance_field, forms.ChoiceField)
        circumstance_field.choices = list(circumstances.items())
        self.circumstance_codes = frozenset(circumstances)
        source_field = fields["source"]
        assert isinstance(source_field, forms.ChoiceField)
        source_field.choices = [("", _("Not said")), *Source.choices]
        contact_field = fields["reported_contact"]
        assert isinstance(contact_field, forms.ChoiceField)
        contact_field.choices = [("", _("None")), *((k, str(c)) for k, c in self.contacts.items())]
        session = provision.minutes_per_session
        if session:
            fields["minutes_delivered"].help_text = _(
                "One session is %(minutes)s minutes. Partly means fewer than %(minutes)s."
            ) % {"minutes": session}
        if entry is not None:
            contact = entry.reported_contact
            self.initial.update(
                status=entry.status,
                circumstances=list(entry.circumstances),
                source=entry.source,
                reported_by=entry.reported_by,
                reported_contact=str(contact.public_id) if contact else "",
                minutes_delivered=entry.minutes_delivered,
                note=entry.note,
                revision=entry.revision_count,
            )

    def clean(self) -> dict[str, Any]:
        """Check the entry as the service will, so errors show on their fields."""
        cleaned = super().clean() or {}
        checked = rules.check_entry(
            self.fields_to_record(),
            terms=services.terms_of(self.provision),
            stored=(
                rules.Stored(self.entry.status, self.entry.minutes_delivered)
                if self.entry is not None
                else None
            ),
            circumstances=self.circumstance_codes,
            sources=Source.values,
        )
        _reason, reason_problem = rules.check_reason(cleaned.get("reason") or "")
        for problem in [*checked.problems, *([reason_problem] if reason_problem else [])]:
            name = problem.field if problem.field in self.fields else None
            if name is None or name not in self.errors:
                self.add_error(name, problem.text(_))
        return cleaned

    def clean_new_circumstance(self) -> str:
        return " ".join((self.cleaned_data.get("new_circumstance") or "").split())

    def clean_evidence(self) -> list[UploadedFile[bytes]]:
        # Check every file (type by content, size cap) before anything is written, so one bad
        # file among several stores nothing at all.
        files: list[UploadedFile[bytes]] = self.cleaned_data.get("evidence") or []
        for upload in files:
            try:
                check_upload(upload, allowed=services.EVIDENCE_TYPES, field="evidence")
            except ValidationError as exc:
                raise ValidationError(
                    [f"{upload.name}: {message}" for message in exc.message_dict["evidence"]]
                ) from None
        return files

    def fields_to_record(self) -> dict[str, Any]:
        """Return the fields for services.record_entry, from the cleaned data."""
        data = self.cleaned_data
        contact_id = data.get("reported_contact") or ""
        fields: dict[str, Any] = {
            "circumstances": data.get("circumstances") or [],
            "source": data.get("source") or "",
            "reported_by": data.get("reported_by") or "",
            "reported_contact": self.contacts.get(contact_id),
            "note": data.get("note") or "",
        }
        status = data.get("status") or ""
        if status:
            fields["status"] = status
        minutes = data.get("minutes_delivered")
        if self.provision.is_service():
            status_changed = self.entry is not None and status and status != self.entry.status
            # A new status with the minutes left as they were: let the service pick the minutes
            # that go with the status (full session, or none) instead of refusing the old ones.
            if not (status_changed and "minutes_delivered" not in self.changed_data):
                fields["minutes_delivered"] = minutes
        elif minutes is not None:
            fields["minutes_delivered"] = minutes  # refused by the service, naming the field
        return fields

    def add_service_errors(self, exc: ValidationError) -> None:
        """Show a service's ValidationError on the fields it names (others above the form)."""
        if not hasattr(exc, "error_dict"):
            self.add_error(None, exc.messages)
            return
        for name, messages in exc.message_dict.items():
            self.add_error(name if name in self.fields else None, messages)

    def check_revision(self, day: date) -> Entry | None:
        """Return the day's live entry, refusing a save from a form shown before it last changed.

        Called inside the transaction that writes, so nobody can change the entry in between.
        A form posted without the field at all (a page from before it existed) is not checked.
        """
        current = (
            Entry.objects.select_for_update()
            .filter(provision=self.provision, event_date=day, deleted_at__isnull=True)
            .order_by("pk")
            .first()
        )
        if "revision" not in self.data:
            return current
        posted = self.cleaned_data.get("revision")
        now = current.revision_count if current is not None else None
        if posted == now:
            return current
        # Shown again with the current revision, so that saving again keeps what was typed.
        data = QueryDict(mutable=True)
        data.update(self.data)
        data["revision"] = "" if now is None else str(now)
        self.data = data
        self.entry = current
        raise StaleForm(
            _(
                "Not saved: this entry was changed (by a tap, or by someone else) after you "
                "opened this form. What is saved now is shown above the form; what you typed "
                "is kept below. Check it, then save again to replace the saved details."
            )
        )

    def circumstances_with_new(self, child: Child) -> list[str]:
        """Return the ticked codes, plus the typed new circumstance (added to the list)."""
        codes: list[str] = list(self.cleaned_data.get("circumstances") or [])
        label = self.cleaned_data.get("new_circumstance") or ""
        if not label:
            return codes
        code = add_circumstance(
            child,
            label,
            student_side=bool(self.cleaned_data.get("new_circumstance_student_side")),
        )
        if code not in codes:
            codes.append(code)
        return codes

    @transaction.atomic
    def save(self, *, child: Child, day: date, user: User) -> services.Recorded:
        """Record the entry and attach the evidence: all of it, or nothing."""
        current = self.check_revision(day)
        fields = self.fields_to_record()
        fields["circumstances"] = self.circumstances_with_new(child)
        reason = self.cleaned_data.get("reason") or ""
        if current is not None:
            # That very entry, even when its provision has since ended before this day.
            recorded = services.update_entry(
                current, fields=fields, user=user, client="web", reason=reason
            )
        else:
            recorded = services.record_entry(
                child=child,
                provision=self.provision,
                event_date=day,
                fields=fields,
                user=user,
                client="web",
                reason=reason,
            )
        for upload in self.cleaned_data.get("evidence") or []:
            services.add_evidence(recorded.entry, upload, user=user, client="web")
        return recorded


class StaleForm(ValidationError):
    """The form was shown before the entry's latest change; nothing was saved."""


def _unique_code(label: str, taken: set[str]) -> str:
    base = slugify(label)[:50] or "custom"
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return code


def add_circumstance(child: Child, label: str, *, student_side: bool) -> str:
    """Return the code of the household's circumstance `label`, adding it if it is new."""
    codes = services.circumstance_codes(child)
    for code, existing in codes.items():
        if existing.casefold() == label.casefold():
            return code
    circumstance = Circumstance(
        household_id=child.household_id,
        code=_unique_code(label, set(codes)),
        label=label,
        student_side=student_side,
    )
    circumstance.full_clean()
    circumstance.save()
    return circumstance.code


class CircumstanceForm(forms.Form):
    """A circumstance the household adds to the built-in list."""

    label = forms.CharField(label=gettext_lazy("New circumstance"), max_length=100)
    student_side = forms.BooleanField(
        label=gettext_lazy("Caused by the student (for example absent or refused)"),
        required=False,
    )

    def clean_label(self) -> str:
        label: str = " ".join(self.cleaned_data["label"].split())
        if not label:
            raise ValidationError(_("Enter the circumstance in a few words."))
        return label


class ReasonForm(forms.Form):
    """An optional reason, kept in the history, for a deletion or a removal."""

    reason = forms.CharField(label=gettext_lazy("Reason"), required=False, max_length=500)
