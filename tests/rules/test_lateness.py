"""The lateness rule (iepright/rules/lateness.py), as tables: dates and revisions in, marks out."""

from datetime import date

import pytest

from iepright.rules import lateness

DAY = date(2026, 11, 10)
FIRST = {"status": "delivered", "minutes_delivered": 30, "circumstances": [], "deleted": False}


def rev(on, changed=(), **state):
    return lateness.RevisionFacts(on, tuple(changed), {**FIRST, **state})


@pytest.mark.parametrize(
    ("recorded_on", "late"),
    [(DAY, False), (date(2026, 11, 12), False), (date(2026, 11, 13), True)],
)
def test_it_judges_the_first_recording_by_the_window(recorded_on, late):
    assert lateness.is_late(DAY, recorded_on) is late


@pytest.mark.parametrize(
    ("later", "expected"),
    [
        # Within the window: not marked, whatever changed.
        (rev(date(2026, 11, 12), ["status"], status="not_delivered"), []),
        # 23 days later: status old → new.
        (
            rev(date(2026, 12, 3), ["status"], status="not_delivered"),
            [lateness.LateChange(date(2026, 12, 3), 23, "status", "delivered", "not_delivered")],
        ),
        (
            rev(date(2026, 11, 13), ["minutes_delivered"], minutes_delivered=10),
            [lateness.LateChange(date(2026, 11, 13), 3, "minutes_delivered", 30, 10)],
        ),
        (
            rev(date(2026, 12, 1), ["circumstances"], circumstances=["substitute_teacher"]),
            [
                lateness.LateChange(
                    date(2026, 12, 1), 21, "circumstances", [], ["substitute_teacher"]
                )
            ],
        ),
        # Deleting is a change of status.
        (
            rev(date(2026, 12, 3), ["deleted"], deleted=True),
            [lateness.LateChange(date(2026, 12, 3), 23, "status", "delivered", "deleted")],
        ),
        # Fields that do not say what was delivered are not marked.
        (rev(date(2026, 12, 3), ["note", "source"], note="later note"), []),
        # Named as changed but the same value (circumstances in another order): nothing.
        (rev(date(2026, 12, 3), ["status"]), []),
    ],
)
def test_it_marks_changes_after_the_window(later, expected):
    assert lateness.late_changes(DAY, [rev(DAY, ["status"]), later]) == expected


def test_it_does_not_judge_the_first_recording_as_a_change():
    assert lateness.late_changes(DAY, [rev(date(2026, 12, 3), ["status"])]) == []


def test_it_compares_each_change_with_the_state_before_it():
    revisions = [
        rev(DAY, ["status"]),
        rev(
            date(2026, 12, 1),
            ["status", "minutes_delivered"],
            status="partly",
            minutes_delivered=15,
        ),
        rev(date(2026, 12, 3), ["deleted"], status="partly", minutes_delivered=15, deleted=True),
        rev(date(2026, 12, 4), ["deleted"], status="partly", minutes_delivered=15),
    ]
    assert [
        (c.field, c.old, c.new, c.days_after) for c in lateness.late_changes(DAY, revisions)
    ] == [
        ("status", "delivered", "partly", 21),
        ("minutes_delivered", 30, 15, 21),
        ("status", "partly", "deleted", 23),
        ("status", "deleted", "partly", 24),
    ]
