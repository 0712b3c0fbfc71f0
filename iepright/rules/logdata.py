"""Plain input for the pattern and ledger rules: what the plan promised and what the log says.

The Django side builds these from its models; the rules in `findings.py` and `ledger.py` read
only these, so they run (and are tested) without a database. Codes are the stable keys the
logbook stores: statuses, sources and circumstances.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

DELIVERED = "delivered"
PARTLY = "partly"
NOT_DELIVERED = "not_delivered"
NO_OPPORTUNITY = "no_opportunity"
# Days on which the provision could have been delivered: the denominator of every rate.
OPPORTUNITY_STATUSES = frozenset({DELIVERED, PARTLY, NOT_DELIVERED})
# A "miss" is a day with an opportunity on which the provision was not delivered in full.
MISS_STATUSES = frozenset({PARTLY, NOT_DELIVERED})

# Circumstances caused by the student rather than the school; a household may flag more.
STUDENT_SIDE = frozenset({"child_absent", "child_refused"})

PERIODS_WITH_FREQUENCY = ("day", "week", "month", "year")


def N_(message: str) -> str:
    """Mark a message for translation without translating it (`makemessages --keyword=N_`)."""
    return message


def identity(message: str) -> str:
    """Return the message untranslated (the default `translate`)."""
    return message


def iso(d: date) -> str:
    """Return the date as YYYY-MM-DD (the default `date_format`)."""
    return d.isoformat()


WEEKDAYS = (
    N_("Mondays"),
    N_("Tuesdays"),
    N_("Wednesdays"),
    N_("Thursdays"),
    N_("Fridays"),
    N_("Saturdays"),
    N_("Sundays"),
)
# The built-in circumstances (iepright/logbook/models.py); a household's own codes have their
# own labels.
CIRCUMSTANCE_LABELS = {
    "substitute_teacher": N_("Substitute teacher"),
    "provider_absent": N_("Provider absent"),
    "schedule_change": N_("Schedule change"),
    "assembly": N_("Assembly or event"),
    "field_trip": N_("Field trip"),
    "state_testing": N_("State testing"),
    "aide_coverage": N_("Class coverage by aide"),
    "child_absent": N_("Child absent"),
    "child_refused": N_("Child refused"),
    "technology": N_("Technology not working"),
    "other": N_("Other"),
}


Translate = Callable[[str], str]
DateFormat = Callable[[date], str]


@dataclass(frozen=True)
class ProvisionInfo:
    """One provision as the plan states it, for the days it is in effect.

    A plan change mid-range is two ProvisionInfo with different ids and adjacent date ranges;
    a provision that ended mid-range has an earlier `end`.
    """

    id: str
    text: str
    category: str
    period: str  # 'day' | 'week' | 'month' | 'year' | 'per_event' | ''
    sessions_per_period: int | None
    minutes_per_session: int | None
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError(
                f"The provision {self.id!r} ends ({self.end.isoformat()}) before it starts "
                f"({self.start.isoformat()})."
            )

    @property
    def is_service(self) -> bool:
        """Return True if the provision is a timed service (it has minutes per session)."""
        return self.minutes_per_session is not None

    def in_effect(self, d: date) -> bool:
        """Return True if the provision is in effect on d."""
        return self.start <= d <= self.end


@dataclass(frozen=True)
class LogItem:
    """One logged provision-day: the status and what the parent knows about it."""

    provision_id: str
    day: date
    status: str
    circumstances: tuple[str, ...] = ()
    source: str = ""
    reported_by: str = ""
    minutes: int | None = None
    late: bool = False

    @property
    def is_opportunity(self) -> bool:
        """Return True if the provision could have been delivered that day."""
        return self.status in OPPORTUNITY_STATUSES

    @property
    def is_miss(self) -> bool:
        """Return True if the provision had an opportunity and was not delivered in full."""
        return self.status in MISS_STATUSES


@dataclass(frozen=True)
class DayFacts:
    """What the parent recorded as different about one school day, whatever the outcomes.

    Asked once per child per day on the check-in page; an empty `facts` means the parent
    answered "nothing was different". A day without a DayFacts was not asked, so it is neither
    a day with a circumstance nor one without it.
    """

    day: date
    facts: frozenset[str] = frozenset()


@dataclass(frozen=True)
class LogData:
    """Everything the rules read for one child.

    `school_days` are the child's school days from the district calendar (34 CFR 300.11(c);
    counting convention 5). They may reach beyond the range being analysed: the ledger uses
    whole months and school years to prorate monthly and yearly services (see `ledger.py`).
    """

    provisions: tuple[ProvisionInfo, ...]
    items: tuple[LogItem, ...]
    school_days: tuple[date, ...]
    student_side: frozenset[str] = STUDENT_SIDE
    # The day facts recorded for the child (at most one per day); the only input of the
    # circumstance associations (findings.py), never the circumstances of a miss.
    day_facts: tuple[DayFacts, ...] = ()
