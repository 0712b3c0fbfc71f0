"""`manage.py verify`: re-walk each child's hash chain and report the first break."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from iepright.logbook.verify import verify_child
from iepright.plans.models import Child


class Command(BaseCommand):
    help = "Verify the tamper-evident log: every child's hash chain, or one child's."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--child", help="The child's id (UUID); default: every child.")
        parser.add_argument(
            "--files", action="store_true", help="Also re-hash every evidence file."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        children = Child.objects.select_related("household").order_by("id")
        if options["child"]:
            try:
                children = children.filter(public_id=options["child"])
            except Exception:
                raise CommandError("--child must be a child's id (a UUID).") from None
            if not children.exists():
                raise CommandError(f"No child with id {options['child']}.")
        broken = 0
        for child in children.iterator():
            result = verify_child(child, check_files=options["files"])
            if result.ok:
                self.stdout.write(
                    f"OK    child {child.public_id}: {result.revisions} revisions, "
                    f"{result.entries} entries, final hash {result.final_hash}"
                )
            else:
                broken += 1
                self.stdout.write(
                    f"BROKEN child {child.public_id}: at revision {result.broken_at}: "
                    f"{result.reason} (entry {result.entry})"
                )
        if broken:
            raise CommandError(f"{broken} chain(s) broken.")
