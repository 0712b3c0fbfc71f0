"""The daily log's write path: lateness, revisions, deletion, idempotency, the hash chain."""

from datetime import UTC, date, datetime

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from iepright.logbook import dayfacts, services, shortcuts, verify
from iepright.logbook.models import Entry, EntryRevision, Status
from iepright.plans.models import Child, Provision
from tests.clock import CHICAGO, NOW
from tests.conftest import log_entry
from tests.images import HEIC, PDF, PNG

pytestmark = pytest.mark.frozen


def test_it_records_an_entry_with_server_time_and_a_first_revision(child, speech, owner):
    result = services.record_entry(
        child=child,
        provision=speech,
        event_date=date(2026, 11, 18),
        fields={"status": "delivered"},
        user=owner,
    )
    entry = result.entry
    assert result.created
    assert entry.recorded_at == NOW
    assert entry.recorded_by == owner
    assert entry.minutes_delivered == 30  # delivered = the full session
    assert not entry.recorded_late
    revision = entry.revisions.get()
    assert (revision.number, revision.action, revision.seq) == (1, "create", 1)
    assert revision.snapshot["status"] == "delivered"


@pytest.mark.parametrize(("day", "late"), [(date(2026, 11, 16), False), (date(2026, 11, 13), True)])
def test_it_flags_late_entries(speech, owner, day, late):
    entry = log_entry(speech, day, owner, status="not_delivered")
    assert entry.recorded_late is late
    assert entry.days_late() == (NOW.date() - day).days


def test_lateness_uses_the_household_time_zone(speech, owner):
    # 01:30 UTC on the 19th is still the evening of the 18th in Chicago.
    late_evening = datetime(2026, 11, 19, 1, 30, tzinfo=UTC)
    entry = log_entry(speech, date(2026, 11, 16), owner, when=late_evening, status="delivered")
    assert not entry.recorded_late


def test_changes_append_revisions_and_never_overwrite(child, speech, owner, editor):
    day = date(2026, 11, 17)
    log_entry(speech, day, owner, status="delivered")
    result = services.record_entry(
        child=child,
        provision=speech,
        event_date=day,
        user=editor,
        fields={"status": "partly", "minutes_delivered": 15, "note": "Pulled out late"},
        reason="SLP told me the session was cut short",
    )
    assert result.changed == ["minutes_delivered", "note", "status"]
    revisions = list(result.entry.revisions.order_by("number"))
    assert [r.action for r in revisions] == ["create", "update"]
    assert revisions[0].snapshot["status"] == "delivered"
    assert revisions[1].snapshot["minutes_delivered"] == 15
    assert revisions[1].recorded_by_name == "Daniel Alvarez"
    assert revisions[1].reason.startswith("SLP told me")
    assert Entry.objects.count() == 1


def test_an_unchanged_save_adds_no_revision(child, speech, owner):
    day = date(2026, 11, 17)
    log_entry(speech, day, owner, status="delivered")
    again = services.record_entry(
        child=child, provision=speech, event_date=day, fields={"status": "delivered"}, user=owner
    )
    assert again.changed == []
    assert EntryRevision.objects.count() == 1


def test_deleted_entries_are_kept_and_a_new_one_can_follow(speech, owner):
    day = date(2026, 11, 17)
    entry = log_entry(speech, day, owner, status="delivered")
    services.delete_entry(entry, user=owner, reason="wrong day")
    entry.refresh_from_db()
    assert entry.is_deleted()
    assert entry.revisions.latest("number").snapshot["deleted"] is True
    fresh = log_entry(speech, day, owner, status="not_delivered")
    assert fresh.pk != entry.pk
    assert Entry.objects.count() == 2
    with pytest.raises(ValidationError, match="already deleted"):
        services.delete_entry(entry, user=owner)


def test_idempotent_creation_returns_the_first_entry(child, speech, owner):
    kwargs = dict(
        child=child,
        provision=speech,
        event_date=date(2026, 11, 17),
        fields={"status": "delivered"},
        user=owner,
        idempotency_key="k-1",
    )
    first = services.record_entry(**kwargs)
    second = services.record_entry(**kwargs)
    assert second.entry.pk == first.entry.pk and not second.created
    assert EntryRevision.objects.count() == 1
    kwargs["fields"] = {"status": "not_delivered"}
    with pytest.raises(services.IdempotencyConflict):
        services.record_entry(**kwargs)
    assert Entry.objects.get().status == "delivered"


@pytest.mark.parametrize(
    ("day", "fields", "field", "message"),
    [
        (date(2026, 11, 19), {"status": "delivered"}, "event_date", "not happened yet"),
        (date(2026, 9, 1), {"status": "delivered"}, "event_date", "not in effect"),
        (date(2026, 11, 17), {"status": "maybe"}, "status", "Choose"),
        (
            date(2026, 11, 17),
            {"status": "partly", "minutes_delivered": 45},
            "minutes_delivered",
            "more than the 30",
        ),
        (
            date(2026, 11, 17),
            {"status": "partly", "minutes_delivered": -1},
            "minutes_delivered",
            "negative",
        ),
        (
            date(2026, 11, 17),
            {"status": "partly", "minutes_delivered": 30},
            "minutes_delivered",
            "fewer than",
        ),
        (
            date(2026, 11, 17),
            {"status": "not_delivered", "minutes_delivered": 10},
            "minutes_delivered",
            "0 minutes",
        ),
        (
            date(2026, 11, 17),
            {"status": "delivered", "circumstances": ["aliens"]},
            "circumstances",
            "aliens",
        ),
        (date(2026, 11, 17), {"note": "no status"}, "status", "Choose a status"),
        (
            date(2026, 11, 17),
            {"status": "delivered", "recorded_at": "2020-01-01"},
            "recorded_at",
            "cannot be set",
        ),
    ],
)
def test_bad_input_is_refused_and_nothing_is_stored(speech, owner, day, fields, field, message):
    with pytest.raises(ValidationError) as info:
        log_entry(speech, day, owner, **fields)
    assert message in " ".join(info.value.message_dict[field])
    assert Entry.objects.count() == 0 and EntryRevision.objects.count() == 0


def test_minutes_are_refused_for_accommodations(extended_time, owner):
    with pytest.raises(ValidationError, match="timed services"):
        log_entry(extended_time, date(2026, 11, 17), owner, status="partly", minutes_delivered=5)


def test_a_provision_of_another_child_is_refused(child, speech, owner, outsider):
    other = Child.objects.get(name="Other Child")
    with pytest.raises(ValidationError, match="another child"):
        services.record_entry(
            child=other,
            provision=speech,
            event_date=date(2026, 11, 17),
            fields={"status": "delivered"},
            user=owner,
        )


def test_whole_day_shortcuts(child, plan, owner):
    day = date(2026, 11, 17)
    speech = plan.provisions.get(text="Speech-language therapy")
    Provision.objects.create(plan=plan, position=2, category="accommodation", text="Seating")
    log_entry(speech, day, owner, status="not_delivered")
    shortcuts.mark_day(child=child, day=day, shortcut="all_delivered", user=owner)
    statuses = dict(Entry.objects.values_list("provision__text", "status"))
    assert statuses["Speech-language therapy"] == "not_delivered"  # never overridden
    assert set(statuses.values()) == {"not_delivered", "delivered"}
    shortcuts.mark_day(child=child, day=date(2026, 11, 16), shortcut="child_absent", user=owner)
    absent = Entry.objects.filter(event_date=date(2026, 11, 16))
    assert {e.status for e in absent} == {"not_delivered", "no_opportunity"}
    assert all(e.circumstances == ["child_absent"] for e in absent)


def test_child_absent_keeps_the_circumstances_already_entered(child, speech, owner):
    day = date(2026, 11, 16)
    log_entry(
        speech,
        day,
        owner,
        status="partly",
        minutes_delivered=10,
        circumstances=["field_trip", "substitute_teacher"],
    )
    shortcuts.mark_day(child=child, day=day, shortcut="child_absent", user=owner)
    entry = Entry.objects.get(provision=speech, event_date=day, deleted_at__isnull=True)
    assert entry.status == "not_delivered" and entry.minutes_delivered == 0
    assert sorted(entry.circumstances) == ["child_absent", "field_trip", "substitute_teacher"]
    shortcuts.mark_day(child=child, day=day, shortcut="child_absent", user=owner)
    entry.refresh_from_db()
    assert entry.circumstances.count("child_absent") == 1
    assert verify.verify_child(child).ok


def test_child_absent_is_recorded_in_the_days_facts_once(child, speech, owner):
    day = date(2026, 11, 16)
    shortcuts.mark_day(child=child, day=day, shortcut="child_absent", user=owner, client="api")
    shortcuts.mark_day(child=child, day=day, shortcut="child_absent", user=owner)
    [row] = dayfacts.history(child, day)
    assert row.facts == ["child_absent"] and row.client == "api"


def test_child_absent_keeps_no_entry_when_its_day_facts_are_refused(
    child, speech, owner, monkeypatch
):
    def refuse(*args, **kwargs):
        raise ValidationError("no")

    monkeypatch.setattr(dayfacts, "record", refuse)
    with pytest.raises(ValidationError):
        shortcuts.mark_day(child=child, day=date(2026, 11, 16), shortcut="child_absent", user=owner)
    assert not Entry.objects.exists()  # one transaction: the entries went with the day facts


def test_evidence_is_hashed_and_enters_the_chain(child, speech, owner, media):
    entry = log_entry(speech, date(2026, 11, 17), owner, status="not_delivered")
    upload = SimpleUploadedFile("IMG_1.jpg", PNG, content_type="image/jpeg")
    evidence = services.add_evidence(entry, upload, user=owner)
    assert evidence.content_type == "image/png"  # sniffed, not trusted
    assert evidence.original_name == "IMG_1.jpg"
    assert "IMG_1" not in str(evidence.file.name)
    latest = entry.revisions.latest("number")
    assert latest.snapshot["evidence"][0]["sha256"] == evidence.sha256
    assert verify.verify_child(child, check_files=True).ok
    with open(evidence.file.path, "wb") as handle:
        handle.write(PNG + b"tampered")
    result = verify.verify_child(child, check_files=True)
    assert not result.ok and "does not match its hash" in result.reason


def test_a_renamed_program_is_refused_as_evidence(speech, owner, media):
    entry = log_entry(speech, date(2026, 11, 17), owner, status="not_delivered")
    upload = SimpleUploadedFile(
        "photo.jpg", b"MZ\x90\x00" + b"\x00" * 100, content_type="image/jpeg"
    )
    with pytest.raises(ValidationError, match="not an accepted type"):
        services.add_evidence(entry, upload, user=owner)
    assert entry.evidence.count() == 0 and entry.revisions.count() == 1


@pytest.mark.parametrize(
    ("name", "data", "kind"),
    [("iep.pdf", PDF, "application/pdf"), ("IMG_0001.HEIC", HEIC, "image/heic")],
)
def test_a_whole_pdf_or_iphone_photo_is_kept_as_sent(speech, owner, media, name, data, kind):
    entry = log_entry(speech, date(2026, 11, 17), owner, status="not_delivered")
    evidence = services.add_evidence(entry, SimpleUploadedFile(name, data), user=owner)
    assert (evidence.content_type, evidence.size) == (kind, len(data))
    with evidence.file.open("rb") as handle:
        assert handle.read() == data


def _log_some(child, plan, owner):
    speech = plan.provisions.get(text="Speech-language therapy")
    for day in (date(2026, 11, 16), date(2026, 11, 17), date(2026, 11, 18)):
        log_entry(speech, day, owner, status="delivered")
    entry = Entry.objects.get(event_date=date(2026, 11, 17))
    log_entry(speech, entry.event_date, owner, status="partly", minutes_delivered=10)
    return entry


def test_verify_passes_on_an_intact_log(child, plan, owner, capsys):
    _log_some(child, plan, owner)
    result = verify.verify_child(child)
    assert result.ok and result.revisions == 4 and result.entries == 3
    call_command("verify")
    assert f"OK    child {child.public_id}: 4 revisions" in capsys.readouterr().out


def test_verify_catches_a_revision_edited_in_the_database(child, plan, owner):
    _log_some(child, plan, owner)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE logbook_entryrevision SET reason = %s WHERE seq = %s", ["backdated", 2]
        )
    result = verify.verify_child(child)
    assert not result.ok and result.broken_at == 2 and "altered" in result.reason
    with pytest.raises(CommandError, match="1 chain"):
        call_command("verify")


def test_verify_catches_an_entry_edited_in_the_database(child, plan, owner):
    entry = _log_some(child, plan, owner)
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE logbook_entry SET status = %s WHERE id = %s", [Status.DELIVERED, entry.pk]
        )
    result = verify.verify_child(child)
    assert not result.ok and result.entry == str(entry.public_id)


def test_verify_catches_a_deleted_revision(child, plan, owner):
    _log_some(child, plan, owner)
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM logbook_entryrevision WHERE seq = 3")
    result = verify.verify_child(child)
    assert not result.ok and result.broken_at == 3 and "missing" in result.reason


def test_each_child_has_its_own_chain(child, plan, owner, outsider):
    _log_some(child, plan, owner)
    assert verify.verify_child(Child.objects.get(name="Other Child")).revisions == 0
    assert list(EntryRevision.objects.values_list("seq", flat=True)) == [1, 2, 3, 4]


def test_the_chain_holds_for_times_given_in_the_household_zone(child, speech, owner):
    when = datetime(2026, 11, 17, 16, 5, 7, 123456, tzinfo=CHICAGO)
    log_entry(speech, date(2026, 11, 17), owner, when=when, status="delivered")
    assert verify.verify_child(child).ok


def test_a_stale_entry_object_still_appends_the_next_revision(child, speech, owner):
    entry = log_entry(speech, date(2026, 11, 17), owner, status="delivered")
    stale = Entry.objects.get(pk=entry.pk)
    log_entry(speech, date(2026, 11, 17), owner, status="partly", minutes_delivered=10)
    services.delete_entry(stale, user=owner, reason="entered twice")
    assert list(stale.revisions.order_by("number").values_list("number", flat=True)) == [1, 2, 3]
    assert verify.verify_child(child).ok


# Deleting a contact the log names ------------------------------------------------------------


def test_deleting_a_named_contact_records_it_in_each_entrys_history(
    child, speech, extended_time, owner, contact
):
    from iepright.correspondence.models import Contact
    from iepright.logbook.removal import delete_contact
    from iepright.logbook.verify import verify_child

    named = log_entry(speech, date(2026, 11, 16), owner, status="not_delivered")
    log_entry(speech, date(2026, 11, 16), owner, reported_contact=contact)
    kept_name = log_entry(
        extended_time,
        date(2026, 11, 17),
        owner,
        status="delivered",
        reported_by="Ms. Ruiz",
        reported_contact=contact,
    )
    services.delete_entry(kept_name, user=owner)  # deleted entries are changed too
    other = log_entry(speech, date(2026, 11, 17), owner, status="delivered")

    assert delete_contact(contact, user=owner, client="web") == 2

    assert not Contact.objects.filter(pk=contact.pk).exists()
    first = Entry.objects.get(pk=named.pk)
    second = Entry.objects.get(pk=kept_name.pk)
    assert (first.reported_contact_id, first.reported_by) == (
        None,
        "Karen Whitfield (Case manager)",
    )
    assert (second.reported_contact_id, second.reported_by) == (None, "Ms. Ruiz")
    assert second.deleted_at is not None
    last = EntryRevision.objects.filter(entry=first).latest("number")
    assert (last.action, last.changed, last.reason) == (
        "update",
        ["reported_by", "reported_contact"],
        "The contact Karen Whitfield (Case manager) was deleted from the contacts.",
    )
    assert last.snapshot["reported_contact"] is None
    assert EntryRevision.objects.filter(entry=second).latest("number").changed == [
        "reported_contact"
    ]
    assert EntryRevision.objects.filter(entry=other).count() == 1  # not named: untouched
    check = verify_child(child)
    assert check.ok, check.reason


def test_a_named_contact_is_never_deleted_silently(speech, owner, contact):
    from django.db.models import ProtectedError

    log_entry(speech, date(2026, 11, 16), owner, status="delivered", reported_contact=contact)
    with pytest.raises(ProtectedError):
        contact.delete()  # only through removal.delete_contact, which records it


def test_finding_the_entries_that_name_a_contact_uses_the_partial_index(child, contact):
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL plans by table statistics; SQLite's plan shows index usability")
    sql, params = Entry.objects.filter(reported_contact=contact).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "entry_reported_contact" in plan, plan


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "GIF", "WEBP"])
def test_real_images_of_each_kind_are_kept(speech, owner, media, fmt):
    from tests.images import image

    entry = log_entry(speech, date(2026, 11, 17), owner, status="not_delivered")
    data = image(fmt)
    upload = SimpleUploadedFile(f"photo.{fmt.lower()}", data)
    evidence = services.add_evidence(entry, upload, user=owner)
    assert evidence.content_type == f"image/{fmt.lower()}"
    assert evidence.size == len(data)


def test_an_unknown_shortcut_is_refused_even_on_a_day_with_nothing_in_effect(owner, child):
    with pytest.raises(ValidationError) as refused:
        shortcuts.mark_day(child=child, day=date(2026, 11, 17), shortcut="party", user=owner)
    assert "shortcut" in refused.value.message_dict
