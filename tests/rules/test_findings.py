"""Pattern findings (iepright/rules/findings.py), tested with tables of cases; no database."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from iepright.rules import findings as f
from iepright.rules.comparisons import fdr_cutoff, p_text
from iepright.rules.findings import (
    Finding,
    Run,
    Tally,
    analyse,
    breakdowns,
    provision_stats,
)
from iepright.rules.logdata import DayFacts, LogData, LogItem, ProvisionInfo
from iepright.rules.stats import fisher_exact

D = date.fromisoformat
STATUS = {"D": "delivered", "P": "partly", "N": "not_delivered", "O": "no_opportunity"}
MONDAY = D("2026-09-07")
PLAN_START, PLAN_END = D("2026-08-01"), D("2027-06-30")


def weekdays(first: date, count: int, closed: frozenset[date] = frozenset()) -> tuple[date, ...]:
    """Return `count` Monday-to-Friday dates from `first`, leaving out closed days."""
    days: list[date] = []
    d = first
    while len(days) < count:
        if d.isoweekday() <= 5 and d not in closed:
            days.append(d)
        d += timedelta(days=1)
    return tuple(days)


def prov(
    pid: str = "ext",
    text: str = "Extended time",
    category: str = "testing_accommodation",
    start: date = PLAN_START,
    end: date = PLAN_END,
) -> ProvisionInfo:
    return ProvisionInfo(pid, text, category, "per_event", None, None, start, end)


def logged(pid: str, days: tuple[date, ...], pattern: str) -> tuple[LogItem, ...]:
    """Return items for a pattern of D, P, N, O (statuses) and . (not logged), one per day."""
    return tuple(
        LogItem(pid, d, STATUS[code]) for d, code in zip(days, pattern, strict=False) if code != "."
    )


def by_kind(found: list[Finding], kind: str) -> list[Finding]:
    return [x for x in found if x.kind == kind]


# --- counts and the delivery rate ------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "counts", "rate"),
    [
        ("", (0, 0, 0, 0, 0, 10), None),
        ("D", (1, 0, 0, 0, 1, 9), 1.0),
        ("DDDPN", (3, 1, 1, 0, 5, 5), 0.6),
        ("DDOO.N", (2, 0, 1, 2, 5, 5), 2 / 3),
        ("OOO", (0, 0, 0, 3, 3, 7), None),
        ("NNNNNNNNNN", (0, 0, 10, 0, 10, 0), 0.0),
    ],
)
def test_it_counts_statuses_and_the_delivery_rate(
    pattern: str, counts: tuple[int, ...], rate: float | None
) -> None:
    days = weekdays(MONDAY, 10)
    data = LogData((prov(),), logged("ext", days, pattern), days)
    stats = provision_stats(data, "ext", days[0], days[-1])
    delivered, partly, not_delivered, no_opp, logged_days, unlogged = counts
    assert (stats.delivered, stats.partly, stats.not_delivered, stats.no_opportunity) == (
        delivered,
        partly,
        not_delivered,
        no_opp,
    )
    assert (stats.logged_days, stats.unlogged_days, stats.school_days) == (
        logged_days,
        unlogged,
        10,
    )
    assert stats.delivery_rate == (pytest.approx(rate) if rate is not None else None)
    assert stats.opportunity_days == delivered + partly + not_delivered


def test_it_handles_no_data_at_all() -> None:
    assert analyse(LogData((), (), ()), MONDAY, MONDAY) == []
    stats = provision_stats(LogData((prov(),), (), ()), "ext", MONDAY, MONDAY)
    assert (stats.school_days, stats.logged_days, stats.delivery_rate) == (0, 0, None)
    with pytest.raises(KeyError):
        provision_stats(LogData((), (), ()), "missing", MONDAY, MONDAY)


def test_it_handles_a_single_day() -> None:
    data = LogData((prov(),), (LogItem("ext", MONDAY, "not_delivered"),), (MONDAY,))
    stats = provision_stats(data, "ext", MONDAY, MONDAY)
    assert (stats.not_delivered, stats.unlogged_days, stats.first_half) == (1, 0, None)
    assert stats.current_run == Run(MONDAY, MONDAY, 1)
    [summary] = analyse(data, MONDAY, MONDAY)
    assert summary.text == (
        "Extended time was delivered in full on 0 of 1 logged days with an opportunity (0%), "
        "partly on 0 and not at all on 1."
    )


def test_a_logged_non_school_day_counts_but_does_not_fill_an_unlogged_school_day() -> None:
    days = weekdays(MONDAY, 5)
    saturday = MONDAY + timedelta(days=5)
    items = (*logged("ext", days, "DD"), LogItem("ext", saturday, "delivered"))
    stats = provision_stats(LogData((prov(),), items, days), "ext", MONDAY, saturday)
    assert (stats.logged_days, stats.delivered, stats.unlogged_days) == (3, 3, 3)


def test_it_counts_only_the_days_an_ended_provision_was_in_effect() -> None:
    days = weekdays(MONDAY, 10)
    ended = prov(end=days[3])
    items = logged("ext", days, "NNNNDDDDDD")  # the last six are after it ended
    stats = provision_stats(LogData((ended,), items, days), "ext", days[0], days[-1])
    assert (stats.school_days, stats.logged_days, stats.not_delivered, stats.delivered) == (
        4,
        4,
        4,
        0,
    )


def test_a_plan_change_splits_the_counts_between_versions() -> None:
    days = weekdays(MONDAY, 10)
    v1 = prov("v1", "Speech (old plan)", end=days[4])
    v2 = prov("v2", "Speech (new plan)", start=days[5])
    items = logged("v1", days[:5], "DDNDD") + logged("v2", days[5:], "NN.DD")
    data = LogData((v1, v2), items, days)
    one, two = (provision_stats(data, pid, days[0], days[-1]) for pid in ("v1", "v2"))
    assert (one.school_days, one.delivered, one.not_delivered, one.unlogged_days) == (5, 4, 1, 0)
    assert (two.school_days, two.delivered, two.not_delivered, two.unlogged_days) == (5, 2, 2, 1)


def test_closed_days_are_not_counted_as_unlogged() -> None:
    closed = frozenset({MONDAY + timedelta(days=2)})
    days = weekdays(MONDAY, 4, closed)
    stats = provision_stats(
        LogData((prov(),), logged("ext", days, "DDDD"), days), "ext", MONDAY, days[-1]
    )
    assert (stats.school_days, stats.unlogged_days) == (4, 0)


def test_it_counts_late_entries_but_does_not_make_them_a_finding() -> None:
    """The parent's logging record belongs under "How this log was kept", not the findings."""
    days = weekdays(MONDAY, 5)
    items = tuple(LogItem("ext", d, "delivered", late=n < 2) for n, d in enumerate(days))
    data = LogData((prov(),), items, days)
    assert provision_stats(data, "ext", days[0], days[-1]).late == 2
    found = analyse(data, days[0], days[-1])
    assert [x.kind for x in found] == ["summary"]
    assert "late" not in found[0].text


# --- runs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("pattern", "longest", "current"),
    [
        ("", 0, 0),
        ("D", 0, 0),
        ("NNN", 3, 3),
        ("NNDN", 2, 1),
        ("NNNDNN", 3, 2),
        ("NNONN", 4, 4),  # no opportunity is skipped without ending the run
        ("NN.NN", 2, 2),  # an unlogged school day ends it
        ("NNPNN", 2, 2),  # a partly delivered day ends it
        ("NNN..", 3, 3),  # days after the last logged day do not end the current run
        ("ONNO", 2, 2),
        ("NNNNDO", 4, 0),
    ],
)
def test_it_finds_runs_of_not_delivered_days(pattern: str, longest: int, current: int) -> None:
    days = weekdays(MONDAY, max(len(pattern), 1))
    data = LogData((prov(),), logged("ext", days, pattern), days)
    stats = provision_stats(data, "ext", days[0], days[-1])
    assert (stats.longest_run.length if stats.longest_run else 0) == longest
    assert (stats.current_run.length if stats.current_run else 0) == current


def test_run_findings_name_their_dates_and_rank_first() -> None:
    days = weekdays(MONDAY, 12)
    data = LogData((prov(),), logged("ext", days, "NNNNDDDDNNNN"), days)
    found = analyse(data, days[0], days[-1])
    assert found[0].kind == "current_run"
    assert found[0].text == (
        "Extended time was not delivered on each of the last 4 logged days with an opportunity, "
        "from 2026-09-17 to 2026-09-22."
    )
    # The longest run equals the current one in length but is a different run, so it is shown.
    [longest] = by_kind(found, "longest_run")
    assert longest.numbers["first"] == "2026-09-07"
    assert [x.importance for x in found] == sorted((x.importance for x in found), reverse=True)


def test_short_runs_are_not_findings() -> None:
    days = weekdays(MONDAY, 6)
    found = analyse(LogData((prov(),), logged("ext", days, "NNDNND"), days), days[0], days[-1])
    assert not by_kind(found, "current_run") and not by_kind(found, "longest_run")


# --- trends ----------------------------------------------------------------------------------


def month_data(september: str, october: str) -> tuple[LogData, tuple[date, ...]]:
    sept = weekdays(D("2026-09-01"), 21, frozenset({D("2026-09-07")}))  # Labor Day closed
    octo = weekdays(D("2026-10-01"), 22)
    days = sept + octo
    items = logged("ext", sept, september) + logged("ext", octo, october)
    return LogData((prov(),), items, days), days


def test_it_compares_this_month_with_last_month_and_the_two_halves() -> None:
    data, days = month_data("D" * 20 + "N", "NDNDNDNDNDNDNDNDNDNDNN")
    stats = provision_stats(data, "ext", days[0], D("2026-10-30"))
    assert stats.last_month is not None and stats.this_month is not None
    assert (stats.last_month.first, stats.last_month.last) == (D("2026-09-01"), D("2026-09-30"))
    assert (stats.last_month.misses, stats.last_month.opportunity_days) == (1, 21)
    assert (stats.this_month.misses, stats.this_month.opportunity_days) == (12, 22)
    assert stats.first_half is not None and stats.second_half is not None
    assert stats.first_half.opportunity_days + stats.second_half.opportunity_days == 43
    assert stats.second_half.opportunity_days == 43 - 43 // 2
    [trend] = by_kind(analyse(data, days[0], D("2026-10-30")), "trend_month")
    p = fisher_exact(12, 10, 1, 20, "two-sided")
    assert trend.numbers["p"] == pytest.approx(p) and trend.numbers["direction"] == "worse"
    assert trend.text == (
        "Extended time was not delivered in full on 12 of the 22 logged days with an "
        "opportunity from 2026-10-01 to 2026-10-30; on 1 of the 21 from 2026-09-01 to "
        "2026-09-30."
    )
    assert trend.method.startswith(f"Two-sided Fisher's exact test, {p_text(p)}; kept after")


@pytest.mark.parametrize(
    ("september", "october", "reported"),
    [
        ("D" * 20 + "N", "NDNDNDNDNDNDNDNDNDNDNN", True),
        ("D" * 18 + "NNN", "DDDNDDDDNDDDDDDDDDDDDN", False),  # p >= 0.05
        ("D" * 21, "NN" + "." * 20, False),  # only two days logged this month
    ],
)
def test_month_trends_follow_the_association_rule(
    september: str, october: str, reported: bool
) -> None:
    data, days = month_data(september, october)
    found = analyse(data, days[0], D("2026-10-30"))
    assert bool(by_kind(found, "trend_month")) is reported


# --- associations ----------------------------------------------------------------------------


def association_data(
    with_days: int, with_misses: int, other_days: int, other_misses: int, *, unasked: int = 0
) -> tuple[LogData, tuple[date, ...]]:
    """Extended time on with+other days (and `unasked` delivered days without day facts after
    them); the day facts say "substitute teacher" on the first `with_days`."""
    days = weekdays(MONDAY, with_days + other_days + unasked)
    items: list[LogItem] = []
    facts: list[DayFacts] = []
    for n, d in enumerate(days):
        with_sub = n < with_days
        miss = n < with_misses if with_sub else 0 <= n - with_days < other_misses
        items.append(LogItem("ext", d, "not_delivered" if miss else "delivered"))
        items.append(LogItem("read", d, "delivered"))
        if n < with_days + other_days:
            facts.append(DayFacts(d, frozenset({"substitute_teacher"} if with_sub else set())))
    provisions = (prov(), prov("read", "Read-aloud", "accommodation"))
    return LogData(provisions, tuple(items), days, day_facts=tuple(facts)), days


@pytest.mark.parametrize(
    ("counts", "reported"),
    [
        ((9, 7, 41, 2), True),
        ((5, 5, 5, 0), True),  # every minimum just met, p = 1/252
        ((4, 4, 41, 0), False),  # fewer than 5 days with the fact
        ((6, 2, 41, 0), False),  # fewer than 3 misses with it
        ((20, 10, 4, 0), False),  # fewer than 5 other days
        ((5, 3, 5, 0), False),  # minimums met but p = 0.083
        ((10, 3, 40, 6), False),  # p >= 0.05
        ((10, 1, 40, 30), False),  # fewer misses with it than without
    ],
)
def test_day_fact_associations_need_p_below_005_and_minimum_counts(
    counts: tuple[int, int, int, int], reported: bool
) -> None:
    data, days = association_data(*counts)
    found = by_kind(analyse(data, days[0], days[-1]), "circumstance")
    assert bool(found) is reported
    if reported:
        assert [x.provision_id for x in found] == ["ext"]


def test_circumstances_ticked_only_on_misses_are_never_an_association() -> None:
    """The circular log of the issue: "what got in the way" on 8 misses, no day facts."""
    days = weekdays(MONDAY, 50)
    items = tuple(
        LogItem("ext", d, "not_delivered", ("substitute_teacher",))
        if n < 8
        else LogItem("ext", d, "not_delivered" if n in (20, 30) else "delivered")
        for n, d in enumerate(days)
    )
    found = analyse(LogData((prov(),), items, days), days[0], days[-1])
    assert by_kind(found, "circumstance") == []
    assert not any("Substitute" in x.text or "substitute" in x.text for x in found)


def test_the_circumstances_of_a_miss_do_not_count_even_beside_day_facts() -> None:
    """Day facts say nothing was different; the misses' own circumstances are not day facts."""
    days = weekdays(MONDAY, 50)
    items = tuple(
        LogItem(
            "ext", d, "not_delivered" if n < 8 else "delivered", ("substitute_teacher",) * (n < 8)
        )
        for n, d in enumerate(days)
    )
    facts = tuple(DayFacts(d) for d in days)
    found = analyse(LogData((prov(),), items, days, day_facts=facts), days[0], days[-1])
    assert by_kind(found, "circumstance") == []


def test_a_day_fact_sentence_states_plain_counts_with_true_denominators() -> None:
    data, days = association_data(8, 8, 42, 2)
    [found] = by_kind(analyse(data, days[0], days[-1]), "circumstance")
    p = fisher_exact(8, 0, 2, 40)
    assert found.numbers == {
        "provision": "Extended time",
        "with_misses": 8,
        "with_days": 8,
        "other_misses": 2,
        "other_days": 42,
        "with_rate": 1.0,
        "other_rate": 2 / 42,
        "p": p,
        "p_text": "p < 0.001",
        "circumstance_code": "substitute_teacher",
        "circumstance": "Substitute teacher",
        "not_asked": 0,
        "tables": found.numbers["tables"],
    }
    assert found.text == (
        "On the 8 days with “Substitute teacher” in the day facts, Extended time was not "
        "delivered in full on 8; on the 42 other days with day facts, on 2."
    )
    assert "p <" not in found.text and "Fisher" not in found.text
    assert found.method.startswith("One-sided Fisher's exact test, p < 0.001; kept after the")


def test_days_without_day_facts_are_left_out_and_counted_in_the_small_print() -> None:
    data, days = association_data(8, 8, 42, 2, unasked=10)
    [found] = by_kind(analyse(data, days[0], days[-1]), "circumstance")
    assert (found.numbers["with_days"], found.numbers["other_days"]) == (8, 42)
    assert found.method.endswith(
        "Logged days with an opportunity but no day facts, left out of this comparison: 10."
    )


@pytest.mark.parametrize(
    ("facts", "reported"),
    [
        ({"substitute_teacher"}, True),
        ({"substitute_teacher", "assembly"}, True),  # several facts on a day: each compared
        (set(), False),  # "nothing was different" on the miss days too
    ],
)
def test_what_the_day_facts_say_on_the_miss_days_decides(facts: set[str], reported: bool) -> None:
    days = weekdays(MONDAY, 30)
    items = tuple(
        LogItem("ext", d, "not_delivered" if n < 6 else "delivered") for n, d in enumerate(days)
    )
    day_facts = tuple(
        DayFacts(d, frozenset(facts) if n < 6 else frozenset()) for n, d in enumerate(days)
    )
    data = LogData((prov(),), items, days, day_facts=day_facts)
    found = by_kind(analyse(data, days[0], days[-1]), "circumstance")
    assert {x.numbers["circumstance_code"] for x in found} == (facts if reported else set())


def test_a_household_circumstance_uses_the_label_given() -> None:
    days = weekdays(MONDAY, 20)
    items = tuple(
        LogItem("ext", d, "not_delivered" if n < 6 else "delivered") for n, d in enumerate(days)
    )
    facts = tuple(
        DayFacts(d, frozenset({"bus_late"}) if n < 6 else frozenset()) for n, d in enumerate(days)
    )
    data = LogData((prov(),), items, days, day_facts=facts)
    [plain] = by_kind(analyse(data, days[0], days[-1]), "circumstance")
    assert "“bus late”" in plain.text
    [named] = by_kind(
        analyse(data, days[0], days[-1], circumstance_label={"bus_late": "Bus late"}.__getitem__),
        "circumstance",
    )
    assert "“Bus late”" in named.text


def test_it_finds_weekday_associations() -> None:
    days = weekdays(MONDAY, 50)
    pattern = "".join(
        "N" if (d.isoweekday() == 1 and n < 40) or n in (12, 33) else "D"
        for n, d in enumerate(days)
    )
    data = LogData((prov(),), logged("ext", days, pattern), days)
    [monday] = by_kind(analyse(data, days[0], days[-1]), "weekday")
    assert (monday.numbers["with_misses"], monday.numbers["with_days"]) == (8, 10)
    assert (monday.numbers["other_misses"], monday.numbers["other_days"]) == (2, 40)
    assert monday.text == (
        "On the 10 logged Mondays, Extended time was not delivered in full on 8; on the 40 "
        "logged days on other weekdays, on 2."
    )
    assert monday.method.startswith("One-sided Fisher's exact test, p < 0.001")


# --- breakdowns, translation, wording --------------------------------------------------------


def test_it_breaks_misses_down_by_weekday_day_fact_source_and_category() -> None:
    items = (
        LogItem("ext", MONDAY, "not_delivered", ("substitute_teacher",), "teacher_email"),
        LogItem("ext", MONDAY + timedelta(days=1), "partly", (), "child_reported"),
        LogItem("ext", MONDAY + timedelta(days=7), "delivered", ("assembly",), "child_reported"),
        LogItem("read", MONDAY, "no_opportunity"),
        LogItem("read", MONDAY + timedelta(days=1), "delivered"),
    )
    provisions = (prov(), prov("read", "Read-aloud", "accommodation"))
    # Day facts on the first Monday (a substitute) and the next Monday (nothing different); the
    # Tuesday has none. The entries' own circumstances are not counted.
    facts = (
        DayFacts(MONDAY, frozenset({"substitute_teacher", "assembly"})),
        DayFacts(MONDAY + timedelta(days=7)),
    )
    data = LogData(provisions, items, (), day_facts=facts)
    result = breakdowns(data, MONDAY, MONDAY + timedelta(days=7))
    assert result.by_weekday == {1: Tally(1, 2), 2: Tally(1, 2)}
    assert result.by_circumstance == {
        "substitute_teacher": Tally(1, 1),
        "assembly": Tally(1, 1),
        "": Tally(0, 1),
    }
    assert result.by_source == {
        "teacher_email": Tally(1, 1),
        "child_reported": Tally(1, 2),
        "": Tally(0, 1),
    }
    assert result.by_category == {
        "testing_accommodation": Tally(2, 3),
        "accommodation": Tally(0, 1),
    }


SPANISH = {
    f.SUMMARY: "%(provision)s se cumplió por completo en %(delivered)d de %(opportunity_days)d "
    "días registrados con oportunidad (%(delivered_pct)d%%), en parte en %(partly)d y nada en "
    "%(not_delivered)d.",
    f.DAY_FACT_ASSOCIATION: "En los %(with_days)d días con «%(circumstance)s», "
    "%(provision)s no se cumplió por completo en %(with_misses)d; en los %(other_days)d otros "
    "días, en %(other_misses)d.",
    "Substitute teacher": "Maestro suplente",
}


def test_a_translate_function_changes_the_text_but_not_the_counts() -> None:
    data, days = association_data(9, 7, 41, 2)
    english = analyse(data, days[0], days[-1])
    spanish = analyse(data, days[0], days[-1], translate=lambda s: SPANISH.get(s, s))
    counts = [{k: v for k, v in x.numbers.items() if k != "circumstance"} for x in english]
    assert [{k: v for k, v in x.numbers.items() if k != "circumstance"} for x in spanish] == counts
    [assoc] = by_kind(spanish, "circumstance")
    assert assoc.text == (
        "En los 9 días con «Maestro suplente», Extended time no se cumplió por completo en 7; "
        "en los 41 otros días, en 2."
    )
    summary = by_kind(spanish, "summary")[0]
    assert summary.text.startswith("Extended time se cumplió por completo en 41 de 50 días")


def test_a_date_format_function_is_used_for_dates() -> None:
    days = weekdays(MONDAY, 3)
    data = LogData((prov(),), logged("ext", days, "NNN"), days)
    [run] = by_kind(
        analyse(data, days[0], days[-1], date_format=lambda d: d.strftime("%d/%m")), "current_run"
    )
    assert "from 07/09 to 09/09" in run.text


def test_the_summary_counts_delivery_and_leaves_unlogged_days_to_the_counts() -> None:
    """Unlogged days are the parent's record ("How this log was kept"), not the school's."""
    days = weekdays(MONDAY, 10)
    data = LogData((prov(),), logged("ext", days, "DDDN.D.D.."), days)
    [summary] = by_kind(analyse(data, days[0], days[-1]), "summary")
    assert summary.text == (
        "Extended time was delivered in full on 5 of 6 logged days with an opportunity (83%), "
        "partly on 0 and not at all on 1."
    )
    assert provision_stats(data, "ext", days[0], days[-1]).unlogged_days == 4


def test_a_provision_with_nothing_logged_is_not_a_finding() -> None:
    days = weekdays(MONDAY, 10)
    assert analyse(LogData((prov(),), (), days), days[0], days[-1]) == []
    assert (
        provision_stats(LogData((prov(),), (), days), "ext", days[0], days[-1]).unlogged_days == 10
    )


TEMPLATES = [value for name, value in vars(f).items() if name.isupper() and isinstance(value, str)]


@pytest.mark.parametrize("template", TEMPLATES)
def test_templates_count_rather_than_judge(template: str) -> None:
    assert "owed" not in template.lower()
    assert "owe " not in template.lower()


# --- three school years ----------------------------------------------------------------------


def test_it_analyses_three_school_years_of_twenty_provisions() -> None:
    days = weekdays(D("2024-08-19"), 540)
    provisions = tuple(
        prov(f"p{k:02}", f"Provision {k}", start=days[0], end=days[-1]) for k in range(20)
    )
    items: list[LogItem] = []
    facts: list[DayFacts] = []
    for i, d in enumerate(days):
        sub = i % 11 == 0  # 50 days, spread over the weekdays
        facts.append(DayFacts(d, frozenset({"substitute_teacher"}) if sub else frozenset()))
        for k in range(20):
            status = "delivered"
            if (k == 1 and sub) or (k == 2 and i % 9 == 4) or (k == 3 and i % 5 == 4):
                status = "not_delivered"
            items.append(LogItem(f"p{k:02}", d, status, (), "parent_observed"))
    data = LogData(provisions, tuple(items), days, day_facts=tuple(facts))
    assert len(data.items) == 10_800
    found = analyse(data, days[0], days[-1])

    [assoc] = by_kind(found, "circumstance")
    assert assoc.provision_id == "p01"
    assert assoc.text.startswith("On the 50 days with “Substitute teacher” in the day facts,")
    assert "on 50; on the 490 other days with day facts, on 0." in assoc.text
    [weekday] = by_kind(found, "weekday")
    assert weekday.provision_id == "p03"
    assert (
        "On the 108 logged Fridays, Provision 3 was not delivered in full on 108; on the 432"
        in weekday.text
    )
    assert not by_kind(found, "current_run") and not by_kind(found, "trend_month")
    p02 = provision_stats(data, "p02", days[0], days[-1])
    assert (p02.not_delivered, p02.delivered, p02.unlogged_days) == (60, 480, 0)
    assert found[0].kind in {"circumstance", "weekday"}


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_noise_never_becomes_a_claim(seed: int) -> None:
    """Misses and circumstances drawn independently: no association or trend may be reported."""
    import random

    rng = random.Random(seed)
    days = weekdays(D("2024-08-19"), 540)
    codes = ("substitute_teacher", "assembly", "schedule_change", "field_trip")
    provisions = tuple(
        prov(f"p{k:02}", f"Provision {k}", start=days[0], end=days[-1]) for k in range(20)
    )
    items = []
    facts = []
    for d in days:
        facts.append(DayFacts(d, frozenset(c for c in codes if rng.random() < 0.1)))
        for k in range(20):
            status = "not_delivered" if rng.random() < 0.15 else "delivered"
            items.append(LogItem(f"p{k:02}", d, status))
    data = LogData(provisions, tuple(items), days, day_facts=tuple(facts))
    found = analyse(data, days[0], days[-1])
    claims = [x.text for x in found if x.kind in f.TESTED_KINDS]
    assert claims == []


@pytest.mark.parametrize(
    ("p_values", "cutoff"),
    [
        ([], -1.0),
        ([0.04], 0.04),
        ([0.04, 0.5], -1.0),
        ([0.001, 0.02, 0.03, 0.8], 0.03),
        ([0.01, 0.02, 0.2, 0.3], 0.02),
        ([0.06], -1.0),
    ],
)
def test_the_false_discovery_rate_step(p_values: list[float], cutoff: float) -> None:
    assert fdr_cutoff(p_values) == cutoff
