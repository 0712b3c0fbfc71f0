"""Read a district school calendar from an iCalendar (.ics) file into plain data.

This feeds counting convention 5 ("School days. Only from the district's own calendar as the
user enters or imports it") and so 34 CFR 300.11(c). Events are sorted by keywords in their
title (English and Spanish) into closures, early-release days and the first and last day of
school; anything else is kept as "ignored" so the user sees it rather than losing it silently.
The user reviews the result before it becomes a calendar: keywords are a guess, not a rule.

Dates follow RFC 5545: an all-day event's DTEND is exclusive and becomes an inclusive `end`
here. Timed events keep the local date of their start and end, in `tz` when given, else in
the calendar's X-WR-TIMEZONE, else in the event's own time zone.

Repeating events (RRULE) are expanded only when simple: FREQ=YEARLY or FREQ=WEEKLY, with an
INTERVAL, a COUNT or UNTIL, and for WEEKLY at most the start's own BYDAY; EXDATE and
overridden occurrences (RECURRENCE-ID) are skipped. Any other rule keeps only the first
occurrence and adds a note to `IcsImport.notes` so the user can add the rest by hand.

Errors and notes are `Text`: English strings that also keep their msgid and parameters, so
the Django side can show them in the reader's language (this module imports no Django).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, tzinfo
from typing import Any
from zoneinfo import ZoneInfo

import icalendar

from iepright.rules.logdata import N_, DateFormat, Translate, identity
from iepright.rules.schooldays import Closure

KINDS = ("closed", "early_release", "first_day", "last_day", "ignored")
CLOSED, EARLY_RELEASE, FIRST_DAY, LAST_DAY, IGNORED = KINDS

ONE_DAY = timedelta(days=1)
MAX_OCCURRENCES = 1000  # a school calendar never needs more; stops runaway rules
NOT_ICS = N_(
    "This file is not an iCalendar (.ics) file. Export or download the district calendar in "
    "iCalendar format (a file ending in .ics) and upload that."
)
NOT_ICS_PDF = N_(
    "This file is not an iCalendar (.ics) file. Export or download the district calendar in "
    "iCalendar format (a file ending in .ics) and upload that. (This one is a PDF.)"
)


class Text(str):
    """An English message that remembers its msgid and parameters to be shown translated.

    As a str it reads in English (dates as ISO); `render` gives it in the reader's language.
    """

    msgid: str
    params: dict[str, str | int | date | Text]

    def __new__(cls, msgid: str, **params: str | int | date | Text) -> Text:
        text = super().__new__(cls, msgid % {k: str(v) for k, v in params.items()})
        text.msgid = msgid
        text.params = params
        return text

    def render(self, translate: Translate = identity, date_format: DateFormat = str) -> str:
        """Return the message translated, its dates formatted and nested texts rendered."""
        values: dict[str, str | int] = {}
        for key, value in self.params.items():
            if isinstance(value, Text):
                values[key] = value.render(translate, date_format)
            elif isinstance(value, date):
                values[key] = date_format(value)
            else:
                values[key] = value
        return translate(self.msgid) % values


class IcsError(ValueError):
    """The uploaded calendar cannot be used; `text` says why (str() gives it in English)."""

    def __init__(self, text: Text) -> None:
        super().__init__(text)
        self.text = text


def _normalize(text: str) -> str:
    """Return text lower-cased, without accents, with dashes and slashes as single spaces."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[\s\-_/\u2010-\u2015]+", " ", plain).strip()


def _keywords(words: str) -> re.Pattern[str]:
    """Compile comma-separated whole-word keywords, each allowing a plural "s"."""
    alternatives = "|".join(re.escape(_normalize(w)) for w in words.split(","))
    return re.compile(rf"\b(?:{alternatives})s?\b")


_EARLY_RELEASE = _keywords("early release, early dismissal, half day, minimum day, salida temprana")
_FIRST_DAY = _keywords("first day of school, first day for students, primer día de clases")
_LAST_DAY = _keywords("last day of school, last day for students, último día de clases")
_CLOSED = _keywords(
    "no school, no classes, holiday, break, closed, closure, staff development,"
    "professional development, teacher workday, teacher work day, inservice, in-service,"
    "vacation, recess, student holiday, día festivo, feriado, no hay clases, sin clases,"
    "vacaciones, receso, labor day, thanksgiving, christmas, new year, new years,"
    "martin luther king, mlk, presidents, president's day, memorial day, independence day,"
    "veterans day, veteran's day, columbus day, indigenous peoples, juneteenth, good friday,"
    "winter break, spring break, fall break"
)
# Titles about the edge of a break ("Students return from winter break") are school days.
_EDGE_OF_BREAK = _keywords(
    "last day before, first day after, return, resume, back to school, regreso"
)

_NAMED_KINDS = ((EARLY_RELEASE, _EARLY_RELEASE), (FIRST_DAY, _FIRST_DAY), (LAST_DAY, _LAST_DAY))


def classify(summary: str) -> tuple[str, ...]:
    """Return the kinds an event title names, in KINDS order; ("ignored",) if none.

    Early release wins over closure words ("Early release - Thanksgiving break"), and a title
    may be both a first or last day and an early release ("Last day of school / early release").
    """
    text = _normalize(summary)
    kinds = [kind for kind, pattern in _NAMED_KINDS if pattern.search(text)]
    if not kinds and _CLOSED.search(text) and not _EDGE_OF_BREAK.search(text):
        kinds = [CLOSED]
    return tuple(kinds) or (IGNORED,)


@dataclass(frozen=True)
class IcsEvent:
    """One calendar entry as dates: `end` is inclusive; `kind` is one of KINDS."""

    name: str
    start: date
    end: date
    kind: str


@dataclass
class IcsImport:
    """What a calendar file said, sorted by date, with notes on anything simplified."""

    events: list[IcsEvent]
    notes: list[Text] = field(default_factory=list)

    def _of(self, kind: str) -> list[IcsEvent]:
        return [e for e in self.events if e.kind == kind]

    @property
    def closed(self) -> list[IcsEvent]:
        return self._of(CLOSED)

    @property
    def early_release(self) -> list[IcsEvent]:
        return self._of(EARLY_RELEASE)

    @property
    def ignored(self) -> list[IcsEvent]:
        return self._of(IGNORED)

    @property
    def first_day(self) -> date | None:
        return min((e.start for e in self._of(FIRST_DAY)), default=None)

    @property
    def last_day(self) -> date | None:
        return max((e.end for e in self._of(LAST_DAY)), default=None)

    def closures(self) -> tuple[Closure, ...]:
        """Return the closed events as school-calendar closures."""
        return tuple(Closure(e.start, e.end, e.name) for e in self.closed)

    def early_release_days(self) -> frozenset[date]:
        """Return every date covered by an early-release event."""
        return frozenset(
            date.fromordinal(n)
            for e in self.early_release
            for n in range(e.start.toordinal(), e.end.toordinal() + 1)
        )


def parse_ics(data: bytes, *, tz: tzinfo | None = None) -> IcsImport:
    """Return the events of an .ics file, or raise IcsError saying what is wrong with it."""
    calendars = _read_calendars(data)
    vevents = [v for calendar in calendars for v in calendar.walk("VEVENT")]
    if not vevents:
        raise IcsError(Text(N_("The calendar file has no events.")))
    if tz is None:
        tz = _calendar_zone(calendars[0])
    overridden = {
        (str(v.get("UID", "")), _as_date(_value(v, "RECURRENCE-ID", Text(N_("An event"))), tz))
        for v in vevents
        if v.get("RECURRENCE-ID") is not None
    }
    events: list[IcsEvent] = []
    notes: list[Text] = []
    for number, vevent in enumerate(vevents, start=1):
        name = " ".join(str(vevent.get("SUMMARY", "")).split())
        label = (
            Text(N_("The event '%(name)s'"), name=name)
            if name
            else Text(N_("Event number %(number)s (it has no title)"), number=number)
        )
        start, end = _span(vevent, label, tz)
        kinds = classify(name)
        if str(vevent.get("STATUS", "")).upper() == "CANCELLED":
            kinds = (IGNORED,)
            notes.append(
                Text(N_("%(event)s is marked cancelled, so it was not used."), event=label)
            )
        uid = str(vevent.get("UID", ""))
        skip = {d for u, d in overridden if u == uid and vevent.get("RECURRENCE-ID") is None}
        for s, e in _occurrences(vevent, start, end, label, tz, skip, notes):
            events.extend(IcsEvent(name, s, e, kind) for kind in kinds)
    events.sort(key=lambda e: (e.start, e.end, KINDS.index(e.kind), e.name))
    return IcsImport(events, notes)


def _read_calendars(data: bytes) -> list[icalendar.Calendar]:
    """Return the VCALENDARs in data, or raise IcsError for empty, foreign or damaged files."""
    if not data.strip():
        raise IcsError(Text(N_("The calendar file is empty.")))
    if data.lstrip().startswith(b"%PDF"):
        raise IcsError(Text(NOT_ICS_PDF))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        # Older Windows exports are often cp1252; undecodable bytes become U+FFFD.
        text = data.decode("cp1252", errors="replace")
    if "\x00" in text or not text.lstrip().upper().startswith("BEGIN:VCALENDAR"):
        raise IcsError(Text(NOT_ICS))
    try:
        parsed = icalendar.Calendar.from_ical(text, multiple=True)
    except ValueError as exc:
        raise IcsError(
            Text(
                N_(
                    "The calendar file is damaged and could not be read. Download or export it "
                    "again."
                )
            )
        ) from exc
    calendars = [c for c in parsed if c.name == "VCALENDAR"]
    if not calendars:
        raise IcsError(Text(N_("The calendar file is incomplete (it has no END:VCALENDAR line).")))
    return calendars


def _calendar_zone(calendar: icalendar.Calendar) -> tzinfo | None:
    """Return the calendar's X-WR-TIMEZONE as a zone, or None if absent or unknown."""
    name = str(calendar.get("X-WR-TIMEZONE", "")).strip()
    try:
        return ZoneInfo(name) if name else None
    except (ValueError, KeyError):  # ZoneInfoNotFoundError is a KeyError
        return None


def _value(vevent: icalendar.Component, key: str, label: Text) -> Any:
    """Return the date, datetime or timedelta of a property, None if absent."""
    prop = vevent.get(key)
    if isinstance(prop, list):
        prop = prop[0] if prop else None
    if prop is None:
        return None
    try:
        return prop.dt
    except Exception as exc:  # icalendar marks unreadable values as broken
        raise IcsError(
            Text(N_("%(event)s has a %(key)s value that cannot be read."), event=label, key=key)
        ) from exc


def _as_date(value: date | datetime, tz: tzinfo | None) -> date:
    """Return the calendar date of value, in tz if value is an aware datetime."""
    if isinstance(value, datetime):
        if tz is not None and value.tzinfo is not None:
            value = value.astimezone(tz)
        return value.date()
    return value


def _span(vevent: icalendar.Component, label: Text, tz: tzinfo | None) -> tuple[date, date]:
    """Return the event's first and last date, both included."""
    dtstart = _value(vevent, "DTSTART", label)
    if not isinstance(dtstart, date):
        raise IcsError(Text(N_("%(event)s has no start date (DTSTART)."), event=label))
    dtend = _value(vevent, "DTEND", label)
    duration = _value(vevent, "DURATION", label)
    if dtend is None and isinstance(duration, timedelta):
        dtend = dtstart + duration
    if dtend is not None and not isinstance(dtend, date):
        raise IcsError(Text(N_("%(event)s has an end (DTEND) that is not a date."), event=label))
    if not isinstance(dtstart, datetime):  # all-day: DTEND is the day after the last day
        end_exclusive = dtstart + ONE_DAY if dtend is None else _as_date(dtend, tz)
        if end_exclusive < dtstart:
            raise IcsError(_ends_before(label, end_exclusive, dtstart))
        return dtstart, max(end_exclusive - ONE_DAY, dtstart)
    start = _as_date(dtstart, tz)
    if dtend is None:
        return start, start
    end = _as_date(dtend, tz)
    if isinstance(dtend, datetime):
        comparable = (dtstart.tzinfo is None) == (dtend.tzinfo is None)
        if (comparable and dtend < dtstart) or end < start:
            raise IcsError(_ends_before(label, dtend, dtstart))
        local_end = dtend.astimezone(tz) if tz and dtend.tzinfo else dtend
        if local_end.time() == time(0) and end > start:  # ends at midnight: not that day
            end -= ONE_DAY
    elif end < start:
        raise IcsError(_ends_before(label, end, start))
    return start, end


def _ends_before(label: Text, end: date, start: date) -> Text:
    return Text(
        N_("%(event)s ends (%(end)s) before it starts (%(start)s)."),
        event=label,
        end=end,
        start=start,
    )


def _dates(values: Any, tz: tzinfo | None) -> Iterable[date]:
    """Yield the dates of an EXDATE property (one value, a list, or a list of lists)."""
    for item in values if isinstance(values, list) else [values]:
        for value in getattr(item, "dts", [item]):
            dt = getattr(value, "dt", value)
            if isinstance(dt, date):
                yield _as_date(dt, tz)


def _occurrences(
    vevent: icalendar.Component,
    start: date,
    end: date,
    label: Text,
    tz: tzinfo | None,
    skip: set[date],
    notes: list[Text],
) -> list[tuple[date, date]]:
    """Return (start, end) of each occurrence of a simple repeating event, else the first."""
    rule = vevent.get("RRULE")
    if rule is None:
        return [(start, end)]
    parts: dict[str, list[Any]] = dict(rule) if isinstance(rule, icalendar.vRecur) else {}
    freq = str(parts.get("FREQ", [""])[0]).upper()
    byday = [str(d).upper() for d in parts.get("BYDAY", [])]
    allowed = {"FREQ", "INTERVAL", "COUNT", "UNTIL", "WKST"}
    if freq == "WEEKLY":
        allowed.add("BYDAY")
    simple = (
        freq in {"YEARLY", "WEEKLY"}
        and set(parts) <= allowed
        and byday in ([], [("MO", "TU", "WE", "TH", "FR", "SA", "SU")[start.weekday()]])
        and ("COUNT" in parts or "UNTIL" in parts)
        and vevent.get("RDATE") is None
    )
    if not simple:
        rule_text = ";".join(f"{k}={','.join(map(str, v))}" for k, v in parts.items())
        notes.append(
            Text(
                N_(
                    "%(event)s repeats (%(rule)s) in a way this import does not expand; only "
                    "its first date, %(date)s, was imported. Add any others by hand."
                ),
                event=label,
                rule=rule_text or "RRULE",
                date=start,
            )
        )
        return [(start, end)]
    interval = int(parts.get("INTERVAL", [1])[0])
    count = int(parts["COUNT"][0]) if "COUNT" in parts else MAX_OCCURRENCES
    until = _as_date(parts["UNTIL"][0], tz) if "UNTIL" in parts else date.max
    excluded = skip | set(_dates(vevent.get("EXDATE", []), tz))
    length = end - start
    spans: list[tuple[date, date]] = []
    made = 0
    for step in range(MAX_OCCURRENCES):
        if made >= count:
            break
        try:
            if freq == "WEEKLY":
                s = start + timedelta(weeks=step * interval)
            else:
                s = start.replace(year=start.year + step * interval)
        except ValueError:  # 29 February in a common year does not occur
            continue
        except OverflowError:
            break
        if s > until:
            break
        made += 1
        if s not in excluded:
            spans.append((s, s + length))
    return spans
