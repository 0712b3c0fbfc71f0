"""The rules an entry must meet before it is written: plain checks, each raising a
ValidationError that names the field. services.py calls them before it writes; the API's
fast path (api/checkin_fast.py) declines whenever one of them could refuse the request.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from iepright.correspondence.models import Contact
from iepright.logbook.models import DEFAULT_CIRCUMSTANCES, Entry, Source, Status, local_date
from iepright.plans.models import Child, Provision

EDITABLE = (
    "status",
    "circumstances",
    "source",
    "reported_by",
    "reported_contact",
    "minutes_delivered",
    "note",
)
MAX_REASON = 500
MAX_NOTE = 5000  # as the check-in form (logbook/forms.py)
MAX_REPORTED_BY = 200  # Entry.reported_by


def text_problem(value: str) -> str | None:
    """Return why `value` cannot be stored as text, or None when it can.

    A NUL character is refused by PostgreSQL; a lone surrogate (a JSON "\\ud800") is not
    text at all and cannot be encoded for the hash chain.
    """
    if "\x00" in value:
        return _("Remove the NUL character (\\u0000) from the text.")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("The text contains an invalid character (a lone surrogate such as \\ud800).")
    return None


def check_reason(reason: str) -> str:
    """Return the reason stripped, or raise: a longer one is refused, never cut short."""
    reason = reason.strip()
    problem = text_problem(reason)
    if problem:
        raise ValidationError({"reason": problem})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {
                "reason": _("Use at most %(max)s characters (this one has %(length)s).")
                % {"max": MAX_REASON, "length": len(reason)}
            }
        )
    return reason


def today_for(child: Child, now: datetime | None = None) -> date:
    """Return today's date in the child's household time zone."""
    return local_date(now or timezone.now(), child)


def circumstance_codes(child: Child) -> dict[str, str]:
    """Return the circumstances a household can choose from: code -> label."""
    codes = {code: str(label) for code, label in DEFAULT_CIRCUMSTANCES}
    for extra in child.household.circumstances.all():
        codes[extra.code] = extra.label
    return codes


def clean_fields(child: Child, provision: Provision, fields: Mapping[str, Any]) -> dict[str, Any]:
    unknown = set(fields) - set(EDITABLE)
    if unknown:
        raise ValidationError({name: _("This field cannot be set.") for name in sorted(unknown)})
    clean = dict(fields)
    errors: dict[str, str] = {}
    if "status" in clean and clean["status"] not in Status.values:
        errors["status"] = _("Choose delivered, partly, not delivered or no opportunity.")
    if clean.get("source") and clean["source"] not in Source.values:
        errors["source"] = _("Choose how you know from the list.")
    if "circumstances" in clean:
        values = clean["circumstances"] or []
        allowed = circumstance_codes(child)
        bad = [str(v) for v in values if v not in allowed]
        if bad:
            errors["circumstances"] = _("Unknown circumstance: %(names)s.") % {
                "names": ", ".join(bad)
            }
        clean["circumstances"] = sorted(set(values))
    contact = clean.get("reported_contact")
    if contact is not None and (not isinstance(contact, Contact) or contact.child_id != child.pk):
        errors["reported_contact"] = _("Choose one of this child's contacts.")
    minutes = clean.get("minutes_delivered")
    if minutes is not None:
        if not provision.is_service():
            errors["minutes_delivered"] = _("Minutes apply only to timed services.")
        elif minutes < 0:
            errors["minutes_delivered"] = _("Minutes cannot be negative.")
        elif provision.minutes_per_session and minutes > provision.minutes_per_session:
            errors["minutes_delivered"] = _(
                "That is more than the %(minutes)s minutes of one session."
            ) % {"minutes": provision.minutes_per_session}
    limits = {"note": MAX_NOTE, "reported_by": MAX_REPORTED_BY}
    for text_field, limit in limits.items():
        if text_field in clean:
            clean[text_field] = (clean[text_field] or "").strip()
            problem = text_problem(clean[text_field])
            if problem:
                errors[text_field] = problem
            elif len(clean[text_field]) > limit:
                errors[text_field] = _(
                    "Use at most %(max)s characters (this one has %(length)s)."
                ) % {"max": limit, "length": len(clean[text_field])}
    if errors:
        raise ValidationError(errors)
    return clean


def check_minutes_match_status(entry: Entry, provision: Provision) -> None:
    minutes = entry.minutes_delivered
    session = provision.minutes_per_session
    if entry.status == Status.NO_OPPORTUNITY and minutes:
        raise ValidationError(
            {
                "minutes_delivered": _(
                    "No opportunity means no minutes were delivered; choose partly instead."
                )
            }
        )
    if minutes is None or session is None:
        return
    if entry.status == Status.DELIVERED and minutes < session:
        raise ValidationError(
            {
                "minutes_delivered": _(
                    "Delivered means the whole session of %(m)s minutes; choose partly for fewer."
                )
                % {"m": session}
            }
        )
    if entry.status == Status.PARTLY and minutes >= session:
        raise ValidationError(
            {
                "minutes_delivered": _("Partly delivered means fewer than %(m)s minutes.")
                % {"m": session}
            }
        )
    if entry.status == Status.NOT_DELIVERED and minutes > 0:
        raise ValidationError(
            {"minutes_delivered": _("Not delivered means 0 minutes; choose partly instead.")}
        )


def check_day(child: Child, provision: Provision, day: date, now: datetime) -> None:
    if provision.plan.child_id != child.pk:
        raise ValidationError({"provision": _("This provision belongs to another child.")})
    if day > today_for(child, now):
        raise ValidationError({"event_date": _("You cannot log a day that has not happened yet.")})
    if not provision.in_effect_on(day):
        raise ValidationError(
            {
                "event_date": _(
                    "This provision was not in effect on %(day)s (it applies %(start)s to %(end)s)."
                )
                % {
                    "day": day.isoformat(),
                    "start": provision.effective_start().isoformat(),
                    "end": provision.effective_end().isoformat(),
                }
            }
        )


def check_plan_in_force(child: Child, provision: Provision, day: date) -> None:
    """Refuse a new entry for a provision of a plan version that was not in force that day.

    Only new entries: one recorded before an amendment replaced its plan stays editable.
    """
    in_force = child.plan_in_force(day)
    if in_force is not None and in_force.pk != provision.plan_id:
        # An amendment (a plan copy with its own start date) replaced this provision's plan:
        # the day is logged against the version in force, so the ledger counts it once.
        name = f"{in_force.label} ({in_force})" if in_force.label else str(in_force)
        raise ValidationError(
            {
                "provision": _(
                    "This provision belongs to an older plan version; on %(day)s the plan in "
                    "force is %(plan)s. Use that plan's provisions."
                )
                % {"day": day.isoformat(), "plan": name}
            }
        )
