"""Idempotency keys move from the entry (one per entry) to the revision each key made.

An entry kept only one key, so a key that later changed the entry was forgotten and could be
applied again by a retry. Each existing key is copied to the entry's first revision: the
old code stored a key on the entry when it created it (or on the first keyed change of an
entry made without one; that change's revision is not known, and the entry is what a retry
returns either way).
"""

from typing import Any

from django.db import migrations, models


def copy_keys(apps: Any, schema_editor: Any) -> None:
    Entry = apps.get_model("logbook", "Entry")
    EntryRevision = apps.get_model("logbook", "EntryRevision")
    keyed = Entry.objects.exclude(idempotency_key="").values_list(
        "pk", "idempotency_key", "idempotency_fingerprint"
    )
    for pk, key, fingerprint in keyed.iterator():
        EntryRevision.objects.filter(entry_id=pk, number=1).update(
            idempotency_key=key, idempotency_fingerprint=fingerprint
        )


class Migration(migrations.Migration):
    dependencies = [
        ("logbook", "0003_index_reported_contact_only_where_set"),
    ]

    operations = [
        migrations.AddField(
            model_name="entryrevision",
            name="idempotency_fingerprint",
            field=models.CharField(blank=True, db_default="", default="", max_length=64),
        ),
        migrations.AddField(
            model_name="entryrevision",
            name="idempotency_key",
            field=models.CharField(blank=True, db_default="", default="", max_length=100),
        ),
        migrations.RunPython(copy_keys, migrations.RunPython.noop),
        migrations.RemoveConstraint(
            model_name="entry",
            name="idempotency_key_unique_per_child",
        ),
        migrations.RemoveField(
            model_name="entry",
            name="idempotency_fingerprint",
        ),
        migrations.RemoveField(
            model_name="entry",
            name="idempotency_key",
        ),
        migrations.AddConstraint(
            model_name="entryrevision",
            constraint=models.UniqueConstraint(
                condition=models.Q(("idempotency_key", ""), _negated=True),
                fields=("child", "idempotency_key"),
                name="revision_idempotency_key_unique_per_child",
            ),
        ),
    ]
