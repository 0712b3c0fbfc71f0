"""The meeting one-pager: what a parent takes into an IEP meeting.

The five most important findings (importance as ranked by the findings rules), the service
ledger's totals, and the open requests to the school once the communications log exists.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from iepright.reports.pdf import compliance
from iepright.reports.pdf.context import Context
from iepright.reports.pdf.layout import Column, Layout
from iepright.rules import ledger as ledger_rules

TOP_FINDINGS = 5
LATE_CHANGES = 3  # entries changed later listed; the rest are counted


def open_requests(ctx: Context) -> list[tuple[str, str, str]]:
    """Return (date sent, to whom, what was asked) for requests the school has not answered.

    The communications log does not exist yet; until it does there is nothing to list and the
    section is left out rather than printed empty.
    """
    return []


def build(layout: Layout, ctx: Context) -> None:
    """Write the one-pager on one page, quoting the IEP's words whole.

    When it does not fit, fewer items are listed — bars first, then the entries changed
    later, then findings — each with a count of what was left out; never fewer words.
    """
    bars, late, top = len(ctx.stats), LATE_CHANGES, TOP_FINDINGS
    while True:
        _write(layout, ctx, bars=bars, late=late, top=top)
        if len(layout.pages) == 1:
            return
        if bars > 1:
            bars -= 1
        elif late > 1 and len(ctx.late_entries) > 1:
            late -= 1
        elif top > 1:
            top -= 1
        else:
            return  # one of each and still too long: print on, rather than cut words
        layout.clear()


def _write(layout: Layout, ctx: Context, *, bars: int, late: int, top: int) -> None:
    compliance.title_block(layout, ctx, _("IEP meeting summary"))
    if top == TOP_FINDINGS:
        layout.heading(_("The five most important findings"))
    else:
        layout.heading(_("The most important findings"))
    compliance.findings(layout, ctx, limit=top)
    if top < min(TOP_FINDINGS, len(ctx.findings)):
        rest = len(ctx.findings) - top
        layout.paragraph(
            ngettext(
                "%(n)d more finding is in the compliance report.",
                "%(n)d more findings are in the compliance report.",
                rest,
            )
            % {"n": rest},
            size=7.5,
        )
    compliance.delivery_bars(layout, ctx, whole=True, limit=bars)
    compliance.changed_later(layout, ctx, size=6.5, limit=late, whole=True)
    layout.heading(_("Service ledger totals"))
    t = ctx.totals
    if ctx.ledger:
        pairs = [
            (_("Required sessions (prorated services)"),
             f"{ledger_rules.round_sessions(t.required_sessions):g}"),
            (_("Sessions logged"), str(t.logged_sessions)),
            (_("Sessions not logged"), f"{ledger_rules.round_sessions(t.unlogged_sessions):g}"),
            (_("Minutes delivered"), str(t.delivered_minutes)),
            (_("Minutes not delivered"), _(
                "%(total)d: %(school)d school side, %(student)d student side (absent, refused), "
                "%(none)d no reason given"
            ) % {"total": t.not_delivered_minutes, "school": t.school_side_minutes,
                 "student": t.student_side_minutes, "none": t.no_reason_minutes}),
        ]  # fmt: skip
        layout.key_values(pairs, size=8.5)
        if t.over_required_rows:
            layout.paragraph(
                compliance.over_required_text(t.over_required_rows), size=7.5, bold=True
            )
        layout.paragraph(_(ledger_rules.WORDING), size=7.5, bold=True)
    else:
        layout.paragraph(_("No timed services (with minutes per session) in this period."))
    requests = open_requests(ctx)
    if requests:
        layout.heading(_("Open requests to the school"))
        columns = [Column(_("Sent"), 1.0), Column(_("To"), 1.5), Column(_("Request"), 4.0)]
        layout.table(columns, requests)
