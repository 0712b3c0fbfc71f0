"""The entry rules (iepright/rules/entries.py), as a table: values in, problems out."""

from datetime import date

import pytest

from iepright.rules import entries as rules

SPEECH = rules.Terms(minutes_per_session=30, starts=date(2026, 9, 16), ends=date(2027, 5, 27))
AID = rules.Terms(minutes_per_session=None, starts=date(2026, 9, 16), ends=date(2027, 5, 27))
CIRCUMSTANCES = {"substitute_teacher", "child_absent", "bus-late"}
SOURCES = {"parent_observed", "teacher_told"}
TODAY = date(2026, 11, 18)


def check(sent, terms=SPEECH, stored=None, **options):
    options.setdefault("day", date(2026, 11, 17))
    options.setdefault("today", TODAY)
    return rules.check_entry(
        sent, terms=terms, stored=stored, circumstances=CIRCUMSTANCES, sources=SOURCES, **options
    )


def problems(checked):
    return [(p.field, p.text()) for p in checked.problems]


@pytest.mark.parametrize(
    ("sent", "terms", "stored", "expected"),
    [
        ({"status": "delivered"}, SPEECH, None, []),
        ({"status": "delivered"}, AID, None, []),
        ({"note": "hi"}, SPEECH, None, [("status", "Choose a status for this provision.")]),
        ({"note": "hi"}, SPEECH, rules.Stored("delivered", 30), []),
        (
            {"status": "maybe"},
            SPEECH,
            None,
            [("status", "Choose delivered, partly, not delivered or no opportunity.")],
        ),
        (
            {"status": "delivered", "source": "rumour"},
            AID,
            None,
            [("source", "Choose how you know from the list.")],
        ),
        (
            {"status": "delivered", "circumstances": ["bus-late", "aliens", "ufo"]},
            AID,
            None,
            [("circumstances", "Unknown circumstance: aliens, ufo.")],
        ),
        (
            {"status": "delivered", "minutes_delivered": 30},
            AID,
            None,
            [("minutes_delivered", "Minutes apply only to timed services.")],
        ),
        (
            {"status": "partly", "minutes_delivered": -3},
            SPEECH,
            None,
            [("minutes_delivered", "Minutes cannot be negative.")],
        ),
        (
            {"status": "partly", "minutes_delivered": 31},
            SPEECH,
            None,
            [("minutes_delivered", "That is more than the 30 minutes of one session.")],
        ),
        (
            {"status": "partly", "minutes_delivered": True},
            SPEECH,
            None,
            [("minutes_delivered", "Enter the minutes as a number.")],
        ),
        (
            {"status": "delivered", "minutes_delivered": 20},
            SPEECH,
            None,
            [
                (
                    "minutes_delivered",
                    "Delivered means the whole session of 30 minutes; choose partly for fewer.",
                )
            ],
        ),
        (
            {"status": "partly", "minutes_delivered": 30},
            SPEECH,
            None,
            [("minutes_delivered", "Partly delivered means fewer than 30 minutes.")],
        ),
        (
            {"status": "not_delivered", "minutes_delivered": 5},
            SPEECH,
            None,
            [("minutes_delivered", "Not delivered means 0 minutes; choose partly instead.")],
        ),
        (
            {"status": "no_opportunity", "minutes_delivered": 5},
            SPEECH,
            None,
            [
                (
                    "minutes_delivered",
                    "No opportunity means no minutes were delivered; choose partly instead.",
                )
            ],
        ),
        # A change of minutes alone is checked against the status already stored.
        (
            {"minutes_delivered": 10},
            SPEECH,
            rules.Stored("delivered", 30),
            [
                (
                    "minutes_delivered",
                    "Delivered means the whole session of 30 minutes; choose partly for fewer.",
                )
            ],
        ),
        (
            {"status": "delivered", "recorded_at": "2020-01-01", "hash": "x"},
            AID,
            None,
            [("hash", "This field cannot be set."), ("recorded_at", "This field cannot be set.")],
        ),
        (
            {"status": "delivered", "note": "x" * 5001},
            AID,
            None,
            [("note", "Use at most 5000 characters (this one has 5001).")],
        ),
        (
            {"status": "delivered", "reported_by": "a\x00b"},
            AID,
            None,
            [("reported_by", "Remove the NUL character (\\u0000) from the text.")],
        ),
        (
            {"status": "delivered", "note": "\ud800"},
            AID,
            None,
            [
                (
                    "note",
                    "The text contains an invalid character (a lone surrogate such as \\ud800).",
                )
            ],
        ),
    ],
)
def test_each_rule_names_its_field_and_says_why(sent, terms, stored, expected):
    assert problems(check(sent, terms, stored)) == expected


def test_texts_are_stripped_and_circumstances_sorted_once():
    checked = check(
        {
            "status": "delivered",
            "note": "  spaced  ",
            "circumstances": ["child_absent"] * 2 + ["bus-late"],
        },
        AID,
    )
    assert checked.ok
    assert checked.values == {
        "status": "delivered",
        "note": "spaced",
        "circumstances": ["bus-late", "child_absent"],
    }


@pytest.mark.parametrize(
    ("sent", "stored", "minutes"),
    [
        ({"status": "delivered"}, None, 30),  # a delivered session is a whole one
        ({"status": "partly"}, None, None),
        ({"status": "not_delivered"}, None, None),
        ({"status": "partly", "minutes_delivered": 10}, None, 10),
        # A new status without minutes takes the minutes that go with it ...
        ({"status": "delivered"}, rules.Stored("partly", 10), 30),
        ({"status": "not_delivered"}, rules.Stored("delivered", 30), None),
        # ... the same status, or no status, keeps the stored minutes.
        ({"status": "partly"}, rules.Stored("partly", 10), 10),
        ({"note": "x"}, rules.Stored("partly", 10), 10),
        ({"minutes_delivered": 0, "status": "not_delivered"}, rules.Stored("partly", 10), 0),
    ],
)
def test_the_minutes_follow_the_status(sent, stored, minutes):
    checked = check(sent, SPEECH, stored)
    assert checked.ok, problems(checked)
    assert checked.minutes == minutes


def test_an_untimed_provision_never_has_minutes():
    assert check({"status": "delivered"}, AID).minutes is None


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (TODAY, []),
        (date(2026, 11, 19), [("event_date", "You cannot log a day that has not happened yet.")]),
        (
            date(2026, 9, 15),
            [
                (
                    "event_date",
                    "This provision was not in effect on 2026-09-15 (it applies 2026-09-16 to "
                    "2027-05-27).",
                )
            ],
        ),
    ],
)
def test_a_new_recording_is_of_a_day_that_happened_and_the_provision_applies(day, expected):
    assert problems(check({"status": "delivered"}, AID, day=day)) == expected


def test_a_change_is_not_checked_against_the_day():
    stored = rules.Stored("delivered", None)
    assert check({"status": "partly"}, AID, stored, day=None, today=None).ok


def test_a_new_entry_of_a_replaced_plan_version_is_refused_naming_the_version_in_force():
    checked = check({"status": "delivered"}, AID, plan_in_force="Amendment (2026-11-01)")
    assert problems(checked) == [
        (
            "provision",
            "This provision belongs to an older plan version; on 2026-11-17 the plan in force "
            "is Amendment (2026-11-01). Use that plan's provisions.",
        )
    ]


def test_a_contact_of_another_child_is_refused():
    checked = check(
        {"status": "delivered", "reported_contact": object()}, AID, contact_is_childs=False
    )
    assert problems(checked) == [("reported_contact", "Choose one of this child's contacts.")]


@pytest.mark.parametrize(
    ("reason", "kept", "problem"),
    [
        ("  typo  ", "typo", None),
        ("x" * 500, "x" * 500, None),
        ("x" * 501, "x" * 501, "Use at most 500 characters (this one has 501)."),
    ],
)
def test_a_reason_is_stripped_and_never_cut_short(reason, kept, problem):
    stripped, found = rules.check_reason(reason)
    assert stripped == kept
    assert (found.text() if found else None) == problem


def test_an_idempotency_key_has_at_most_100_characters():
    assert rules.check_idempotency_key("k" * 100) is None
    found = rules.check_idempotency_key("k" * 101)
    assert found is not None and found.field == "idempotency_key"


def test_messages_are_translated_before_they_are_filled_in():
    problem = rules.Problem("note", rules.TOO_LONG, {"max": 5, "length": 6})
    assert problem.text(lambda m: m.replace("Use at most", "Usa como máximo")) == (
        "Usa como máximo 5 characters (this one has 6)."
    )
