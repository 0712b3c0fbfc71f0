"""What the IEP promises: children, plan versions, provisions, and each child's school calendar."""

from __future__ import annotations

import re
import uuid
from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from iepright.accounts.models import Household
from iepright.rules import schedule
from iepright.rules.states import STATES

# Names are translated where shown (get_state_display, the form's list); codes are stored.
STATE_CHOICES = [(code, _(name)) for code, name in sorted(STATES.items(), key=lambda i: i[1])]


# Of the plan versions covering a day, the one in force: the latest start date, then the one made
# last (an amendment copied on the same day), then the latest row.
IN_FORCE_ORDER = ("-start_date", "-created", "-id")


class Child(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    household = models.ForeignKey(Household, models.CASCADE, related_name="children")
    name = models.CharField(_("child's name"), max_length=200)
    date_of_birth = models.DateField(_("date of birth"), null=True, blank=True)
    grade = models.CharField(_("grade"), max_length=40, blank=True)
    school = models.CharField(_("school"), max_length=200, blank=True)
    district = models.CharField(_("school district"), max_length=200, blank=True)
    state = models.CharField(
        _("state"),
        max_length=2,
        choices=STATE_CHOICES,
        help_text=_("Two-letter code, such as TX. State rules depend on it."),
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]
        verbose_name_plural = "children"

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        self.state = (self.state or "").upper()
        if self.date_of_birth and self.date_of_birth > date.today():
            raise ValidationError({"date_of_birth": _("The date of birth is in the future.")})

    def timezone_name(self) -> str:
        """Return the household's time zone, in which this child's school dates are computed."""
        return self.household.timezone

    def plans_in_force(self, day: date) -> models.QuerySet[Plan]:
        """Return the plan versions covering `day`, the one in force first (IN_FORCE_ORDER)."""
        return self.plans.filter(start_date__lte=day, end_date__gte=day).order_by(*IN_FORCE_ORDER)

    def plan_in_force(self, day: date) -> Plan | None:
        """Return the plan version in effect on `day`: the latest start date on or before it."""
        return self.plans_in_force(day).first()


class PlanType(models.TextChoices):
    IEP = "iep", _("IEP")
    SECTION_504 = "504", _("504 plan")


def plan_document_path(instance: Plan, filename: str) -> str:
    """Return a storage path that reveals nothing about the child: a random name."""
    return f"plans/{filename}"


class Plan(models.Model):
    """One version of a child's IEP or 504 plan; an amendment is a new version, own start."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(Child, models.CASCADE, related_name="plans")
    plan_type = models.CharField(
        _("type"), max_length=8, choices=PlanType.choices, default=PlanType.IEP
    )
    label = models.CharField(
        _("label"), max_length=120, blank=True, help_text=_("For example: Annual IEP, Amendment.")
    )
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    start_date = models.DateField(_("start (effective) date"))
    end_date = models.DateField(_("end date"))
    document = models.FileField(_("signed copy (PDF)"), upload_to=plan_document_path, blank=True)
    document_name = models.CharField(max_length=200, blank=True)
    document_size = models.PositiveBigIntegerField(null=True, blank=True)
    document_sha256 = models.CharField(max_length=64, blank=True)
    copied_from = models.ForeignKey(
        "self", models.SET_NULL, null=True, blank=True, related_name="copies"
    )
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = list(IN_FORCE_ORDER)

    def __str__(self) -> str:
        return (
            f"{self.get_plan_type_display()} {self.start_date:%Y-%m-%d} – {self.end_date:%Y-%m-%d}"
        )

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date is before the start date.")
        if self.meeting_date and self.end_date and self.meeting_date > self.end_date:
            errors["meeting_date"] = _("The meeting date is after the plan's end date.")
        if errors:
            raise ValidationError(errors)

    def title(self) -> str:
        """Return the plan's name as a parent would say it."""
        return str(self.label or self.get_plan_type_display())

    def is_in_force(self, day: date) -> bool:
        """Return True if `day` falls within this version's dates."""
        return self.start_date <= day <= self.end_date

    def services(self) -> list[Provision]:
        """Return the provisions that have a frequency and minutes (the service grid)."""
        return [p for p in self.provisions.all() if p.is_service()]

    def accommodations(self) -> list[Provision]:
        """Return the provisions that are not timed services."""
        return [p for p in self.provisions.all() if not p.is_service()]


class Category(models.TextChoices):
    ACCOMMODATION = "accommodation", _("Accommodation")
    TESTING_ACCOMMODATION = "testing_accommodation", _("Testing accommodation")
    PROGRAM_MODIFICATION = "program_modification", _("Modification")
    SUPPLEMENTARY_AID = "supplementary_aid", _("Supplementary aid")
    SPECIAL_EDUCATION = "special_education", _("Special education service")
    RELATED_SERVICE = "related_service", _("Related service")
    PERSONNEL_SUPPORT = "personnel_support", _("Support for school personnel")
    OTHER = "other", _("Other")


SERVICE_CATEGORIES = {Category.SPECIAL_EDUCATION, Category.RELATED_SERVICE}


# ISO weekday digits, as the school calendar and a service's usual days store them.
WEEKDAYS = [
    ("1", _("Monday")),
    ("2", _("Tuesday")),
    ("3", _("Wednesday")),
    ("4", _("Thursday")),
    ("5", _("Friday")),
    ("6", _("Saturday")),
    ("7", _("Sunday")),
]


class Period(models.TextChoices):
    DAY = "day", _("day")
    WEEK = "week", _("week")
    MONTH = "month", _("month")
    YEAR = "year", _("year")
    PER_EVENT = "per_event", _("each time it applies")


class Location(models.TextChoices):
    GENERAL_EDUCATION = "general_education", _("General education")
    OUTSIDE_GENERAL_EDUCATION = "outside_general_education", _("Outside general education")
    OTHER = "other", _("Other")


class Delivery(models.TextChoices):
    DIRECT = "direct", _("Direct")
    INDIRECT = "indirect", _("Indirect")
    CONSULT = "consult", _("Consult")


class Provision(models.Model):
    """One promise of the IEP, in the IEP's exact words (34 CFR 300.320(a)(4), (a)(6), (a)(7))."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(Plan, models.CASCADE, related_name="provisions")
    position = models.PositiveIntegerField(default=0)
    category = models.CharField(_("category"), max_length=32, choices=Category.choices)
    text = models.TextField(_("exact text from the IEP"))
    applies = models.CharField(
        _("where / when it applies"),
        max_length=300,
        blank=True,
        help_text=_("For example: all classes, math, each test or quiz."),
    )
    sessions_per_period = models.PositiveIntegerField(_("sessions"), null=True, blank=True)
    minutes_per_session = models.PositiveIntegerField(
        _("minutes per session"), null=True, blank=True
    )
    period = models.CharField(_("how often"), max_length=16, choices=Period.choices, blank=True)
    weekdays = models.CharField(
        _("usual days"),
        max_length=7,
        blank=True,
        help_text=_("ISO weekday numbers from the service grid: 1 = Monday … 7 = Sunday."),
    )
    location = models.CharField(_("location"), max_length=32, choices=Location.choices, blank=True)
    setting = models.CharField(_("setting"), max_length=200, blank=True)
    provider_role = models.CharField(_("provider (role)"), max_length=200, blank=True)
    delivery = models.CharField(_("delivery"), max_length=16, choices=Delivery.choices, blank=True)
    group_size = models.CharField(_("group size"), max_length=100, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    ended_on = models.DateField(
        _("last day in effect"),
        null=True,
        blank=True,
        help_text=_("Set when the school stops this provision before the plan ends."),
    )
    ended_reason = models.CharField(_("why it ended"), max_length=300, blank=True)
    created = models.DateTimeField(default=timezone.now)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        self.text = (self.text or "").strip()
        if not self.text:
            errors["text"] = _("Enter the provision's text, word for word from the IEP.")
        for field in ("sessions_per_period", "minutes_per_session"):
            value = getattr(self, field)
            if value is not None and value <= 0:
                errors[field] = _("Enter a number greater than 0.")
        if self.sessions_per_period and not self.period:
            errors["period"] = _("Say how often: per day, week, month, year or each time.")
        if (
            self.category in SERVICE_CATEGORIES
            and not self.minutes_per_session
            and self.sessions_per_period
            and not errors
        ):
            errors["minutes_per_session"] = _("Enter the minutes per session.")
        self.weekdays = "".join(sorted(self.weekdays or ""))
        problem = schedule.check_usual_days(
            self.weekdays,
            period=self.period,
            is_service=self.is_service(),
            sessions_per_period=self.sessions_per_period,
        )
        if problem:
            errors.setdefault("weekdays", gettext(problem) % {"sessions": self.sessions_per_period})
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date is before the start date.")
        plan = self.plan if self.plan_id else None
        if plan is not None:
            if self.start_date and not plan.is_in_force(self.start_date):
                errors.setdefault("start_date", _("The start date is outside the plan's dates."))
            if self.end_date and not plan.is_in_force(self.end_date):
                errors.setdefault("end_date", _("The end date is outside the plan's dates."))
            if self.ended_on and not (
                self.effective_start() <= self.ended_on <= (self.end_date or plan.end_date)
            ):
                errors["ended_on"] = _("The last day must fall within the provision's dates.")
        if errors:
            raise ValidationError(errors)

    def is_service(self) -> bool:
        """Return True if the provision is a timed service (minutes per session)."""
        return self.minutes_per_session is not None

    def schedule(self) -> schedule.Schedule:
        """Return when the plan says the provision is given, for the rule in rules/schedule."""
        return schedule.Schedule(
            period=self.period, is_service=self.is_service(), usual_days=self.weekdays
        )

    def weekday_names(self) -> str:
        """Return the usual days as the reader says them, e.g. "Tuesday, Thursday"."""
        names = dict(WEEKDAYS)
        return ", ".join(str(names[c]) for c in self.weekdays if c in names)

    def effective_start(self) -> date:
        """Return the first day the provision applies: its own start, else the plan's."""
        return self.start_date or self.plan.start_date

    def effective_end(self) -> date:
        """Return the last day it applies: the earliest of its end, the plan's end, ended_on."""
        ends = [self.end_date or self.plan.end_date]
        if self.ended_on:
            ends.append(self.ended_on)
        return min(ends)

    def in_effect_on(self, day: date) -> bool:
        """Return True if the provision applies on `day`."""
        return self.effective_start() <= day <= self.effective_end()

    def is_ended(self) -> bool:
        """Return True if the parent recorded that the school stopped this provision."""
        return self.ended_on is not None

    def frequency_text(self) -> str:
        """Return the frequency as the grid shows it, e.g. "2 × 30 min per week"."""
        from django.utils.translation import gettext

        if self.period == Period.PER_EVENT:
            return gettext("each time it applies")
        if not self.period:
            return ""
        values = {
            "n": self.sessions_per_period,
            "minutes": self.minutes_per_session,
            "period": self.get_period_display(),
        }
        if self.sessions_per_period and self.minutes_per_session:
            return gettext("%(n)s × %(minutes)s min per %(period)s") % values
        if self.sessions_per_period:
            return gettext("%(n)s × per %(period)s") % values
        if self.minutes_per_session:
            return gettext("%(minutes)s min per %(period)s") % values
        return gettext("every %(period)s") % values

    def minutes_per_period(self) -> int | None:
        """Return the minutes required per period (sessions × minutes), if both are set."""
        if self.sessions_per_period and self.minutes_per_session:
            return self.sessions_per_period * self.minutes_per_session
        return None


_SCHOOL_YEAR = re.compile(r"^(\d{4})-(\d{4})$")


# A timed service's terms (the IEP's service grid), and what a change to a provision records
# (ProvisionChange): its words and those terms.
SERVICE_TERMS = (
    "sessions_per_period",
    "minutes_per_session",
    "period",
    "weekdays",
    "location",
    "setting",
    "provider_role",
    "delivery",
    "group_size",
    "start_date",
    "end_date",
)
PROVISION_TERMS = ("category", "text", "applies", *SERVICE_TERMS)


class ProvisionChange(models.Model):
    """A change to a provision made after its log had entries: what it said before and after.

    The log's entries point at the provision, so a change to its words or minutes changes how
    every entry already logged is shown and counted. It is kept, with who and when, and shown
    on the provision's log page, so a reader can tell what the entries were logged against.
    """

    provision = models.ForeignKey(Provision, models.CASCADE, related_name="changes")
    changed_at = models.DateTimeField(default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, models.SET_NULL, null=True, related_name="+"
    )
    changed_by_name = models.CharField(max_length=200)
    client = models.CharField(max_length=120, blank=True)
    before = models.JSONField()  # {term: value} for the terms that changed
    after = models.JSONField()
    entries = models.PositiveIntegerField()  # log entries for the provision at the time

    class Meta:
        ordering = ["changed_at", "id"]

    def __str__(self) -> str:
        return f"{self.changed_at:%Y-%m-%d} {', '.join(self.after)}"

    def rows(self) -> list[tuple[str, Any, Any]]:
        """Return (label, before, after) for each term changed, in the form's order."""
        fields = {f.name: f for f in Provision._meta.concrete_fields}

        def shown(name: str, value: Any) -> Any:
            choices = dict(fields[name].flatchoices)
            return choices.get(value, value) if choices and value else value

        return [
            (
                str(fields[name].verbose_name),
                shown(name, self.before.get(name)),
                shown(name, self.after.get(name)),
            )
            for name in PROVISION_TERMS
            if name in self.after
        ]


class SchoolCalendar(models.Model):
    """A child's school year: first and last day, the weekdays school meets, and exceptions."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    child = models.ForeignKey(Child, models.CASCADE, related_name="calendars")
    school_year = models.CharField(
        _("school year"), max_length=9, help_text=_("For example 2026-2027.")
    )
    first_day = models.DateField(_("first day of school"))
    last_day = models.DateField(_("last day of school"))
    weekdays = models.CharField(
        _("school weekdays"),
        max_length=7,
        default="12345",
        help_text=_("ISO weekday numbers: 1 = Monday … 7 = Sunday."),
    )
    created = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-first_day", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["child", "school_year"], name="one_calendar_per_year")
        ]

    def __str__(self) -> str:
        return self.school_year

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        match = _SCHOOL_YEAR.match(self.school_year or "")
        if not match or int(match[2]) != int(match[1]) + 1:
            errors["school_year"] = _("Write the school year as two years, such as 2026-2027.")
        if self.first_day and self.last_day:
            if self.last_day < self.first_day:
                errors["last_day"] = _("The last day is before the first day.")
            elif self.last_day - self.first_day > timedelta(days=400):
                errors["last_day"] = _("A school year cannot be longer than 400 days.")
        if not self.weekdays or not set(self.weekdays) <= set("1234567"):
            errors["weekdays"] = _("Use the digits 1 (Monday) to 7 (Sunday), such as 12345.")
        if not errors and self.child_id and self.first_day and self.last_day:
            overlapping = self.child.calendars.filter(
                first_day__lte=self.last_day, last_day__gte=self.first_day
            ).exclude(pk=self.pk)
            clash = overlapping.first()
            if clash:
                errors["first_day"] = _("These dates overlap the %(year)s school year.") % {
                    "year": clash.school_year
                }
        if errors:
            raise ValidationError(errors)

    def weekday_set(self) -> frozenset[int]:
        """Return the ISO weekdays on which school meets."""
        return frozenset(int(c) for c in self.weekdays)


class CalendarEvent(models.Model):
    """A closed day or range (holiday, break) or an early-release day in a school year."""

    class Kind(models.TextChoices):
        CLOSED = "closed", _("No school")
        EARLY_RELEASE = "early_release", _("Early release")

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    calendar = models.ForeignKey(SchoolCalendar, models.CASCADE, related_name="events")
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.CLOSED)
    name = models.CharField(_("name"), max_length=200, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to (inclusive)"))

    class Meta:
        ordering = ["start_date", "id"]

    def __str__(self) -> str:
        return f"{self.name} {self.start_date}–{self.end_date}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date is before the start date.")
        if not errors and self.calendar_id and self.start_date and self.end_date:
            cal = self.calendar
            if self.start_date < cal.first_day or self.end_date > cal.last_day:
                errors["start_date"] = _(
                    "The dates must fall within the school year (%(first)s to %(last)s)."
                ) % {"first": cal.first_day.isoformat(), "last": cal.last_day.isoformat()}
        if errors:
            raise ValidationError(errors)
