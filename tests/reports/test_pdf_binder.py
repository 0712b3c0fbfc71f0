"""The evidence binder: exhibits with their hashes, the full chronology and the revision history."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from iepright.logbook.models import EntryRevision
from tests.reports.test_pdf_data import (  # noqa: F401
    SCHOOL_DAYS,
    flat,
    logged,
    pdf_text,
    render,
)


@pytest.fixture
def binder(logged):  # noqa: F811
    pdf = render("binder", logged)
    return pdf, pdf_text(pdf)


def test_it_contains_the_compliance_report_first(binder):
    text = flat(binder[1])
    assert text.index("Provisions, in the IEP's exact words") < text.index("Exhibit index")
    assert "Days not delivered or partly delivered" in text


def test_it_numbers_each_exhibit_with_its_sha256_and_citing_entries(binder, logged):  # noqa: F811
    pages = binder[1]
    text = flat(pages)
    index = text[text.index("Exhibit index") :]
    compact = "".join(index.split())
    assert "Exhibit1teacher-email.pngPNGimage," in compact  # the type by name, not MIME
    assert logged.sha256 in compact
    exhibit_page = next(p for p in pages if "Exhibit 1" in p and "Attached" in p)
    page_text = " ".join(exhibit_page.split())
    assert f"SHA-256 {logged.sha256}" in page_text
    assert "Cited by 2026-11-10 Tue, P2 Speech-language therapy: ✗ Not delivered" in page_text
    # The missed-days table refers to the exhibit by number.
    missed = text[text.index("Days not delivered") : text.index("Exhibit index")]
    assert "Exhibit 1" in missed


def test_it_embeds_the_image_on_its_exhibit_page(binder):
    reader = PdfReader(io.BytesIO(binder[0]))
    pages = [p for p in reader.pages if "Attached" in p.extract_text()]
    assert len(pages) == 1
    assert len(pages[0].images) == 1


def test_the_chronology_lists_every_entry_whatever_its_status(binder):
    text = flat(binder[1])
    chronology = text[text.index("Chronology of every entry") : text.index("Revision history")]
    for d in SCHOOL_DAYS:
        assert f"{d.isoformat()} {d.strftime('%a')}" in chronology
    assert "All 17 entries of the period" in chronology
    assert "✓ Delivered" in chronology
    assert "– No opportunity" in chronology
    assert "Deleted; was ✓ Delivered" in chronology
    assert "amended, 2 revisions" in chronology


def test_it_prints_the_revision_history_of_amended_entries(binder, logged):  # noqa: F811
    text = flat(binder[1])
    history = text[text.index("Revision history of amended entries") :]
    assert "Teacher corrected the minutes" in history
    assert "Logged on the wrong day" in history
    compact = "".join(history.split())
    for entry in (logged.amended, logged.deleted):
        for revision in EntryRevision.objects.filter(entry=entry):
            assert revision.hash in compact


def test_every_page_says_page_n_of_m(binder):
    pages = binder[1]
    for n, page in enumerate(pages, start=1):
        assert f"Page {n} of {len(pages)}" in page
