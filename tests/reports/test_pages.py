"""The report dashboard and its downloads: numbers, findings, charts, ranges, access, queries."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import defaultdict
from html import unescape
from types import SimpleNamespace

import pytest
from django.urls import reverse

from iepright.reports.views import downloads
from tests.clock import REPORT_DAY
from tests.reports.reportlog import LATE, RANGE, SUMMARY, extra_entries, make_log

pytestmark = pytest.mark.frozen(REPORT_DAY)

ROLES = ["owner", "editor", "viewer"]


def url(child, query: str = "") -> str:
    return reverse("child_reports", args=[child.public_id]) + (f"?{query}" if query else "")


def text_of(response) -> str:
    html = re.sub(r"<[^>]+>", " ", response.content.decode())
    return " ".join(unescape(html).split())


def table_rows(html: str, table_id: str) -> list[list[str]]:
    table = re.search(rf'<table[^>]*id="{table_id}".*?</table>', html, re.S)
    assert table, table_id
    rows = []
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table.group(0), re.S):
        cells = re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        rows.append([" ".join(unescape(re.sub(r"<[^>]+>", " ", c)).split()) for c in cells])
    return rows


@pytest.mark.parametrize("role", ROLES)
def test_it_shows_the_dashboard_to_every_member(client_for, personas, child, report_log, role):
    r = client_for(personas[role]).get(url(child, RANGE))
    assert r.status_code == 200
    assert "Maya Alvarez: reports" in text_of(r)


def test_it_hides_the_dashboard_from_outsiders(client_for, personas, child):
    assert client_for(personas["outsider"]).get(url(child)).status_code == 404


def test_it_sends_anonymous_visitors_to_log_in(client_for, child):
    r = client_for(None).get(url(child))
    assert r.status_code == 302 and "/login" in r["Location"]


def test_it_shows_the_findings_sentences(client_for, owner, child, report_log):
    text = text_of(client_for(owner).get(url(child, RANGE)))
    findings, _sep, rest = text.partition("How this log was kept")
    assert SUMMARY in findings
    assert LATE in rest and LATE not in findings
    assert "19 of 30 provision-days were not logged" in rest


def test_it_highlights_five_findings_and_folds_the_rest(
    client_for, owner, child, report_log, monkeypatch
):
    from iepright.reports import summary
    from iepright.rules.findings import Finding

    fake = [Finding("summary", None, 10 - n, {}, f"Finding number {n}.") for n in range(7)]
    monkeypatch.setattr(summary, "analyse", lambda *a, **k: fake)
    html = client_for(owner).get(url(child, RANGE)).content.decode()
    top, _sep, folded = html.partition('<details class="more-findings">')
    assert all(f"Finding number {n}." in top for n in range(5))
    assert "Finding number 5." in folded and "Finding number 6." in folded
    assert "2 more findings" in folded


def test_it_shows_each_provisions_exact_counts(client_for, owner, child, report_log):
    rows = table_rows(client_for(owner).get(url(child, RANGE)).content.decode(), "provision-stats")
    speech = next(r for r in rows if r[0] == "Speech-language therapy")
    # school days, logged, delivered, partly, not delivered, no opportunity, rate, unlogged
    assert speech[1:] == ["15", "9", "3", "2", "3", "1", "38%", "6"]


def test_it_shows_the_ledger_numbers_and_its_rule(client_for, owner, child, report_log):
    r = client_for(owner).get(url(child, RANGE))
    html = r.content.decode()
    rows = table_rows(html, "ledger")
    speech = next(r for r in rows if r and r[0].startswith("Speech-language therapy"))
    # required sessions, required minutes, logged, delivered minutes,
    # school-side, student-side, no reason, unlogged sessions
    assert speech[1:] == ["6.0", "180", "8", "125", "40", "30", "45", "0.0"]
    # 8 sessions logged against 6 required: a question for the parent, not extra delivery.
    assert speech[0] == (
        "Speech-language therapy More sessions logged than required — check for double entries"
    )
    text = text_of(r)
    assert "1 service has more sessions logged than the plan requires for these dates." in text
    assert "Required sessions count only school days on which the plan was in effect." in text
    assert "services not delivered" in text
    assert "owed" not in text.lower()


def test_it_notes_that_school_days_are_approximate_without_a_calendar(
    client_for, owner, child, speech, extended_time
):
    make_log(owner, speech, extended_time)
    text = text_of(client_for(owner).get(url(child, RANGE)))
    assert "school days are an approximation" in text


def test_it_does_not_show_the_notice_with_a_calendar(client_for, owner, child, report_log):
    assert "approximation" not in text_of(client_for(owner).get(url(child, RANGE)))


def test_every_chart_is_accessible_svg_with_a_table_beside_it(client_for, owner, child, report_log):
    html = client_for(owner).get(url(child, RANGE)).content.decode()
    svgs = re.findall(r"<svg.*?</svg>", html, re.S)
    assert len(svgs) == 4
    for svg in svgs:
        root = ET.fromstring(svg)
        assert root.get("role") == "img"
        ns = "{http://www.w3.org/2000/svg}"
        title, desc = root.find(f"{ns}title"), root.find(f"{ns}desc")
        assert title is not None and title.text and desc is not None and desc.text
    figures = re.findall(r"<figure.*?</figure>", html, re.S)
    assert len(figures) == 4
    assert all("<table" in f for f in figures)
    delivery = next(f for f in figures if 'id="chart-delivery"' in f)
    assert "38% delivered (3 of 8 days)" in delivery
    weekday = next(f for f in figures if 'id="chart-weekday"' in f)
    # Tuesdays: 11/3 speech and extended time not delivered, 11/17 speech delivered.
    assert "Tuesdays" in weekday and ">2 of 3 provision-days<" in weekday


def svg_bars(svg: ET.Element) -> dict[str, tuple[str, list[float]]]:
    """Return each bar's label: its numbers as text and its segments' shares of the track."""
    ns = "{http://www.w3.org/2000/svg}"
    bars = {}
    for g in svg.iter(f"{ns}g"):
        if g.get("class") != "bar":
            continue
        texts: defaultdict[str | None, list[str]] = defaultdict(list)
        for t in g.iter(f"{ns}text"):
            texts[t.get("class")].append("".join(t.itertext()))
        rects = list(g.iter(f"{ns}rect"))
        track = next(float(r.get("width", "")) for r in rects if r.get("class") == "track")
        shares = [float(r.get("width", "")) / track for r in rects if r.get("class") == "segment"]
        bars[" ".join(texts["label"])] = (" ".join(texts["value"]), shares)
    return bars


def test_every_bar_is_its_count_over_its_true_denominator(client_for, owner, child, report_log):
    html = client_for(owner).get(url(child, RANGE)).content.decode()
    svgs = {
        root.get("aria-labelledby", "").split("-title")[0]: root
        for root in map(ET.fromstring, re.findall(r"<svg.*?</svg>", html, re.S))
    }
    delivery = svg_bars(svgs["chart-delivery"])
    # Speech: 3 delivered, 2 partly, 3 not of 8 days; extended time: 1 and 1 of 2.
    speech_text, speech = delivery["Speech-language therapy"]
    assert speech_text == "38% delivered (3 of 8 days)"
    assert speech == pytest.approx([3 / 8, 2 / 8, 3 / 8], abs=1e-4)
    extended = next(v for k, v in delivery.items() if k.startswith("Extended time"))
    assert extended[0] == "50% delivered (1 of 2 days)"
    assert extended[1] == pytest.approx([1 / 2, 1 / 2])
    weekday = svg_bars(svgs["chart-weekday"])
    # Tuesdays: 11/3 speech and extended time not delivered, 11/17 speech delivered.
    assert weekday["Tuesdays"][0] == "2 of 3 provision-days"
    assert weekday["Tuesdays"][1] == pytest.approx([2 / 3], abs=1e-4)
    assert weekday["Fridays"][1] == []  # nothing missed draws nothing
    ns = "{http://www.w3.org/2000/svg}"
    for key, root in svgs.items():
        texts: defaultdict[str | None, list[str]] = defaultdict(list)
        for t in root.iter(f"{ns}text"):
            texts[t.get("class")].append("".join(t.itertext()))
        ticks = ["0%", "25%", "50%", "75%", "100%"]
        assert texts["tick"] in (ticks, ticks * 2), key  # bars: labelled above and below
        assert "days" in " ".join(texts["axis-label"]), key  # the axis names what it counts
    weeks = svgs["chart-weeks"]
    for col in weeks.iter(f"{ns}rect"):
        value, total = float(col.get("data-value", "")), float(col.get("data-total", ""))
        expected = 188 * (value / total if total else 0)  # the plot is 188 units tall
        assert float(col.get("height", "")) == pytest.approx(expected, abs=0.01)


def test_it_defaults_to_the_plan_start_until_today(client_for, owner, child, report_log):
    r = client_for(owner).get(url(child))
    assert r.context["report"].start.isoformat() == "2026-09-16"
    assert r.context["report"].end.isoformat() == "2026-11-20"
    assert 'value="2026-09-16"' in r.content.decode()


def test_it_defaults_to_the_last_90_days_without_a_plan(client_for, owner, child):
    r = client_for(owner).get(url(child))
    assert r.context["report"].start.isoformat() == "2026-08-22"


def test_it_offers_presets(client_for, owner, child, report_log):
    r = client_for(owner).get(url(child))
    presets = {p.key: p.query() for p in r.context["presets"]}
    assert presets == {
        "month": "from=2026-11-01&to=2026-11-20",
        "30days": "from=2026-10-22&to=2026-11-20",
        "school_year": "from=2026-08-12&to=2026-11-20",
        "plan": "from=2026-09-16&to=2026-11-20",
    }


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("from=2026-11-20&to=2026-11-02", "is after the “To” date"),
        ("from=2022-01-01&to=2026-11-20", "Choose at most three years"),
        ("from=2026-13-40&to=2026-11-20", "Enter the date as 2026-11-18."),
    ],
)
def test_it_explains_a_bad_range_without_crashing(
    client_for, owner, child, report_log, query, message
):
    r = client_for(owner).get(url(child, query))
    assert r.status_code == 200
    text = text_of(r)
    assert message in text
    assert "What the log shows" not in text
    assert "report" not in r.context or r.context.get("report") is None


def test_it_offers_every_download_for_the_range(client_for, owner, child, report_log):
    html = client_for(owner).get(url(child, RANGE)).content.decode()
    for kind in ("compliance", "one-pager", "binder"):
        link = reverse("child_report_pdf", args=[child.public_id, kind]) + "?" + RANGE
        assert f'href="{link.replace("&", "&amp;")}" data-report-download' in html
    assert reverse("child_export_csv", args=[child.public_id]) in html
    assert reverse("child_export_json", args=[child.public_id]) in html
    assert 'aria-live="polite"' in html and "Preparing your report" in html


@pytest.mark.parametrize("extra", [0, 25])
def test_the_dashboard_runs_a_fixed_number_of_queries(
    client_for, owner, child, report_log, speech, extra, django_assert_num_queries
):
    extra_entries(owner, speech, extra)
    client = client_for(owner)
    # session, user, child, plan in force, school year, load_log (provisions, entries,
    # calendars + their events, student-side circumstances, day facts), the household's
    # circumstances
    with django_assert_num_queries(12):
        assert client.get(url(child, "from=2026-09-16&to=2026-11-20")).status_code == 200


# PDF download ---------------------------------------------------------------------------


@pytest.fixture
def fake_pdf(monkeypatch):
    calls = []

    def render_report(kind, *, child, start, end, language="en"):
        calls.append((kind, child.pk, start, end, language))
        return b"%PDF-1.7 fake"

    fake = SimpleNamespace(KINDS=("compliance", "one-pager", "binder"), render_report=render_report)
    monkeypatch.setattr(downloads, "pdf_module", lambda: fake)
    return calls


def pdf_url(child, kind: str, query: str = RANGE) -> str:
    return reverse("child_report_pdf", args=[child.public_id, kind]) + f"?{query}"


@pytest.mark.parametrize("role", ROLES)
def test_members_download_a_pdf_named_for_the_child_and_range(
    client_for, personas, child, fake_pdf, role
):
    r = client_for(personas[role]).get(pdf_url(child, "compliance", RANGE + "&lang=es"))
    assert r.status_code == 200
    assert r["Content-Type"] == "application/pdf"
    assert r["Content-Disposition"] == (
        'attachment; filename="maya-alvarez-compliance-2026-11-02-to-2026-11-20.pdf"'
    )
    assert "no-store" in r["Cache-Control"]
    assert r.content.startswith(b"%PDF")
    kind, _pk, start, end, language = fake_pdf[-1]
    assert (kind, start.isoformat(), end.isoformat(), language) == (
        "compliance", "2026-11-02", "2026-11-20", "es",
    )  # fmt: skip


def test_outsiders_cannot_download_a_pdf(client_for, personas, child, fake_pdf):
    assert client_for(personas["outsider"]).get(pdf_url(child, "binder")).status_code == 404
    assert fake_pdf == []


def test_an_unknown_report_kind_is_not_found(client_for, owner, child, fake_pdf):
    assert client_for(owner).get(pdf_url(child, "novel")).status_code == 404


def test_a_bad_pdf_range_is_explained(client_for, owner, child, fake_pdf):
    r = client_for(owner).get(pdf_url(child, "compliance", "from=2026-11-20&to=2026-11-01"))
    assert r.status_code == 400
    assert "is after the “To” date" in r.content.decode()
    assert fake_pdf == []


def test_the_pdf_download_returns_a_real_pdf(client_for, owner, child, report_log):
    pdf = pytest.importorskip("iepright.reports.pdf")
    if not hasattr(pdf, "render_report"):
        pytest.skip("iepright.reports.pdf.render_report is not written yet")
    r = client_for(owner).get(pdf_url(child, "compliance"))
    assert r.status_code == 200
    assert r.content.startswith(b"%PDF")
    assert r["Content-Disposition"].startswith("attachment;")
