"""PDF craft: names for what the fonts lack, words broken only where they may be, small tables
kept together, complete ledger totals."""

from __future__ import annotations

from datetime import date

import pytest

from iepright.logbook.models import Entry
from iepright.reports.pdf import KINDS
from iepright.reports.pdf.layout import Column, Layout
from iepright.reports.pdf.wrapping import WordTooWide, wrap
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
        assert all(len(piece) % 8 == 0 for piece in pieces), pieces


def test_the_ledger_total_row_is_complete(logged):  # noqa: F811
    text = flat(pdf_text(render("compliance", logged)))
    # Required, logged, delivered, partly, not delivered, minutes: delivered, school side,
    # student side, no reason; sessions not logged.
    assert "Total 5.2 13 9 1 3 290 90 0 10 0" in text
