"""Everything a PDF report says, gathered once: from `load_log`, the rules and a few queries.

The numbers come from the same functions the pages use (iepright.reports.data.load_log, the
findings and ledger rules); the entry rows, revisions and evidence are read in one query each.
Strings are translated when this runs, inside `translation.override` (see __init__.py).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from iepright.correspondence.models import Contact
from iepright.logbook import changes
from iepright.logbook.models import STATUS_SYMBOL, Entry, EntryRevision, Evidence, Source, Status
from iepright.logbook.services import circumstance_codes
from iepright.logbook.verify import Verification, verify_child
from iepright.plans.models import Child, Plan, Provision
from iepright.reports.data import ChildLog, load_log
from iepright.rules import findings as findings_rules
from iepright.rules import ledger as ledger_rules
from iepright.rules.lateness import LATE_AFTER_DAYS, LateChange
from iepright.rules.logdata import LogData, LogItem


def iso(d: date) -> str:
    """Return the date as the reports print it everywhere: YYYY-MM-DD."""
    return d.isoformat()


def day_label(d: date) -> str:
    """Return a school day as the tables print it: "2026-11-17 Tue"."""
    return f"{d.isoformat()} {WEEKDAYS_ABBR[d.weekday()]}"


def moment(dt: datetime, zone: ZoneInfo) -> str:
    """Return a moment in the household's time zone: "2026-11-18 15:00 CST"."""
    local = dt.astimezone(zone)
    return f"{local:%Y-%m-%d %H:%M} {local.tzname()}"


@dataclass(slots=True, eq=False)
class EntryRow:
    """One log entry as the reports print it: plain values read in one query, not a model.

    A school year is 3,600 entries; building model instances (and their related-object
    caches) for them cost more than laying out the chronology.
    """

    pk: int
    provision: Provision
    event_date: date
    status: str
    circumstances: list[str]
    source: str
    reported_by: str
    reported_contact: Contact | None
    minutes_delivered: int | None
    note: str
    recorded_at: datetime
    recorded_late: bool
    deleted_at: datetime | None
    revision_count: int


@dataclass
class Exhibit:
    """One distinct attached file (by SHA-256) and the entries that cite it."""

    number: int
    evidence: Evidence
    entries: list[EntryRow] = field(default_factory=list)


@dataclass
class Context:
    """A report's data: the child's log over the range and the rows it came from."""

    child: Child
    start: date
    end: date
    zone: ZoneInfo
    generated: datetime
    log: ChildLog
    plans: list[Plan]
    numbers: dict[int, str]  # provision pk -> "P1"
    findings: list[findings_rules.Finding]
    stats: list[findings_rules.ProvisionStats]
    ledger: list[ledger_rules.LedgerRow]
    totals: ledger_rules.LedgerTotals
    entries: list[EntryRow]  # every entry in range, deleted ones too, in date order
    circumstances: dict[str, str]
    verification: Verification
    exhibits: list[Exhibit]
    exhibit_of: dict[str, int]  # sha256 -> exhibit number
    revisions: dict[int, list[EntryRevision]]  # entry pk -> its revisions, for amended entries
    timing: Counter[str]  # recorded on the day / within the grace days / late
    evidence: dict[int, list[Evidence]]  # entry pk -> its files, removed ones too
    late: dict[int, list[LateChange]]  # entry pk -> its changes after the late window
    # Texts that repeat down the tables (a status, a school day, a recording time), each
    # translated and formatted once per report: keyed by what they are made from.
    _memo: dict[tuple[object, ...], str] = field(default_factory=dict, init=False, repr=False)

    @property
    def live_entries(self) -> list[EntryRow]:
        return [e for e in self.entries if e.deleted_at is None]

    def provision_label(self, provision: Provision) -> str:
        """Return "P3" for a provision of the report (its number in the provision list)."""
        return self.numbers.get(provision.pk, "P?")

    def provision_whole(self, provision: Provision) -> str:
        """Return "P3 Speech-language therapy" with the provision's words whole."""
        return f"{self.provision_label(provision)} {' '.join(provision.text.split())}"

    def provision_short(self, provision: Provision, limit: int = 48) -> str:
        """Return "P3 Speech-language therapy" cut to a table cell (the full text is in §1)."""
        key = ("provision", provision.pk, limit)
        text = self._memo.get(key)
        if text is None:
            text = " ".join(provision.text.split())
            if len(text) > limit:
                text = text[: limit - 1].rstrip() + "…"
            text = self._memo[key] = f"{self.provision_label(provision)} {text}"
        return text

    def day_label(self, d: date) -> str:
        """Return a school day as the tables print it: "2026-11-17 Tue" (see `day_label`)."""
        key = ("day", d)
        text = self._memo.get(key)
        if text is None:
            text = self._memo[key] = day_label(d)
        return text

    def status_text(self, status: str) -> str:
        """Return the status with its shape cue, e.g. "✗ Not delivered"."""
        key = ("status", status)
        text = self._memo.get(key)
        if text is None:
            s = Status(status)
            text = self._memo[key] = f"{STATUS_SYMBOL[s]} {s.label}"
        return text

    def circumstance_text(self, codes: list[str]) -> str:
        if not codes:
            return ""
        key = ("circumstances", *codes)
        text = self._memo.get(key)
        if text is None:
            text = self._memo[key] = "; ".join(
                self.circumstances.get(c, c.replace("_", " ")) for c in codes
            )
        return text

    def reported_text(self, entry: EntryRow) -> str:
        """Return how the parent knows and who reported it."""
        contact = entry.reported_contact
        key = ("reported", entry.source, entry.reported_by, contact.pk if contact else None)
        text = self._memo.get(key)
        if text is None:
            text = self._memo[key] = self._reported_text(entry)
        return text

    def _reported_text(self, entry: EntryRow) -> str:
        parts = []
        if entry.source:
            parts.append(str(Source(entry.source).label))
        who = entry.reported_by
        contact = entry.reported_contact
        if contact is not None:
            name = f"{contact.name} ({contact.role})" if contact.role else contact.name
            who = f"{who}; {name}" if who and who != contact.name else name
        if who:
            parts.append(who)
        return " — ".join(parts)

    def evidence_text(self, entry: EntryRow, *, exhibits: bool) -> str:
        """Return the entry's evidence references: exhibit numbers, or names and hashes."""
        files = self.evidence.get(entry.pk)
        if not files:
            return ""
        refs = []
        for ev in files:
            if ev.removed_at is not None:
                continue
            if exhibits and ev.sha256 in self.exhibit_of:
                refs.append(_("Exhibit %(n)d") % {"n": self.exhibit_of[ev.sha256]})
            else:
                refs.append(f"{ev.original_name} (SHA-256 {ev.sha256[:16]}…)")
        return "; ".join(refs)

    def recorded_text(self, entry: EntryRow) -> str:
        """Return when the entry was first recorded, and "recorded late" when it was."""
        key = ("recorded", entry.recorded_at, entry.recorded_late)
        text = self._memo.get(key)
        if text is None:
            text = moment(entry.recorded_at, self.zone)
            if entry.recorded_late:
                text += " — " + _("recorded late")
            self._memo[key] = text
        return text

    def late_texts(self, entry: EntryRow) -> list[str]:
        """Return the entry's changes after the late window, in plain words."""
        return changes.texts(self.late.get(entry.pk, ()), self.circumstances, iso)

    def status_cell(self, entry: EntryRow) -> str:
        """Return the status as a table prints it, "(changed 23 days later)" when it was.

        A narrow cell gets the short mark; the "Changed later" table says what changed.
        """
        text = self.status_text(entry.status)
        if entry.minutes_delivered is not None and entry.status == Status.PARTLY:
            text += " " + _("(%(n)d min)") % {"n": entry.minutes_delivered}
        late = self.late.get(entry.pk)
        if late:
            days = late[-1].days_after
            text += " " + ngettext(
                "(changed %(days)d day later)", "(changed %(days)d days later)", days
            ) % {"days": days}
        return text

    @property
    def late_entries(self) -> list[EntryRow]:
        """Return the entries changed after the late window, deleted ones too, in date order."""
        return [e for e in self.entries if e.pk in self.late]

    def days_after(self, entry: EntryRow) -> int:
        return (entry.recorded_at.astimezone(self.zone).date() - entry.event_date).days

    def period_text(self) -> str:
        return _("%(start)s to %(end)s") % {"start": iso(self.start), "end": iso(self.end)}

    def footer(self) -> list[str]:
        """Return the footer lines: how the log was kept, and the chain's final hash."""
        counts = {
            "total": sum(self.timing.values()),
            "same_day": self.timing["same_day"],
            "grace": self.timing["grace"],
            "late": self.timing["late"],
            "changed": len(self.late),
            "days": LATE_AFTER_DAYS,
        }
        kept = (
            _(
                "How this log was kept: of %(total)d entries in this period, %(same_day)d were "
                "recorded on the school day, %(grace)d within %(days)d days after it and %(late)d "
                "late (more than %(days)d days after); %(changed)d were changed later (more than "
                "%(days)d days after). Every change is kept as a dated revision in a hash chain."
            )
            % counts
        )
        verified = _("yes") if self.verification.ok else _("no")
        chain = _(
            "Chain verified: %(verified)s (%(revisions)d revisions). Final hash: %(hash)s. "
            "Generated %(generated)s (%(zone)s) by IEP Right."
        ) % {
            "verified": verified,
            "revisions": self.verification.revisions,
            "hash": self.verification.final_hash,
            "generated": moment(self.generated, self.zone),
            "zone": self.zone.key,
        }
        return [kept, chain]


def gather(child: Child, start: date, end: date, *, with_history: bool) -> Context:
    """Return the report's data for start..end; `with_history` adds revisions (the binder)."""
    zone = ZoneInfo(child.household.timezone)
    log = load_log(child, start, end)
    numbers = {p.pk: f"P{n}" for n, p in enumerate(log.provisions.values(), start=1)}
    circumstances = circumstance_codes(child)
    found = findings_rules.analyse(
        log.data, start, end, translate=_, date_format=iso,
        circumstance_label=lambda code: circumstances.get(code, code.replace("_", " ")),
    )  # fmt: skip
    stats = _provision_stats(log.data, start, end)
    ledger = ledger_rules.service_ledger(log.data, start, end)
    entries = _entries(child, start, end, log)
    evidence: dict[int, list[Evidence]] = {}
    for ev in Evidence.objects.filter(
        entry__child=child, entry__event_date__range=(start, end)
    ).order_by("uploaded_at", "id"):
        evidence.setdefault(ev.entry_id, []).append(ev)
    timing: Counter[str] = Counter()
    for entry in entries:
        if entry.deleted_at is not None:
            continue
        after = (entry.recorded_at.astimezone(zone).date() - entry.event_date).days
        if entry.recorded_late:
            timing["late"] += 1
        elif after <= 0:
            timing["same_day"] += 1
        else:
            timing["grace"] += 1
    exhibits: list[Exhibit] = []
    exhibit_of: dict[str, int] = {}
    for entry in entries:
        if entry.deleted_at is not None:
            continue
        for ev in evidence.get(entry.pk, ()):
            if ev.removed_at is not None:
                continue
            number = exhibit_of.get(ev.sha256)
            if number is None:
                number = exhibit_of[ev.sha256] = len(exhibits) + 1
                exhibits.append(Exhibit(number, ev))
            if entry not in exhibits[number - 1].entries:
                exhibits[number - 1].entries.append(entry)
    revisions: dict[int, list[EntryRevision]] = {}
    if with_history:
        amended = EntryRevision.objects.filter(
            entry__child=child, entry__event_date__range=(start, end), entry__revision_count__gt=1
        ).order_by("entry_id", "number")
        for rev in amended:
            revisions.setdefault(rev.entry_id, []).append(rev)
    plans = list(
        Plan.objects.filter(child=child, start_date__lte=end, end_date__gte=start).order_by(
            "start_date", "created", "id"
        )
    )
    return Context(
        child=child, start=start, end=end, zone=zone, generated=timezone.now(), log=log,
        plans=plans, numbers=numbers, findings=found, stats=stats, ledger=ledger,
        totals=ledger_rules.ledger_totals(ledger), entries=entries,
        circumstances=circumstances, verification=verify_child(child), exhibits=exhibits,
        exhibit_of=exhibit_of, revisions=revisions, timing=timing, evidence=evidence,
        late=changes.for_range(child, start, end),
    )  # fmt: skip


def _provision_stats(data: LogData, start: date, end: date) -> list[findings_rules.ProvisionStats]:
    """Return each provision's counts, trends and runs, in the provisions' order.

    A provision's stats depend on its own items only, and the rule indexes all the items it
    is given: handing it each provision's items alone keeps 20 provisions from indexing the
    whole log 20 times.
    """
    items: dict[str, list[LogItem]] = {}
    for item in data.items:
        items.setdefault(item.provision_id, []).append(item)
    return [
        findings_rules.provision_stats(
            replace(data, items=tuple(items.get(info.id, ()))), info.id, start, end
        )
        for info in data.provisions
    ]


# An entry row's fields, in EntryRow's order (provision and contact as their database ids).
ENTRY_FIELDS = (
    "pk", "provision_id", "event_date", "status", "circumstances", "source", "reported_by",
    "reported_contact_id", "minutes_delivered", "note", "recorded_at", "recorded_late",
    "deleted_at", "revision_count",
)  # fmt: skip


def _entries(child: Child, start: date, end: date, log: ChildLog) -> list[EntryRow]:
    """Return every entry of the range (deleted ones too) with its provision and contact set.

    Rows are read as plain values; provisions come from the log already loaded and contacts
    from one small query (when an entry names one), rather than joined onto thousands of rows:
    a school year is 3,600 entries and the report must stay fast.
    """
    rows = list(
        Entry.objects.filter(child=child, event_date__range=(start, end))
        .order_by("event_date", "provision__plan__start_date", "provision__position", "id")
        .values_list(*ENTRY_FIELDS)
    )
    provisions = {p.pk: p for p in log.provisions.values()}
    missing = {row[1] for row in rows} - provisions.keys()
    if missing:
        provisions.update(
            (p.pk, p) for p in Provision.objects.filter(pk__in=missing).select_related("plan")
        )
    contacts: dict[int, Contact] = {}
    if any(row[7] is not None for row in rows):
        contacts = {c.pk: c for c in Contact.objects.filter(child=child)}
    return [
        EntryRow(
            pk, provisions[provision], day, status, circ or [], source, who,
            contacts.get(contact) if contact is not None else None, minutes, note, recorded,
            late, deleted, revision_count,
        )
        for (
            pk, provision, day, status, circ, source, who, contact, minutes, note, recorded,
            late, deleted, revision_count,
        ) in rows
    ]  # fmt: skip
