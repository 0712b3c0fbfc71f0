"""PDF reports of a child's log: the compliance report, the meeting one-pager, the binder.

`render_report` is the one entry point (pages, API downloads and `manage.py report` call it).
Each report covers a chosen date range and carries, on every page, the child, the period,
"page N of M", and a footer saying how the log was kept: entries recorded on the day, within
the grace days and late, entries changed later, whether the hash chain verified, and its final
hash. Every report lists the entries changed after the late window ("Changed later").
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from io import BytesIO

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _
from reportlab.pdfgen.canvas import Canvas

from iepright.plans.models import Child
from iepright.reports.pdf import binder, compliance, onepager
from iepright.reports.pdf.context import gather
from iepright.reports.pdf.layout import PAGE_HEIGHT, PAGE_WIDTH, Layout

KINDS = ("compliance", "one-pager", "binder")


def titles() -> dict[str, str]:
    """Return each kind's title in the active language."""
    return {
        "compliance": _("Service delivery report"),
        "one-pager": _("IEP meeting summary"),
        "binder": _("Evidence binder"),
    }


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a report is built.

    A binder allocates a few hundred thousand small objects (table rows, wrapped lines, text
    runs) that all live until the PDF is written. Each time allocations pass the collector's
    threshold it walks every live object, the report's included, which cost about a fifth of
    the render. Reference counting still frees everything as usual, and the collector is
    switched back on (if it was on) as soon as the report is done.
    """
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


def render_report(
    kind: str, *, child: Child, start: date, end: date, language: str = "en"
) -> bytes:
    """Return the PDF of one report of the child's log from start to end (inclusive)."""
    if kind not in KINDS:
        raise ValueError(f"Unknown report kind {kind!r}: choose one of {', '.join(KINDS)}.")
    if end < start:
        raise ValueError(
            f"The end date ({end.isoformat()}) is before the start date ({start.isoformat()})."
        )
    codes = [code for code, _name in settings.LANGUAGES]
    if language not in codes:
        raise ValueError(f"Unknown language {language!r}: choose one of {', '.join(codes)}.")
    with translation.override(language), _collector_paused():
        # The report's working data is freed when _render returns, before the collector
        # is back on, so it is not walked once more on the way out.
        return _render(kind, child, start, end)


def _render(kind: str, child: Child, start: date, end: date) -> bytes:
    ctx = gather(child, start, end, with_history=kind == "binder")
    layout = Layout()
    if kind == "compliance":
        compliance.build(layout, ctx)
    elif kind == "one-pager":
        onepager.build(layout, ctx)
    else:
        binder.build(layout, ctx)
    title = titles()[kind]
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=(PAGE_WIDTH, PAGE_HEIGHT), pageCompression=1)
    canvas.setTitle(f"{title}: {child.name}, {ctx.period_text()}")
    canvas.setAuthor("IEP Right")
    canvas.setCreator("IEP Right")
    canvas.setSubject(title)
    page_text = _("Page %(page)d of %(pages)d")
    layout.render(
        canvas,
        header=lambda n, m: (f"{child.name} — {title}", ctx.period_text()),
        footer=ctx.footer(),
        page_label=lambda n, m: page_text % {"page": n, "pages": m},
    )
    canvas.save()
    return buffer.getvalue()
