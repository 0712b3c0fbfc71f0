"""A logged fortnight for the PDF tests, built through the real services, and the entry point's
argument checks.

Other PDF test modules import `logged`, `pdf_text` and the constants from here.
"""

from __future__ import annotations

import hashlib
import io
from dataclasses import dataclass
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image
from pypdf import PdfReader

from iepright.logbook import services
from iepright.logbook.models import Entry
from iepright.plans.models import Child, Provision
from iepright.reports.pdf import KINDS, render_report
from tests.clock import NOW, at, frozen
from tests.conftest import log_entry

START, END = date(2026, 11, 2), date(2026, 11, 18)
SPEECH_MISSED = [date(2026, 11, 4), date(2026, 11, 10), date(2026, 11, 17)]
SPEECH_PARTLY = date(2026, 11, 12)
EXTENDED_MISSED = date(2026, 11, 13)
SPANISH_NOTE = "¿Otra vez? 😞 ñ á é — la terapeuta no vino."
LONG_NOTE = (
    "The speech session did not happen because the speech-language pathologist was pulled to "
    "cover a kindergarten class; the front office said a substitute was not available and "
    "that the session would be made up, but no make-up date was given. Maya waited in the "
    "library for twenty minutes before her teacher sent her back to class. "
) * 3
SCHOOL_DAYS = [date(2026, 11, d) for d in (2, 3, 4, 5, 6, 9, 10, 11, 12, 13, 16, 17, 18)]


def png_bytes() -> bytes:
    """Return a small real PNG (a grey card with a dark bar) to attach as evidence."""
    image = Image.new("RGB", (240, 160), (225, 225, 225))
    for x in range(20, 220):
        for y in range(60, 100):
            image.putpixel((x, y), (60, 60, 90))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


@dataclass
class Logged:
    child: Child
    speech: Provision
    extended: Provision
    sha256: str
    amended: Entry
    deleted: Entry


@pytest.fixture
def logged(child, plan, calendar, contact, owner, media) -> Logged:
    """Log speech therapy on every school day and extended time on a few, with misses."""
    speech = plan.provisions.get(text="Speech-language therapy")
    extended = plan.provisions.get(position=0)

    for day in SCHOOL_DAYS:
        # Two misses were written up a week later: they must show as recorded late.
        when = NOW if day in (date(2026, 11, 4), date(2026, 11, 5)) else at(day, 16)
        if day in SPEECH_MISSED:
            log_entry(
                speech, day, owner, when=when, status="not_delivered",
                circumstances=["substitute_teacher"], source="teacher_told",
                reported_contact=contact,
                note=SPANISH_NOTE if day == date(2026, 11, 17) else LONG_NOTE,
            )  # fmt: skip
        elif day == SPEECH_PARTLY:
            log_entry(speech, day, owner, when=when, status="partly", minutes_delivered=15,
                      source="child_reported", reported_by="Maya",
                      note="Only fifteen minutes.")  # fmt: skip
        else:
            log_entry(speech, day, owner, when=when, status="delivered")
    log_entry(extended, date(2026, 11, 5), owner, when=NOW, status="delivered")
    log_entry(extended, date(2026, 11, 6), owner, when=at(date(2026, 11, 6), 16),
              status="no_opportunity")  # fmt: skip
    log_entry(extended, EXTENDED_MISSED, owner, when=at(EXTENDED_MISSED, 16),
              status="not_delivered", source="work_sample",
              note="Math quiz taken back after the bell.")  # fmt: skip
    deleted = log_entry(extended, date(2026, 11, 16), owner, when=at(date(2026, 11, 16), 16),
                        status="delivered")  # fmt: skip
    services.delete_entry(deleted, user=owner, reason="Logged on the wrong day",
                          now=at(date(2026, 11, 16), 18))  # fmt: skip
    missed = Entry.objects.get(provision=speech, event_date=date(2026, 11, 10))
    data = png_bytes()
    upload = SimpleUploadedFile("teacher-email.png", data, content_type="image/png")
    services.add_evidence(missed, upload, user=owner, now=at(date(2026, 11, 10), 18))
    amended = log_entry(
        speech, SPEECH_PARTLY, owner, when=at(SPEECH_PARTLY, 19),
        reason="Teacher corrected the minutes",
        minutes_delivered=20, note="Twenty minutes, the teacher said.",
    )  # fmt: skip
    return Logged(child, speech, extended, hashlib.sha256(data).hexdigest(), amended, deleted)


def render(kind: str, logged: Logged, **kwargs) -> bytes:
    with frozen(NOW):
        return render_report(kind, child=logged.child, start=START, end=END, **kwargs)


def pdf_text(pdf: bytes) -> list[str]:
    """Return each page's extracted text."""
    return [page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages]


def flat(pages: list[str]) -> str:
    """Return all pages' body text with every run of whitespace as one space (lines wrap).

    Each page's running header and footer come first in its text and end with "by IEP
    Right."; they are left out so that a paragraph running onto the next page reads on.
    """
    bodies = [page.split("by IEP Right.", 1)[-1] for page in pages]
    return " ".join(" ".join(bodies).split())


@pytest.mark.parametrize("kind", KINDS)
def test_it_renders_each_kind_as_a_pdf(logged, kind):
    pdf = render(kind, logged)
    assert pdf.startswith(b"%PDF-")
    assert "Maya Alvarez" in flat(pdf_text(pdf))


def test_it_rejects_an_unknown_kind(child):
    with pytest.raises(ValueError, match="Unknown report kind 'summary'"):
        render_report("summary", child=child, start=START, end=END)


def test_it_rejects_an_end_before_the_start(child):
    with pytest.raises(ValueError, match=r"end date \(2026-11-01\) is before the start date"):
        render_report("compliance", child=child, start=START, end=date(2026, 11, 1))


def test_it_rejects_an_unknown_language(child):
    with pytest.raises(ValueError, match="Unknown language 'fr'"):
        render_report("compliance", child=child, start=START, end=END, language="fr")
