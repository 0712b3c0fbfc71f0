"""Removing what the log points at: a school contact it names, a child, or a whole household.

None is an edit of the log: a contact's deletion is recorded in each entry naming it (a new
revision), and deleting children (alone or with their household) is the owner's right to remove
their family's data. These live with the log, not in plans or accounts, because each must know
the log's rows; those areas know nothing of the log (the import contracts in pyproject.toml).
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from iepright.accounts.models import Household, User
from iepright.correspondence.models import Contact
from iepright.logbook.models import Entry, EntryRevision, Evidence
from iepright.logbook.services import append_revision, lock_child
from iepright.plans.models import Child, Plan


@transaction.atomic
def delete_contact(
    contact: Contact,
    *,
    user: User | None,
    client: str = "web",
    now: datetime | None = None,
) -> int:
    """Delete a contact; every log entry naming it records the change in its history.

    The entry can no longer point at a row that is gone, and changing it silently would make
    it differ from its last revision (verify reports that as altered). So each such entry gets
    a revision: no contact, the person's name kept as who saw or reported it (when that was
    empty), and the reason. Deleted entries too: their history must match them. Returns how
    many entries were changed.
    """
    now = now or timezone.now()
    lock_child(contact.child)
    reason = _("The contact %(name)s was deleted from the contacts.") % {"name": str(contact)}
    naming = (
        Entry.objects.filter(reported_contact=contact)
        .select_related("child__household", "provision")
        .prefetch_related("evidence")  # each revision's snapshot lists the entry's evidence
        .order_by("pk")
    )
    count = 0
    for entry in naming:
        changed, fields = ["reported_contact"], ["reported_contact", "updated_at"]
        entry.reported_contact = None
        if not entry.reported_by:
            entry.reported_by = str(contact)[:200]
            changed.append("reported_by")
            fields.append("reported_by")
        entry.updated_at = now
        append_revision(
            entry,
            EntryRevision.Action.UPDATE,
            changed,
            user=user,
            client=client,
            reason=reason,
            now=now,
            fields=fields,
        )
        count += 1
    contact.delete()
    return count


@transaction.atomic
def delete_child(child: Child) -> None:
    """Delete the child with their log, plans and files, as deleting a household does."""
    purge_children(Child.objects.filter(pk=child.pk))


@transaction.atomic
def delete_household(*, household: Household) -> None:
    """Delete the household and everything in it, including uploaded files."""
    purge_children(household.children.all())
    household.delete()


def purge_children(children: QuerySet[Child]) -> None:
    """Delete children with their whole log, plans and uploaded files.

    This is the owner's right to remove their family's data, not an edit: log entries and
    evidence are protected from accidental deletion (PROTECT foreign keys), so they are
    deleted here explicitly, first. Files leave storage only once the rows are gone for good
    (after the commit). Must run inside a transaction.
    """
    evidence = Evidence.objects.filter(entry__child__in=children)
    documents = Plan.objects.filter(child__in=children).exclude(document="")
    files = [e.file for e in evidence if e.file] + [p.document for p in documents if p.document]
    evidence.delete()
    Entry.objects.filter(child__in=children).delete()
    children.delete()

    def remove_files() -> None:
        for file in files:
            if file.name:
                file.storage.delete(file.name)

    transaction.on_commit(remove_files)
