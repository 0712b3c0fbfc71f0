"""PDF craft: names for what the fonts lack, words broken only where they may be, the one-pager's
IEP words whole on one page, complete ledger totals, tables kept together, titles on page 1."""

from __future__ import annotations

import re
from datetime import date

import pytest

from iepright.accounts.models import User
from iepright.demo.load import load_demo
from iepright.demo.log import fill_demo_log
from iepright.logbook.models import Entry
from iepright.reports.pdf import KINDS, render_report, titles
from iepright.reports.pdf.layout import Column, Layout
from iepright.reports.pdf.wrapping import WordTooWide, wrap
from tests.clock import DEMO_EVENING, frozen
from tests.reports.test_pdf_data import (  # noqa: F401
    flat,
    logged,
    pdf_text,
    render,
)

SHA = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
FILE_NAME = "Screenshot_2026-11-10_teacher-email_from.Karen.Whitfield/case-manager.png"
LONG_WORD = "Pneumonoultramicroscopicsilicovolcanoconiosis"


@pytest.fixture
def regular() -> str:
    return Layout().regular


def test_a_hash_breaks_every_eight_hex_digits(regular):
    lines = wrap(SHA, regular, 7, 60)
    assert len(lines) > 1
    assert "".join(lines) == SHA
    assert all(len(line) % 8 == 0 for line in lines)


def test_a_file_name_breaks_after_its_separators(regular):
    lines = wrap(FILE_NAME, regular, 7, 70)
    assert len(lines) > 1
    assert "".join(lines) == FILE_NAME
    assert all(line[-1] in "/_-." for line in lines[:-1])


def test_prose_breaks_only_between_words(regular):
    text = "Maya waited in the library for twenty minutes before her teacher sent her back."
    lines = wrap(text, regular, 7, 50)
    assert " ".join(lines) == text
    # A word wider than the line is never cut in a table: the table widens its column.
    with pytest.raises(WordTooWide):
        wrap(f"a {LONG_WORD} b", regular, 7, 60, whole_words=True)


def test_a_table_widens_a_column_rather_than_cut_a_word():
    layout = Layout()
    columns = [Column("Day", 1.0), Column("Note", 0.5), Column("Other", 4.0)]
    layout.table(columns, [["2026-11-10", f"The {LONG_WORD} was", "x"]])
    lines = [line for text in layout.page.texts for line in text[4]]
    assert LONG_WORD in lines


def test_a_small_table_moves_whole_to_the_next_page():
    layout = Layout()
    layout.y = 140  # a little room left at the foot of the page
    layout.table([Column("A", 1.0), Column("B", 1.0)], [[str(n), "row"] for n in range(10)])
    assert len(layout.pages) == 2
    assert layout.pages[0].texts == []


@pytest.mark.parametrize("language", ["en", "es"])
def test_notes_with_emoji_rare_symbols_long_words_file_names_and_hashes(logged, language):  # noqa: F811
    entry = Entry.objects.get(provision=logged.speech, event_date=date(2026, 11, 17))
    note = f"Sad 😢 again ⍾ {LONG_WORD}; see {FILE_NAME} {SHA}"
    Entry.objects.filter(pk=entry.pk).update(note=note)
    for kind in KINDS:
        pages = pdf_text(render(kind, logged, language=language))
        text = "\n".join(pages)
        assert "□" not in text
        if kind == "one-pager":
            continue
        words = flat(pages)
        assert "Sad [emoji: crying face] again [bell symbol]" in words
        lines = {line.strip() for page in pages for line in page.splitlines()}
        assert any(LONG_WORD in line for line in lines), kind
        assert SHA in "".join(words.split())
        # Where the hash is cut, it is cut between groups of eight hex digits.
        pieces = [line for line in lines if line in SHA and len(line) >= 4]
        assert pieces, kind  # the note's column is narrower than the hash
        assert all(len(piece) % 8 == 0 for piece in pieces), pieces


def test_the_ledger_total_row_is_complete(logged):  # noqa: F811
    text = flat(pdf_text(render("compliance", logged)))
    # Required, logged, delivered, partly, not delivered, minutes: delivered, school side,
    # student side, no reason; sessions not logged.
    assert "Total 5.2 13 9 1 3 290 90 0 10 0" in text


@pytest.mark.parametrize("language", ["en", "es"])
def test_each_report_has_its_own_title_on_page_one(logged, language):  # noqa: F811
    from django.utils import translation

    with translation.override(language):
        names = titles()
    for kind in KINDS:
        first = pdf_text(render(kind, logged, language=language))[0]
        lines = [line.strip() for line in first.splitlines()]
        # A line of its own (the running header says "Maya Alvarez — <title>" on every page).
        assert names[kind] in lines, kind
        assert not {title for other, title in names.items() if other != kind} & set(lines)


@pytest.mark.parametrize("language", ["en", "es"])
def test_the_one_pager_quotes_the_iep_whole_on_one_page(logged, language):  # noqa: F811
    pages = pdf_text(render("one-pager", logged, language=language))
    assert len(pages) == 1
    assert "…" not in pages[0]
    text = flat(pages)
    for provision in (logged.speech, logged.extended):
        assert provision.text in text


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "es"])
def test_the_demo_one_pager_fits_one_page_with_the_longest_provisions(language, media):
    with frozen(DEMO_EVENING):
        demo = load_demo()
        fill_demo_log(demo.child, User.objects.get(email=demo.email), today=date(2026, 11, 20))
        plan = demo.child.plan_in_force(date(2026, 11, 20))
        assert plan is not None
        pdf = render_report(
            "one-pager", child=demo.child, start=plan.start_date, end=date(2026, 11, 20),
            language=language,
        )  # fmt: skip
    pages = pdf_text(pdf)
    assert len(pages) == 1
    assert "…" not in pages[0]
    text = flat(pages)
    longest = max(plan.provisions.all(), key=lambda p: len(p.text))
    shown = [p for p in plan.provisions.all() if p.text in text]
    assert shown, "no provision quoted"
    # Every provision named is named whole; one that does not fit is counted, not cut.
    for provision in plan.provisions.all():
        assert provision.text in text or provision.text[:30] not in text
    if longest not in shown or len(shown) < plan.provisions.count():
        left_out = plan.provisions.count() - len(shown)
        assert re.search(rf"\b{left_out} (more provisions?|apoyos? más)\b", text), text
