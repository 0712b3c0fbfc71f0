"""Reading a district calendar from an .ics file, tested with tables of small files."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from iepright.rules.ics import IcsError, IcsEvent, classify, parse_ics
from iepright.rules.schooldays import SchoolYear, school_days_between
from tests.rules.test_schooldays import RIVERBEND, RIVERBEND_CLOSURES, RIVERBEND_EARLY_RELEASE

D = date.fromisoformat
FIXTURE = Path(__file__).resolve().parent.parent / "data" / "riverbend-2026-2027.ics"


def ics(*events: str, header: str = "") -> bytes:
    """Return a VCALENDAR holding the given VEVENT bodies, with CRLF line ends."""
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//IEP Right tests//EN"]
    lines += header.split()
    for body in events:
        lines += ["BEGIN:VEVENT", *body.strip().splitlines(), "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(lines) + "\r\n").encode()


def spans(data: bytes, **options) -> list[tuple[str, str, str, str]]:
    """Return (name, start, end, kind) for each event parsed from data."""
    return [
        (e.name, e.start.isoformat(), e.end.isoformat(), e.kind)
        for e in parse_ics(data, **options).events
    ]


@pytest.mark.parametrize(
    ("summary", "kinds"),
    [
        ("Labor Day", ("closed",)),
        ("Thanksgiving Break", ("closed",)),
        ("WINTER BREAK", ("closed",)),
        ("Student Holiday", ("closed",)),
        ("Winter Holidays", ("closed",)),  # plural
        ("Staff Development Day", ("closed",)),
        ("Teacher Work Day", ("closed",)),
        ("Teacher Workday", ("closed",)),
        ("Teacher work-day", ("closed",)),
        ("Inservice", ("closed",)),
        ("In-Service Day", ("closed",)),
        ("MLK Day", ("closed",)),
        ("Presidents' Day", ("closed",)),
        ("President's Day", ("closed",)),
        ("Veterans Day", ("closed",)),
        ("Juneteenth", ("closed",)),
        ("New Year's Day", ("closed",)),
        ("Indigenous Peoples' Day", ("closed",)),
        ("Schools Closed - Weather", ("closed",)),
        ("Día festivo", ("closed",)),
        ("Dia Festivo", ("closed",)),  # accents are optional
        ("No hay clases", ("closed",)),
        ("Vacaciones de invierno", ("closed",)),
        ("Early Release", ("early_release",)),
        ("early dismissal 12:30", ("early_release",)),
        ("Half-Day", ("early_release",)),
        ("Minimum Day", ("early_release",)),
        ("Salida temprana", ("early_release",)),
        ("Early Release - Thanksgiving Break begins", ("early_release",)),  # beats "break"
        ("Holiday Half Day", ("early_release",)),
        ("First Day of School", ("first_day",)),
        ("First day for students", ("first_day",)),
        ("Primer día de clases", ("first_day",)),
        ("Last Day of School", ("last_day",)),
        ("Último día de clases", ("last_day",)),
        ("ultimo dia de clases", ("last_day",)),
        ("Last Day of School / Early Release", ("early_release", "last_day")),
        ("Picture Day", ("ignored",)),
        ("Parent-Teacher Conferences", ("ignored",)),
        ("Breakfast with Santa", ("ignored",)),  # "break" is a whole word only
        ("Students return from Winter Break", ("ignored",)),  # a school day
        ("Classes resume after spring break", ("ignored",)),
        ("", ("ignored",)),
    ],
)
def test_it_classifies_event_titles(summary: str, kinds: tuple[str, ...]):
    assert classify(summary) == kinds


CHICAGO = "X-WR-TIMEZONE:America/Chicago"


@pytest.mark.parametrize(
    ("body", "header", "expected"),
    [
        pytest.param(
            "SUMMARY:Labor Day\nDTSTART;VALUE=DATE:20260907\nDTEND;VALUE=DATE:20260908",
            "",
            [("Labor Day", "2026-09-07", "2026-09-07", "closed")],
            id="all-day single: DTEND is exclusive",
        ),
        pytest.param(
            "SUMMARY:Thanksgiving Break\nDTSTART;VALUE=DATE:20261123\nDTEND;VALUE=DATE:20261128",
            "",
            [("Thanksgiving Break", "2026-11-23", "2026-11-27", "closed")],
            id="all-day multi-day",
        ),
        pytest.param(
            "SUMMARY:Staff Development\nDTSTART;VALUE=DATE:20261009",
            "",
            [("Staff Development", "2026-10-09", "2026-10-09", "closed")],
            id="all-day without DTEND is one day",
        ),
        pytest.param(
            "SUMMARY:Fall Break\nDTSTART;VALUE=DATE:20261012\nDTEND;VALUE=DATE:20261012",
            "",
            [("Fall Break", "2026-10-12", "2026-10-12", "closed")],
            id="all-day with DTEND equal to DTSTART is one day",
        ),
        pytest.param(
            "SUMMARY:Spring Break\nDTSTART;VALUE=DATE:20270315\nDURATION:P5D",
            "",
            [("Spring Break", "2027-03-15", "2027-03-19", "closed")],
            id="all-day with DURATION",
        ),
        pytest.param(
            "SUMMARY:Early Release\nDTSTART;TZID=America/Chicago:20261120T123000\n"
            "DTEND;TZID=America/Chicago:20261120T150000",
            "",
            [("Early Release", "2026-11-20", "2026-11-20", "early_release")],
            id="timed",
        ),
        pytest.param(
            "SUMMARY:Inservice\nDTSTART:20261009T000000\nDTEND:20261010T000000",
            "",
            [("Inservice", "2026-10-09", "2026-10-09", "closed")],
            id="timed, ending at midnight the next day",
        ),
        pytest.param(
            "SUMMARY:Holiday trip\nDTSTART:20261009T180000\nDTEND:20261010T090000",
            "",
            [("Holiday trip", "2026-10-09", "2026-10-10", "closed")],
            id="timed, ending the next morning",
        ),
        pytest.param(
            "SUMMARY:Picture Day\nDTSTART:20260915T130000Z",
            "",
            [("Picture Day", "2026-09-15", "2026-09-15", "ignored")],
            id="timed without DTEND",
        ),
        pytest.param(
            "SUMMARY:Labor Day\nDTSTART:20260908T030000Z\nDTEND:20260908T040000Z",
            CHICAGO,
            [("Labor Day", "2026-09-07", "2026-09-07", "closed")],
            id="UTC times fall on the calendar's local date",
        ),
        pytest.param(
            "SUMMARY:Salida temprana\nDTSTART;VALUE=DATE:20261218",
            "",
            [("Salida temprana", "2026-12-18", "2026-12-18", "early_release")],
            id="Spanish title",
        ),
        pytest.param(
            "SUMMARY:Parent-Teacher Conferences\nDTSTART;VALUE=DATE:20261022",
            "",
            [("Parent-Teacher Conferences", "2026-10-22", "2026-10-22", "ignored")],
            id="ignored events are kept",
        ),
        pytest.param(
            "SUMMARY:Last Day of School - Early Release\nDTSTART;VALUE=DATE:20270527",
            "",
            [
                ("Last Day of School - Early Release", "2027-05-27", "2027-05-27", "early_release"),
                ("Last Day of School - Early Release", "2027-05-27", "2027-05-27", "last_day"),
            ],
            id="one event, two kinds",
        ),
        pytest.param(
            "SUMMARY:Good Friday\nDTSTART;VALUE=DATE:20270326\nSTATUS:CANCELLED",
            "",
            [("Good Friday", "2027-03-26", "2027-03-26", "ignored")],
            id="cancelled events are not closures",
        ),
    ],
)
def test_it_reads_event_dates(body: str, header: str, expected):
    assert spans(ics(body, header=header)) == expected


def test_a_given_time_zone_overrides_the_calendars():
    data = ics(
        "SUMMARY:Labor Day\nDTSTART:20260907T170000Z\nDTEND:20260908T020000Z",
        header="X-WR-TIMEZONE:Asia/Tokyo",
    )
    assert spans(data, tz=ZoneInfo("America/Chicago")) == [
        ("Labor Day", "2026-09-07", "2026-09-07", "closed")
    ]
    assert spans(data) == [("Labor Day", "2026-09-08", "2026-09-08", "closed")]


@pytest.mark.parametrize(
    ("rule", "extra", "expected_starts", "noted"),
    [
        ("FREQ=WEEKLY;COUNT=3", "", ["2026-09-07", "2026-09-14", "2026-09-21"], False),
        ("FREQ=WEEKLY;BYDAY=MO;COUNT=2", "", ["2026-09-07", "2026-09-14"], False),
        (
            "FREQ=WEEKLY;INTERVAL=2;UNTIL=20261005",
            "",
            ["2026-09-07", "2026-09-21", "2026-10-05"],
            False,
        ),
        (
            "FREQ=WEEKLY;UNTIL=20261005",
            "EXDATE;VALUE=DATE:20260914,20260928",
            ["2026-09-07", "2026-09-21", "2026-10-05"],
            False,
        ),
        ("FREQ=YEARLY;COUNT=2", "", ["2026-09-07", "2027-09-07"], False),
        ("FREQ=MONTHLY;COUNT=3", "", ["2026-09-07"], True),
        ("FREQ=WEEKLY", "", ["2026-09-07"], True),  # no end: first date only
        ("FREQ=WEEKLY;BYDAY=MO,WE;COUNT=4", "", ["2026-09-07"], True),
        ("FREQ=YEARLY;COUNT=2", "RDATE;VALUE=DATE:20261225", ["2026-09-07"], True),
        ("FREQ=WEEKLY;COUNT=x", "", ["2026-09-07"], True),  # unreadable rule
    ],
)
def test_it_expands_only_simple_repeats(rule: str, extra: str, expected_starts, noted: bool):
    body = f"SUMMARY:No School\nDTSTART;VALUE=DATE:20260907\nRRULE:{rule}\n{extra}"
    result = parse_ics(ics(body))
    assert [e.start.isoformat() for e in result.events] == expected_starts
    assert all(e.end == e.start for e in result.events)
    assert bool(result.notes) is noted
    if noted:
        assert "'No School' repeats" in result.notes[0]
        assert "only its first date, 2026-09-07, was imported" in result.notes[0]


def test_a_moved_occurrence_replaces_the_one_in_the_series():
    series = "UID:pd@example\nSUMMARY:PD Day - No School\nDTSTART;VALUE=DATE:20260907\n"
    series += "RRULE:FREQ=WEEKLY;COUNT=3"
    moved = "UID:pd@example\nSUMMARY:PD Day - No School\nRECURRENCE-ID;VALUE=DATE:20260914\n"
    moved += "DTSTART;VALUE=DATE:20260916"
    starts = [e.start.isoformat() for e in parse_ics(ics(series, moved)).events]
    assert starts == ["2026-09-07", "2026-09-16", "2026-09-21"]


PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n"
NOT_ICS = "This file is not an iCalendar (.ics) file"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        pytest.param(b"", "The calendar file is empty.", id="empty"),
        pytest.param(b"  \r\n\n", "The calendar file is empty.", id="blank"),
        pytest.param(PDF, NOT_ICS, id="PDF"),
        pytest.param(b"Riverbend ISD calendar: school starts Aug 12", NOT_ICS, id="text"),
        pytest.param(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", NOT_ICS, id="image"),
        pytest.param(b"BEGIN:VCALENDAR\r\n\x00\x01\x02\r\n", NOT_ICS, id="binary"),
        pytest.param(
            b"BEGIN:VCALENDAR\r\nthis line is not a property\r\nEND:VCALENDAR\r\n",
            "The calendar file is damaged",
            id="malformed",
        ),
        pytest.param(
            b"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nSUMMARY:Labor Day\r\n",
            "The calendar file is incomplete",
            id="truncated",
        ),
        pytest.param(
            b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n",
            "The calendar file has no events.",
            id="no events",
        ),
        pytest.param(
            ics("SUMMARY:Labor Day\nDTEND;VALUE=DATE:20260908"),
            "The event 'Labor Day' has no start date (DTSTART).",
            id="no DTSTART",
        ),
        pytest.param(
            ics("UID:x\nDTEND;VALUE=DATE:20260908"),
            "Event number 1 (it has no title) has no start date (DTSTART).",
            id="no DTSTART, no title",
        ),
        pytest.param(
            ics("SUMMARY:Labor Day\nDTSTART;VALUE=DATE:2026097"),
            "The event 'Labor Day' has a DTSTART value that cannot be read.",
            id="unreadable DTSTART",
        ),
        pytest.param(
            ics("SUMMARY:Fall Break\nDTSTART;VALUE=DATE:20261012\nDTEND;VALUE=DATE:20261010"),
            "The event 'Fall Break' ends (2026-10-10) before it starts (2026-10-12).",
            id="all-day end before start",
        ),
        pytest.param(
            ics("SUMMARY:Early Release\nDTSTART:20261120T150000\nDTEND:20261120T120000"),
            "The event 'Early Release' ends (2026-11-20 12:00:00) before it starts",
            id="timed end before start",
        ),
        pytest.param(
            ics(
                "SUMMARY:Labor Day\nDTSTART;VALUE=DATE:20260907",
                "SUMMARY:Fall Break\nDTSTART;VALUE=DATE:20261012\nDTEND;VALUE=DATE:20261010",
            ),
            "The event 'Fall Break' ends",
            id="one bad event spoils the file",
        ),
    ],
)
def test_it_explains_unusable_files(data: bytes, message: str):
    with pytest.raises(IcsError) as caught:
        parse_ics(data)
    assert message in str(caught.value)
    assert isinstance(caught.value, ValueError)


def test_it_reads_utf8_with_a_byte_order_mark_and_windows_1252():
    body = "SUMMARY:Día festivo\nDTSTART;VALUE=DATE:20260907"
    text = ics(body).decode()
    assert spans(b"\xef\xbb\xbf" + text.encode())[0][0] == "Día festivo"
    assert spans(text.encode("cp1252"))[0][0] == "Día festivo"


def test_an_import_without_first_or_last_day_says_none():
    result = parse_ics(ics("SUMMARY:Labor Day\nDTSTART;VALUE=DATE:20260907"))
    assert result.first_day is None
    assert result.last_day is None
    assert result.early_release == result.ignored == []


def test_the_riverbend_file_yields_exactly_the_district_closures():
    result = parse_ics(FIXTURE.read_bytes())
    assert [(e.name, e.start, e.end) for e in result.closed] == [
        ("Labor Day - No School", D("2026-09-07"), D("2026-09-07")),
        ("Staff Development - Student Holiday", D("2026-10-09"), D("2026-10-09")),
        ("Fall Break", D("2026-10-12"), D("2026-10-12")),
        ("Thanksgiving Break", D("2026-11-23"), D("2026-11-27")),
        ("Winter Break", D("2026-12-21"), D("2027-01-01")),
        ("Martin Luther King Jr. Day - No School", D("2027-01-18"), D("2027-01-18")),
        ("Presidents' Day - Student/Staff Holiday", D("2027-02-15"), D("2027-02-15")),
        ("Spring Break", D("2027-03-15"), D("2027-03-19")),
        ("Good Friday", D("2027-03-26"), D("2027-03-26")),
    ]
    assert [(c.start, c.end) for c in result.closures()] == [
        (D(start), D(end)) for _name, start, end in RIVERBEND_CLOSURES
    ]
    assert result.early_release_days() == RIVERBEND_EARLY_RELEASE
    assert result.first_day == D("2026-08-12")
    assert result.last_day == D("2027-05-27")
    assert [(e.name, e.start) for e in result.ignored] == [
        ("Picture Day", D("2026-09-15")),
        ("Parent-Teacher Conferences", D("2026-10-22")),
    ]
    assert result.notes == []
    assert all(isinstance(e, IcsEvent) for e in result.events)


def test_the_riverbend_file_gives_the_same_school_days_as_the_typed_calendar():
    result = parse_ics(FIXTURE.read_bytes())
    assert result.first_day is not None and result.last_day is not None
    imported = SchoolYear(
        first_day=result.first_day,
        last_day=result.last_day,
        closed=result.closures(),
        early_release=result.early_release_days(),
    )
    window = (D("2026-08-01"), D("2027-06-30"))
    assert school_days_between([imported], *window) == school_days_between([RIVERBEND], *window)
    assert len(school_days_between([imported], *window)) == 181
