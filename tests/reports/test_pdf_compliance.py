"""The compliance report and the one-pager, read back as text the way a reader would find it."""

from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics

from iepright.logbook import services
from iepright.logbook.models import Entry
from iepright.logbook.verify import verify_child
from iepright.reports.pdf import fonts
from iepright.reports.pdf.layout import MARGIN, PAGE_WIDTH
from iepright.rules.ledger import rule_text
from tests.clock import at
from tests.reports.test_pdf_data import (  # noqa: F401
    EXTENDED_MISSED,
    SPEECH_MISSED,
    SPEECH_PARTLY,
    flat,
    logged,
    pdf_text,
    render,
)

EXTENDED_TEXT = (
    "Extended time (time and one half) on classroom tests, quizzes and state assessments"
)


@pytest.fixture
def report(logged):  # noqa: F811
    pdf = render("compliance", logged)
    return pdf, pdf_text(pdf)


def day(d: date) -> str:
    return f"{d.isoformat()} {d.strftime('%a')}"


def test_it_quotes_each_provision_in_the_iep_exact_words(report):
    text = flat(report[1])
    assert EXTENDED_TEXT in text
    assert "P2 — Related service — 2 × 30 min per week Speech-language therapy" in text


def test_it_states_the_child_school_plan_period_and_generation_time(report):
    text = flat(report[1])
    assert "Child Maya Alvarez" in text
    assert "Lone Oak Elementary School, Riverbend Independent School District, Texas" in text
    assert "Annual IEP (IEP), in effect 2026-09-16 to 2027-09-14; meeting 2026-09-15" in text
    assert "Period 2026-11-02 to 2026-11-18" in text
    assert "Generated 2026-11-18 15:00 CST (America/Chicago)" in text
    assert "From the school calendar on file" in text


def test_it_prints_the_counts_and_the_findings(report):
    text = flat(report[1])
    assert (
        "Speech-language therapy was delivered in full on 9 of 13 logged days with an "
        "opportunity (69%), partly on 1 and not at all on 3." in text
    )
    # The summary row: school days, logged, delivered, partly, not delivered, no opportunity,
    # not logged, recorded late, rate.
    assert "P2 Speech-language therapy 13 13 9 1 3 0 0 2 69% (9 of 13)" in text
    # Late entries are the parent's record: in the footer's "How this log was kept" (tested
    # below), not among the findings.
    assert "log entries were recorded late" not in text


def test_it_lists_every_missed_day_in_date_order_with_its_details(report, logged):  # noqa: F811
    pages = report[1]
    text = flat(pages)
    section = text[text.index("Days not delivered or partly delivered") :]
    missed = sorted([*SPEECH_MISSED, SPEECH_PARTLY, EXTENDED_MISSED])
    positions = [section.index(day(d)) for d in missed]
    assert positions == sorted(positions)
    assert "2026-11-03 Tue" not in section  # delivered days are not in this list
    assert "Teacher told me — Karen Whitfield (Case manager)" in section
    assert "Child reported — Maya" in section
    assert "◐ Partly (20 min)" in section
    assert "2026-11-18 15:00 CST — recorded late" in section
    compact = "".join(section.split())
    assert f"teacher-email.png(SHA-256{logged.sha256[:16]}…)" in compact


def test_it_prints_the_ledger_with_its_rule_and_without_overstatement(report):
    text = flat(report[1])
    # A 2 x weekly service logged on every school day: flagged, never read as extra delivery.
    assert (
        "P2 Speech-language therapy — more sessions logged than required — check for double "
        "entries 5.2 13 9 1 3 290 90 0 10 0"
    ) in text
    assert (
        "1 service has more sessions logged than the plan requires for these dates. Its logged "
        "sessions are not evidence of extra delivery: check its log for double entries."
    ) in text
    assert "These figures are services not delivered, as logged." in text
    # The rule runs onto the next page here, so check it sentence by sentence.
    for sentence in rule_text().split(". "):
        assert sentence.rstrip(".") in text
    assert "owed" not in text.lower()


def test_it_numbers_every_page_and_states_how_the_log_was_kept(report, logged):  # noqa: F811
    pages = report[1]
    total = len(pages)
    assert total >= 2
    final_hash = verify_child(logged.child).final_hash
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {total}" in page
        text = " ".join(page.split())
        assert (
            "of 16 entries in this period, 13 were recorded on the school day, 0 within 2 days "
            "after it and 3 late (more than 2 days after); 0 were changed later" in text
        )
        assert "Chain verified: yes (20 revisions)" in text
        assert f"Final hash: {final_hash}" in text


def test_it_keeps_spanish_characters_and_names_missing_emoji(report):
    text = flat(report[1])
    assert "¿Otra vez? [emoji: disappointed face] ñ á é — la terapeuta no vino." in text
    assert "□" not in text


def test_characters_the_fonts_lack_are_written_by_name():
    assert fonts.clean("ok ñ 😞 🦄\u200d x\ty") == (
        "ok ñ [emoji: disappointed face] [emoji: unicorn face] x y"
    )
    assert fonts.clean("⏰ 👍🏽 ✓ ☃ ⍾ \ue000") == (
        "[emoji: alarm clock] [emoji: thumbs up sign] ✓ ☃ [bell symbol] [U+E000]"
    )
    assert fonts.clean("𝔸 ｆ") == "A f"  # compatibility forms the fonts have
    assert fonts.clean("plain") == "plain"


def text_runs(pdf: bytes) -> list[tuple[int, float, float, str]]:
    """Return (page, x, width, text) for every text run pypdf finds."""
    runs: list[tuple[int, float, float, str]] = []
    for n, page in enumerate(PdfReader(io.BytesIO(pdf)).pages, start=1):

        def visit(text, cm, tm, font_dict, font_size, n=n):
            text = text.rstrip("\n")
            if not text.strip() or not font_dict:
                return
            name = fonts.BOLD if "Bold" in str(font_dict.get("/BaseFont")) else fonts.REGULAR
            width = pdfmetrics.stringWidth(text, name, font_size)
            runs.append((n, tm[4], width, text))

        page.extract_text(visitor_text=visit)
    return runs


def test_long_notes_wrap_inside_the_right_margin(report):
    runs = text_runs(report[0])
    assert len(runs) > 100
    right = PAGE_WIDTH - MARGIN + 0.5
    beyond = [(n, round(x + w), t) for n, x, w, t in runs if x + w > right]
    assert beyond == []
    # The long note is one paragraph in the log; in the table it takes many short lines.
    note_lines = [t for _, _, _, t in runs if "pathologist" in t]
    assert len(note_lines) >= 6


def test_it_renders_the_one_pager_on_one_page(logged):  # noqa: F811
    pages = pdf_text(render("one-pager", logged))
    assert len(pages) == 1
    text = flat(pages)
    assert "The five most important findings" in text
    assert len(re.findall(r"(?:^| )[1-9]\. ", text.split("most important findings")[1])) <= 5
    assert "Minutes delivered 290" in text
    assert "Sessions logged 13" in text
    assert "1 service has more sessions logged than the plan requires for these dates." in text
    assert "100: 90 school side, 0 student side (absent, refused), 10 no reason given" in text
    assert "Page 1 of 1" in pages[0]


def test_it_reads_the_log_in_a_fixed_number_of_queries(logged, django_assert_max_num_queries):  # noqa: F811
    with django_assert_max_num_queries(17):  # day facts: one more
        render("binder", logged)


def test_a_ledger_within_what_the_plan_requires_is_not_flagged(logged):  # noqa: F811
    owner = logged.child.household.memberships.first().user
    kept = [date(2026, 11, d) for d in (4, 10, 12, 17)]  # four sessions against 5.2 required
    for entry in Entry.objects.filter(provision=logged.speech, deleted_at__isnull=True):
        if entry.event_date not in kept:
            services.delete_entry(entry, user=owner, reason="Logged by mistake")
    for kind in ("compliance", "one-pager"):
        text = flat(pdf_text(render(kind, logged)))
        assert "double entries" not in text and "more sessions logged" not in text


def test_longer_spanish_headings_stay_whole(logged):  # noqa: F811
    text = flat(pdf_text(render("compliance", logged, language="es")))
    # The ledger's headings step down a size rather than split words ("Parci alme nte").
    assert "Servicio Sesiones requeridas Sesiones registradas Entregado Parcialmente" in text
    assert "P1 Extended time (time and one half) on" in text


def test_it_shows_a_change_made_to_a_provision_after_logging_began(logged):  # noqa: F811
    from iepright.plans import services as plans

    speech = logged.speech
    before = plans.provision_terms(speech)
    speech.minutes_per_session = 25
    speech.save()
    when = at(date(2026, 11, 18), 9, 30)
    plans.note_provision_change(
        speech, before, user=logged.child.household.memberships.first().user, client="web", now=when
    )
    text = flat(pdf_text(render("compliance", logged)))
    entries = speech.entries.count()  # deleted ones too: they were logged
    assert (
        f"Changed 2026-11-18 09:30 CST by Rosa Alvarez, after {entries} log entries: "
        "minutes per session: “30” → “25”"
    ) in text
