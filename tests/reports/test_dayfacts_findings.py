"""Findings about what misses coincide with come only from day facts, in plain counts.

Fifteen weekdays of extended time in October 2026 (no calendar on file: Monday to Friday):
missed on the five days a substitute taught, delivered on the ten others.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape
from typing import Any

import pytest
from django.urls import reverse

from iepright.logbook import dayfacts
from iepright.reports.pdf import render_report
from tests.clock import at
from tests.conftest import log_entry
from tests.reports.test_pdf_data import flat, pdf_text

pytestmark = pytest.mark.frozen(at(date(2026, 10, 30)))

FIRST = date(2026, 10, 5)
DAYS = [d for d in (FIRST + timedelta(days=n) for n in range(19)) if d.isoweekday() <= 5]
SUB_DAYS = DAYS[1::3]  # five days spread over the weeks
RANGE = "from=2026-10-05&to=2026-10-23"
SENTENCE = (
    "On the 5 days with “Substitute teacher” in the day facts, Extended time (time and one "
    "half) on classroom tests, quizzes and state assessments was not delivered in full on 5; on "
    "the 10 other days with day facts, on 0."
)


def findings_html(client, child) -> str:
    html = client.get(reverse("child_reports", args=[child.public_id]) + f"?{RANGE}")
    body: str = html.content.decode()
    start = body.index('id="findings-heading"')
    return body[start : body.index("</section>", start)]


def plain(html: str) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())


def log_days(owner, provision, *, circumstances_on_misses: bool, with_day_facts: bool) -> None:
    for day in DAYS:
        missed = day in SUB_DAYS
        fields: dict[str, Any] = {"status": "not_delivered" if missed else "delivered"}
        if missed and circumstances_on_misses:
            fields["circumstances"] = ["substitute_teacher"]
        log_entry(provision, day, owner, when=at(day), **fields)
        if with_day_facts:
            facts = ["substitute_teacher"] if missed else []
            dayfacts.record(provision.plan.child, day, facts, user=owner, client="web", now=at(day))


def test_day_facts_with_a_pattern_give_plain_counts_and_small_print(
    client_for, owner, child, extended_time
):
    log_days(owner, extended_time, circumstances_on_misses=False, with_day_facts=True)
    html = findings_html(client_for(owner), child)
    [item] = [li for li in re.findall(r"<li[^>]*>.*?</li>", html, re.S) if "day facts" in li]
    sentence, _sep, small = item.partition('<small class="finding-method">')
    assert plain(sentence) == SENTENCE
    assert "Fisher" not in sentence and "p <" not in sentence and "p =" not in sentence
    assert plain(small).startswith("One-sided Fisher's exact test, p < 0.001; kept after")


def test_circumstances_ticked_only_on_misses_claim_no_association(
    client_for, owner, child, extended_time
):
    log_days(owner, extended_time, circumstances_on_misses=True, with_day_facts=False)
    text = plain(findings_html(client_for(owner), child))
    assert "Substitute teacher" not in text and "day facts" not in text
    assert "Fisher" not in text


def test_the_api_findings_carry_the_test_apart_from_the_text(api_for, owner, child, extended_time):
    log_days(owner, extended_time, circumstances_on_misses=True, with_day_facts=True)
    body = api_for(owner).get(f"/api/v1/children/{child.public_id}/findings?{RANGE}").json()
    [found] = [f for f in body["findings"] if f["kind"] == "circumstance"]
    assert found["text"] == SENTENCE
    assert found["method"].startswith("One-sided Fisher's exact test")
    assert found["numbers"]["not_asked"] == 0


@pytest.mark.parametrize("kind", ["one-pager", "binder"])
def test_the_pdfs_keep_the_p_value_out_of_the_findings(owner, child, extended_time, kind):
    log_days(owner, extended_time, circumstances_on_misses=False, with_day_facts=True)
    pdf = render_report(kind, child=child, start=DAYS[0], end=DAYS[-1])
    text = flat(pdf_text(pdf))
    appendix = "Method appendix: how the comparisons were tested"
    body = text.split(appendix)[0]
    assert SENTENCE in body
    assert "Fisher" not in body and "p < 0.001" not in body
    if kind == "binder":
        method = text[text.index(appendix) :]
        assert "Only day facts are compared" in method
        assert SENTENCE + " One-sided Fisher's exact test, p < 0.001; kept after" in method
    else:
        assert appendix not in text


def chart_text(client, child) -> str:
    body: str = client.get(
        reverse("child_reports", args=[child.public_id]) + f"?{RANGE}"
    ).content.decode()
    start = body.index('id="chart-circumstance"')
    return plain(body[start : body.index("</figure>", start)])


def test_the_chart_by_what_was_different_reads_only_day_facts(
    client_for, owner, child, extended_time
):
    log_days(owner, extended_time, circumstances_on_misses=True, with_day_facts=False)
    text = chart_text(client_for(owner), child)
    assert "No day facts were recorded on the logged days of these dates." in text
    assert "Substitute teacher" not in text


def test_the_chart_by_what_was_different_counts_days_with_and_without(
    client_for, owner, child, extended_time
):
    log_days(owner, extended_time, circumstances_on_misses=False, with_day_facts=True)
    text = chart_text(client_for(owner), child)
    assert "Substitute teacher 5 5 100%" in text
    assert "Nothing was different 0 10 0%" in text
