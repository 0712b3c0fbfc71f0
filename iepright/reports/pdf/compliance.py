"""The compliance report: what the IEP says, what the log shows, and every day it was missed.

Wording (IDEA rules reference §9): counts and the IEP's own words, no judgement — "services not
delivered", never "owed". Dates are ISO (YYYY-MM-DD) everywhere, with the weekday in tables.
"""

from __future__ import annotations

from collections import defaultdict

from django.utils.translation import gettext as _
from django.utils.translation import ngettext, pgettext

from iepright.logbook.models import Status
from iepright.plans.models import Provision, ProvisionChange
from iepright.reports.pdf.context import Context, iso, moment
from iepright.reports.pdf.layout import Column, Layout
from iepright.rules import ledger as ledger_rules
from iepright.rules.lateness import LATE_AFTER_DAYS

MISSED = (Status.NOT_DELIVERED, Status.PARTLY)


def title_block(layout: Layout, ctx: Context, title: str) -> None:
    """Write the report's title and who, where and when it is about."""
    child = ctx.child
    layout.heading(title, level=0)
    pairs = [(_("Child"), child.name)]
    if child.grade:
        pairs.append((_("Grade"), child.grade))
    school = ", ".join(x for x in (child.school, child.district, child.get_state_display()) if x)
    pairs.append((_("School"), school or _("not recorded")))
    plans = []
    for plan in ctx.plans:
        text = _("%(title)s (%(type)s), in effect %(start)s to %(end)s") % {
            "title": plan.title(),
            "type": plan.get_plan_type_display(),
            "start": iso(plan.start_date),
            "end": iso(plan.end_date),
        }
        if plan.meeting_date:
            text += "; " + _("meeting %(date)s") % {"date": iso(plan.meeting_date)}
        plans.append(text)
    pairs.append((_("Plan in force") if len(plans) < 2 else _("Plans in force"),
                  "\n".join(plans) or _("No plan covers this period.")))  # fmt: skip
    pairs.append((_("Period"), ctx.period_text()))
    if ctx.log.calendar_on_file:
        days = _("From the school calendar on file (school days only).")
    else:
        days = _(
            "Approximate: no school calendar is on file, so every Monday to Friday is counted "
            "as a school day."
        )
    pairs.append((_("School days"), days))
    pairs.append((_("Generated"), f"{moment(ctx.generated, ctx.zone)} ({ctx.zone.key})"))
    layout.key_values(pairs)


def provisions(layout: Layout, ctx: Context) -> None:
    """Write every provision in the IEP's exact words, with its frequency and dates."""
    layout.heading(_("Provisions, in the IEP's exact words"))
    # Changed after logging began (plans.ProvisionChange): the words and terms the earlier
    # entries were logged against. One query for all.
    changes: dict[int, list[ProvisionChange]] = defaultdict(list)
    for change in ProvisionChange.objects.filter(
        provision__in=[p.pk for p in ctx.log.provisions.values()]
    ):
        changes[change.provision_id].append(change)
    for provision in ctx.log.provisions.values():
        head = [ctx.provision_label(provision), provision.get_category_display()]
        if provision.frequency_text():
            head.append(provision.frequency_text())
        layout.paragraph(" — ".join(str(h) for h in head), size=8.5, bold=True, after=1, keep=3)
        layout.paragraph(provision.text, size=9, indent=14, after=1)
        details = [
            _("In effect %(start)s to %(end)s")
            % {"start": iso(provision.effective_start()), "end": iso(provision.effective_end())}
        ]
        if provision.applies:
            details.append(_("Applies: %(where)s") % {"where": provision.applies})
        if provision.provider_role:
            details.append(_("Provider: %(role)s") % {"role": provision.provider_role})
        if provision.location:
            details.append(str(provision.get_location_display()))
        if provision.setting:
            details.append(provision.setting)
        if provision.ended_on:
            details.append(
                _("Ended by the school on %(date)s: %(reason)s")
                % {"date": iso(provision.ended_on), "reason": provision.ended_reason or "—"}
            )
        layout.paragraph(" · ".join(details), size=7.5, indent=14, after=5)
        for change in changes[provision.pk]:
            terms = "; ".join(
                f"{label}: “{before if before not in (None, '') else '—'}” → "
                f"“{after if after not in (None, '') else '—'}”"
                for label, before, after in change.rows()
            )
            layout.paragraph(
                _("Changed %(when)s by %(name)s, after %(n)d log entries: %(terms)s")
                % {
                    "when": moment(change.changed_at, ctx.zone),
                    "name": change.changed_by_name or "—",
                    "n": change.entries,
                    "terms": terms,
                },
                size=7.5,
                indent=14,
                after=5,
            )


def _rate(delivered: int, days: int) -> str:
    if not days:
        return _("no days with an opportunity")
    return _("%(pct)d%% (%(delivered)d of %(days)d)") % {
        "pct": int(delivered * 100 / days + 0.5), "delivered": delivered, "days": days,
    }  # fmt: skip


def summary(layout: Layout, ctx: Context) -> None:
    """Write the counts per provision and a bar chart of the delivery rates."""
    layout.heading(_("Summary"))
    layout.paragraph(
        _(
            "Counts of logged days. The delivery rate is the days delivered in full out of the "
            "logged days on which the provision could have been delivered; partly delivered "
            "days are not counted as delivered, and days with no opportunity are left out."
        ),
        size=8,
    )
    columns = [
        Column(_("Provision"), 3.2), Column(_("School days in effect"), 1.1, "right"),
        Column(_("Logged"), 0.9, "right"), Column(_("Delivered"), 1.0, "right"),
        Column(_("Partly"), 0.8, "right"), Column(_("Not delivered"), 1.0, "right"),
        Column(_("No opportunity"), 1.1, "right"), Column(_("Not logged"), 0.9, "right"),
        Column(_("Recorded late"), 0.9, "right"), Column(_("Delivered in full"), 1.5, "right"),
    ]  # fmt: skip
    rows = []
    for s in ctx.stats:
        provision = ctx.log.provisions[s.provision_id]
        rows.append([
            ctx.provision_short(provision, 70), str(s.school_days), str(s.logged_days),
            str(s.delivered), str(s.partly), str(s.not_delivered), str(s.no_opportunity),
            str(s.unlogged_days), str(s.late), _rate(s.delivered, s.opportunity_days),
        ])  # fmt: skip
    layout.table(columns, rows)
    delivery_bars(layout, ctx)


def delivery_bars(
    layout: Layout, ctx: Context, *, whole: bool = False, limit: int | None = None
) -> None:  # fmt: skip
    """Draw the delivery rate per provision, with the numbers beside each bar.

    `whole` labels each bar with the provision's words whole. With `limit` (the one-pager),
    only the `limit` lowest rates are drawn, in the provisions' order, and the rest counted.
    """
    layout.heading(_("Delivered in full, by provision"), level=2)
    stats = ctx.stats
    if limit is not None and limit < len(stats):
        lowest = sorted(stats, key=lambda s: (s.delivery_rate is None, s.delivery_rate or 0.0))
        kept = {id(s) for s in lowest[:limit]}
        stats = [s for s in stats if id(s) in kept]
    layout.bars([
        (_provision_name(ctx, ctx.log.provisions[s.provision_id], whole, 60), s.delivery_rate,
         _rate(s.delivered, s.opportunity_days))
        for s in stats
    ])  # fmt: skip
    rest = len(ctx.stats) - len(stats)
    if rest:
        layout.paragraph(
            ngettext(
                "%(n)d more provision (delivered in full most often, or with no day to count) "
                "is shown in the compliance report.",
                "%(n)d more provisions (delivered in full most often, or with no day to count) "
                "are shown in the compliance report.",
                rest,
            )
            % {"n": rest},
            size=7.5,
        )


def _provision_name(ctx: Context, provision: Provision, whole: bool, limit: int) -> str:
    return ctx.provision_whole(provision) if whole else ctx.provision_short(provision, limit)


def findings(layout: Layout, ctx: Context, *, limit: int | None = None) -> None:
    """Write the findings, most important first."""
    chosen = ctx.findings[:limit] if limit else ctx.findings
    for n, finding in enumerate(chosen, start=1):
        layout.paragraph(f"{n}. {finding.text}", size=8.5, after=3)
    if not chosen:
        layout.paragraph(_("Nothing was logged in this period, so there are no findings."))


def _sessions(value: float | None) -> str:
    return "—" if value is None else f"{ledger_rules.round_sessions(value):g}"


def _minutes(value: float | None) -> str:
    return "—" if value is None else str(ledger_rules.round_minutes(value))


def over_required_text(n: int) -> str:
    """Return the note under a ledger with services logged beyond what the plan requires."""
    return ngettext(
        "%(n)s service has more sessions logged than the plan requires for these dates. Its "
        "logged sessions are not evidence of extra delivery: check its log for double entries.",
        "%(n)s services have more sessions logged than the plan requires for these dates. Their "
        "logged sessions are not evidence of extra delivery: check their logs for double entries.",
        n,
    ) % {"n": n}


def ledger(layout: Layout, ctx: Context) -> None:
    """Write the service ledger, its totals, its wording and the proration rule."""
    layout.heading(_("Service ledger"))
    if not ctx.ledger:
        layout.paragraph(_("No timed services (with minutes per session) in this period."))
        return
    columns = [
        Column(_("Service"), 2.6), Column(_("Required sessions"), 1.0, "right"),
        Column(_("Logged sessions"), 0.9, "right"), Column(_("Delivered"), 0.9, "right"),
        Column(_("Partly"), 0.7, "right"), Column(_("Not delivered"), 0.9, "right"),
        Column(_("Minutes delivered"), 1.0, "right"),
        Column(_("Minutes not delivered: school side"), 1.2, "right"),
        Column(_("student side"), 0.9, "right"), Column(_("no reason given"), 0.9, "right"),
        Column(_("Sessions not logged"), 1.0, "right"),
    ]  # fmt: skip
    rows = []
    for r in ctx.ledger:
        provision = ctx.log.provisions[r.provision_id]
        name = ctx.provision_short(provision, 60)
        if r.basis == ledger_rules.BY_OPPORTUNITY:
            name += " " + _("(each time it applies: no required number)")
        if r.over_required:
            name += " — " + _(ledger_rules.OVER_REQUIRED)
        rows.append([
            name, _sessions(r.required_sessions), str(r.logged_sessions),
            str(r.delivered_sessions), str(r.partly_sessions), str(r.not_delivered_sessions),
            str(r.delivered_minutes), str(r.school_side_minutes), str(r.student_side_minutes),
            str(r.no_reason_minutes), _sessions(r.unlogged_sessions),
        ])  # fmt: skip
    t = ctx.totals
    rows.append([
        _("Total"), _sessions(t.required_sessions), str(t.logged_sessions),
        str(t.delivered_sessions), str(t.partly_sessions), str(t.not_delivered_sessions),
        str(t.delivered_minutes), str(t.school_side_minutes), str(t.student_side_minutes),
        str(t.no_reason_minutes), _sessions(t.unlogged_sessions),
    ])  # fmt: skip
    layout.table(columns, rows, bold_rows=frozenset({len(rows) - 1}))
    if t.partly_sessions_without_minutes:
        layout.paragraph(
            _(
                "%(n)d partly delivered sessions have no minutes recorded; their minutes are "
                "in neither column."
            )
            % {"n": t.partly_sessions_without_minutes},
            size=8,
        )
    if t.over_required_rows:
        layout.paragraph(over_required_text(t.over_required_rows), size=8, bold=True)
    layout.paragraph(_(ledger_rules.WORDING), size=8, bold=True)
    layout.paragraph(
        _("How required sessions are counted: %(rule)s") % {"rule": ledger_rules.rule_text(
            translate=_)}, size=8,
    )  # fmt: skip
    if not ctx.log.calendar_on_file:
        layout.paragraph(
            _(
                "Approximation: no school calendar is on file, so holidays and closures are "
                "not known and every Monday to Friday is counted."
            ),
            size=8,
            bold=True,
        )


def missed_days(layout: Layout, ctx: Context, *, exhibits: bool) -> None:
    """Write every not-delivered or partly delivered entry, in date order."""
    layout.heading(_("Days not delivered or partly delivered"))
    missed = [e for e in ctx.live_entries if e.status in MISSED]
    if not missed:
        layout.paragraph(_("No entry in this period is marked not delivered or partly."))
        return
    layout.paragraph(
        _("%(n)d entries, in date order, as the parent recorded them.") % {"n": len(missed)},
        size=8,
    )
    columns = [
        Column(_("School day"), 1.05), Column(_("Provision"), 1.5),
        Column(_("Status"), 1.1), Column(_("Circumstances"), 1.15),
        Column(_("How known, who reported it"), 1.35), Column(_("Note"), 2.45),
        Column(_("Evidence"), 1.0), Column(_("Recorded"), 1.05),
    ]  # fmt: skip
    rows = []
    for e in missed:
        rows.append([
            ctx.day_label(e.event_date), ctx.provision_short(e.provision, 40), ctx.status_cell(e),
            ctx.circumstance_text(e.circumstances), ctx.reported_text(e), e.note,
            ctx.evidence_text(e, exhibits=exhibits), ctx.recorded_text(e),
        ])  # fmt: skip
    layout.table(columns, rows, size=7)


def changed_later(
    layout: Layout, ctx: Context, *, size: float = 7.0, limit: int | None = None,
    whole: bool = False,
) -> None:  # fmt: skip
    """Write the entries changed more than the late window after their school day, if any.

    With `limit` (the one-pager, which must stay one page), the first `limit` and a count of
    the rest, which the compliance report lists; `whole` quotes each provision whole.
    """
    entries = ctx.late_entries
    if not entries:
        return
    layout.heading(_("Changed later"), level=2)
    layout.paragraph(
        _(
            "Entries whose status, minutes or circumstances were changed (or which were deleted) "
            "more than %(days)d days after their school day, with the old and new values."
        )
        % {"days": LATE_AFTER_DAYS},
        size=size,
    )
    columns = [
        Column(_("School day"), 1.05),
        Column(_("Provision"), 1.6),
        Column(pgettext("report column", "Change"), 4.5),
    ]
    shown = entries if limit is None else entries[:limit]
    rows = [
        [
            ctx.day_label(e.event_date),
            _provision_name(ctx, e.provision, whole, 40),
            "; ".join(ctx.late_texts(e)),
        ]
        for e in shown
    ]
    layout.table(columns, rows, size=size)
    rest = len(entries) - len(shown)
    if rest:
        layout.paragraph(
            ngettext(
                "And %(n)d more entry changed later, listed in the compliance report.",
                "And %(n)d more entries changed later, listed in the compliance report.",
                rest,
            )
            % {"n": rest},
            size=size,
        )


def build(layout: Layout, ctx: Context, *, exhibits: bool = False, title: str = "") -> None:
    """Write the whole compliance report, under its own title or the one given (the binder's)."""
    title_block(layout, ctx, title or _("Service delivery report"))
    if title:
        layout.paragraph(
            _(
                "First the service delivery report; then the exhibits, the chronology of every "
                "entry and the revision history."
            ),
            size=8,
        )
    provisions(layout, ctx)
    summary(layout, ctx)
    layout.heading(_("Findings"))
    findings(layout, ctx)
    ledger(layout, ctx)
    missed_days(layout, ctx, exhibits=exhibits)
    changed_later(layout, ctx)
