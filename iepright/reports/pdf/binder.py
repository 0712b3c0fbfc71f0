"""The evidence binder: the compliance report, numbered exhibits, the full chronology and history,
and the method appendix (how each compared finding was tested, with its p-value).

Exhibits are the distinct attached files (one per SHA-256, so a photo attached to two entries
is one exhibit cited twice), numbered in the order of the first entry citing them. The
chronology lists every entry of the period, deleted ones included and marked, and the revision
history prints each amended entry's revisions as the hash chain holds them.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _
from reportlab.lib.utils import ImageReader

from iepright.logbook.models import Entry, EntryRevision, Status
from iepright.reports.pdf import compliance
from iepright.reports.pdf.context import Context, EntryRow, Exhibit, moment
from iepright.reports.pdf.layout import Column, Layout
from iepright.rules.comparisons import ALPHA, MIN_DAYS_WITH, MIN_MISSES_WITH, MIN_OTHER_DAYS
from iepright.uploads import kind_name

IMAGE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}


def _size(n: int) -> str:
    if n < 1024:
        return _("%(n)d bytes") % {"n": n}
    if n < 1024 * 1024:
        return _("%(n).1f KB") % {"n": n / 1024}
    return _("%(n).1f MB") % {"n": n / (1024 * 1024)}


def _citation(ctx: Context, entry: EntryRow) -> str:
    return f"{ctx.day_label(entry.event_date)}, {ctx.provision_short(entry.provision, 36)}: " + (
        ctx.status_text(entry.status)
    )


def exhibit_index(layout: Layout, ctx: Context) -> None:
    """Write the exhibit index: number, file, SHA-256 and the entries citing each exhibit."""
    layout.new_page()
    layout.heading(_("Exhibit index"))
    if not ctx.exhibits:
        layout.paragraph(_("No files are attached to the entries of this period."))
        return
    layout.paragraph(
        _(
            "Each exhibit is a file attached to the log, identified by its SHA-256 hash: a copy "
            "with the same hash is the same file, unchanged since it was attached."
        ),
        size=8,
    )
    columns = [
        Column(_("Exhibit"), 0.8, bold=True), Column(_("File"), 1.6),
        Column(_("Type and size"), 1.0), Column(_("SHA-256"), 2.5),
        Column(_("Cited by"), 2.4),
    ]  # fmt: skip
    rows = []
    for ex in ctx.exhibits:
        ev = ex.evidence
        rows.append([
            _("Exhibit %(n)d") % {"n": ex.number}, ev.original_name,
            f"{kind_name(ev.content_type)}, {_size(ev.size)}", ev.sha256,
            "\n".join(_citation(ctx, e) for e in ex.entries),
        ])  # fmt: skip
    layout.table(columns, rows, size=7)


def _image(ex: Exhibit) -> ImageReader | None:
    if ex.evidence.content_type not in IMAGE_TYPES:
        return None
    try:
        with ex.evidence.file.open("rb") as handle:
            reader = ImageReader(handle)
            reader.getSize()
            # Keep the decoded image: the file is closed before the page is drawn.
            reader._image.load()  # type: ignore[attr-defined]
        return reader
    except Exception:  # a missing or unreadable file must not stop the binder
        return None


def exhibits(layout: Layout, ctx: Context) -> None:
    """Write one page per exhibit: its details, the entries citing it, and the image."""
    for ex in ctx.exhibits:
        ev = ex.evidence
        layout.new_page()
        layout.heading(_("Exhibit %(n)d") % {"n": ex.number})
        pairs = [
            (_("File"), ev.original_name),
            (_("SHA-256"), ev.sha256),
            (
                _("Type and size"),
                f"{kind_name(ev.content_type)} ({ev.content_type}), {_size(ev.size)}",
            ),
            (_("Attached"), moment(ev.uploaded_at, ctx.zone)),
            (_("Cited by"), "\n".join(_citation(ctx, e) for e in ex.entries)),
        ]
        layout.key_values(pairs, size=8.5)
        image = _image(ex)
        if image is not None:
            layout.image(image, max_height=430)
        elif ev.content_type in IMAGE_TYPES:
            layout.paragraph(_("The image could not be read; print it from the entry."), size=8)
        else:
            layout.paragraph(
                _(
                    "This exhibit (%(type)s) is kept in IEP Right. Print it from the entry and "
                    "file it behind this page; its SHA-256 above identifies it."
                )
                % {"type": kind_name(ev.content_type)},
                size=8,
            )


def chronology(layout: Layout, ctx: Context) -> None:
    """Write every entry of the period in date order, whatever its status."""
    layout.new_page()
    layout.heading(_("Chronology of every entry"))
    entries = ctx.entries
    layout.paragraph(
        _(
            "All %(n)d entries of the period in date order, as last recorded. Deleted entries "
            "are kept and marked; amended ones are in the revision history that follows."
        )
        % {"n": len(entries)},
        size=8,
    )
    columns = [
        Column(_("School day"), 1.05), Column(_("Provision"), 1.45), Column(_("Status"), 1.1),
        Column(_("Circumstances"), 1.1), Column(_("How known, who reported it"), 1.3),
        Column(_("Note"), 2.55), Column(_("Evidence"), 0.8), Column(_("Recorded"), 1.05),
    ]  # fmt: skip
    deleted, amended = _("Deleted; was %(status)s"), _("amended, %(n)d revisions")
    rows = []
    for e in entries:
        status = ctx.status_cell(e)
        if e.deleted_at is not None:
            status = deleted % {"status": status}
        recorded = ctx.recorded_text(e)
        if e.revision_count > 1:
            recorded += "; " + amended % {"n": e.revision_count}
        rows.append((
            ctx.day_label(e.event_date), ctx.provision_short(e.provision, 40), status,
            ctx.circumstance_text(e.circumstances), ctx.reported_text(e), e.note,
            ctx.evidence_text(e, exhibits=True), recorded,
        ))  # fmt: skip
    layout.table(columns, rows, size=7)


def _field_name(name: str) -> str:
    if name == "evidence":
        return _("evidence")
    if name == "deleted":
        return _("deleted")
    try:
        return str(getattr(Entry._meta.get_field(name), "verbose_name", name))
    except FieldDoesNotExist:
        return name


def _state(ctx: Context, snapshot: dict[str, Any]) -> str:
    parts = []
    status = snapshot.get("status")
    if status in Status.values:
        parts.append(ctx.status_text(status))
    if snapshot.get("minutes_delivered") is not None:
        parts.append(_("%(n)d min") % {"n": snapshot["minutes_delivered"]})
    if snapshot.get("circumstances"):
        parts.append(ctx.circumstance_text(list(snapshot["circumstances"])))
    if snapshot.get("note"):
        parts.append(_("note: %(note)s") % {"note": snapshot["note"]})
    files = [
        f"{f.get('name')} ({str(f.get('sha256'))[:12]}…)" for f in snapshot.get("evidence", [])
    ]
    if files:
        parts.append(_("files: %(files)s") % {"files": ", ".join(files)})
    if snapshot.get("deleted"):
        parts.append(_("deleted"))
    return "; ".join(parts)


def history(layout: Layout, ctx: Context) -> None:
    """Write the revisions of every amended entry, as the hash chain holds them."""
    layout.heading(_("Revision history of amended entries"))
    amended = [(e, ctx.revisions[e.pk]) for e in ctx.entries if e.pk in ctx.revisions]
    if not amended:
        layout.paragraph(_("No entry of this period was changed after it was first recorded."))
        return
    layout.paragraph(
        _(
            "%(n)d entries were changed after they were first recorded. Each revision shows "
            "the state it left and its hash in the chain."
        )
        % {"n": len(amended)},
        size=8,
    )
    columns = [
        Column(_("Entry"), 1.3), Column(_("Revision"), 0.6, "right"),
        Column(_("Action, when, by whom"), 1.35), Column(_("Changed"), 0.95),
        Column(_("Reason given"), 1.2), Column(_("State after the change"), 2.6),
        Column(_("Hash"), 1.6),
    ]  # fmt: skip
    actions = dict(EntryRevision.Action.choices)
    rows = []
    for entry, revisions in amended:
        for n, rev in enumerate(revisions):
            who = f"{moment(rev.recorded_at, ctx.zone)}\n{rev.recorded_by_name}"
            if rev.client:
                who += f" ({rev.client})"
            changed = ", ".join(_field_name(c) for c in rev.changed)
            rows.append([
                f"{ctx.day_label(entry.event_date)}\n{ctx.provision_short(entry.provision, 30)}"
                if n == 0 else "",
                f"{rev.number}", f"{actions.get(rev.action, rev.action)}: {who}", changed,
                rev.reason, _state(ctx, rev.snapshot), rev.hash,
            ])  # fmt: skip
    layout.table(columns, rows, size=7)


def method(layout: Layout, ctx: Context) -> None:
    """Write how the comparisons among the findings were made, with each one's test and p."""
    layout.heading(_("Method appendix: how the comparisons were tested"))
    layout.paragraph(
        _(
            "A comparison sets one provision's misses (not delivered in full) on the days with "
            "a day fact, or on one weekday, against its misses on the other days. Only day facts "
            "are compared: what was recorded once for the whole day, whatever the outcomes. The "
            "circumstances recorded under a missed entry are the reason for that miss and are "
            "never compared: they are recorded almost only on misses. Days without day facts "
            "are left out. A comparison is reported only with at least %(days)d days with the "
            "fact, %(misses)d misses on them and %(other)d other days, when the one-sided "
            "Fisher's exact test gives p < %(alpha)s and it survives the Benjamini-Hochberg "
            "correction over every comparison made (false-discovery rate 5%%); a trend between "
            "two periods uses the two-sided test. A pattern is a lead to ask about, not proof."
        )
        % {
            "days": MIN_DAYS_WITH,
            "misses": MIN_MISSES_WITH,
            "other": MIN_OTHER_DAYS,
            "alpha": ALPHA,
        },
        size=8,
    )
    tested = [(n, f) for n, f in enumerate(ctx.findings, start=1) if f.method]
    if not tested:
        layout.paragraph(_("No comparison in this period met the rule, so none is reported."))
    for n, finding in tested:
        layout.paragraph(f"{n}. {finding.text} {finding.method}", size=8, after=3)


def build(layout: Layout, ctx: Context) -> None:
    """Write the binder: the compliance report, exhibits, chronology, history and method."""
    compliance.build(layout, ctx, exhibits=True, title=_("Evidence binder"))
    exhibit_index(layout, ctx)
    exhibits(layout, ctx)
    chronology(layout, ctx)
    history(layout, ctx)
    method(layout, ctx)
