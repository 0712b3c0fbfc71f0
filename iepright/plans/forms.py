"""Forms for children, plan versions, provisions and the school calendar.

Validation lives in the models' clean(): each ModelForm lets full_clean() decide, so a page and
the API refuse the same input with the same words. Form fields only parse (a date, a number).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from iepright.plans.models import (
    PROVISION_TERMS,
    SERVICE_TERMS,
    STATE_CHOICES,
    WEEKDAYS,
    CalendarEvent,
    Child,
    Plan,
    PlanType,
    Provision,
    SchoolCalendar,
)

POSITIVE = _("Enter a number greater than 0.")
PROVISION_TEXT_REQUIRED = _("Enter the provision's text, word for word from the IEP.")


def date_widget() -> forms.DateInput:
    """Return a native date picker that shows dates as the browser expects (YYYY-MM-DD)."""
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def add_errors(form: forms.BaseForm, exc: ValidationError, fallback: str | None = None) -> None:
    """Put a service's ValidationError on the form: on its fields, else on `fallback`."""
    if not hasattr(exc, "error_dict"):
        form.add_error(fallback, exc)
        return
    for name, errors in exc.error_dict.items():
        form.add_error(name if name in form.fields else fallback, errors)


def choose(field: forms.Field, empty_label: Any) -> None:
    """Give a select's empty first choice plain words instead of "---------"."""
    assert isinstance(field, forms.ChoiceField)
    choices = list(cast("Iterable[tuple[Any, Any]]", field.choices))
    if choices and choices[0][0] == "":
        field.choices = [("", empty_label), *choices[1:]]


class ModelMessagesForm(forms.ModelForm):  # type: ignore[type-arg]
    """A ModelForm whose messages are the model's own, each said once.

    ModelForm runs the model's full_clean() after the form's clean(). A field the form could
    not read (not a date, not a number) keeps only that message: the model, seeing no value,
    would add a second one that does not help. Two identical messages are shown once.
    """

    unreadable: dict[str, int]

    def add_error(self, field: str | None, error: Any) -> None:
        # The model may refuse a field this form does not show (a provision's end date checked
        # while ending it); say so above the form, naming the field, instead of failing.
        if isinstance(error, ValidationError) and hasattr(error, "error_dict"):
            remapped: dict[str, list[ValidationError]] = {}
            for name, errors in error.error_dict.items():
                if name == NON_FIELD_ERRORS or name in self.fields:
                    remapped.setdefault(name, []).extend(errors)
                    continue
                label = capfirst(self.instance._meta.get_field(name).verbose_name)
                remapped.setdefault(NON_FIELD_ERRORS, []).extend(
                    ValidationError(f"{label}: {message}") for e in errors for message in e
                )
            error = ValidationError(remapped)
        super().add_error(field, error)

    def clean(self) -> None:
        super().clean()
        # Runs after the fields are read and before the model's own validation.
        self.unreadable = {name: len(errors) for name, errors in self.errors.items()}

    def full_clean(self) -> None:
        self.unreadable = {}
        super().full_clean()
        for name, errors in self.errors.items():
            kept = errors.as_data()[: self.unreadable.get(name)]
            seen: set[str] = set()
            unique: list[ValidationError] = []
            for error in kept:
                key = " ".join(error.messages)
                if key not in seen:
                    seen.add(key)
                    unique.append(error)
            errors.data[:] = unique


# Children ----------------------------------------------------------------------------------


class StateField(forms.ChoiceField):
    """A US state or territory by its two-letter code; lower case is accepted."""

    def to_python(self, value: Any) -> str:
        return str(super().to_python(value)).strip().upper()


def _by_name(choice: tuple[str, str]) -> str:
    return choice[1].casefold()


def state_choices() -> list[tuple[str, Any]]:
    return [
        ("", _("Choose a state")),
        # Sorted by the name the reader sees (Nueva York, Carolina del Norte...).
        *sorted(((code, f"{name} ({code})") for code, name in STATE_CHOICES), key=_by_name),
    ]


class ChildForm(ModelMessagesForm):
    state = StateField(
        label=_("State"),
        choices=state_choices,
        help_text=_("The state where the child goes to school. Its rules set some deadlines."),
        error_messages={
            "required": _("Choose the state where the child goes to school."),
            "invalid_choice": _(
                "“%(value)s” is not a US state or territory. Choose one from the list."
            ),
        },
    )

    class Meta:
        model = Child
        fields = ["name", "date_of_birth", "grade", "school", "district", "state"]
        labels = {"name": _("Child's name"), "district": _("School district")}
        help_texts = {"grade": _("For example: 4, or Pre-K.")}
        widgets = {"date_of_birth": date_widget()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["name"].widget.attrs["autocomplete"] = "off"
        self.fields["name"].error_messages["required"] = _("Enter your child's name.")


class ConfirmForm(forms.Form):
    """An empty form: the POST itself is the confirmation."""


# Plans -------------------------------------------------------------------------------------


class PlanForm(ModelMessagesForm):
    class Meta:
        model = Plan
        fields = ["plan_type", "label", "meeting_date", "start_date", "end_date"]
        labels = {
            "plan_type": _("Type of plan"),
            "label": _("Name for this version"),
            "start_date": _("Start date (the date it takes effect)"),
            "end_date": _("End date"),
        }
        help_texts = {
            "meeting_date": _("The date of the meeting where the plan was agreed."),
            "end_date": _("Usually one year after the start, or the next annual review."),
        }
        widgets = {
            "plan_type": forms.RadioSelect,
            "meeting_date": date_widget(),
            "start_date": date_widget(),
            "end_date": date_widget(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plan_type = self.fields["plan_type"]
        assert isinstance(plan_type, forms.ChoiceField)
        plan_type.choices = PlanType.choices


class CopyPlanForm(forms.Form):
    label = forms.CharField(
        label=_("Name for the new version"),
        max_length=120,
        required=False,
        help_text=_("For example: Amendment, or Annual IEP 2027."),
    )
    meeting_date = forms.DateField(label=_("Meeting date"), required=False, widget=date_widget())
    start_date = forms.DateField(
        label=_("Start date of the new version"),
        help_text=_("The previous version stays as it was, for the days before this date."),
        widget=date_widget(),
    )
    end_date = forms.DateField(label=_("End date of the new version"), widget=date_widget())


class DocumentForm(forms.Form):
    document = forms.FileField(
        label=_("Signed copy (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The limit is read when the form is built, so a changed setting shows at once.
        self.fields["document"].help_text = _("A PDF of the signed plan, up to %(mb)s MB.") % {
            "mb": settings.MAX_UPLOAD_MB
        }


# Provisions --------------------------------------------------------------------------------


def _positive_number(label: Any, help_text: Any = "") -> forms.IntegerField:
    # No min_value here: the model's rule ("greater than 0") decides, in the model's words;
    # its field validator's message (code "min_value") is replaced by the same words.
    return forms.IntegerField(
        label=label,
        required=False,
        help_text=help_text,
        error_messages={"min_value": POSITIVE, "invalid": _("Enter a whole number.")},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "1"}),
    )


class ProvisionForm(ModelMessagesForm):
    sessions_per_period = _positive_number(
        _("Sessions"), _("How many times per period. For “2 × 30 minutes weekly”, enter 2.")
    )
    minutes_per_session = _positive_number(
        _("Minutes per session"), _("For “2 × 30 minutes weekly”, enter 30.")
    )
    weekdays = forms.MultipleChoiceField(
        label=_("Usual days"),
        choices=WEEKDAYS,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_(
            "Only if the IEP's service grid names the days, such as Tuesday and Thursday. "
            "Marking a whole day delivered on the check-in page includes a weekly service only "
            "on its usual days."
        ),
        error_messages={"invalid_choice": _("Choose days of the week from the list.")},
    )

    class Meta:
        model = Provision
        fields = list(PROVISION_TERMS)
        labels = {
            "category": _("Kind of provision"),
            "text": _("Exact words from the IEP"),
            "applies": _("Where or when it applies"),
            "period": _("Per day, week, month or year"),
            "provider_role": _("Provider (their role, such as speech-language pathologist)"),
            "start_date": _("Service start date"),
            "end_date": _("Service end date"),
        }
        help_texts = {
            "text": _("Copy it word for word, line breaks and all. This is what you will quote."),
            "start_date": _("Only if it differs from the plan's start date."),
            "end_date": _("Only if it differs from the plan's end date."),
            "setting": _("For example: speech room, resource room, general education class."),
            "group_size": _("For example: individual, small group of 3."),
        }
        widgets = {
            "text": forms.Textarea(attrs={"rows": 6}),
            "start_date": date_widget(),
            "end_date": date_widget(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        text = self.fields["text"]
        assert isinstance(text, forms.CharField)
        text.strip = False  # keep the IEP's line breaks and spacing; the model trims the ends
        text.error_messages["required"] = PROVISION_TEXT_REQUIRED
        choose(self.fields["category"], _("Choose a kind"))
        self.fields["category"].error_messages["required"] = _(
            "Choose what kind of provision this is."
        )
        for name in ("period", "location", "delivery"):
            choose(self.fields[name], _("Not stated"))
        # The model stores "24"; the tick boxes want one value per ticked day.
        if not self.is_bound:
            self.initial["weekdays"] = list(self.instance.weekdays or "")

    def main_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("category", "text", "applies")]

    def service_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in SERVICE_TERMS]

    def clean_weekdays(self) -> str:
        return "".join(sorted(set(self.cleaned_data.get("weekdays") or [])))

    def clean_text(self) -> str:
        value = str(self.cleaned_data.get("text") or "")
        if not value.strip():
            raise ValidationError(PROVISION_TEXT_REQUIRED, code="required")
        return value


class EndProvisionForm(ModelMessagesForm):
    class Meta:
        model = Provision
        fields = ["ended_on", "ended_reason"]
        labels = {
            "ended_on": _("Last day it was in effect"),
            "ended_reason": _("Why it ended"),
        }
        help_texts = {
            "ended_reason": _("For example: removed at the IEP meeting of March 3."),
        }
        widgets = {"ended_on": date_widget()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ended_on"].required = True
        self.fields["ended_on"].error_messages["required"] = _("Enter the last day.")


# School calendar ---------------------------------------------------------------------------


class SchoolCalendarForm(ModelMessagesForm):
    weekdays = forms.MultipleChoiceField(
        label=_("Days of the week school meets"),
        choices=WEEKDAYS,
        initial=["1", "2", "3", "4", "5"],
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Tick at least one day of the week.")},
    )

    class Meta:
        model = SchoolCalendar
        fields = ["school_year", "first_day", "last_day", "weekdays"]
        labels = {"first_day": _("First day of school"), "last_day": _("Last day of school")}
        widgets = {"first_day": date_widget(), "last_day": date_widget()}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The model stores "12345"; the checkboxes want one value per ticked day.
        if not self.is_bound:
            self.initial["weekdays"] = list(self.instance.weekdays or "12345")
        self.fields["school_year"].widget.attrs.update(
            {"placeholder": "2026-2027", "inputmode": "numeric"}
        )

    def clean_weekdays(self) -> str:
        return "".join(sorted(set(self.cleaned_data.get("weekdays") or [])))


class CalendarEventForm(ModelMessagesForm):
    class Meta:
        model = CalendarEvent
        fields = ["kind", "name", "start_date", "end_date"]
        labels = {
            "kind": _("What kind of day"),
            "name": _("Name"),
            "start_date": _("First day"),
            "end_date": _("Last day"),
        }
        help_texts = {
            "name": _("For example: Thanksgiving break."),
            "end_date": _("Leave empty for a single day."),
        }
        widgets = {
            "kind": forms.RadioSelect,
            "start_date": date_widget(),
            "end_date": date_widget(),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["end_date"].required = False
        kind = self.fields["kind"]
        assert isinstance(kind, forms.ChoiceField)
        kind.choices = CalendarEvent.Kind.choices

    def clean(self) -> None:
        super().clean()
        cleaned = self.cleaned_data
        if (
            cleaned.get("start_date")
            and not cleaned.get("end_date")
            and not self.has_error("end_date")
        ):
            cleaned["end_date"] = cleaned["start_date"]  # a single day


class IcsImportForm(forms.Form):
    file = forms.FileField(
        label=_("Calendar file (.ics)"),
        help_text=_(
            "Download the district calendar as an iCalendar file (it ends in .ics), then choose "
            "it here. Holidays, breaks and early-release days are added; you can check them after."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".ics,text/calendar"}),
    )


class DayForm(forms.Form):
    """Ask about one date (GET)."""

    day = forms.DateField(label=_("Date"), widget=date_widget())


class RangeForm(forms.Form):
    """Count school days between two dates (GET)."""

    start = forms.DateField(label=_("From"), widget=date_widget())
    end = forms.DateField(label=_("To (included)"), widget=date_widget())

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The “to” date is before the “from” date."))
        return cleaned
