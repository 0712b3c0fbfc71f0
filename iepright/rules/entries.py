"""What a log entry must be before it is written: one definition for every way in.

The check-in page, its forms, the JSON API (and the offline sync and imports that will use it)
all reach `services.record_entry` / `update_entry`, which call `check_entry`; the page's forms
call it too, so a parent and a script are refused the same things in the same words. Values in,
a list of problems out, each naming its field: the caller translates the message (marked with
N_ for the catalog) and fills in its parameters.

These are the app's own rules for a trustworthy log, not regulations: IDEA says nothing about
how a parent keeps one.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from iepright.rules.logdata import DELIVERED, N_, NO_OPPORTUNITY, NOT_DELIVERED, PARTLY

STATUSES = (DELIVERED, PARTLY, NOT_DELIVERED, NO_OPPORTUNITY)
# The fields a caller may set on an entry; everything else (who, when, from where) the server
# records itself.
EDITABLE = (
    "status",
    "circumstances",
    "source",
    "reported_by",
    "reported_contact",
    "minutes_delivered",
    "note",
)
MAX_NOTE = 5000
MAX_REPORTED_BY = 200
MAX_REASON = 500
MAX_IDEMPOTENCY_KEY = 100
TEXT_LIMITS = {"note": MAX_NOTE, "reported_by": MAX_REPORTED_BY}

TOO_LONG = N_("Use at most %(max)s characters (this one has %(length)s).")


@dataclass(frozen=True)
class Problem:
    """Why a value is refused: the field, the message (English, untranslated), its values."""

    field: str
    message: str
    params: Mapping[str, Any] = dataclasses.field(default_factory=dict)

    def text(self, translate: Callable[[str], str] | None = None) -> str:
        """Return the message translated by `translate` (none: as written), filled in."""
        message = translate(self.message) if translate is not None else self.message
        return message % self.params if self.params else message


@dataclass(frozen=True)
class Terms:
    """What the provision promises, as far as an entry's rules need it."""

    minutes_per_session: int | None  # None: not a timed service
    starts: date
    ends: date

    @property
    def timed(self) -> bool:
        return self.minutes_per_session is not None


@dataclass(frozen=True)
class Stored:
    """The live entry a change applies to: its status and minutes."""

    status: str
    minutes_delivered: int | None


@dataclass
class Checked:
    """The outcome: the values to store (cleaned) and the minutes that go with the status."""

    values: dict[str, Any]
    minutes: int | None
    problems: list[Problem]

    @property
    def ok(self) -> bool:
        return not self.problems


def text_problem(value: str, name: str) -> Problem | None:
    """Return why `value` cannot be stored as text, or None when it can.

    A NUL character is refused by PostgreSQL; a lone surrogate (a JSON "\\ud800") is not text
    at all and cannot be encoded for the hash chain.
    """
    if "\x00" in value:
        return Problem(name, N_("Remove the NUL character (\\u0000) from the text."))
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return Problem(
            name, N_("The text contains an invalid character (a lone surrogate such as \\ud800).")
        )
    return None


def check_text(value: str, name: str, limit: int) -> Problem | None:
    """Return why a text field is refused (unstorable, or longer than `limit`), or None."""
    problem = text_problem(value, name)
    if problem is None and len(value) > limit:
        problem = Problem(name, TOO_LONG, {"max": limit, "length": len(value)})
    return problem


def check_reason(reason: str) -> tuple[str, Problem | None]:
    """Return the reason stripped, and why it is refused: a longer one is never cut short."""
    reason = reason.strip()
    return reason, check_text(reason, "reason", MAX_REASON)


def check_day_facts(
    facts: Any, day: date, today: date, circumstances: Collection[str]
) -> tuple[list[str], list[Problem]]:
    """Return the day facts cleaned (codes, sorted, once each) and why they are refused.

    Day facts say what was different about a day that has happened, in the household's codes;
    an empty list means "nothing was different" and is a recorded answer.
    """
    problems: list[Problem] = []
    if day > today:
        problems.append(Problem("day", N_("You cannot log a day that has not happened yet.")))
    if not isinstance(facts, list | tuple) or not all(isinstance(c, str) for c in facts):
        problems.append(Problem("facts", N_("Send the day facts as a list of circumstance codes.")))
        return [], problems
    unknown = [code for code in facts if code not in circumstances]
    if unknown:
        message = N_("Unknown circumstance: %(names)s.")
        problems.append(Problem("facts", message, {"names": ", ".join(unknown)}))
    return sorted(set(facts)), problems


def check_idempotency_key(key: str) -> Problem | None:
    """Return why an idempotency key is refused, or None."""
    return check_text(key, "idempotency_key", MAX_IDEMPOTENCY_KEY)


def check_entry(
    sent: Mapping[str, Any],
    *,
    terms: Terms,
    stored: Stored | None,
    circumstances: Collection[str],
    sources: Collection[str],
    day: date | None = None,
    today: date | None = None,
    contact_is_childs: bool = True,
    plan_in_force: str | None = None,
) -> Checked:
    """Check the fields `sent` for an entry of a provision with these `terms`.

    `stored` is the live entry a change applies to (None: a new entry, which needs a status).
    `day` and `today` are checked when given (a new recording: not a day still to come, and a
    day the provision applies). `plan_in_force` names the plan version in force that day when
    it is not the provision's own (a new entry of an amended plan belongs to the new version).
    `contact_is_childs` is False when the contact sent belongs to another child.
    Only the fields sent are set; a new status sent without minutes takes the minutes that go
    with it (a whole session for delivered, none otherwise).
    """
    unknown = sorted(set(sent) - set(EDITABLE))
    problems = [Problem(name, N_("This field cannot be set.")) for name in unknown]
    values = {name: value for name, value in sent.items() if name in EDITABLE}
    problems += _check_values(values, terms, circumstances, sources, contact_is_childs)
    if day is not None:
        problems += _check_day(day, today, terms)
    if stored is None:
        if plan_in_force is not None and day is not None:
            replaced = N_(
                "This provision belongs to an older plan version; on %(day)s the plan in "
                "force is %(plan)s. Use that plan's provisions."
            )
            params = {"day": day.isoformat(), "plan": plan_in_force}
            problems.append(Problem("provision", replaced, params))
        if not values.get("status"):
            problems.append(Problem("status", N_("Choose a status for this provision.")))
    minutes = _minutes(values, terms, stored)
    refused = {p.field for p in problems}
    if not refused & {"status", "minutes_delivered"}:
        status = values.get("status") or (stored.status if stored else "")
        problem = _minutes_against_status(status, minutes, terms.minutes_per_session)
        if problem is not None:
            problems.append(problem)
    return Checked(values, minutes, problems)


def _check_values(
    values: dict[str, Any],
    terms: Terms,
    circumstances: Collection[str],
    sources: Collection[str],
    contact_is_childs: bool,
) -> list[Problem]:
    """Check each value sent on its own, and clean it in place (texts stripped, codes sorted)."""
    problems: list[Problem] = []
    if "status" in values and values["status"] not in STATUSES:
        problems.append(
            Problem("status", N_("Choose delivered, partly, not delivered or no opportunity."))
        )
    if values.get("source") and values["source"] not in sources:
        problems.append(Problem("source", N_("Choose how you know from the list.")))
    if "circumstances" in values:
        codes = values["circumstances"] or []
        unknown = [str(code) for code in codes if code not in circumstances]
        if unknown:
            message = N_("Unknown circumstance: %(names)s.")
            problems.append(Problem("circumstances", message, {"names": ", ".join(unknown)}))
        values["circumstances"] = sorted(set(codes))
    if values.get("reported_contact") is not None and not contact_is_childs:
        problems.append(Problem("reported_contact", N_("Choose one of this child's contacts.")))
    minutes = values.get("minutes_delivered")
    if minutes is not None:
        session = terms.minutes_per_session
        if isinstance(minutes, bool) or not isinstance(minutes, int):
            problems.append(Problem("minutes_delivered", N_("Enter the minutes as a number.")))
        elif session is None:
            problems.append(
                Problem("minutes_delivered", N_("Minutes apply only to timed services."))
            )
        elif minutes < 0:
            problems.append(Problem("minutes_delivered", N_("Minutes cannot be negative.")))
        elif session and minutes > session:
            message = N_("That is more than the %(minutes)s minutes of one session.")
            problems.append(Problem("minutes_delivered", message, {"minutes": session}))
    for name, limit in TEXT_LIMITS.items():
        if name in values:
            values[name] = (values[name] or "").strip()
            problem = check_text(values[name], name, limit)
            if problem is not None:
                problems.append(problem)
    return problems


def _check_day(day: date, today: date | None, terms: Terms) -> list[Problem]:
    if today is not None and day > today:
        return [Problem("event_date", N_("You cannot log a day that has not happened yet."))]
    if not terms.starts <= day <= terms.ends:
        message = N_(
            "This provision was not in effect on %(day)s (it applies %(start)s to %(end)s)."
        )
        span = {"start": terms.starts.isoformat(), "end": terms.ends.isoformat()}
        return [Problem("event_date", message, {"day": day.isoformat(), **span})]
    return []


def _minutes(values: Mapping[str, Any], terms: Terms, stored: Stored | None) -> int | None:
    """Return the minutes the entry will hold once `values` are applied."""
    if "minutes_delivered" in values:
        sent = values["minutes_delivered"]
        if sent is not None or stored is not None:
            return sent if isinstance(sent, int) else None
    status = values.get("status")
    if stored is not None and (status is None or status == stored.status):
        return stored.minutes_delivered
    if not terms.timed:
        return None
    # A new status without minutes: the whole session for delivered, none for the others.
    return terms.minutes_per_session if status == DELIVERED else None


def _minutes_against_status(
    status: str, minutes: int | None, session: int | None
) -> Problem | None:
    """Return why the minutes do not go with the status, or None."""
    field_name = "minutes_delivered"
    if status == NO_OPPORTUNITY and minutes:
        message = N_("No opportunity means no minutes were delivered; choose partly instead.")
        return Problem(field_name, message)
    if minutes is None or session is None:
        return None
    if status == DELIVERED and minutes < session:
        message = N_("Delivered means the whole session of %(m)s minutes; choose partly for fewer.")
        return Problem(field_name, message, {"m": session})
    if status == PARTLY and minutes >= session:
        return Problem(
            field_name, N_("Partly delivered means fewer than %(m)s minutes."), {"m": session}
        )
    if status == NOT_DELIVERED and minutes > 0:
        return Problem(field_name, N_("Not delivered means 0 minutes; choose partly instead."))
    return None
