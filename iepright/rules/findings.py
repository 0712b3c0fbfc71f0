"""Patterns in the log: delivery rates, runs, trends, breakdowns and associations.

Everything here counts logged days; nothing judges them. The rules:

Days. A provision's days are the school days (34 CFR 300.11(c), from the district calendar:
counting convention 5) from `start` to `end` on which it is in effect. A logged day is one
with a log item; an unlogged day is a school day in effect with none. A day "with an
opportunity" is a logged day whose status is delivered, partly or not delivered; "no
opportunity" days are counted but left out of every rate.

Delivery rate. delivered ÷ (delivered + partly + not delivered). A partly delivered day is
not counted as delivered and is reported beside the rate, never as half a delivery: the log
does not say how much of the provision the child got. A "miss" is a partly or not delivered
day; the miss rate is misses ÷ days with an opportunity.

Runs. A run is consecutive not-delivered days in the provision's own sequence of school days
(plus any logged non-school day). A "no opportunity" day is skipped without ending a run; a
delivered or partly delivered day ends it, and so does an unlogged school day (we do not
know what happened). The current run is the run still open on the last logged day. Runs
shorter than MIN_RUN days are not reported.

Trends. This month (the calendar month of `end`) against last month, and the first half of
the provision's school days in range against the second half (the first half is the first
n // 2 school days). A trend is reported only under the association rule below, with a
two-sided test since it can go either way.

Associations come only from day facts (LogData.day_facts): what the parent recorded as
different about the day, asked once per day whatever the outcomes. The circumstances ticked
under one entry ("what got in the way") are the reason for that miss; they are recorded
almost only on misses, so comparing days by them would find what was put in, and they are
never used here. For each provision and fact: the misses on its opportunity days whose day
facts include the fact, against the misses on its other opportunity days whose day facts were
recorded; opportunity days without day facts are left out of both (we do not know what was
different about them), and their number is stated. Each weekday is compared with the other
weekdays over all opportunity days (the calendar says which weekday it was). A finding is
reported only when the one-sided Fisher's exact test gives p < ALPHA (0.05) and there are at
least MIN_DAYS_WITH (5) days with the fact, at least MIN_MISSES_WITH (3) misses on them, and
at least MIN_OTHER_DAYS (5) other days, so that a handful of days never becomes a claim.
Because many tables are tested at once (every provision against every fact, weekday and
trend), the p-values of all tables that meet the minimum counts then go through the
Benjamini-Hochberg step-up rule at a false-discovery rate of 5% (fdr_cutoff), and only findings
that survive it are reported. Even so, a single association is a lead, not proof.

Sentences give plain counts with their true denominators; the test and its p-value are in
each finding's `method` (small print on the page, the binder's method appendix), never in
its text. The parent's own logging record (unlogged days, late entries) is not a finding
about the school's delivery: it is in the provision counts and under "How this log was kept".

Importance (for "the five most important findings"; higher first):
    current run of n ≥ 3 days            60 + n
    association                           20 + 5 * min(-log10 p, 6)   (lower p first)
    trend getting worse                   15 + 5 * min(-log10 p, 6)
    trend getting better                   5 + 5 * min(-log10 p, 6)
    longest run (not the current one)     10 + n
    provision summary                     misses * miss rate

Wording (IDEA rules reference §9): counts, not judgements; "services not delivered", never
"owed". Every sentence template is a module constant marked with N_ for makemessages.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, timedelta
from math import log10

from iepright.rules.comparisons import (
    ALPHA,
    Numbers,
    associations,
    fdr_cutoff,
    p_text,
    passes,
)
from iepright.rules.lateness import LATE_AFTER_DAYS
from iepright.rules.logdata import (
    CIRCUMSTANCE_LABELS,
    DELIVERED,
    N_,
    NO_OPPORTUNITY,
    NOT_DELIVERED,
    PARTLY,
    WEEKDAYS,
    DateFormat,
    LogData,
    LogItem,
    ProvisionInfo,
    Translate,
    identity,
    iso,
)
from iepright.rules.stats import fisher_exact

MIN_RUN = 3

SUMMARY = N_(
    "%(provision)s was delivered in full on %(delivered)d of %(opportunity_days)d logged days "
    "with an opportunity (%(delivered_pct)d%%), partly on %(partly)d and not at all on "
    "%(not_delivered)d."
)
NO_OPPORTUNITY_ONLY = N_(
    "%(provision)s had no opportunity on any of its %(logged_days)d logged days."
)
CURRENT_RUN = N_(
    "%(provision)s was not delivered on each of the last %(length)d logged days with an "
    "opportunity, from %(first)s to %(last)s."
)
LONGEST_RUN = N_(
    "%(provision)s was not delivered on %(length)d logged days with an opportunity in a row, "
    "from %(first)s to %(last)s."
)
TREND = N_(
    "%(provision)s was not delivered in full on %(recent_misses)d of the %(recent_days)d "
    "logged days with an opportunity from %(recent_first)s to %(recent_last)s; on "
    "%(earlier_misses)d of the %(earlier_days)d from %(earlier_first)s to %(earlier_last)s."
)
DAY_FACT_ASSOCIATION = N_(
    "On the %(with_days)d days with “%(circumstance)s” in the day facts, %(provision)s was not "
    "delivered in full on %(with_misses)d; on the %(other_days)d other days with day facts, "
    "on %(other_misses)d."
)
WEEKDAY_ASSOCIATION = N_(
    "On the %(with_days)d logged %(weekday)s, %(provision)s was not delivered in full on "
    "%(with_misses)d; on the %(other_days)d logged days on other weekdays, on %(other_misses)d."
)
# The small print: how a compared finding was tested (page, API, the binder's appendix).
ONE_SIDED_METHOD = N_(
    "One-sided Fisher's exact test, %(p_text)s; kept after the Benjamini-Hochberg correction "
    "for the %(tables)d comparisons made (false-discovery rate 5%%)."
)
TWO_SIDED_METHOD = N_(
    "Two-sided Fisher's exact test, %(p_text)s; kept after the Benjamini-Hochberg correction "
    "for the %(tables)d comparisons made (false-discovery rate 5%%)."
)
NOT_ASKED = N_(
    "Logged days with an opportunity but no day facts, left out of this comparison: %(not_asked)d."
)


@dataclass(frozen=True)
class Span:
    """Opportunity days and misses between two dates."""

    first: date
    last: date
    opportunity_days: int
    misses: int

    @property
    def miss_rate(self) -> float | None:
        """Return misses ÷ opportunity days, or None without any."""
        return self.misses / self.opportunity_days if self.opportunity_days else None


@dataclass(frozen=True)
class Run:
    """Consecutive not-delivered days (no-opportunity days skipped)."""

    first: date
    last: date
    length: int


@dataclass(frozen=True)
class ProvisionStats:
    """The counts for one provision over a range (see the module docstring for the rules)."""

    provision_id: str
    school_days: int
    logged_days: int
    delivered: int
    partly: int
    not_delivered: int
    no_opportunity: int
    unlogged_days: int
    late: int
    this_month: Span | None = None
    last_month: Span | None = None
    first_half: Span | None = None
    second_half: Span | None = None
    longest_run: Run | None = None
    current_run: Run | None = None

    @property
    def opportunity_days(self) -> int:
        """Return the logged days on which the provision could have been delivered."""
        return self.delivered + self.partly + self.not_delivered

    @property
    def misses(self) -> int:
        """Return the opportunity days on which it was not delivered in full."""
        return self.partly + self.not_delivered

    @property
    def delivery_rate(self) -> float | None:
        """Return delivered ÷ opportunity days (partly is not delivered), or None."""
        return self.delivered / self.opportunity_days if self.opportunity_days else None

    @property
    def miss_rate(self) -> float | None:
        """Return (partly + not delivered) ÷ opportunity days, or None."""
        return self.misses / self.opportunity_days if self.opportunity_days else None


@dataclass
class Tally:
    """Misses out of opportunity days, for one row of a breakdown."""

    misses: int = 0
    opportunity_days: int = 0


@dataclass(frozen=True)
class Breakdowns:
    """Misses and opportunity days by weekday (ISO 1-7), day fact, source and category.

    by_circumstance counts only provision-days on days whose day facts were recorded, by each
    fact of the day ("" = nothing was different), never by an entry's own circumstances (module
    docstring). Sources are those on the item itself ("" = none recorded).
    """

    by_weekday: dict[int, Tally]
    by_circumstance: dict[str, Tally]
    by_source: dict[str, Tally]
    by_category: dict[str, Tally]


@dataclass(frozen=True)
class Finding:
    """One plain-language finding with the numbers behind it, and how it was tested."""

    kind: str
    provision_id: str | None
    importance: float
    numbers: Numbers
    text: str
    # The test and its p-value, for the small print and the method appendix ("" if untested).
    method: str = ""


@dataclass
class _View:
    """One provision's school days in effect and its items, both in date order."""

    provision: ProvisionInfo
    first: date
    last: date
    school_days: list[date]
    items: list[LogItem]
    item_days: list[date]
    # (day, missed) for each logged day with an opportunity, in date order.
    opportunities: list[tuple[date, bool]]


class _Index:
    """The log grouped once, so every later question is a lookup or a bisect."""

    def __init__(self, data: LogData, start: date, end: date) -> None:
        self.start, self.end = start, end
        self.school_days = sorted(set(data.school_days))
        self.by_provision: dict[str, dict[date, LogItem]] = {}
        for item in data.items:
            if start <= item.day <= end:
                self.by_provision.setdefault(item.provision_id, {})[item.day] = item
        # Only day facts, never an entry's own circumstances (module docstring).
        self.day_facts: dict[date, frozenset[str]] = {
            f.day: f.facts for f in data.day_facts if start <= f.day <= end
        }

    def view(self, provision: ProvisionInfo) -> _View:
        """Return the provision's days in effect within the range and its items on them."""
        first, last = max(self.start, provision.start), min(self.end, provision.end)
        if first > last:
            return _View(provision, first, last, [], [], [], [])
        sd = self.school_days
        days = sd[bisect_left(sd, first) : bisect_right(sd, last)]
        logged = self.by_provision.get(provision.id, {})
        items = sorted((i for d, i in logged.items() if first <= d <= last), key=lambda i: i.day)
        opportunities = [(i.day, i.is_miss) for i in items if i.is_opportunity]
        return _View(provision, first, last, days, items, [i.day for i in items], opportunities)


def _span(view: _View, first: date, last: date) -> Span | None:
    """Return the opportunity days and misses from first to last, or None if the range is empty."""
    first, last = max(first, view.first), min(last, view.last)
    if first > last:
        return None
    chosen = view.items[bisect_left(view.item_days, first) : bisect_right(view.item_days, last)]
    return Span(
        first,
        last,
        sum(1 for i in chosen if i.is_opportunity),
        sum(1 for i in chosen if i.is_miss),
    )


def _runs(view: _View) -> tuple[Run | None, Run | None]:
    """Return the longest and the current run of not-delivered days (module docstring)."""
    if not view.items:
        return None, None
    by_day = dict(zip(view.item_days, view.items, strict=True))
    last_logged = view.item_days[-1]
    best: Run | None = None
    length, run_first, run_last = 0, last_logged, last_logged
    for d in sorted(set(view.school_days) | set(view.item_days)):
        if d > last_logged:
            break
        item = by_day.get(d)
        if item is not None and item.status == NO_OPPORTUNITY:
            continue
        if item is not None and item.status == NOT_DELIVERED:
            length += 1
            run_first = d if length == 1 else run_first
            run_last = d
            if best is None or length > best.length:
                best = Run(run_first, run_last, length)
        else:
            length = 0
    current = Run(run_first, run_last, length) if length else None
    return best, current


def _stats(index: _Index, view: _View) -> ProvisionStats:
    counts = {DELIVERED: 0, PARTLY: 0, NOT_DELIVERED: 0, NO_OPPORTUNITY: 0}
    late = 0
    logged_school_days = 0
    school_day_set = set(view.school_days)
    for item in view.items:
        if item.status in counts:
            counts[item.status] += 1
        late += item.late
        logged_school_days += item.day in school_day_set
    this_start = index.end.replace(day=1)
    last_start = (this_start - timedelta(days=1)).replace(day=1)
    first_half = second_half = None
    n = len(view.school_days)
    if n >= 2:
        split = view.school_days[n // 2]
        first_half = _span(view, view.first, split - timedelta(days=1))
        second_half = _span(view, split, view.last)
    longest, current = _runs(view)
    return ProvisionStats(
        provision_id=view.provision.id,
        school_days=n,
        logged_days=len(view.items),
        delivered=counts[DELIVERED],
        partly=counts[PARTLY],
        not_delivered=counts[NOT_DELIVERED],
        no_opportunity=counts[NO_OPPORTUNITY],
        unlogged_days=n - logged_school_days,
        late=late,
        this_month=_span(view, this_start, index.end),
        last_month=_span(view, last_start, this_start - timedelta(days=1)),
        first_half=first_half,
        second_half=second_half,
        longest_run=longest,
        current_run=current,
    )


def provision_stats(data: LogData, provision_id: str, start: date, end: date) -> ProvisionStats:
    """Return the counts, trends and runs for one provision from start to end."""
    provision = next((p for p in data.provisions if p.id == provision_id), None)
    if provision is None:
        raise KeyError(f"No provision with id {provision_id!r} in the data.")
    index = _Index(data, start, end)
    return _stats(index, index.view(provision))


def breakdowns(data: LogData, start: date, end: date) -> Breakdowns:
    """Return misses and opportunity days by weekday, day fact, source and category."""
    result = Breakdowns({}, {}, {}, {})
    index = _Index(data, start, end)
    for provision in data.provisions:
        for item in index.view(provision).items:
            if not item.is_opportunity:
                continue
            tallies = [
                result.by_weekday.setdefault(item.day.isoweekday(), Tally()),
                result.by_source.setdefault(item.source, Tally()),
                result.by_category.setdefault(provision.category, Tally()),
            ]
            facts = index.day_facts.get(item.day)
            if facts is not None:
                for code in facts or {""}:
                    tallies.append(result.by_circumstance.setdefault(code, Tally()))
            for tally in tallies:
                tally.opportunity_days += 1
                tally.misses += item.is_miss
    return result


def _pct(rate: float) -> int:
    return int(rate * 100 + 0.5)


TESTED_KINDS = frozenset({"circumstance", "weekday", "trend_month", "trend_halves"})


def _strength(p: float) -> float:
    return 5 * min(-log10(p), 6.0) if p > 0 else 30.0


def _trend(earlier: Span | None, recent: Span | None, tested: list[float]) -> float | None:
    """Return the two-sided p of a change between two spans, if it passes the rule, else None."""
    if earlier is None or recent is None:
        return None
    ne, me = earlier.opportunity_days, earlier.misses
    nr, mr = recent.opportunity_days, recent.misses
    if not passes(min(ne, nr), max(me, mr), max(ne, nr)):
        return None
    p = fisher_exact(mr, nr - mr, me, ne - me, "two-sided")
    tested.append(p)
    return p if p < ALPHA else None


def _provision_findings(
    index: _Index,
    view: _View,
    translate: Translate,
    date_format: DateFormat,
    label: Callable[[str], str],
    tested: list[float],
) -> list[Finding]:
    stats = _stats(index, view)
    pid = stats.provision_id
    base: Numbers = {"provision": view.provision.text}
    out: list[Finding] = []

    def add(kind: str, importance: float, template: str, numbers: Numbers) -> None:
        numbers = base | numbers
        out.append(Finding(kind, pid, importance, numbers, translate(template) % numbers))

    fields = ("school_days", "logged_days", "delivered", "partly", "not_delivered")
    counts: Numbers = {name: getattr(stats, name) for name in fields}
    counts |= {
        "unlogged": stats.unlogged_days,
        "no_opportunity": stats.no_opportunity,
        "opportunity_days": stats.opportunity_days,
    }
    if stats.logged_days == 0:
        return out
    if stats.delivery_rate is None or stats.miss_rate is None:
        add("summary", 0.0, NO_OPPORTUNITY_ONLY, counts)
    else:
        counts |= {"delivery_rate": stats.delivery_rate, "delivered_pct": _pct(stats.delivery_rate)}
        add("summary", stats.misses * stats.miss_rate, SUMMARY, counts)

    def run_numbers(run: Run) -> Numbers:
        return {
            "length": run.length,
            "first": date_format(run.first),
            "last": date_format(run.last),
        }

    current, longest = stats.current_run, stats.longest_run
    if current is not None and current.length >= MIN_RUN:
        add("current_run", 60 + current.length, CURRENT_RUN, run_numbers(current))
    if longest is not None and longest.length >= MIN_RUN and longest != current:
        add("longest_run", 10 + longest.length, LONGEST_RUN, run_numbers(longest))

    for kind, earlier, recent in (
        ("trend_month", stats.last_month, stats.this_month),
        ("trend_halves", stats.first_half, stats.second_half),
    ):
        p = _trend(earlier, recent, tested)
        if p is None or earlier is None or recent is None:
            continue
        worse = recent.misses * earlier.opportunity_days > earlier.misses * recent.opportunity_days
        numbers: Numbers = {
            "recent_misses": recent.misses,
            "recent_days": recent.opportunity_days,
            "earlier_misses": earlier.misses,
            "earlier_days": earlier.opportunity_days,
            "p": p,
            "p_text": p_text(p),
            "direction": "worse" if worse else "better",
            "recent_first": date_format(recent.first),
            "recent_last": date_format(recent.last),
            "earlier_first": date_format(earlier.first),
            "earlier_last": date_format(earlier.last),
        }
        add(kind, (15 if worse else 5) + _strength(p), TREND, numbers)

    facts = index.day_facts
    asked = [(d, missed) for d, missed in view.opportunities if d in facts]
    not_asked = len(view.opportunities) - len(asked)
    for code, numbers in associations(asked, lambda d: facts[d], tested):
        numbers |= {
            "circumstance_code": code,
            "circumstance": label(str(code)),
            "not_asked": not_asked,
        }
        add("circumstance", 20 + _strength(float(numbers["p"])), DAY_FACT_ASSOCIATION, numbers)
    by_weekday = associations(view.opportunities, lambda d: (d.isoweekday(),), tested)
    for weekday, numbers in by_weekday:
        assert isinstance(weekday, int)
        numbers |= {"weekday_number": weekday, "weekday": translate(WEEKDAYS[weekday - 1])}
        add("weekday", 20 + _strength(float(numbers["p"])), WEEKDAY_ASSOCIATION, numbers)
    return out


def _with_method(finding: Finding, tables: int, translate: Translate) -> Finding:
    """Return a tested finding with its small print (the test, p, the correction) filled in."""
    if finding.kind not in TESTED_KINDS:
        return finding
    numbers = finding.numbers | {"tables": tables}
    template = TWO_SIDED_METHOD if finding.kind.startswith("trend") else ONE_SIDED_METHOD
    method = translate(template) % numbers
    if numbers.get("not_asked"):
        method = f"{method} {translate(NOT_ASKED) % numbers}"
    return replace(finding, numbers=numbers, method=method)


def analyse(
    data: LogData,
    start: date,
    end: date,
    *,
    translate: Translate = identity,
    date_format: DateFormat = iso,
    circumstance_label: Callable[[str], str] | None = None,
) -> list[Finding]:
    """Return the findings from start to end, most important first (module docstring).

    `translate` turns each English template into the reader's language before the numbers
    are filled in; `circumstance_label` names a circumstance code (by default the built-in
    labels, translated, or the code itself for a household's own circumstance).
    """

    def default_label(code: str) -> str:
        known = CIRCUMSTANCE_LABELS.get(code)
        return translate(known) if known is not None else code.replace("_", " ")

    label = circumstance_label or default_label
    index = _Index(data, start, end)
    findings: list[Finding] = []
    tested: list[float] = []
    for provision in data.provisions:
        view = index.view(provision)
        findings.extend(_provision_findings(index, view, translate, date_format, label, tested))
    cutoff = fdr_cutoff(tested)
    findings = [
        _with_method(f, len(tested), translate)
        for f in findings
        if f.kind not in TESTED_KINDS or float(f.numbers["p"]) <= cutoff
    ]
    order = {p.id: n for n, p in enumerate(data.provisions)}
    findings.sort(key=lambda f: (-f.importance, order.get(f.provision_id or "", -1), f.kind))
    return findings


@dataclass(frozen=True)
class LoggingRecord:
    """The parent's own logging record over a range, for "How this log was kept"."""

    logged_days: int  # log entries (provision-days logged)
    late: int
    school_days: int  # provision-days: a provision on a school day it was in effect
    unlogged_days: int
    logged_school_days: int  # school days with at least one entry
    day_facts_days: int  # of those, the days whose day facts were recorded
    grace_days: int = LATE_AFTER_DAYS


def logging_record(data: LogData, start: date, end: date) -> LoggingRecord:
    """Return how the log was kept from start to end (module docstring: not a finding)."""
    index = _Index(data, start, end)
    stats = [_stats(index, index.view(p)) for p in data.provisions]
    school_days = {d for d in index.school_days if start <= d <= end}
    logged = {d for items in index.by_provision.values() for d in items} & school_days
    return LoggingRecord(
        logged_days=sum(s.logged_days for s in stats),
        late=sum(s.late for s in stats),
        school_days=sum(s.school_days for s in stats),
        unlogged_days=sum(s.unlogged_days for s in stats),
        logged_school_days=len(logged),
        day_facts_days=len(logged & set(index.day_facts)),
    )
